// Silent failures towards the platform (issue 14.8), against the real simulator:
// - every heartbeat refused with −3 ("method not permitted"): a standing problem in the sync
//   status naming the method (the device key it carries is not registered), while attendance
//   still flows; gone once the platform grants the method;
// - every call refused with −1 "timestamp outside window" (a platform that answers −1, not −2):
//   the link is blocked with the clock named, never "unknown", and the records wait — none is
//   parked as bad data; once the clock agrees they are delivered.
import { afterEach, describe, expect, it } from 'vitest';
import type { SyncStatus } from '../../edge-core/src/ports/platform.js';
import { CorrectedClock } from '../src/device/corrected-clock.js';
import { startHeartbeat } from '../src/device/heartbeat.js';
import { startOutboxWorker, type OutboxWorker } from '../src/outbox/outbox-worker.js';
import { ALL_METHODS } from '../simulator/server.js';
import { openAppliance, type Appliance } from './support/appliance.js';
import { startSimFixture, type SimFixture } from './support/sim-setup.js';

let f: SimFixture | null = null;
let a: Appliance | null = null;
let worker: OutboxWorker | null = null;
let beat: { stop(): void; beatNow(): Promise<unknown> } | null = null;
afterEach(async () => {
  beat?.stop();
  await worker?.stop();
  a?.close();
  await f?.close();
  beat = worker = a = f = null;
});

const clock = { now: () => Date.now() };
const fast = { settleMs: 50, idleMs: 30, resultPollMs: 20, backoff: { baseMs: 20, maxMs: 200 }, offlineProbe: { baseMs: 20, maxMs: 100 }, blockedProbe: { baseMs: 50, maxMs: 200 } };

async function until(what: string, check: () => boolean, ms = 15_000): Promise<void> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

function record(n: number): void {
  const base = Date.now() - 3600_000;
  for (let i = 0; i < n; i++) a?.attendance.record({ laneId: 'lane-1', workerId: a.workerIds[i % 3] ?? null, direction: i % 2 ? 'out' : 'in', decision: 'pass', occurredAt: base + i * 1000 });
}

describe('sync: problems towards the platform are said, not swallowed', () => {
  it('a heartbeat refused with −3 is a standing problem naming the method, while attendance still flows', async () => {
    f = await startSimFixture({}, {}, 3);
    f.sim.setApp({ appid: f.clientConfig.appid, appsecret: f.clientConfig.appsecret, methods: ALL_METHODS.filter((m) => m !== 'Device.Heartbeat') });
    a = openAppliance({ teamSysNo: f.teamSysNo, workers: 3 });
    record(5);
    const w = startOutboxWorker({ outbox: a.outbox, client: f.client, clock, ...fast });
    worker = w;
    beat = startHeartbeat({ client: f.client, clock: new CorrectedClock(), deviceSn: 'SG-P-1', health: () => ({}), intervalMs: 3600_000, onResult: (r) => w.noteHeartbeat(r) });
    await until('the heartbeat problem', () => w.status().problems.length > 0);
    expect(await w.drain(15_000)).toBe(true);
    const s: SyncStatus = w.status();
    expect(s.problems).toEqual([{ code: 'heartbeat_not_permitted', params: { method: 'Device.Heartbeat', code: -3 }, since: expect.any(Number) }]);
    expect(s.connectivity).toBe('online');
    expect(f.sim.stats().byCode['-3']).toBeGreaterThan(0);

    // The platform grants the method: the next beat registers the key and the problem ends.
    f.sim.setApp({ appid: f.clientConfig.appid, appsecret: f.clientConfig.appsecret });
    await beat.beatNow();
    expect(w.status().problems).toEqual([]);
    expect(f.sim.stats().lastHeartbeat?.device).toMatchObject({ deviceSn: 'SG-P-1' });
  });

  it('every call refused with −1 "timestamp outside window": blocked with the clock named, records wait, none parked', async () => {
    f = await startSimFixture({ timestampRefusalCode: -1 }, {}, 3);
    f.sim.setTimeOffset(30 * 60_000); // the platform's clock is 30 min ahead of the device's
    a = openAppliance({ teamSysNo: f.teamSysNo, workers: 3 });
    record(6);
    const w = startOutboxWorker({ outbox: a.outbox, client: f.client, clock, ...fast });
    worker = w;
    // The heartbeat measures the skew but this device does not correct its clock (as a core
    // given a clock from outside): the refusal stands until the clock is put right.
    beat = startHeartbeat({ client: f.client, clock: new CorrectedClock(clock, Number.POSITIVE_INFINITY), deviceSn: 'SG-P-2', health: () => ({}), intervalMs: 3600_000, onResult: (r) => w.noteHeartbeat(r) });
    await until('the link blocked by the clock', () => w.status().connectivity === 'blocked' && w.status().problems.some((p) => p.code === 'clock_outside_window'));
    await new Promise((r) => setTimeout(r, 500)); // several refused rounds
    const s = w.status();
    expect(s.connectivity).toBe('blocked');
    expect(s.reason?.zh).toContain('时间');
    expect(s.reason?.en).toMatch(/time/i);
    expect(s.problems.map((p) => p.code)).toContain('clock_outside_window');
    expect(s.counts.parked).toBe(0);
    expect(s.counts.sent).toBe(0);
    expect(f.sim.stats().byCode['-1']).toBeGreaterThan(0);

    // The clocks agree again: everything is delivered and the problem ends.
    f.sim.setTimeOffset(0);
    w.wake();
    expect(await w.drain(15_000)).toBe(true);
    expect(f.sim.store.attendanceCount()).toBe(6);
    expect(w.status().connectivity).toBe('online');
    expect(w.status().problems).toEqual([]);
    expect(a.outbox.counts().parked).toBe(0);
  });
});
