// The data disk fills up at the gate (a real 32 MB tmpfs). First the space held in reserve
// is released and the worker still passes, recorded; when the disk fills again with no
// reserve left, an enrolled worker who would pass is refused with a clear reason because the
// record cannot be written, the turnstile is not opened, and health names the failure and the
// disk's free space. Once space is freed the next passage is recorded and opens, the reserve
// is written again and health is clear without a restart. Face material and policy as in
// gate.enroll-then-pass.
import { describe, expect, it, afterAll, beforeAll } from 'vitest';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { api, login, runningClockFrom, startTestCore } from './helpers.js';
import { idCardPhoto, replayFrames } from './fixtures/face-clips.js';
import { enrollFromCard, runLane } from './fixtures/kiosk-flows.js';
import { fillDisk } from './fixtures/fill-disk.js';

const mnt = mkdtempSync(join(tmpdir(), 'sg-gate-full-'));
beforeAll(() => execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=32m', 'tmpfs', mnt]));
afterAll(() => {
  execFileSync('umount', [mnt]);
  rmSync(mnt, { recursive: true, force: true });
});

describe('gate: disk full', () => {
  it('passes on the reserve, then refuses with a clear reason and keeps the turnstile shut, and recovers when space is freed', async () => {
    const core = await startTestCore(
      {
        devices: { simulate: true },
        gate: { livenessPolicy: 'test-only:temporal-off', cooldownMs: 0 },
        log: { level: 'info' },
        storage: { warnFreeMb: 8, criticalFreeMb: 2, reserveMb: 4 },
      },
      join(mnt, 'data'),
      { gate: true, simulatorPhoto: await idCardPhoto(), clock: runningClockFrom(Date.UTC(2026, 10, 23, 23, 30)) },
    );
    try {
      const frames = await replayFrames(8);
      const { saved } = await enrollFromCard(core, frames, { tradeCode: '020', role: 'worker', hasContract: true, contractEnd: '2027-12-31', teamId: 1, employerId: 1 });
      expect(saved.status).toBe(201);
      const admin = await login(core, 'admin');
      await api(core, 'PUT', '/api/gate/policy', { helmet: { action: 'remind' }, duplicateScan: { windowSeconds: 0 } }, admin);
      await core.disk.check();
      const reserveFile = join(core.dataDir, 'reserve.bin');
      expect(statSync(reserveFile).size).toBe(4 * 1024 * 1024);

      // Something else fills the disk: the reserve is released and the gate goes on.
      const initial = core.services.attendance.count();
      fillDisk(mnt, 'filler-1');
      const onReserve = await runLane(core, 'lane-1', frames);
      expect(onReserve).toMatchObject({ decision: 'pass', opened: true });
      expect(core.services.attendance.count()).toBe(initial + 1); // written once, on the retry
      expect(existsSync(reserveFile)).toBe(false);
      expect((await api(core, 'GET', '/health')).json.components['storage']).toMatchObject({ ok: false, detail: expect.stringMatching(/^数据盘已满，正在使用预留空间/) });
      expect(core.logLines.some((l) => l.includes('space in reserve released for attendance records'))).toBe(true);
      const before = core.services.attendance.count();
      const opensBefore = core.devices.simulators?.modbusRelay.history.filter((h) => h.on).length;

      // Full again, and nothing left in reserve: refused, not opened.
      fillDisk(mnt);
      const decision = await runLane(core, 'lane-1', frames);
      expect(decision).toMatchObject({ decision: 'refuse', opened: false, eventId: null });
      expect(decision.reasons[0]).toMatchObject({ code: 'record_failed', zh: '通行记录无法保存，暂停通行，请联系主管' });
      expect(core.devices.simulators?.modbusRelay.history.filter((h) => h.on).length).toBe(opensBefore);
      expect(core.services.attendance.count()).toBe(before);
      const health = await api(core, 'GET', '/health');
      expect(health.json.status).toBe('degraded');
      expect(health.json.components['store.write'].detail).toBe('磁盘已满，记录无法保存，暂停通行 — Disk full: records cannot be saved; passages refused');
      await core.disk.check();
      expect((await api(core, 'GET', '/health')).json.components['storage']).toMatchObject({ ok: false, detail: expect.stringMatching(/^数据盘即将写满/) });
      // An on-demand backup does not take what little is left: refused with a plain reason.
      const backup = await api(core, 'POST', '/api/admin/backup', {}, admin);
      expect(backup.status).toBe(507);
      expect(backup.json.error).toMatchObject({ code: 'backup.no_room', message: { zh: expect.stringMatching(/^磁盘空间不足，未做备份/) } });

      rmSync(join(mnt, 'filler'));
      rmSync(join(mnt, 'filler-1'));
      const again = await runLane(core, 'lane-1', frames);
      expect(again).toMatchObject({ decision: 'pass', opened: true });
      expect(core.services.attendance.count()).toBe(before + 1);
      await core.disk.check();
      const healed = (await api(core, 'GET', '/health')).json.components;
      expect(healed['store.write']).toEqual({ ok: true });
      expect(healed['storage'].ok).toBe(true);
      expect(statSync(reserveFile).size).toBe(4 * 1024 * 1024);
    } finally {
      rmSync(join(mnt, 'filler'), { force: true });
      rmSync(join(mnt, 'filler-1'), { force: true });
      await core.stop();
    }
  });
});
