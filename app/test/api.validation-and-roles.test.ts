import { describe, expect, it, beforeAll, afterAll } from 'vitest';
import { api, login, startTestCore, type TestCore } from './helpers.js';

let core: TestCore;
beforeAll(async () => {
  core = await startTestCore();
});
afterAll(async () => {
  await core.stop();
});

const validWorker = {
  name: '测试戊',
  idType: '01',
  idNumber: '99999919900101050X',
  tradeCode: '010',
  role: 'worker',
};

describe('local API: health, validation, roles', () => {
  it('GET /health says what is up', async () => {
    const r = await api(core, 'GET', '/health');
    expect(r.status).toBe(200);
    expect(r.json.status).toBe('ok');
    expect(r.json.components.store.ok).toBe(true);
    expect(r.json.demo).toBe(true);
  });

  it('refuses writes without a session, and with a role that may not', async () => {
    expect((await api(core, 'POST', '/api/workers', validWorker)).status).toBe(401);
    const clerk = await login(core, 'clerk');
    const audit = await api(core, 'GET', '/api/audit', undefined, clerk);
    expect(audit.status).toBe(403);
    expect(audit.json.error.message.zh).toBe('当前角色无权执行此操作');
    expect((await api(core, 'GET', '/api/dashboard/today', undefined, clerk)).status).toBe(403);
    const admin = await login(core, 'admin');
    expect((await api(core, 'GET', '/api/audit', undefined, admin)).status).toBe(200);
  });

  it('validates every body: unknown keys, wrong types, malformed JSON each get 400 with the path', async () => {
    const clerk = await login(core, 'clerk');
    const unknown = await api(core, 'POST', '/api/workers', { ...validWorker, salary: 1 }, clerk);
    expect(unknown.status).toBe(400);
    expect(unknown.json.error.code).toBe('request.invalid');
    const wrongType = await api(core, 'POST', '/api/workers', { ...validWorker, tradeCode: 10 }, clerk);
    expect(wrongType.status).toBe(400);
    expect(wrongType.json.error.details[0].path).toBe('tradeCode');
    const malformed = await api(core, 'POST', '/api/workers', '{"name":', clerk);
    expect(malformed.status).toBe(400);
    const managerWithoutRole = await api(core, 'POST', '/api/workers', { ...validWorker, role: 'manager' }, clerk);
    expect(managerWithoutRole.status).toBe(400);
    expect((await api(core, 'GET', '/api/workers?limit=abc', undefined, clerk)).status).toBe(400);
  });

  it('enrolls a worker, lists it masked, refuses the same ID twice, and audits the write', async () => {
    const clerk = await login(core, 'clerk');
    const created = await api(core, 'POST', '/api/workers', validWorker, clerk);
    expect(created.status).toBe(201);
    expect(created.json.idNumberMasked).toBe('9999**********050X');
    const list = await api(core, 'GET', `/api/workers?q=${encodeURIComponent('测试戊')}`, undefined, clerk);
    expect(list.json).toHaveLength(1);
    expect(JSON.stringify(list.json)).not.toContain(validWorker.idNumber);
    const one = await api(core, 'GET', `/api/workers/${created.json.id}`, undefined, clerk);
    expect(JSON.stringify(one.json)).not.toContain(validWorker.idNumber);
    const dup = await api(core, 'POST', '/api/workers', validWorker, clerk);
    expect(dup.status).toBe(409);
    expect(dup.json.error.message.zh).toBe('该证件号码已登记');
    const admin = await login(core, 'admin');
    const audit = await api(core, 'GET', '/api/audit', undefined, admin);
    expect(audit.json.some((e: { action: string; actor: string }) => e.action === 'worker.create' && e.actor === 'clerk#3 演示劳务员')).toBe(true);
    expect(core.logLines.join('')).not.toContain(validWorker.idNumber);
  });

  it('edits a worker assignment (audited), refusing identity fields and an inconsistent role', async () => {
    const clerk = await login(core, 'clerk');
    const [w] = (await api(core, 'GET', `/api/workers?q=${encodeURIComponent('测试戊')}`, undefined, clerk)).json;
    const ok = await api(core, 'PATCH', `/api/workers/${w.id}`, { phone: '13900000001', contractEnd: '2027-06-30' }, clerk);
    expect(ok.status).toBe(200);
    expect(ok.json.contractEnd).toBe('2027-06-30');
    expect(ok.json.phone).toBe('13900000001');
    expect((await api(core, 'PATCH', `/api/workers/${w.id}`, { idNumber: '1' }, clerk)).status).toBe(400);
    expect((await api(core, 'PATCH', `/api/workers/${w.id}`, { role: 'manager' }, clerk)).status).toBe(400);
    expect((await api(core, 'PATCH', '/api/workers/99999', { phone: null }, clerk)).status).toBe(404);
    expect(core.services.audit.list({ action: 'worker.update' })[0]?.target).toBe(`worker:${w.id}`);
  });

  it('attendance rows carry the worker name, and the passage photo is served to a supervisor only', async () => {
    const clerk = await login(core, 'clerk');
    const [w] = (await api(core, 'GET', `/api/workers?q=${encodeURIComponent('测试戊')}`, undefined, clerk)).json;
    const e = core.services.attendance.record({ laneId: 'lane-1', workerId: w.id, direction: 'in', decision: 'pass', photoJpeg: Buffer.from([0xff, 0xd8, 0xff, 0xd9]) });
    const sup = await login(core, 'supervisor');
    const rows = (await api(core, 'GET', '/api/attendance?limit=5', undefined, sup)).json;
    expect(rows.find((r: { id: string }) => r.id === e.id)?.workerName).toBe('测试戊');
    // Not without a session, even from this machine (any web page on it could load it).
    expect((await fetch(`${core.url}/api/attendance/${e.id}/photo`)).status).toBe(401);
    const photo = await fetch(`${core.url}/api/attendance/${e.id}/photo`, { headers: { authorization: `Bearer ${sup}` } });
    expect(photo.headers.get('content-type')).toBe('image/jpeg');
    expect(Buffer.from(await photo.arrayBuffer())).toEqual(Buffer.from([0xff, 0xd8, 0xff, 0xd9]));
    expect((await api(core, 'GET', '/api/attendance/not-a-uuid/photo', undefined, sup)).status).toBe(400);
  });

  it('a refused request changes nothing', async () => {
    const admin = await login(core, 'admin');
    const before = (await api(core, 'GET', '/api/audit', undefined, admin)).json.length;
    const clerk = await login(core, 'clerk');
    await api(core, 'POST', '/api/workers', { ...validWorker, idNumber: 'x' }, clerk);
    await api(core, 'POST', '/api/teams', { employerId: 'one', name: 'x' }, clerk);
    const after = (await api(core, 'GET', '/api/audit', undefined, admin)).json.length;
    // only the admin's own login was added between the two reads
    expect(after - before).toBe(1);
  });

  it('unknown API routes answer 404 in JSON', async () => {
    const r = await api(core, 'GET', '/api/nope');
    expect(r.status).toBe(404);
    expect(r.json.error.code).toBe('request.not_found');
  });

  it('refuses a resident ID number with a wrong check digit and an impossible date, naming the field', async () => {
    const clerk = await login(core, 'clerk');
    const badCheck = await api(core, 'POST', '/api/workers', { ...validWorker, idNumber: '999999199001010501' }, clerk);
    expect(badCheck.status).toBe(400);
    expect(JSON.stringify(badCheck.json.error.details)).toContain('idNumber');
    const badDate = await api(core, 'POST', '/api/workers', { ...validWorker, birthDate: '2026-02-30' }, clerk);
    expect(badDate.status).toBe(400);
    expect(JSON.stringify(badDate.json.error.details)).toContain('birthDate');
  });
});
