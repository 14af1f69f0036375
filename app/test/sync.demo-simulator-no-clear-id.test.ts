// The demo's embedded platform simulator keeps its SQLite file (and WAL) in the appliance's data
// directory: once the demo workers reached it, no worker's ID number is in those files in
// clear (issue 14.9), yet the simulator still knows them (sealed with the appliance's cipher).
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { startTestCore, type TestCore } from './helpers.js';
import { waitFor } from './fixtures/kiosk-flows.js';

let core: TestCore | undefined;
afterAll(async () => {
  await core?.stop();
});

describe('sync: the demo platform simulator at rest', () => {
  it('holds the demo workers without a clear ID number in its file or WAL', async () => {
    core = await startTestCore({ platform: { type: 'simulator', port: 0 } });
    const c = core;
    const project = c.services.config.project.code;
    const ids = c.services.workers
      .list({ limit: 100 })
      .map((w) => c.services.workers.get(w.id)?.idNumber ?? '')
      .filter((id) => id.length === 18);
    expect(ids.length).toBeGreaterThan(0);
    const sim = c.sync.simulator;
    if (!sim) throw new Error('the demo runs the embedded simulator');
    await waitFor('the demo workers on the platform', () => ids.every((id) => sim.store.workerExists(project, id)), 60_000);

    const dbPath = join(c.dataDir, 'platform-simulator.db');
    const files = [dbPath, `${dbPath}-wal`].filter((f) => existsSync(f));
    expect(files.length).toBe(2);
    const bytes = Buffer.concat(files.map((f) => readFileSync(f)));
    expect(ids.filter((id) => bytes.includes(Buffer.from(id, 'utf8')))).toEqual([]);
  }, 120_000);
});
