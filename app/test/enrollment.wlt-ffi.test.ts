// End to end through the vendor-library path of the ID photo: the simulated reader returns a
// 1024-byte block, the core's reader driver decodes it through FFI with the STAND-IN library
// (compiled here with g++; same call shape as the vendors' `unpack`, toy format, not WLT), and
// the enrollment's 1:1 runs against the decoded chip photo and saves with it. A block the
// library crashes on leaves the core running and the clerk photographing the card instead.
// The live frames come from one still photo: the session runs under `test-only:temporal-off`.
import { randomUUID } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildStandinLibrary, standinWlt } from '../../drivers/test/fixtures/wlt-standin.js';
import { api, login, runningClockFrom, startTestCore, type TestCore } from './helpers.js';
import { idCardPhoto, replayFrames } from './fixtures/face-clips.js';
import { postJpeg, readCard } from './fixtures/kiosk-flows.js';

const ASSIGNMENT = { tradeCode: '020', role: 'worker', hasContract: true, contractStart: '2026-01-01', contractEnd: '2027-12-31', employerId: 1, teamId: 1 };
let library = '';
let frames: Buffer[];
const cores: TestCore[] = [];

async function coreWith(wlt: Uint8Array): Promise<TestCore> {
  const core = await startTestCore(
    {
      devices: { simulate: true, turnstiles: [], frameSources: [], idCardReader: { path: 'simulated', photoDecoder: { type: 'library', library, function: 'unpack', signature: 'buffer_int', arg: 1 } } },
      gate: { livenessPolicy: 'test-only:temporal-off' },
    },
    undefined,
    { gate: true, simulatorWlt: wlt, clock: runningClockFrom(Date.UTC(2026, 10, 24, 1)) },
  );
  cores.push(core);
  return core;
}

beforeAll(async () => {
  library = buildStandinLibrary(mkdtempSync(join(tmpdir(), 'sitegate-wlt-e2e-')));
  frames = await replayFrames(6);
});
afterAll(async () => {
  for (const c of cores) await c.stop();
});

describe('ID photo decoded through the vendor library (stand-in library over FFI) feeds the enrollment 1:1', () => {
  it('stand-in library: reader simulator → FFI decode → 1:1 match against the chip photo → saved with it', async () => {
    const core = await coreWith(await standinWlt(await idCardPhoto()));
    const clerk = await login(core, 'clerk');
    const card = await readCard(core, clerk);
    expect(card.photo).toBe('decoded');
    const { json: session } = await api(core, 'POST', '/api/enrollment/sessions', undefined, clerk);
    for (const f of frames) await postJpeg(core, `/api/enrollment/sessions/${session.sessionId}/frames`, f, clerk);
    const match = await api(core, 'POST', `/api/enrollment/sessions/${session.sessionId}/match`, { readId: card.readId }, clerk);
    expect(match.json.decision).toBe('match');
    expect(match.json.score).toBeGreaterThanOrEqual(match.json.threshold);
    console.log(`1:1 against the FFI-decoded chip photo: score ${match.json.score} (threshold ${match.json.threshold})`);
    const saved = await api(core, 'POST', '/api/enrollments', { clientRequestId: randomUUID(), sessionId: session.sessionId, readId: card.readId, assignment: ASSIGNMENT }, clerk);
    expect(saved.status).toBe(201);
    const row = core.services.store.db.prepare('SELECT id_match_source AS s FROM enrollments WHERE worker_id = ?').get(saved.json.workerId) as { s: string };
    expect(row.s).toBe('chip_photo');
  });

  it('stand-in library that crashes on the card: the core lives on, the clerk is told to photograph the card', async () => {
    const core = await coreWith(await standinWlt(await idCardPhoto(), 'CRSH'));
    const clerk = await login(core, 'clerk');
    const card = await readCard(core, clerk);
    expect(card.photo).toBe('none');
    expect((card.photoProblem as { zh: string }).zh).toContain('照片解码库崩溃');
    expect((card.photoProblem as { zh: string }).zh).toContain('请用摄像头拍摄身份证人像面');
    expect((await api(core, 'GET', '/health')).status).toBe(200);
  });
});
