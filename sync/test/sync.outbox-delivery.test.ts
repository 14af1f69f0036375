// The outbox worker against the real simulator with a real SQLite store: delivery, order,
// duplicate suppression after unclear outcomes, parking of refused data, Retry-After.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { SyncProgressEvent } from '../../edge-core/src/ports/platform.js';
import { startOutboxWorker, type OutboxWorker } from '../src/outbox/outbox-worker.js';
import { openAppliance, type Appliance } from './support/appliance.js';
import { startSimFixture, type SimFixture } from './support/sim-setup.js';
import { fakeResidentId } from './support/fake-ids.js';

let f: SimFixture;
let a: Appliance;
let worker: OutboxWorker | null = null;
let events: SyncProgressEvent[] = [];

beforeEach(async () => {
  f = await startSimFixture({}, {}, 6);
  a = openAppliance({ teamSysNo: f.teamSysNo, workers: 6 });
  events = [];
});
afterEach(async () => {
  await worker?.stop();
  worker = null;
  a.close();
  await f.close();
});

function start(extra: Partial<Parameters<typeof startOutboxWorker>[0]> = {}): OutboxWorker {
  worker = startOutboxWorker({
    outbox: a.outbox,
    client: f.client,
    clock: { now: () => Date.now() },
    onProgress: (e) => events.push(e),
    settleMs: 50,
    idleMs: 50,
    resultPollMs: 20,
    backoff: { baseMs: 20, maxMs: 200 },
    offlineProbe: { baseMs: 20, maxMs: 100 },
    blockedProbe: { baseMs: 50, maxMs: 100 },
    ...extra,
  });
  return worker;
}

const base = Date.UTC(2026, 2, 2, 0, 0, 0);
function pass(workerNo: number, second: number, direction: 'in' | 'out' = 'in') {
  return a.attendance.record({ laneId: 'lane-1', workerId: a.workerIds[workerNo] ?? null, direction, decision: 'pass', occurredAt: base + second * 1000 });
}

function platformKeys(): string[] {
  return f.sim.store.allAttendance().map((r) => `${r.idCardNumber}|${r.date}|${r.direction}`);
}

describe('outbox delivery', () => {
  it('delivers every pass exactly once, refusals stay local', async () => {
    for (let i = 0; i < 45; i++) pass(i % 6, i, i % 2 ? 'out' : 'in');
    a.attendance.record({ laneId: 'lane-1', workerId: null, direction: 'in', decision: 'refuse', reasons: ['not_enrolled'] });
    start();
    expect(await worker!.drain(20_000)).toBe(true);
    const keys = platformKeys();
    expect(keys.length).toBe(45);
    expect(new Set(keys).size).toBe(45);
    expect(a.outbox.counts().sent).toBe(45);
    expect(events.some((e) => e.type === 'delivered')).toBe(true);
    expect(worker!.status().connectivity).toBe('online');
  });

  it('keeps a worker’s records in order on the platform', async () => {
    for (let i = 0; i < 30; i++) pass(0, i, i % 2 ? 'out' : 'in');
    start();
    expect(await worker!.drain(20_000)).toBe(true);
    const dates = f.sim.store.allAttendance().map((r) => r.date);
    expect(dates).toEqual([...dates].sort());
  });

  it('resolves commit-then-fail outcomes by query instead of sending twice', async () => {
    for (let i = 0; i < 12; i++) pass(i % 6, i);
    f.sim.enqueueFaults(
      { kind: 'reset-after-commit', method: 'WorkerAttendance.Add' },
      { kind: 'http500', method: 'WorkerAttendance.Add' },
      { kind: 'truncated', method: 'WorkerAttendance.Add' },
      { kind: 'timeout', method: 'WorkerAttendance.Add', delayMs: 3000 },
    );
    start({ concurrency: 1 });
    expect(await worker!.drain(30_000)).toBe(true);
    const keys = platformKeys();
    expect(keys.length).toBe(12);
    expect(new Set(keys).size).toBe(12);
    expect(events.some((e) => e.type === 'ambiguous_resolved' && e.found > 0)).toBe(true);
    expect(f.sim.stats().byMethod['WorkerAttendance.Query']).toBeGreaterThan(0);
  });

  it('parks a record the platform refuses with its reason and still delivers the others', async () => {
    // Worker 5 is known locally but not on the platform roster.
    f.sim.store.removeWorker('TEST-PROJECT-001', fakeResidentId(5));
    for (let i = 0; i < 10; i++) pass(i % 6, i);
    start();
    expect(await worker!.drain(20_000)).toBe(true);
    const counts = a.outbox.counts();
    expect(counts.parked).toBe(1);
    expect(counts.sent).toBe(9);
    expect(a.outbox.parked(10)[0]?.parkedReason).toContain('花名册');
    expect(events.some((e) => e.type === 'parked')).toBe(true);
    expect(platformKeys().length).toBe(9);
  });

  it('splits a batch refused as a whole (-1) to find and park the bad record', async () => {
    for (let i = 0; i < 4; i++) pass(i, i);
    // A team number the platform does not know makes the whole request invalid (-1).
    a.store.db.prepare("UPDATE teams SET platform_team_sys_no = 'T-UNKNOWN' WHERE id = ?").run(a.teamId);
    start();
    expect(await worker!.drain(20_000)).toBe(true);
    expect(a.outbox.counts().parked).toBe(4);
    // Split: one request with 4 items, then 4 single-item requests.
    expect(f.sim.stats().byMethod['WorkerAttendance.Add']).toBe(5);
    expect(a.outbox.parked(10)[0]?.parkedReason).toContain('T-UNKNOWN');
  });

  it('waits out 429 Retry-After and -5 before delivering', async () => {
    for (let i = 0; i < 5; i++) pass(i, i);
    f.sim.enqueueFaults({ kind: 'http429', retryAfterS: 1, method: 'WorkerAttendance.Add' }, { kind: 'code-5', method: 'WorkerAttendance.Add' });
    const t0 = Date.now();
    start();
    expect(await worker!.drain(20_000)).toBe(true);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(1000);
    expect(platformKeys().length).toBe(5);
  });

  it('goes offline when the platform is unreachable, keeps records, and delivers after it returns', async () => {
    for (let i = 0; i < 5; i++) pass(i, i);
    const port = f.sim.port;
    await f.sim.close();
    start();
    await new Promise((r) => setTimeout(r, 400));
    expect(worker!.status().connectivity).toBe('offline');
    expect(worker!.status().reason?.zh).toContain('无法连接平台');
    const c = a.outbox.counts();
    expect([c.pending + c.inflight, c.sent, c.parked]).toEqual([5, 0, 0]);
    const { startPlatformSimulator } = await import('../simulator/server.js');
    const sim2 = await startPlatformSimulator({ dbPath: `${f.dir}/platform.db`, port, asyncDelayMs: 0, sealer: f.sealer });
    f.sim = sim2;
    worker!.wake();
    expect(await worker!.drain(20_000)).toBe(true);
    expect(worker!.status().connectivity).toBe('online');
    expect(platformKeys().length).toBe(5);
  });

  it('is blocked with plain words on an expired secret and resumes after it is renewed', async () => {
    for (let i = 0; i < 3; i++) pass(i, i);
    f.sim.setApp({ appid: f.clientConfig.appid, appsecret: f.clientConfig.appsecret, expired: true });
    start();
    await new Promise((r) => setTimeout(r, 300));
    expect(worker!.status().connectivity).toBe('blocked');
    expect(worker!.status().reason?.zh).toContain('过期');
    expect(a.outbox.counts().sent).toBe(0);
    f.sim.setApp({ appid: f.clientConfig.appid, appsecret: f.clientConfig.appsecret });
    worker!.wake();
    expect(await worker!.drain(20_000)).toBe(true);
    expect(platformKeys().length).toBe(3);
  });

  it('after a crash mid-request, checks the platform before re-sending', async () => {
    for (let i = 0; i < 3; i++) pass(i, i);
    // Simulate the crash: the write reached the platform, the process died before storing the serial.
    const items = a.outbox.claimable(Date.now(), 10);
    a.outbox.markInflight(items.map((i) => i.id), Date.now());
    const serial = await f.client.addAttendance(f.teamSysNo, a.outbox.attendanceForPlatform(items));
    expect(serial).toBeTruthy();
    start();
    expect(await worker!.drain(20_000)).toBe(true);
    expect(platformKeys().length).toBe(3);
    const found = events.reduce((n, e) => n + (e.type === 'ambiguous_resolved' ? e.found : 0), 0);
    expect(found).toBe(3);
    expect(f.sim.stats().byMethod['WorkerAttendance.Add']).toBe(1);
  });

  it('registers a team the platform does not know (Team.Add) before sending its records', async () => {
    const team = a.workers.createTeam({ employerId: a.employerId, name: '新班组', platformTeamSysNo: null }, 'test');
    a.workers.updateAssignment(a.workerIds[1] as number, { teamId: team.id }, 'test');
    pass(1, 1);
    pass(2, 2);
    start({ teamWaitMs: 60_000 });
    expect(await worker!.drain(20_000)).toBe(true);
    const onPlatform = f.sim.store.teams('TEST-PROJECT-001', '新班组', 0, 10).rows[0];
    expect(onPlatform?.teamSysNo).toBeTruthy();
    expect(a.workers.listTeams().find((t) => t.id === team.id)?.platformTeamSysNo).toBe(onPlatform?.teamSysNo);
    expect(f.sim.store.allAttendance().map((r) => r.teamSysNo).sort()).toEqual([f.teamSysNo, String(onPlatform?.teamSysNo)].sort());
  });
});
