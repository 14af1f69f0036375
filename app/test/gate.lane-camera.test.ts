// A lane driven end to end by a camera the core owns: an RTSP IP camera (the simulator this test
// starts, H.264 over RTP interleaved on TCP) shows a worker's face; the core's ffmpeg child reads
// it, the lane decides, the record is committed and the Modbus relay simulator sees the coil
// switched on its pseudo-terminal. The face video is made from one still photo, so the pass runs
// under the named test policy `test-only:temporal-off` (see gate.enroll-then-pass.test.ts).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RtspCameraSimulator } from '../../drivers/src/index.js';
import type { LiveEvent } from '../shared/api-types.js';
import { api, login, runningClockFrom, startTestCore } from './helpers.js';
import { idCardPhoto, replayFrames } from './fixtures/face-clips.js';
import { enrollFromCard, waitFor } from './fixtures/kiosk-flows.js';

const MORNING = Date.UTC(2026, 10, 23, 23, 30);
const dataDir = mkdtempSync(join(tmpdir(), 'sg-lanecam-'));
const clipDir = mkdtempSync(join(tmpdir(), 'sg-lanecam-clip-'));
let frames: Buffer[];
let idPhoto: Buffer;

beforeAll(async () => {
  frames = await replayFrames(8);
  idPhoto = await idCardPhoto();
  frames.forEach((f, i) => writeFileSync(join(clipDir, `face${String(i).padStart(2, '0')}.jpg`), f));
});
afterAll(() => {
  rmSync(dataDir, { recursive: true, force: true });
  rmSync(clipDir, { recursive: true, force: true });
});

const ASSIGNMENT = { tradeCode: '020', role: 'worker', hasContract: true, contractStart: '2026-01-01', contractEnd: '2027-12-31', employerId: 1, teamId: 1 };

describe('lane camera owned by the core', () => {
  it('RTSP camera → face → decision → turnstile command on the relay simulator’s wire', async () => {
    // 1. The clerk enrolls the worker (kiosk API, simulated reader), and relaxes the helmet rule.
    const enrollCore = await startTestCore(
      { devices: { simulate: true }, gate: { livenessPolicy: 'test-only:temporal-off', cooldownMs: 0 } },
      dataDir,
      { gate: true, simulatorPhoto: idPhoto, clock: runningClockFrom(MORNING) },
    );
    let workerId = 0;
    try {
      const { saved } = await enrollFromCard(enrollCore, frames, ASSIGNMENT);
      expect(saved.status).toBe(201);
      workerId = saved.json.workerId;
      const admin = await login(enrollCore, 'admin');
      expect((await api(enrollCore, 'PUT', '/api/gate/policy', { helmet: { action: 'remind' } }, admin)).status).toBe(200);
    } finally {
      await enrollCore.stop();
    }

    // 2. The IP camera at lane 1 shows the worker's face, looped (image sequence → H.264 → RTSP).
    const camera = new RtspCameraSimulator({ source: ['-re', '-framerate', '15', '-loop', '1', '-i', join(clipDir, 'face%02d.jpg')], codec: 'h264' });
    await camera.start();
    const core = await startTestCore(
      {
        devices: { simulate: true },
        gate: { livenessPolicy: 'test-only:temporal-off', cooldownMs: 3000 },
        lanes: [
          { id: 'lane-1', name: '1号通道 进', direction: 'in', camera: { type: 'ffmpeg', input: camera.url, fps: 15 } },
          { id: 'lane-2', name: '2号通道 出', direction: 'out', camera: { type: 'browser' } },
        ],
      },
      dataDir,
      { gate: true, clock: runningClockFrom(MORNING + 3600_000) },
    );
    const passages: Array<Extract<LiveEvent, { type: 'passage' }>> = [];
    const off = core.services.events.subscribe((e: LiveEvent) => {
      if (e.type === 'passage') passages.push(e);
    });
    try {
      const modbus = core.devices.simulators?.modbusRelay;
      expect(modbus).toBeDefined();
      await waitFor('a pass at lane 1', () => passages.some((p) => p.laneId === 'lane-1' && p.decision === 'pass'), 60_000);
      const pass = passages.find((p) => p.decision === 'pass');
      expect(pass, core.logLines.filter((l) => l.includes('turnstile')).join('\n')).toMatchObject({ laneId: 'lane-1', workerId, opened: true, direction: 'in' });
      // The relay simulator saw coil 0 (lane-1 in) switched on over its pseudo-terminal.
      expect(modbus?.history.some((h) => h.coil === 0 && h.on)).toBe(true);
      const event = core.services.attendance.get(pass?.eventId ?? '');
      expect(event).toMatchObject({ decision: 'pass', workerId, laneId: 'lane-1', hasPhoto: true });
      // The camera is a device with health, and the lane list says lane 1 is fed by the core.
      const cam = core.devices.health().find((h) => h.deviceId === 'camera-lane-1');
      expect(cam).toMatchObject({ kind: 'frame_source', state: 'ok' });
      const lanes = (await api(core, 'GET', '/api/lanes')).json as Array<{ id: string; camera: string }>;
      expect(lanes.filter((l) => l.id !== 'lane-3').map((l) => [l.id, l.camera])).toEqual([
        ['lane-1', 'core'],
        ['lane-2', 'browser'],
      ]);
      expect(core.cameras.cameras.get('lane-1')?.analysed).toBeGreaterThan(0);
      // The camera going away is device health in words, not silence.
      await camera.unplug();
      await waitFor('camera offline', () => core.devices.health().some((h) => h.deviceId === 'camera-lane-1' && h.state === 'offline'), 30_000);
      const health = (await api(core, 'GET', '/health')).json;
      expect(JSON.stringify(health.components['device:camera-lane-1'])).toContain('摄像头');
    } finally {
      off();
      await core.stop();
      await camera.stop();
    }
  });
});
