// The enrollment's active challenge through the real core and face engine (issue 12): under the
// production liveness policy a capture session carries two random prompted actions; the replay
// clip (one still photo zoomed, panned and turned, see fixtures/face-clips.ts) answers none of
// them, is refused, and cannot be saved. Under the named test policy there is no challenge.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { api, login, startTestCore } from './helpers.js';
import { replayFrames } from './fixtures/face-clips.js';
import { postJpeg } from './fixtures/kiosk-flows.js';
import { combineLiveness } from '../server/enrollment-service.js';

let frames: Buffer[];
const dataDir = mkdtempSync(join(tmpdir(), 'sg-challenge-'));

beforeAll(async () => {
  frames = await replayFrames(8);
});
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

describe('enrollment active challenge', () => {
  it('production policy: the session prompts two different random actions; a replayed clip answers none, is refused and cannot be saved', async () => {
    const core = await startTestCore({ devices: { simulate: true }, platform: { type: 'off' } }, dataDir, { gate: true });
    try {
      const clerk = await login(core, 'clerk');
      const { json: session } = await api(core, 'POST', '/api/enrollment/sessions', undefined, clerk);
      expect(session.challenge.state).toBe('pending');
      expect(session.challenge.steps).toHaveLength(2);
      expect(session.challenge.steps[0].step).not.toBe(session.challenge.steps[1].step);
      for (const s of session.challenge.steps) {
        expect(['turn_left', 'turn_right', 'blink_twice']).toContain(s.step);
        expect(s.prompt.zh.length).toBeGreaterThan(0);
        expect(s.done).toBe(false);
      }
      expect(session.challenge.current).toBe(session.challenge.steps[0].step);
      let feedback: Record<string, any> = {}; // eslint-disable-line @typescript-eslint/no-explicit-any -- asserted below
      for (const f of frames) feedback = (await postJpeg(core, `/api/enrollment/sessions/${session.sessionId}/frames`, f, clerk)).json;
      // No prompted step was done, and the clip is refused (as a planar replay, whatever the prompt).
      expect(feedback.challenge.steps.every((s: { done: boolean }) => !s.done)).toBe(true);
      expect(feedback.liveness.live).toBe(false);
      expect(feedback.liveness.reasons.map((r: { code: string }) => r.code)).toContain('liveness.planar_motion');
      const saved = await api(
        core,
        'POST',
        '/api/enrollments',
        {
          clientRequestId: randomUUID(),
          sessionId: session.sessionId,
          readId: null,
          manual: { name: '测试乙', idType: '01', idNumber: '999999199001011238' },
          assignment: { tradeCode: '020', role: 'worker', hasContract: true, contractStart: '2026-01-01', contractEnd: '2027-12-31', employerId: 1, teamId: 1 },
        },
        clerk,
      );
      expect(saved.status, JSON.stringify(saved.json)).toBe(409);
      expect(JSON.stringify(saved.json)).toContain('not_live');
    } finally {
      await core.stop();
    }
  });

  it('the named test policy has no challenge (a clip from a still photo cannot answer one)', async () => {
    const core = await startTestCore({ devices: { simulate: true }, platform: { type: 'off' }, gate: { livenessPolicy: 'test-only:temporal-off', cooldownMs: 0 } }, dataDir, { gate: true });
    try {
      const clerk = await login(core, 'clerk');
      const { json: session } = await api(core, 'POST', '/api/enrollment/sessions', undefined, clerk);
      expect(session.challenge).toBeNull();
      const fb = (await postJpeg(core, `/api/enrollment/sessions/${session.sessionId}/frames`, frames[0] as Buffer, clerk)).json;
      expect(fb.challenge).toBeNull();
    } finally {
      await core.stop();
    }
  });

  it('the session decision waits for the challenge: none while it is pending, the passive one once it passed, a refusal when it failed', () => {
    const live = { live: true, policy: 'gate-default', signals: [], reasons: [] };
    const refused = { live: false, policy: 'gate-default', signals: [], reasons: [{ code: 'liveness.planar_motion' as const, message: { zh: '照片/屏幕翻拍', en: 'x' } }] };
    const steps = [{ step: 'turn_left' as const, done: true }, { step: 'blink_twice' as const, done: false }];
    const pending = { state: 'pending' as const, steps, current: 'blink_twice' as const, remainingMs: 5000 };
    expect(combineLiveness('gate-default', live, pending)).toBeNull();
    expect(combineLiveness('gate-default', refused, pending)).toBe(refused);
    expect(combineLiveness('gate-default', null, pending)).toBeNull();
    expect(combineLiveness('gate-default', live, { ...pending, state: 'passed', current: null })).toBe(live);
    const failed = combineLiveness('gate-default', live, { ...pending, state: 'failed', current: null, reason: { code: 'liveness.challenge_timeout', message: { zh: '超时', en: 'late' } } });
    expect(failed?.live).toBe(false);
    expect(failed?.reasons.map((r) => r.code)).toEqual(['liveness.challenge_timeout']);
    expect(combineLiveness('gate-default', live, null)).toBe(live);
  });
});
