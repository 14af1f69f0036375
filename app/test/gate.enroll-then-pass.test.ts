// The two journeys through the real core: the clerk enrolls a worker from the simulated ID-card
// reader (GA/T 467 over a pseudo-terminal) with live frames, the 1:1 match and a save; then the
// worker's face at lane 1 is decided, recorded durably and the Modbus relay simulator sees the
// coil switched. The "live" frames are a clip made from one still photo (see fixtures/face-clips.ts),
// so the passing half runs under the named test policy `test-only:temporal-off`; the second test
// shows the very same clip refused under the production policy with the planar-motion signal.
import { describe, expect, it, beforeAll, afterAll } from 'vitest';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { api, login, runningClockFrom, startTestCore, type TestCore } from './helpers.js';

// A working morning on site: 2026-11-24 07:30 in Asia/Shanghai.
const MORNING = Date.UTC(2026, 10, 23, 23, 30);
import { idCardPhoto, replayFrames } from './fixtures/face-clips.js';
import { postJpeg, runLane as runLaneWith } from './fixtures/kiosk-flows.js';

let frames: Buffer[];
let idPhoto: Buffer;
const dataDir = mkdtempSync(join(tmpdir(), 'sg-gate-'));
let enrolledId = 0;

beforeAll(async () => {
  frames = await replayFrames(8);
  idPhoto = await idCardPhoto();
});
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

const runLane = (core: TestCore, lane: string) => runLaneWith(core, lane, frames);

describe('gate: enroll at the kiosk, then pass the turnstile', () => {
  it('test-only:temporal-off policy: enroll from the card, pass lane 1, relay coil switched, record committed', async () => {
    const core = await startTestCore(
      { devices: { simulate: true }, gate: { livenessPolicy: 'test-only:temporal-off', cooldownMs: 0 }, platform: { type: 'simulator', port: 0 } },
      dataDir,
      { gate: true, simulatorPhoto: idPhoto, clock: runningClockFrom(MORNING) },
    );
    try {
      expect((await api(core, 'GET', '/health')).json.components.face.ok).toBe(false); // a test policy marks the core degraded
      const clerk = await login(core, 'clerk');
      await api(core, 'POST', '/api/demo/card', { key: 'resident' }, clerk);
      let card: Record<string, unknown> | null = null;
      for (let i = 0; i < 40 && !card; i++) {
        card = (await api(core, 'GET', '/api/enrollment/card', undefined, clerk)).json.card;
        if (!card) await new Promise((r) => setTimeout(r, 100));
      }
      expect(card).toMatchObject({ cardType: 'resident', name: '测试辛', photo: 'decoded' });
      expect(String(card?.idNumberMasked)).toMatch(/^\d{4}\*+\d{3}[\dX]$/);

      const { json: session } = await api(core, 'POST', '/api/enrollment/sessions', undefined, clerk);
      let feedback: Record<string, any> = {}; // eslint-disable-line @typescript-eslint/no-explicit-any -- asserted below
      for (const f of frames) feedback = (await postJpeg(core, `/api/enrollment/sessions/${session.sessionId}/frames`, f, clerk)).json;
      expect(feedback.accepted).toBe(true);
      expect(feedback.liveness.live).toBe(true);
      const match = await api(core, 'POST', `/api/enrollment/sessions/${session.sessionId}/match`, { readId: card?.readId }, clerk);
      expect(match.json.decision).toBe('match');

      const save = {
        clientRequestId: randomUUID(),
        sessionId: session.sessionId,
        readId: card?.readId,
        assignment: { tradeCode: '020', role: 'worker', hasContract: true, contractStart: '2026-01-01', contractEnd: '2027-12-31', employerId: 1, teamId: 1 },
      };
      const saved = await api(core, 'POST', '/api/enrollments', save, clerk);
      expect(saved.status).toBe(201);
      enrolledId = saved.json.workerId;
      const again = await api(core, 'POST', '/api/enrollments', save, clerk); // double-clicked save
      expect(again.status).toBe(200);
      expect(again.json.workerId).toBe(enrolledId);

      // No helmet in the photo: refused and recorded, the gate stays shut (Jiangxi device standard).
      const modbus = core.devices.simulators?.modbusRelay;
      const noHelmet = await runLane(core, 'lane-1');
      expect(noHelmet).toMatchObject({ decision: 'refuse', opened: false });
      expect(noHelmet.reasons.map((r: { code: string }) => r.code)).toEqual(['helmet_missing']);
      expect(noHelmet.reasons[0].zh).toBe('未戴安全帽');
      expect(core.services.attendance.get(noHelmet.eventId)?.decision).toBe('refuse');
      expect(modbus?.history.some((h) => h.on)).toBe(false);

      // The supervisor relaxes the helmet rule to a reminder; the same worker now passes.
      const admin = await login(core, 'admin');
      const changed = await api(core, 'PUT', '/api/gate/policy', { helmet: { action: 'remind' } }, admin);
      expect(changed.status).toBe(200);
      expect(changed.json.summary.zh).toContain('helmet.action');
      expect(core.services.audit.list({ action: 'policy.change' })[0]?.actor).toBe('admin#1 演示管理员');
      expect((await api(core, 'PUT', '/api/gate/policy', { helmet: { action: 'sometimes' } }, admin)).status).toBe(400);
      const before = modbus?.history.length ?? 0;
      const decision = await runLane(core, 'lane-1');
      expect(decision.reasons).toEqual([]);
      expect(decision.reminders.map((r: { code: string }) => r.code)).toContain('helmet_missing');
      expect(decision).toMatchObject({ decision: 'pass', direction: 'in', opened: true });
      expect(decision.worker.id).toBe(enrolledId);
      const event = core.services.attendance.get(decision.eventId);
      expect(event).toMatchObject({ decision: 'pass', workerId: enrolledId, laneId: 'lane-1', hasPhoto: true });
      expect(modbus?.history.slice(before).some((h) => h.coil === 0 && h.on)).toBe(true);
      // The outbox worker delivers the enrollment and then the passage to the platform simulator.
      const platform = core.sync.simulator;
      expect(platform).not.toBeNull();
      let delivered = false;
      for (let i = 0; i < 100 && !delivered; i++) {
        const row = core.services.store.db.prepare("SELECT state FROM outbox WHERE kind = 'attendance' AND ref_id = ?").get(decision.eventId) as { state: string };
        delivered = row.state === 'sent';
        if (!delivered) await new Promise((r) => setTimeout(r, 100));
      }
      expect(delivered).toBe(true);
      // The lane's helmet refusal went before it (same worker, in order), with the lane's face
      // photo: the device standard's "record uploaded to the platform" (decision 0012).
      const refusalRow = core.services.store.db.prepare("SELECT state FROM outbox WHERE kind = 'refusal' AND ref_id = ?").get(noHelmet.eventId) as { state: string } | undefined;
      expect(refusalRow?.state).toBe('sent');
      const refusals = platform?.store.refusals(core.services.config.project.code) ?? [];
      expect(refusals).toHaveLength(1);
      expect(refusals[0]).toMatchObject({ direction: '01', refuseType: '01', refuseReason: '未戴安全帽' });
      expect(refusals[0]?.imageBytes).toBeGreaterThan(1000);
      const onPlatform = platform?.store.allAttendance() ?? [];
      expect(onPlatform).toHaveLength(1);
      expect(onPlatform[0]?.direction).toBe('01');
      expect(platform?.store.workerExists(core.services.config.project.code, String(card?.idNumberMasked).length ? (core.services.workers.get(enrolledId)?.idNumber ?? '') : '')).toBe(true);
      const sup = await login(core, 'supervisor');
      const status = await api(core, 'GET', '/api/sync/status', undefined, sup);
      expect(status.json).toMatchObject({ enabled: true, backlog: 0, parked: 0 });
      expect(status.json.lastSentAt).not.toBeNull();
    } finally {
      await core.stop();
    }
  });

  it('test-only:temporal-off policy: with the lane relay unplugged the same worker is refused before recording a pass', async () => {
    expect(enrolledId).toBeGreaterThan(0);
    const core = await startTestCore(
      { devices: { simulate: true }, gate: { livenessPolicy: 'test-only:temporal-off', cooldownMs: 0 }, platform: { type: 'off' } },
      dataDir,
      { gate: true, clock: runningClockFrom(MORNING + 2 * 3600_000) },
    );
    try {
      const sims = core.devices.simulators;
      await sims?.unplug('modbusRelay');
      let offline = false;
      for (let i = 0; i < 100 && !offline; i++) {
        offline = core.devices.health().some((h) => h.deviceId === 'turnstile-modbus' && h.state === 'offline');
        if (!offline) await new Promise((r) => setTimeout(r, 100));
      }
      expect(offline, JSON.stringify(core.devices.health())).toBe(true);
      const decision = await runLane(core, 'lane-1');
      expect(decision).toMatchObject({ decision: 'refuse', opened: false });
      expect(decision.reasons[0].code).toBe('turnstile_offline');
      expect(decision.worker.id).toBe(enrolledId);
      const event = core.services.attendance.get(decision.eventId);
      expect(event?.decision).toBe('refuse');
      const outbox = core.services.store.db.prepare('SELECT COUNT(*) AS n FROM outbox WHERE ref_id = ?').get(decision.eventId) as { n: number };
      expect(outbox.n).toBe(0);
    } finally {
      await core.stop();
    }
  });

  it('production policy: the same replayed clip is refused as a photo/screen replay and the gate stays shut', async () => {
    expect(enrolledId).toBeGreaterThan(0);
    const core = await startTestCore({ devices: { simulate: true }, gate: { cooldownMs: 0 } }, dataDir, { gate: true, clock: runningClockFrom(MORNING + 3600_000) });
    try {
      const modbus = core.devices.simulators?.modbusRelay;
      const decision = await runLane(core, 'lane-1');
      expect(decision.decision).toBe('refuse');
      expect(decision.opened).toBe(false);
      expect(decision.reasons[0].code).toBe('liveness.planar_motion');
      expect(decision.reasons[0].zh).toContain('翻拍');
      expect(decision.worker).toBeNull();
      expect(modbus?.history.some((h) => h.on)).toBe(false);
      const event = core.services.attendance.get(decision.eventId);
      expect(event?.decision).toBe('refuse');
      expect(event?.reasons).toContain('liveness.planar_motion');
    } finally {
      await core.stop();
    }
  });
});
