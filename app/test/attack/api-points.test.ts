// Issue 14 item 9, the API points: a changed PIN ends that role's other sessions (and their live
// streams); the gate policy refuses an unknown key instead of resetting what it misspelt; name
// fields refuse bidi controls, invisible-only text and control characters; `%` and `_` are
// literal in search; a malformed URL answers 400 in the documented error shape. Each is the
// request that showed the fault, to a real core.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, login, startTestCore, type TestCore } from '../helpers.js';
import { firstOf, openWs, raw } from './net.js';

let core: TestCore;
beforeAll(async () => {
  core = await startTestCore();
});
afterAll(async () => {
  await core?.stop();
});

const worker = (name: string, serial: number) => {
  const body = `99999919900101${String(serial).padStart(3, '0')}`;
  const weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
  const sum = [...body].reduce((acc, ch, i) => acc + Number(ch) * (weights[i] ?? 0), 0);
  return { name, idType: '01', idNumber: body + '10X98765432'[sum % 11], tradeCode: '010', role: 'worker' };
};

describe('attack: API points', () => {
  it('changing a role\'s PIN ends that role\'s other sessions and their live streams', async () => {
    const supA = await login(core, 'supervisor');
    const supB = await login(core, 'supervisor');
    const ws = await openWs(`ws://127.0.0.1:${core.port}/api/events`, { protocols: ['sitegate.v1', `sitegate.auth.${supA}`] });
    if (ws.kind !== 'open') return expect.fail(`live stream refused: ${ws.status} ${ws.body}`);
    const ended = firstOf(ws.ws);
    const adminA = await login(core, 'admin');
    const adminB = await login(core, 'admin');
    expect((await api(core, 'PUT', '/api/admin/pins', { role: 'supervisor', pin: '813579' }, adminA)).status).toBe(200);
    for (const t of [supA, supB]) expect((await api(core, 'GET', '/api/dashboard/today', undefined, t)).status).toBe(401);
    expect(await ended).toEqual({ closed: { code: 4401, reason: 'auth.revoked' } });
    expect((await api(core, 'POST', '/api/session', { role: 'supervisor', pin: '813579' })).status).toBe(200);
    // The admin changing their own PIN keeps their own session and ends the other one.
    expect((await api(core, 'PUT', '/api/admin/pins', { role: 'admin', pin: '924680' }, adminA)).status).toBe(200);
    expect((await api(core, 'GET', '/api/audit', undefined, adminA)).status).toBe(200);
    expect((await api(core, 'GET', '/api/audit', undefined, adminB)).status).toBe(401);
    // The clerk's sessions were never touched.
    const clerk = await login(core, 'clerk');
    expect((await api(core, 'PUT', '/api/admin/pins', { role: 'supervisor', pin: '800000' }, adminA)).status).toBe(200);
    expect((await api(core, 'GET', '/api/employers', undefined, clerk)).status).toBe(200);
    expect((await api(core, 'PUT', '/api/admin/pins', { role: 'admin', pin: '900000' }, adminA)).status).toBe(200);
  });

  it('the gate policy refuses a misspelt key instead of silently resetting the rule', async () => {
    const admin = await login(core, 'admin');
    expect((await api(core, 'PUT', '/api/gate/policy', { helmet: { action: 'ignore' } }, admin)).status).toBe(200);
    const typo = await api(core, 'PUT', '/api/gate/policy', { helmett: { action: 'remind' } }, admin);
    expect(typo.status).toBe(400);
    expect(typo.json.error.code).toBe('request.invalid');
    expect(JSON.stringify(typo.json.error.details)).toContain('helmett');
    const nested = await api(core, 'PUT', '/api/gate/policy', { helmet: { acton: 'remind' } }, admin);
    expect(nested.status).toBe(400);
    expect(nested.json.error.details).toEqual([expect.objectContaining({ path: 'helmet', message: expect.stringContaining('acton') })]);
    const policy = await api(core, 'GET', '/api/gate/policy', undefined, admin);
    expect(policy.json.helmet.action).toBe('ignore');
  });

  it('names refuse bidi controls, invisible-only text and control characters, in every name field', async () => {
    const clerk = await login(core, 'clerk');
    const bad = ['测试\u202Eabc', '\u200B\u200B', '\u2066测试\u2069', '测\u0000试', '测试\u0007', '\u200F', ' \u200D\uFEFF ', '测\u2028试'];
    for (const name of bad) {
      const w = await api(core, 'POST', '/api/workers', worker(name, 401), clerk);
      expect(w.status, JSON.stringify(name)).toBe(400);
      expect(w.json.error.details).toEqual([expect.objectContaining({ path: 'name' })]);
      expect((await api(core, 'POST', '/api/employers', { name, creditCode: '91999999MA00000011', corpType: 'general' }, clerk)).status, JSON.stringify(name)).toBe(400);
      expect((await api(core, 'POST', '/api/teams', { employerId: 1, name }, clerk)).status, JSON.stringify(name)).toBe(400);
    }
    const sup = await login(core, 'supervisor');
    const some = (await api(core, 'GET', '/api/workers', undefined, clerk)).json[0];
    expect((await api(core, 'POST', `/api/workers/${some.id}/status`, { status: 'inactive', reason: '离场\u202E' }, clerk)).status).toBe(400);
    const makeup = { workerId: some.id, direction: 'in', occurredAt: Date.now() - 3600_000, reason: 'storm', confirmedBy: '测试区住建局\u202E', documentNo: 'TEST-1', confirmedAt: Date.now() - 1800_000 };
    const m = await api(core, 'POST', '/api/attendance/makeup', makeup, sup);
    expect(m.status).toBe(400);
    expect(m.json.error.details).toEqual([expect.objectContaining({ path: 'confirmedBy' })]);
    const admin = await login(core, 'admin');
    expect((await api(core, 'PUT', '/api/admin/voice-templates', { welcome: '欢迎\u202E' }, admin)).status).toBe(400);
    // Real names still go through, including ones with a middle dot and Latin letters.
    expect((await api(core, 'POST', '/api/workers', worker('阿卜杜·艾力', 402), clerk)).status).toBe(201);
    expect((await api(core, 'POST', '/api/workers', worker('Li Na', 403), clerk)).status).toBe(201);
  });

  it('% and _ are literal in search', async () => {
    const clerk = await login(core, 'clerk');
    expect((await api(core, 'POST', '/api/workers', worker('测试_五', 404), clerk)).status).toBe(201);
    expect((await api(core, 'POST', '/api/workers', worker('测试甲五', 405), clerk)).status).toBe(201);
    expect((await api(core, 'GET', '/api/workers?q=%25', undefined, clerk)).json).toEqual([]);
    expect((await api(core, 'GET', '/api/workers?q=_', undefined, clerk)).json).toEqual([]);
    const underscore = (await api(core, 'GET', `/api/workers?q=${encodeURIComponent('测试_')}`, undefined, clerk)).json as Array<{ name: string }>;
    expect(underscore.map((w) => w.name)).toEqual(['测试_五']);
    const percent = (await api(core, 'GET', `/api/workers?q=${encodeURIComponent('测%')}`, undefined, clerk)).json;
    expect(percent).toEqual([]);
    // A plain prefix still finds names.
    expect(((await api(core, 'GET', `/api/workers?q=${encodeURIComponent('测试')}`, undefined, clerk)).json as unknown[]).length).toBeGreaterThan(2);
  });

  it('a malformed URL answers 400 in the documented error shape', async () => {
    for (const path of ['/%E0%A4%A', '/api/workers/%E0%A4%A', '/api/%ZZ', '/api/lanes/%C0%AF/frames']) {
      const r = await raw({ host: '127.0.0.1', port: core.port, path });
      expect(r.status, `${path}: ${r.text}`).toBe(400);
      expect(r.json, path).toEqual({ error: { code: 'request.invalid', message: { zh: expect.any(String), en: expect.any(String) }, details: expect.anything() } });
      expect(r.headers['x-content-type-options']).toBe('nosniff');
    }
  });
});
