// An enrollment is never saved without a 1:1 face-vs-ID-card result of its capture session:
// the simulated reader returns the chip photo as WLT (no vendor decoder configured), so the
// clerk's save is refused; a clerk cannot override; an admin can, with a written reason that
// lands in the audit log. The clerk's photograph of the card's portrait side gives the 1:1
// instead, and both card sides are stored encrypted. The live frames come from one still photo,
// so the session runs under the named test policy `test-only:temporal-off`.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import sharp from 'sharp';
import { api, login, runningClockFrom, startTestCore, type TestCore } from './helpers.js';
import { idCardPhoto, replayFrames } from './fixtures/face-clips.js';
import { postJpeg, readCard } from './fixtures/kiosk-flows.js';

const ASSIGNMENT = { tradeCode: '020', role: 'worker', hasContract: true, contractStart: '2026-01-01', contractEnd: '2027-12-31', employerId: 1, teamId: 1 };
let core: TestCore;
let frames: Buffer[];

beforeAll(async () => {
  frames = await replayFrames(6);
  // No simulatorPhoto: the reader returns the 1024-byte WLT block, which nothing here decodes.
  core = await startTestCore({ devices: { simulate: true }, gate: { livenessPolicy: 'test-only:temporal-off' } }, undefined, { gate: true, clock: runningClockFrom(Date.UTC(2026, 10, 24, 1)) });
});
afterAll(async () => core?.stop());

async function capture(clerk: string, key = 'resident') {
  const card = await readCard(core, clerk, key);
  const { json: session } = await api(core, 'POST', '/api/enrollment/sessions', undefined, clerk);
  for (const f of frames) await postJpeg(core, `/api/enrollment/sessions/${session.sessionId}/frames`, f, clerk);
  return { card, sessionId: session.sessionId as string };
}

const workers = () => (core.services.store.db.prepare('SELECT COUNT(*) AS n FROM workers').get() as { n: number }).n;

/** The card lying on the desk, photographed by the clerk's camera: the ID photo on a card-coloured background. */
async function cardPicture(withFace: boolean): Promise<Buffer> {
  const face = await sharp(await idCardPhoto()).resize(204, 252).toBuffer();
  const card = sharp({ create: { width: 640, height: 404, channels: 3, background: '#dfe6e9' } });
  return (withFace ? card.composite([{ input: face, left: 400, top: 70 }]) : card).jpeg({ quality: 90 }).toBuffer();
}

describe('enrollment needs a 1:1 of its capture session', () => {
  it('is refused without one, a clerk cannot override, an admin can with a written reason (audited)', async () => {
    const clerk = await login(core, 'clerk');
    const { card, sessionId } = await capture(clerk);
    expect(card.photo).toBe('none');
    const match = await api(core, 'POST', `/api/enrollment/sessions/${sessionId}/match`, { readId: card.readId }, clerk);
    expect(match.json.decision).toBe('unusable');
    const before = workers();
    const save = { clientRequestId: randomUUID(), sessionId, readId: card.readId, assignment: ASSIGNMENT };
    const refused = await api(core, 'POST', '/api/enrollments', save, clerk);
    expect(refused.status).toBe(409);
    expect(refused.json.error.details.code).toBe('id_match_required');
    expect(refused.json.error.details.message.zh).toContain('人证比对');
    const clerkOverride = await api(core, 'POST', '/api/enrollments', { ...save, clientRequestId: randomUUID(), idMatchOverride: { reason: '证件芯片照片无法解码' } }, clerk);
    expect(clerkOverride.status).toBe(403);
    expect(clerkOverride.json.error.details.code).toBe('override_admin_only');
    const admin = await login(core, 'admin');
    const noReason = await api(core, 'POST', '/api/enrollments', { ...save, clientRequestId: randomUUID(), idMatchOverride: { reason: ' ' } }, admin);
    expect(noReason.status).toBe(400);
    expect(workers()).toBe(before);
    const reason = '读卡器无照片解码库，证件照片已由管理员人工核对';
    const saved = await api(core, 'POST', '/api/enrollments', { ...save, clientRequestId: randomUUID(), idMatchOverride: { reason } }, admin);
    expect(saved.status).toBe(201);
    expect(saved.json.flags).toContain('id_match_overridden');
    const audit = core.services.audit.list({ action: 'enrollment.id_match_override' });
    expect(audit[0]).toMatchObject({ actor: 'admin#1 演示管理员', target: `worker:${saved.json.workerId}` });
    expect(JSON.stringify(audit[0])).toContain(reason);
  });

  it('the photographed portrait side gives the 1:1; both card sides are stored encrypted', async () => {
    const clerk = await login(core, 'clerk');
    const { card, sessionId } = await capture(clerk, 'hmt');
    // A card picture without the face: the engine finds no face, the 1:1 is unusable, still refused.
    const blank = await postJpeg(core, `/api/enrollment/sessions/${sessionId}/card-image/portrait`, await cardPicture(false), clerk);
    expect(blank.json.decision).toBe('unusable');
    const save = { clientRequestId: randomUUID(), sessionId, readId: card.readId, assignment: ASSIGNMENT };
    expect((await api(core, 'POST', '/api/enrollments', save, clerk)).status).toBe(409);
    const portrait = await cardPicture(true);
    const m = await postJpeg(core, `/api/enrollment/sessions/${sessionId}/card-image/portrait`, portrait, clerk);
    expect(m.status).toBe(200);
    expect(m.json.decision).toBe('match');
    const emblem = await sharp({ create: { width: 640, height: 404, channels: 3, background: '#c0392b' } }).jpeg().toBuffer();
    expect((await postJpeg(core, `/api/enrollment/sessions/${sessionId}/card-image/emblem`, emblem, clerk)).json).toEqual({ stored: true });
    const saved = await api(core, 'POST', '/api/enrollments', { ...save, clientRequestId: randomUUID() }, clerk);
    expect(saved.status).toBe(201);
    expect(saved.json.flags).not.toContain('id_match_overridden');
    const row = core.services.store.db.prepare('SELECT card_portrait_enc AS p, card_emblem_enc AS e, id_match_source AS s FROM enrollments WHERE worker_id = ?').get(saved.json.workerId) as { p: Buffer; e: Buffer; s: string };
    expect(row.s).toBe('card_image');
    // Encrypted at rest: the stored bytes are not the JPEGs, and decrypt back to them.
    expect(row.p.includes(portrait.subarray(0, 64))).toBe(false);
    const { EnrollmentRepo } = await import('../../edge-core/src/index.js');
    const images = new EnrollmentRepo(core.services.store).cardImages(saved.json.workerId);
    expect(images.portrait?.equals(portrait)).toBe(true);
    expect(images.emblem?.equals(emblem)).toBe(true);
  });
});
