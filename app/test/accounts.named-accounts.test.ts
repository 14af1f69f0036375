// Issue 15 item 3, named accounts, through the API of a real core (the demo: accounts 1–3, one
// per role). Each person signs in with their own account and PIN; the audit names the person;
// lockout is per person; a disabled account is refused and its sessions end; the last enabled
// admin cannot be disabled; a new PIN ends that person's other sessions and nobody else's; every
// account change is audited naming the admin who made it; the first-run set-up creates named
// accounts, and still takes the older one-PIN-per-role body.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, startTestCore, type TestCore } from './helpers.js';
import { firstOf, openWs } from './attack/net.js';

let core: TestCore;
let admin: string;
beforeAll(async () => {
  core = await startTestCore();
  admin = await signIn(1, '900000');
});
afterAll(async () => {
  await core?.stop();
});

async function signIn(account: number, pin: string): Promise<string> {
  const r = await api(core, 'POST', '/api/session', { account, pin });
  if (r.status !== 200) throw new Error(`sign-in #${account}: ${r.status} ${JSON.stringify(r.json)}`);
  return r.json.token as string;
}
const audit = (action: string) => core.services.audit.list({ action, limit: 20 });

async function createAccount(name: string, role: string, pin: string, token = admin): Promise<number> {
  const r = await api(core, 'POST', '/api/accounts', { name, role, pin }, token);
  expect(r.status, JSON.stringify(r.json)).toBe(201);
  return r.json.id as number;
}

describe('named accounts over the API', () => {
  it('a second clerk signs in as herself; the audit names each person, with role and number', async () => {
    const yi = await createAccount('测试劳务员乙', 'clerk', '702479');
    expect(audit('account.create')[0]).toMatchObject({ actor: 'admin#1 演示管理员', target: `account:${yi}`, details: { name: '测试劳务员乙', role: 'clerk' } });
    // The answer names the person; the keypad lists both clerks.
    const session = await api(core, 'POST', '/api/session', { account: yi, pin: '702479' });
    expect(session.json).toMatchObject({ role: 'clerk', account: { id: yi, name: '测试劳务员乙' } });
    const choices = await api(core, 'GET', '/api/session/accounts');
    expect(choices.json.filter((c: { role: string }) => c.role === 'clerk').map((c: { name: string }) => c.name)).toEqual(['演示劳务员', '测试劳务员乙']);
    // Her write is hers, the other clerk's is his.
    const mine = await api(core, 'POST', '/api/employers', { name: '测试甲单位', creditCode: '91999999MA00000A01', corpType: 'labour' }, session.json.token);
    expect(mine.status).toBe(201);
    const his = await api(core, 'POST', '/api/employers', { name: '测试乙单位', creditCode: '91999999MA00000A02', corpType: 'labour' }, await signIn(3, '700000'));
    expect(his.status).toBe(201);
    expect(audit('employer.create').slice(0, 2).map((e) => e.actor)).toEqual(['clerk#3 演示劳务员', `clerk#${yi} 测试劳务员乙`]);
    expect(audit('login.ok')[0]).toMatchObject({ actor: 'clerk#3 演示劳务员', target: 'account:3', details: { source: 'kiosk' } });
    // Two clerks now: the older request by role no longer says who, so it is refused with the reason.
    const byRole = await api(core, 'POST', '/api/session', { role: 'clerk', pin: '700000' });
    expect(byRole.status).toBe(409);
    expect(byRole.json.error.code).toBe('auth.account_required');
    expect(byRole.json.error.message.zh).toContain('选择您的账号');
    // A rename shows in the next entry (the session goes on).
    expect((await api(core, 'PATCH', `/api/accounts/${yi}`, { name: '测试劳务员丙' }, admin)).json).toMatchObject({ id: yi, name: '测试劳务员丙' });
    expect((await api(core, 'POST', '/api/teams', { employerId: mine.json.id, name: '测试班组' }, session.json.token)).status).toBe(201);
    expect(audit('team.create')[0]?.actor).toBe(`clerk#${yi} 测试劳务员丙`);
    expect(audit('account.rename')[0]).toMatchObject({ actor: 'admin#1 演示管理员', details: { before: '测试劳务员乙', after: '测试劳务员丙' } });
  });

  it('five wrong PINs lock that person only: another clerk signs in at the same kiosk', async () => {
    const ding = await createAccount('测试劳务员丁', 'clerk', '702480');
    for (let i = 0; i < 4; i++) expect((await api(core, 'POST', '/api/session', { account: ding, pin: '111111' })).json.error.details.attemptsLeft).toBe(4 - i);
    const fifth = await api(core, 'POST', '/api/session', { account: ding, pin: '111111' });
    expect(fifth.status).toBe(429);
    expect(fifth.json.error.code).toBe('auth.locked');
    expect((await api(core, 'POST', '/api/session', { account: ding, pin: '702480' })).json.error.code).toBe('auth.locked');
    // The other clerk is not affected.
    expect((await api(core, 'POST', '/api/session', { account: 3, pin: '700000' })).status).toBe(200);
    core.services.pins.flushAudit();
    expect(audit('login.failed')[0]).toMatchObject({ actor: `clerk#${ding} 测试劳务员丁`, target: `account:${ding}`, details: { source: 'kiosk', failures: 5, locked: true } });
    // An admin's new PIN for her ends the lock.
    expect((await api(core, 'PUT', `/api/accounts/${ding}/pin`, { pin: '702481' }, admin)).status).toBe(200);
    expect((await api(core, 'POST', '/api/session', { account: ding, pin: '702481' })).status).toBe(200);
  });

  it('a disabled account is refused before its PIN is checked, and its sessions and live streams end', async () => {
    const wu = await createAccount('测试主管戊', 'supervisor', '813580');
    const token = await signIn(wu, '813580');
    const ws = await openWs(`ws://127.0.0.1:${core.port}/api/events`, { protocols: ['sitegate.v1', `sitegate.auth.${token}`] });
    if (ws.kind !== 'open') return expect.fail(`live stream refused: ${ws.status} ${ws.body}`);
    const ended = firstOf(ws.ws);
    const off = await api(core, 'POST', `/api/accounts/${wu}/disable`, {}, admin);
    expect(off.status, JSON.stringify(off.json)).toBe(200);
    expect(off.json).toMatchObject({ account: { id: wu, enabled: false }, sessionsEnded: 1 });
    expect(await ended).toEqual({ closed: { code: 4401, reason: 'auth.revoked' } });
    expect((await api(core, 'GET', '/api/dashboard/today', undefined, token)).status).toBe(401);
    for (const pin of ['813580', '111111']) {
      const r = await api(core, 'POST', '/api/session', { account: wu, pin });
      expect(r.status).toBe(403);
      expect(r.json.error.code).toBe('auth.disabled');
      expect(r.json.error.message.zh).toContain('已停用');
    }
    // Not offered at the keypad any more; still listed for the admin, disabled.
    expect((await api(core, 'GET', '/api/session/accounts')).json.some((c: { id: number }) => c.id === wu)).toBe(false);
    expect((await api(core, 'GET', '/api/accounts', undefined, admin)).json.find((a: { id: number }) => a.id === wu)).toMatchObject({ enabled: false });
    expect(audit('account.disable')[0]).toMatchObject({ actor: 'admin#1 演示管理员', target: `account:${wu}` });
    core.services.pins.flushAudit();
    expect(audit('login.disabled')[0]).toMatchObject({ actor: `supervisor#${wu} 测试主管戊` });
    // Enabled again, the same PIN works.
    expect((await api(core, 'POST', `/api/accounts/${wu}/enable`, {}, admin)).status).toBe(200);
    expect((await api(core, 'POST', '/api/session', { account: wu, pin: '813580' })).status).toBe(200);
    expect(audit('account.enable')[0]).toMatchObject({ actor: 'admin#1 演示管理员', target: `account:${wu}` });
    // An unknown number says so.
    expect((await api(core, 'POST', '/api/session', { account: 9999, pin: '813580' })).json.error.code).toBe('auth.no_account');
  });

  it('the last enabled admin cannot be disabled, by anyone', async () => {
    const last = await api(core, 'POST', '/api/accounts/1/disable', {}, admin);
    expect(last.status).toBe(409);
    expect(last.json.error.code).toBe('account.last_admin');
    expect(last.json.error.message.zh).toContain('最后一个');
    // With a second admin, the first may go; then the second is the last.
    const ji = await createAccount('测试管理员己', 'admin', '924682');
    const jiToken = await signIn(ji, '924682');
    expect((await api(core, 'POST', '/api/accounts/1/disable', {}, jiToken)).status).toBe(200);
    expect((await api(core, 'GET', '/api/audit', undefined, admin)).status).toBe(401);
    const self = await api(core, 'POST', `/api/accounts/${ji}/disable`, {}, jiToken);
    expect(self.json.error.code).toBe('account.last_admin');
    expect(core.services.accounts.enabledOfRole('admin').map((a) => a.id)).toEqual([ji]);
    expect((await api(core, 'POST', '/api/accounts/1/enable', {}, jiToken)).status).toBe(200);
    admin = await signIn(1, '900000');
  });

  it("a new PIN ends that person's other sessions, and nobody else's; an admin's own stays", async () => {
    const gengA = await signIn(2, '800000');
    const gengB = await signIn(2, '800000');
    const other = await createAccount('测试主管庚', 'supervisor', '813581');
    const otherToken = await signIn(other, '813581');
    const otherAdmin = await signIn(1, '900000');
    const r = await api(core, 'PUT', '/api/accounts/2/pin', { pin: '813582' }, admin);
    expect(r.json).toMatchObject({ account: { id: 2 }, sessionsEnded: 2 });
    for (const t of [gengA, gengB]) expect((await api(core, 'GET', '/api/dashboard/today', undefined, t)).status).toBe(401);
    expect((await api(core, 'GET', '/api/dashboard/today', undefined, otherToken)).status).toBe(200);
    expect((await api(core, 'POST', '/api/session', { account: 2, pin: '800000' })).json.error.code).toBe('auth.wrong_pin');
    expect(audit('account.pin_reset')[0]).toMatchObject({ actor: 'admin#1 演示管理员', target: 'account:2' });
    // The admin's own PIN: this session stays, the admin's other one ends.
    expect((await api(core, 'PUT', '/api/accounts/1/pin', { pin: '924683' }, admin)).json.sessionsEnded).toBe(1);
    expect((await api(core, 'GET', '/api/accounts', undefined, admin)).status).toBe(200);
    expect((await api(core, 'GET', '/api/accounts', undefined, otherAdmin)).status).toBe(401);
  });

  it('only an admin manages accounts; bad input is refused with its reason and changes nothing', async () => {
    const clerk = await signIn(3, '700000');
    expect((await api(core, 'GET', '/api/accounts', undefined, clerk)).status).toBe(403);
    expect((await api(core, 'POST', '/api/accounts', { name: '测试', role: 'admin', pin: '924690' }, clerk)).status).toBe(403);
    const before = core.services.accounts.list();
    const weak = await api(core, 'POST', '/api/accounts', { name: '测试弱', role: 'clerk', pin: '123456' }, admin);
    expect([weak.status, weak.json.error.code]).toEqual([400, 'pin.weak']);
    const taken = await api(core, 'POST', '/api/accounts', { name: '演示主管', role: 'clerk', pin: '702490' }, admin);
    expect([taken.status, taken.json.error.code]).toEqual([409, 'account.name_taken']);
    const bidi = await api(core, 'POST', '/api/accounts', { name: '测试\u202Eabc', role: 'clerk', pin: '702490' }, admin);
    expect(bidi.status).toBe(400);
    expect((await api(core, 'PATCH', '/api/accounts/abc', { name: '测试' }, admin)).status).toBe(400);
    expect((await api(core, 'PATCH', '/api/accounts/4242', { name: '测试' }, admin)).json.error.code).toBe('account.not_found');
    expect((await api(core, 'POST', '/api/accounts', { name: '测试', role: 'owner', pin: '702490' }, admin)).status).toBe(400);
    expect(core.services.accounts.list()).toEqual(before);
  });
});

describe('first-run set-up', () => {
  it('creates named accounts (at least one admin) once, and still takes one PIN per role', async () => {
    const fresh = await startTestCore({ demo: false });
    try {
      const noAdmin = await api(fresh, 'POST', '/api/setup/pins', { accounts: [{ name: '测试劳务员', role: 'clerk', pin: '702468' }] });
      expect(noAdmin.status).toBe(400);
      expect((await api(fresh, 'GET', '/api/setup/status')).json).toMatchObject({ accountsSet: false, pinsSet: { admin: false } });
      const r = await api(fresh, 'POST', '/api/setup/pins', {
        accounts: [
          { name: '测试管理员', role: 'admin', pin: '924680' },
          { name: '测试劳务员', role: 'clerk', pin: '702468' },
        ],
      });
      expect(r.status, JSON.stringify(r.json)).toBe(200);
      expect(r.json.accounts).toEqual([
        { id: 1, name: '测试管理员', role: 'admin' },
        { id: 2, name: '测试劳务员', role: 'clerk' },
      ]);
      expect((await api(fresh, 'GET', '/api/setup/status')).json).toMatchObject({ accountsSet: true, pinsSet: { admin: true, supervisor: false, clerk: true } });
      expect(fresh.services.audit.list({ action: 'account.create' }).map((e) => [e.actor, e.target])).toEqual([
        ['setup', 'account:2'],
        ['setup', 'account:1'],
      ]);
      expect((await api(fresh, 'POST', '/api/setup/pins', { admin: '924681', supervisor: '813579', clerk: '702469' })).json.error.code).toBe('setup.already_done');
    } finally {
      await fresh.stop();
    }
    const older = await startTestCore({ demo: false });
    try {
      const r = await api(older, 'POST', '/api/setup/pins', { admin: '924680', supervisor: '813579', clerk: '702468' });
      expect(r.status).toBe(200);
      // One account per role, to be renamed to its user: flagged as such.
      expect(older.services.accounts.list().map((a) => [a.id, a.name, a.role, a.shared])).toEqual([
        [1, '管理员', 'admin', true],
        [2, '主管', 'supervisor', true],
        [3, '劳务员', 'clerk', true],
      ]);
      expect((await api(older, 'POST', '/api/session', { role: 'admin', pin: '924680' })).json).toMatchObject({ account: { id: 1, name: '管理员' } });
    } finally {
      await older.stop();
    }
  });
});
