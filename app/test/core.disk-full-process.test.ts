// The real core as its own process (app/server/core.main.ts) on a real 40 MB tmpfs data
// directory, with its real rotating log file in that directory, simulated devices (socat
// pseudo-terminals) and the embedded platform simulator. Its timers are shortened by
// configuration (disk check 0.3 s, WAL checkpoint 1 s, truncating checkpoint 3 s, backup and
// retention about every second) so that every one of them runs many times against the full
// disk. An unhandled error anywhere shows as a dead process.
// 1. The disk fills while passages keep coming: the reserve is spent, then passages are
//    refused (`record_failed`, turnstile shut) or recorded, never opened without a record;
//    checkpoints fail and are retried, the log keeps lines in memory and counts what it drops,
//    `/health` says so; the process stays up and answering. Space freed: it recovers without a
//    restart (same pid), and the log file gets the lines it kept.
// 2. The core starts on a full disk: with the reserve present it releases it and records; with
//    no reserve and not one byte free it opens the store exclusively (SQLite has no room for its
//    shared index) and refuses passages safely, then recovers once space returns.
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openStore, ProjectRepo, SettingsRepo, systemClock, WorkersRepo } from '../../edge-core/src/index.js';
import { GATE_POLICY_KEY } from '../server/gate-service.js';
import { DiskReserve } from '../server/disk-watch.js';
import { idCardPhoto, replayFrames } from './fixtures/face-clips.js';
import { runLane } from './fixtures/kiosk-flows.js';
import { api } from './helpers.js';
import { startCoreProcess, type CoreProcess } from './core-process.js';
import { killOwnedProcesses } from '../../build/test-support/owned-process.js';
import { fillDisk } from '../../build/test-support/fill-disk.js';
import { until } from '../../build/test-support/until.js';

const MB = 1024 * 1024;
const mnt = mkdtempSync(join(tmpdir(), 'sg-core-full-'));
const cfgDir = mkdtempSync(join(tmpdir(), 'sg-core-full-cfg-'));
const PROJECT = {
  code: 'DISK-999999-0001',
  name: '磁盘测试项目 Disk test project',
  timeZone: 'Asia/Shanghai',
  lng: null,
  lat: null,
};

beforeAll(() => execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=40m', 'tmpfs', mnt]));
afterAll(async () => {
  await killOwnedProcesses();
  execFileSync('umount', [mnt]);
  rmSync(mnt, { recursive: true, force: true });
  rmSync(cfgDir, { recursive: true, force: true });
});

/** Backups every `backupHours` (an automatic backup prunes older ones for room, which frees space). */
function configFile(backupHours = 0.0003, projectName = PROJECT.name): string {
  const file = join(cfgDir, `config-${backupHours}-${projectName.length}.yaml`);
  const config = {
    demo: false,
    server: { port: 0 },
    project: { code: PROJECT.code, name: projectName, timeZone: PROJECT.timeZone },
    lanes: [{ id: 'lane-1', name: '1号通道 进 Lane 1 in', direction: 'in' }],
    devices: { simulate: true },
    platform: { type: 'simulator' },
    gate: { livenessPolicy: 'test-only:temporal-off', cooldownMs: 0 },
    log: { level: 'info' },
    storage: {
      warnFreeMb: 8,
      criticalFreeMb: 2,
      reserveMb: 4,
      checkEverySeconds: 0.3,
      checkpointEverySeconds: 1,
      truncateEverySeconds: 3,
    },
    backup: { everyHours: backupHours },
    retention: { everyHours: 0.0003 },
  };
  writeFileSync(file, JSON.stringify(config)); // YAML is a superset of JSON
  return file;
}

/** The appliance as installed: project, one worker with an ID photo (the core makes the template), the gate policy. */
async function seed(dataDir: string): Promise<void> {
  const { store } = openStore({ dataDir, clock: systemClock });
  try {
    new ProjectRepo(store).upsert(PROJECT);
    const workers = new WorkersRepo(store);
    const employerId = workers.createEmployer(
      { name: '测试劳务公司', creditCode: '91999999MA00000000', corpType: 'labour' },
      'test',
    ).id;
    const teamId = workers.createTeam({ employerId, name: '测试班组' }, 'test').id;
    workers.create(
      {
        name: '测试甲',
        idType: '01',
        idNumber: '999999199001011234',
        tradeCode: '020',
        role: 'worker',
        employerId,
        teamId,
        source: 'local',
        hasContract: true,
        contractStart: '2026-01-01',
        contractEnd: '2030-12-31',
        hasInsurance: true,
        insuranceStart: '2026-01-01',
        insuranceEnd: '2030-12-31',
        idPhoto: await idCardPhoto(),
      },
      'test',
    );
    new SettingsRepo(store).set(GATE_POLICY_KEY, {
      helmet: { action: 'remind' },
      duplicateScan: { windowSeconds: 0 },
    });
  } finally {
    store.close();
  }
}

/** Writes `name` until the disk has not one byte left. */
function fill(name: string): void {
  fillDisk(join(mnt, name));
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- /health, asserted field by field
async function health(core: CoreProcess): Promise<Record<string, any>> {
  const r = await api(core, 'GET', '/health');
  expect(r.status).toBe(200);
  return r.json.components;
}

/** The face engine loaded and the worker's template made from the ID photo: a pass. */
async function firstPass(core: CoreProcess, frames: Buffer[]) {
  let d: Awaited<ReturnType<typeof runLane>> | null = null;
  await until('the first pass', async () => {
    const h = await health(core);
    if (!h['face'] || /Loading/.test(String(h['face'].detail)) || h['device:turnstile-modbus']?.ok !== true)
      return false;
    d = await lane(core, frames);
    return d.decision === 'pass';
  });
  return d as unknown as Awaited<ReturnType<typeof runLane>>;
}

function logText(dataDir: string): string {
  const dir = join(dataDir, 'logs');
  return readdirSync(dir)
    .sort()
    .map((f) => readFileSync(join(dir, f), 'utf8'))
    .join('');
}

/** After each test, pass or fail: its core killed, the fillers and its data directory removed. */
function cleanUpAfter(dataDir: string): void {
  decisions.length = 0;
  onTestFinished(async () => {
    await killOwnedProcesses();
    for (const f of readdirSync(mnt)) if (f.startsWith('filler')) rmSync(join(mnt, f), { force: true });
    rmSync(dataDir, { recursive: true, force: true });
  });
}

/** One passage on lane 1; when the core does not answer, the error says whether it died and why. */
/** Decisions of the current test. */
const decisions: Array<{ decision: string; opened: boolean }> = [];
async function lane(core: CoreProcess, frames: Buffer[]) {
  try {
    const d = await runLane(core, 'lane-1', frames);
    decisions.push(d);
    return d;
  } catch (err) {
    throw new Error(
      `the lane did not answer (${(err as Error).message}); core ${core.alive() ? 'alive' : 'DEAD'}:\n${core.output().slice(-3000)}`,
    );
  }
}

/**
 * A decision on a full disk is either a recorded pass, or refused with record_failed and not
 * opened: never an opening without a record. (A recorded pass may still not open when the
 * simulated relay answers late on a loaded machine; that is logged, and safe.)
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- a lane decision, asserted field by field
function expectSafe(d: any): void {
  if (d.decision === 'pass') expect(d).toMatchObject({ eventId: expect.any(String) });
  else
    expect(d).toMatchObject({
      decision: 'refuse',
      opened: false,
      eventId: null,
      reasons: [{ code: 'record_failed' }],
    });
}

describe('the core process on a full data disk (real tmpfs, real log file)', () => {
  it('stays up through a full disk with its timers running, refuses safely and recovers without a restart', async () => {
    const dataDir = join(mnt, 'data-1');
    cleanUpAfter(dataDir);
    await seed(dataDir);
    const frames = await replayFrames(8);
    const core = await startCoreProcess({ configFile: configFile(), dataDir });
    expect(await firstPass(core, frames)).toMatchObject({ decision: 'pass', eventId: expect.any(String) });
    await until(
      'the reserve written',
      () =>
        existsSync(join(dataDir, 'reserve.bin')) && statSync(join(dataDir, 'reserve.bin')).size === 4 * MB,
    );

    // Something fills the disk: the reserve is released (by the record that failed, or by the
    // disk check that found the disk critical) and the passage is recorded on it.
    // The core's background writers (sync cursors, checkpoints, the log) may take the disk's last
    // bytes first: then that passage is refused safely (record_failed, not opened) and the next
    // one is recorded on the released reserve.
    fill('filler-1');
    let onReserve = await lane(core, frames);
    for (let tries = 1; onReserve.decision !== 'pass' && tries < 3; tries++) {
      expectSafe(onReserve);
      onReserve = await lane(core, frames);
    }
    expect(onReserve, JSON.stringify(onReserve.reasons)).toMatchObject({ decision: 'pass', eventId: expect.any(String) });
    await until('the reserve released', () => !existsSync(join(dataDir, 'reserve.bin')));

    // Full again, nothing in reserve. Passages keep coming while the timers run against the
    // full disk, until each failure has been seen more than once.
    fill('filler-2');
    let refused = 0;
    let rounds = 0;
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- /health components
    let h: Record<string, any> = {};
    await until('refusals, failed and retried checkpoints, a failing log file', async () => {
      const d = await lane(core, frames);
      expectSafe(d);
      if (d.decision === 'refuse') refused++;
      rounds++;
      h = await health(core);
      const checkpointFailures = Number(
        /失败 (\d+) 次/.exec(String(h['store.checkpoint']?.detail))?.[1] ?? 0,
      );
      return refused >= 3 && checkpointFailures >= 3 && h['logs']?.ok === false;
    });
    expect(core.alive(), core.output()).toBe(true);
    expect(h['store.write']).toMatchObject({ ok: false, detail: expect.stringMatching(/^磁盘已满/) });
    expect(h['store.checkpoint']).toMatchObject({
      ok: false,
      detail: expect.stringMatching(/^数据库整理（WAL 检查点）失败 \d+ 次（磁盘已满）/),
    });
    expect(h['logs']).toMatchObject({
      ok: false,
      detail: expect.stringMatching(/^日志文件无法写入（磁盘已满）：\d+ 行暂存内存/),
    });
    expect(h['storage']).toMatchObject({ ok: false });
    // Reads still answer.
    expect((await api(core, 'GET', '/api/setup/status')).status).toBe(200);

    // Space comes back: recorded and opened again, the same process, every component clear.
    rmSync(join(mnt, 'filler-1'));
    rmSync(join(mnt, 'filler-2'));
    await until('a pass after space returned', async () => (await lane(core, frames)).decision === 'pass');
    await until('health clear', async () => {
      h = await health(core);
      return (
        h['store.write']?.ok === true &&
        h['store.checkpoint']?.ok === true &&
        h['logs']?.ok === true &&
        h['storage']?.ok === true
      );
    });
    expect(core.alive()).toBe(true);
    await until(
      'the reserve written again',
      () =>
        existsSync(join(dataDir, 'reserve.bin')) && statSync(join(dataDir, 'reserve.bin')).size === 4 * MB,
    );
    // The log file got what it kept in memory, after a notice of the outage.
    const log = logText(dataDir);
    expect(log).toMatch(/log file could not be written \(ENOSPC\)/);
    const lines = log.split('\n').filter(Boolean);
    const notice = lines.findIndex((l) => l.includes('log file could not be written'));
    expect(
      lines.slice(notice).some((l) => l.includes('attendance record not written: passage refused')),
    ).toBe(true);
    expect(lines.filter((l) => l.includes('WAL checkpoint failed')).length).toBeGreaterThanOrEqual(1);
    expect(rounds).toBeGreaterThanOrEqual(3);
    // The turnstile is really driven (a pass whose relay answered late on a loaded machine stays shut, and is logged).
    expect(decisions.some((d) => d.decision === 'pass' && d.opened)).toBe(true);
    expect(await core.stop(), core.output()).toBe(0);
  }, 600_000);

  it('starts on a full disk: releases the reserve, or with none left opens the store exclusively and refuses safely, and recovers', async () => {
    const dataDir = join(mnt, 'data-2');
    cleanUpAfter(dataDir);
    await seed(dataDir);
    const frames = await replayFrames(8);
    // No automatic backups here: pruning old ones would free space on the "full" disk.
    const cfg = configFile(24);
    // As a previous run left it: the reserve written (by the core's own DiskReserve).
    await new DiskReserve(join(dataDir, 'reserve.bin'), 4 * MB).create();
    // The disk fills while the core is stopped; the reserve still holds its 4 MB.
    fill('filler-3');
    let core = await startCoreProcess({ configFile: cfg, dataDir });
    expect(existsSync(join(dataDir, 'reserve.bin'))).toBe(false);
    expect(await firstPass(core, frames)).toMatchObject({ decision: 'pass', eventId: expect.any(String) });
    expect((await health(core))['storage']).toMatchObject({
      ok: false,
      detail: expect.stringMatching(/预留空间/),
    });
    expect(await core.stop(), core.output()).toBe(0);

    // Not one byte left and no reserve: it still starts, decides and refuses what it cannot record.
    // Its configuration now names the project differently: a start-up write the disk refuses.
    fill('filler-4');
    const renamed = '磁盘测试项目（改名）Disk test project, renamed';
    core = await startCoreProcess({ configFile: configFile(24, renamed), dataDir });
    await until(
      'the face engine loaded',
      async () => !/Loading/.test(String((await health(core))['face']?.detail)),
    );
    const h = await health(core);
    expect(h['store.exclusive']).toMatchObject({
      ok: true,
      detail: expect.stringMatching(/^启动时磁盘已满，数据库以独占方式打开/),
    });
    let d = await lane(core, frames);
    expect(d).toMatchObject({
      decision: 'refuse',
      opened: false,
      eventId: null,
      reasons: [{ code: 'record_failed' }],
    });
    const full = await health(core);
    expect(full['store.write']).toMatchObject({ ok: false, detail: expect.stringMatching(/^磁盘已满/) });
    expect(full['platform']).toMatchObject({
      ok: false,
      detail: expect.stringMatching(/^磁盘已满.*平台同步在磁盘有空间后启动/),
    });
    expect(full['logs']).toMatchObject({ ok: false });
    expect((await api(core, 'GET', '/api/setup/status')).json.project.name).toBe(PROJECT.name);
    expect(core.alive()).toBe(true);

    rmSync(join(mnt, 'filler-3'));
    rmSync(join(mnt, 'filler-4'));
    await until('a pass after space returned', async () => {
      d = await lane(core, frames);
      return d.decision === 'pass';
    });
    expect(d).toMatchObject({ decision: 'pass', eventId: expect.any(String) });
    // The platform link (the demo platform's database lives on this disk too) starts once there is room.
    await until('health clear', async () => {
      const c = await health(core);
      return c['store.write']?.ok === true && c['logs']?.ok === true && c['platform']?.ok === true;
    });
    // The refused start-up write was made once there was room.
    expect((await api(core, 'GET', '/api/setup/status')).json.project.name).toBe(renamed);
    expect(core.alive()).toBe(true);
    expect(await core.stop(), core.output()).toBe(0);
  }, 600_000);
});
