// The data store failing under a running core, as far as it can be made here: the SQLite
// connection is switched to query_only, so every write is refused with a real SQLITE_READONLY
// through the real transaction path (a read-only remount itself is refused while the database
// file is open). The API says so in plain words with 503, logs it, commits nothing, and works
// again once the store can write.
import { describe, expect, it, afterAll, beforeAll } from 'vitest';
import { api, login, startTestCore, type TestCore } from './helpers.js';

let core: TestCore;
beforeAll(async () => {
  core = await startTestCore();
});
afterAll(async () => {
  await core?.stop();
});

describe('API: the data store cannot write', () => {
  it('answers 503 store.read_only, changes nothing, and recovers', async () => {
    const clerk = await login(core, 'clerk');
    const teamsBefore = core.services.workers.listTeams().length;
    core.services.store.db.pragma('query_only = ON');
    try {
      const r = await api(core, 'POST', '/api/teams', { employerId: 1, name: '测试班组只读' }, clerk);
      expect(r.status).toBe(503);
      expect(r.json.error).toMatchObject({ code: 'store.read_only', message: { zh: expect.stringMatching(/^数据盘只读/), en: expect.stringMatching(/read-only/) } });
      expect(core.logLines.some((l) => l.includes('request failed: data store'))).toBe(true);
      expect(core.logLines.some((l) => l.includes('"msg":"request failed"'))).toBe(false);
    } finally {
      core.services.store.db.pragma('query_only = OFF');
    }
    expect(core.services.workers.listTeams().length).toBe(teamsBefore);
    const again = await api(core, 'POST', '/api/teams', { employerId: 1, name: '测试班组只读' }, clerk);
    expect(again.status).toBe(201);
    expect(core.services.workers.listTeams().length).toBe(teamsBefore + 1);
  });
});
