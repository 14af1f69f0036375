// Each request here once made the core answer 500 (found by api-fuzz.test.ts; the seed and
// request index are in the comments). Each must now be refused with a 4xx that names the
// field, and change nothing in the database.
import { describe, expect, it, beforeAll, afterAll } from 'vitest';
import { randomUUID } from 'node:crypto';
import { api, login, startTestCore, type TestCore } from '../helpers.js';
import { dbDigest } from './db-digest.js';
import { syntheticIdNumber } from './route-examples.js';

let core: TestCore;
let clerk: string;
let supervisor: string;
let employerId: number;
let teamId: number;
let workerId: number;

beforeAll(async () => {
  core = await startTestCore({ devices: { simulate: true } });
  clerk = await login(core, 'clerk');
  supervisor = await login(core, 'supervisor');
  employerId = (await api(core, 'POST', '/api/employers', { name: '测试建设集团', creditCode: '91999999MA00000001', corpType: 'general' }, clerk)).json.id;
  teamId = (await api(core, 'POST', '/api/teams', { employerId, name: '测试钢筋班' }, clerk)).json.id;
  const w = await api(core, 'POST', '/api/workers', { name: '测试回归', idType: '01', idNumber: syntheticIdNumber(7), tradeCode: '010', role: 'worker', employerId, teamId }, clerk);
  expect(w.status).toBe(201);
  workerId = w.json.id;
});
afterAll(async () => {
  await core.stop();
});

/** Sends the request and checks the answer and that the database is as before. */
async function refused(method: string, path: string, body: unknown, token: string, status: number) {
  const before = dbDigest(core.services.store.db);
  const r = await api(core, method, path, body, token);
  expect(r.status, JSON.stringify(r.json)).toBe(status);
  const after = dbDigest(core.services.store.db);
  expect(after.hash).toBe(before.hash);
  return r.json as { error: { code: string; details?: Array<{ path: string }> } };
}

describe('fuzz regressions: once 500, now a clean refusal that changes nothing', () => {
  it('POST /api/demo/card with a key that is not in the simulator deck -> 400 (seed 3, request 1138)', async () => {
    const r = await refused('POST', '/api/demo/card', { key: '醙ꑑ' }, clerk, 400);
    expect(r.error.details?.[0]?.path).toBe('key');
    expect((await api(core, 'POST', '/api/demo/card', { key: 'resident' }, clerk)).status).toBe(200);
  });

  it('PATCH /api/workers/:id with a team id that does not exist -> 400 (seed 3, request 1339: FOREIGN KEY constraint failed)', async () => {
    const r = await refused('PATCH', `/api/workers/${workerId}`, { contractEnd: '2027-06-30', teamId: 1330640139, isTeamLeader: true }, clerk, 400);
    expect(r.error.details?.map((d) => d.path)).toEqual(['teamId']);
    const e = await refused('PATCH', `/api/workers/${workerId}`, { employerId: 8841610033857 }, clerk, 400);
    expect(e.error.details?.map((d) => d.path)).toEqual(['employerId']);
    expect((await api(core, 'PATCH', `/api/workers/${workerId}`, { teamId }, clerk)).status).toBe(200);
  });

  it('POST /api/teams for an employer that does not exist -> 400 (seed 3, request 3053)', async () => {
    const r = await refused('POST', '/api/teams', { employerId: 13, name: 'CG' }, clerk, 400);
    expect(r.error.details?.map((d) => d.path)).toEqual(['employerId']);
  });

  it('POST /api/teams with a name the employer already has -> 409 (UNIQUE (employer_id, name))', async () => {
    const r = await refused('POST', '/api/teams', { employerId, name: ' 测试钢筋班 ' }, clerk, 409);
    expect(r.error.details?.map((d) => d.path)).toEqual(['name']);
  });

  it('POST /api/employers with a credit code already registered -> 409 (seed 7, request 1140: UNIQUE constraint failed)', async () => {
    const r = await refused('POST', '/api/employers', { name: '测试劳务公司1', creditCode: '91999999MA00000001', corpType: 'sub' }, clerk, 409);
    expect(r.error.details?.map((d) => d.path)).toEqual(['creditCode']);
  });

  it('POST /api/workers naming an employer or team that does not exist -> 400 (same foreign keys as the PATCH)', async () => {
    const worker = { name: '测试外键', idType: '01', idNumber: syntheticIdNumber(8), tradeCode: '010', role: 'worker' };
    const r = await refused('POST', '/api/workers', { ...worker, employerId: 424242, teamId: 434343 }, clerk, 400);
    expect(r.error.details?.map((d) => d.path)).toEqual(['employerId', 'teamId']);
  });

  it('POST /api/demo/passage for a worker id that does not exist -> 404 (seed 4, request 4539: FOREIGN KEY constraint failed)', async () => {
    const r = await refused('POST', '/api/demo/passage', { laneId: 'lane-3', workerId: 2082445884, direction: 'out' }, supervisor, 404);
    expect(r.error.code).toBe('worker.not_found');
    expect((await api(core, 'POST', '/api/demo/passage', { laneId: 'lane-1', workerId, direction: 'in' }, clerk)).status).toBe(200);
  });

  it('POST /api/enrollments whose assignment names a team that does not exist -> 400 before any save is tried', async () => {
    const body = { clientRequestId: randomUUID(), sessionId: randomUUID(), readId: randomUUID(), assignment: { tradeCode: '010', role: 'worker', employerId, teamId: 989898 } };
    const r = await refused('POST', '/api/enrollments', body, clerk, 400);
    expect(r.error.details?.map((d) => d.path)).toEqual(['assignment.teamId']);
  });

  it('GET /api/reports/management and /attendance-sheet for a month in the year 0000 -> 400 (seed 16, request 9808; seed 15, request 19621)', async () => {
    for (const path of ['/api/reports/management?month=0000-09', '/api/reports/attendance-sheet?month=0000-11', '/api/reports/attendance-sheet?month=0099-01&format=xlsx']) {
      const r = await refused('GET', path, undefined, supervisor, 400);
      expect(r.error.details?.[0]?.path).toBe('month');
    }
    expect((await api(core, 'GET', '/api/reports/management?month=2026-11', undefined, supervisor)).status).toBe(200);
  });

  it('POST /api/attendance/makeup with a time past what a Date can hold -> 400 (boundary numbers 8.64e15 + 1 and 2^53 - 1)', async () => {
    const now = Date.now();
    const makeup = { workerId, direction: 'in', occurredAt: now - 86_400_000, reason: 'storm', confirmedBy: '测试住建局', documentNo: '测试-1', confirmedAt: now - 3_600_000 };
    for (const bad of [{ occurredAt: 8.64e15 + 1 }, { occurredAt: Number.MAX_SAFE_INTEGER }, { confirmedAt: Number.MAX_SAFE_INTEGER }]) {
      const r = await refused('POST', '/api/attendance/makeup', { ...makeup, ...bad }, supervisor, 400);
      expect(r.error.details?.[0]?.path).toBe(Object.keys(bad)[0]);
    }
    expect((await api(core, 'POST', '/api/attendance/makeup', makeup, supervisor)).status).toBe(201);
  });
});
