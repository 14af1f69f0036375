// Issue 14 item 6: nobody could sign in on a full disk (`POST /api/session` with the right PIN
// answered 507, because the login wrote its audit row first). Signing in writes nothing the
// login depends on: on a real full tmpfs the admin signs in and works, a wrong PIN is still a
// wrong PIN, and the audit rows wait in memory until there is room, then are written saying so.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { api, startTestCore, type TestCore } from '../helpers.js';
import { fillDisk } from '../fixtures/fill-disk.js';

const mnt = mkdtempSync(join(tmpdir(), 'sg-login-full-'));
let core: TestCore;
beforeAll(async () => {
  execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=24m', 'tmpfs', mnt]);
  core = await startTestCore({ storage: { warnFreeMb: 8, criticalFreeMb: 2, reserveMb: 0 } }, join(mnt, 'data'));
});
afterAll(async () => {
  rmSync(join(mnt, 'filler'), { force: true });
  await core?.stop();
  execFileSync('umount', [mnt]);
  rmSync(mnt, { recursive: true, force: true });
});

const loginAudit = () => core.services.audit.list({ limit: 50 }).filter((e) => e.action.startsWith('login.'));

describe('attack: signing in on a full disk', () => {
  it('signs in and works on a full disk; the audit is written, marked deferred, once there is room', async () => {
    const clerk = await api(core, 'POST', '/api/session', { account: 3, pin: '700000' });
    expect(clerk.status).toBe(200);
    // Nothing left in the WAL to checkpoint into the full disk meanwhile.
    core.services.store.checkpoint('TRUNCATE');
    fillDisk(mnt);
    // The disk is really full: an ordinary write is refused.
    const write = await api(core, 'POST', '/api/employers', { name: '满盘测试单位', creditCode: '91999999MA00000099', corpType: 'general' }, clerk.json.token);
    expect(write.status).toBe(507);

    const before = loginAudit().length;
    const admin = await api(core, 'POST', '/api/session', { account: 1, pin: '900000' });
    expect(admin.status, JSON.stringify(admin.json)).toBe(200);
    const wrong = await api(core, 'POST', '/api/session', { account: 2, pin: '111111' });
    expect(wrong.status, JSON.stringify(wrong.json)).toBe(401);
    expect(wrong.json.error.code).toBe('auth.wrong_pin');
    // The session works for reading (the audit of a full appliance).
    const audit = await api(core, 'GET', '/api/audit', undefined, admin.json.token);
    expect(audit.status).toBe(200);
    // Nothing could be written yet.
    expect(loginAudit().length).toBe(before);

    rmSync(join(mnt, 'filler'));
    // The next login (or the retry timer) writes what waited, first, marked as deferred.
    const supervisor = await api(core, 'POST', '/api/session', { account: 2, pin: '800000' });
    expect(supervisor.status).toBe(200);
    const rows = loginAudit().slice(0, loginAudit().length - before).reverse();
    // Each row names the person (the demo's accounts 1 and 2).
    expect(rows.map((r) => [r.action, r.actor, r.target])).toEqual([
      ['login.ok', 'admin#1 演示管理员', 'account:1'],
      ['login.failed', 'supervisor#2 演示主管', 'account:2'],
      ['login.ok', 'supervisor#2 演示主管', 'account:2'],
    ]);
    for (const r of rows.slice(0, 2)) expect(r.details).toMatchObject({ deferred: { reason: 'disk_full', occurredAt: expect.any(Number) } });
    expect(rows[2]?.details.deferred).toBeUndefined();
  });
});
