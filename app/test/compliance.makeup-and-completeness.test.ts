// Make-up attendance through the API (a storm day confirmed by the authority), refused for
// management personnel; the completeness preview; voice texts. Real core, real store.
import { describe, expect, it, beforeAll, afterAll } from 'vitest';
import { api, login, runningClockFrom, startTestCore, type TestCore } from './helpers.js';

const NOW = Date.UTC(2026, 10, 20, 4, 0); // 2026-11-20 12:00 Asia/Shanghai
const at = (day: number, hh: number) => Date.UTC(2026, 10, day, hh - 8, 0);

let core: TestCore;
let sup: string;
let workers: Array<{ id: number; name: string; role: string }>;

beforeAll(async () => {
  core = await startTestCore({}, undefined, { clock: runningClockFrom(NOW) });
  sup = await login(core, 'supervisor');
  workers = (await api(core, 'GET', '/api/workers', undefined, await login(core, 'clerk'))).json;
});
afterAll(async () => {
  await core.stop();
});

const storm = (workerId: number) => ({
  workerId,
  direction: 'in',
  occurredAt: at(18, 7),
  reason: 'storm',
  confirmedBy: '测试区住建局 某某科',
  documentNo: 'TEST-2026-118',
  confirmedAt: at(19, 10),
});

describe('make-up attendance and completeness', () => {
  it('a storm make-up for a worker is recorded with its confirmation, audited and queued for the platform', async () => {
    const w = workers.find((x) => x.role === 'worker') as { id: number };
    const r = await api(core, 'POST', '/api/attendance/makeup', storm(w.id), sup);
    expect(r.status).toBe(201);
    // The reply says back what was recorded (an entry), so the screen confirms the right way.
    expect(r.json).toMatchObject({ direction: 'in', workerId: w.id, laneId: 'makeup' });
    const e = core.services.attendance.get(r.json.id);
    expect(e?.makeup).toMatchObject({ confirmedBy: '测试区住建局 某某科', documentNo: 'TEST-2026-118', reason: 'storm' });
    expect(e?.localDate).toBe('2026-11-18');
    expect(core.services.audit.list({ action: 'attendance.makeup' })[0]?.actor).toMatch(/^supervisor#\d+ /);
    const queued = core.services.store.db.prepare("SELECT state FROM outbox WHERE kind = 'attendance' AND ref_id = ?").get(r.json.id);
    expect(queued).toEqual({ state: 'pending' });
    // the same instant again is a duplicate
    const again = await api(core, 'POST', '/api/attendance/makeup', storm(w.id), sup);
    expect(again.status).toBe(422);
    expect(again.json.error.details.map((d: { code: string }) => d.code)).toContain('makeup_duplicate');
  });

  it('management personnel can never have attendance made up; missing confirmation is refused', async () => {
    const m = workers.find((x) => x.role === 'manager') as { id: number };
    const r = await api(core, 'POST', '/api/attendance/makeup', storm(m.id), sup);
    expect(r.status).toBe(422);
    expect(r.json.error.details[0].zh).toBe('施工现场管理人员不得补打考勤记录');
    const w = workers.find((x) => x.role === 'worker') as { id: number };
    const noDoc = await api(core, 'POST', '/api/attendance/makeup', { ...storm(w.id), occurredAt: at(17, 7), documentNo: ' ' }, sup);
    expect(noDoc.status).toBe(422);
    expect(noDoc.json.error.details.map((d: { code: string }) => d.code)).toContain('makeup_document_missing');
    const clerk = await login(core, 'clerk');
    expect((await api(core, 'POST', '/api/attendance/makeup', storm(w.id), clerk)).status).toBe(403);
  });

  it('the completeness preview lists what the yellow light would flag, with the fix', async () => {
    const clerk = await login(core, 'clerk');
    await api(core, 'POST', '/api/workers', { name: '测试庚', idType: '01', idNumber: '999999199001011238', tradeCode: '010', role: 'worker' }, clerk);
    const r = await api(core, 'GET', '/api/reports/completeness', undefined, sup);
    expect(r.status).toBe(200);
    const flagged = r.json.workers.find((w: { name: string }) => w.name === '测试庚');
    const codes = flagged.issues.map((i: { code: string }) => i.code);
    expect(codes).toEqual(expect.arrayContaining(['contract_missing', 'team_missing']));
    expect(flagged.issues[0].fix.zh.length).toBeGreaterThan(0);
    expect(JSON.stringify(r.json)).not.toContain('999999199001011238');
  });

  it('voice texts are changed by an admin only, validated and audited', async () => {
    const admin = await login(core, 'admin');
    expect((await api(core, 'PUT', '/api/admin/voice-templates', { welcome: '{name}，早上好' }, sup)).status).toBe(403);
    expect((await api(core, 'PUT', '/api/admin/voice-templates', { shout: 'x' }, admin)).status).toBe(400);
    expect((await api(core, 'PUT', '/api/admin/voice-templates', { welcome: '{name}，早上好' }, admin)).status).toBe(200);
    expect((await api(core, 'GET', '/api/admin/voice-templates', undefined, admin)).json).toEqual({ welcome: '{name}，早上好' });
    expect(core.services.audit.list({ action: 'voice.templates' })).toHaveLength(1);
  });
});
