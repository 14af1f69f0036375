import { describe, expect, it, afterAll, beforeAll } from 'vitest';
import { api, startTestCore, type TestCore } from './helpers.js';

let core: TestCore;
beforeAll(async () => {
  core = await startTestCore();
});
afterAll(async () => {
  await core.stop();
});

describe('local API: PIN lockout', () => {
  it('five wrong PINs lock the role; the right PIN is refused while locked; all audited', async () => {
    for (let i = 0; i < 4; i++) {
      const r = await api(core, 'POST', '/api/session', { role: 'supervisor', pin: '111111' });
      expect(r.status).toBe(401);
      expect(r.json.error.details.attemptsLeft).toBe(4 - i);
    }
    const fifth = await api(core, 'POST', '/api/session', { role: 'supervisor', pin: '111111' });
    expect(fifth.status).toBe(429);
    const right = await api(core, 'POST', '/api/session', { role: 'supervisor', pin: '800000' });
    expect(right.status).toBe(429);
    expect(right.json.error.message.zh).toContain('锁定');
    // Audited: the first failure at once, the rest of the minute as one row with its count.
    core.services.pins.flushAudit();
    const count = (action: string) => core.services.audit.list({ action }).reduce((n, e) => n + Number(e.details.count), 0);
    expect(core.services.audit.list({ action: 'login.failed' })).toHaveLength(2);
    expect(count('login.failed')).toBe(5);
    expect(count('login.locked')).toBe(1);
    expect(core.services.audit.list({ action: 'login.failed' })[0]?.details).toMatchObject({ source: 'kiosk', count: 4, coalesced: true, failures: 5, locked: true });
    // other roles are not affected
    expect((await api(core, 'POST', '/api/session', { role: 'clerk', pin: '700000' })).status).toBe(200);
  });

  it('PIN hashes are scrypt, never the PIN itself', () => {
    const row = core.services.store.db.prepare("SELECT pin_hash FROM accounts WHERE role = 'clerk'").get() as { pin_hash: string };
    expect(row.pin_hash.startsWith('scrypt$')).toBe(true);
    expect(row.pin_hash).not.toContain('700000');
  });
});
