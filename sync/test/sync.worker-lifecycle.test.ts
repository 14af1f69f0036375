// A worker's lifecycle reaches the platform (issue 15.1): an edit (ProjectWorker.Update), a
// departure (退场) and a re-entry (进场) (WorkerEntryExit.Add) are queued with the change in
// the appliance's real SQLite store and delivered by the outbox worker to the real simulator,
// which applies them strictly: a departed worker leaves the project's roster there (listed with its 退场 date; the roster
// other gates pull) and their attendance is refused until they re-enter. An unclear send is
// settled with WorkerEntryExit.Query, never sent twice; changes pulled from the platform are
// not echoed back; the method names are configurable.
import { afterEach, describe, expect, it } from 'vitest';
import { PLATFORM_ACTOR } from '../../edge-core/src/index.js';
import type { SyncProgressEvent } from '../../edge-core/src/ports/platform.js';
import type { OutboxWorker } from '../src/outbox/outbox-worker.js';
import { startFastWorker } from './support/fast-worker.js';
import type { PlatformConfig } from '../src/platform/config.js';
import type { SimulatorOptions } from '../simulator/server.js';
import { openAppliance, type Appliance } from './support/appliance.js';
import { fakeResidentId } from './support/fake-ids.js';
import { PROJECT, startSimFixture, type SimFixture } from './support/sim-setup.js';

let f: SimFixture | null = null;
let a: Appliance | null = null;
let worker: OutboxWorker | null = null;
let events: SyncProgressEvent[] = [];

afterEach(async () => {
  await worker?.stop();
  worker = null;
  a?.close();
  a = null;
  await f?.close();
  f = null;
});

/** A platform with `onPlatform` of the appliance's `local` workers on its roster. */
async function setUp(local: number, onPlatform: number, sim: Partial<SimulatorOptions> = {}, client: Partial<PlatformConfig> = {}): Promise<{ f: SimFixture; a: Appliance }> {
  f = await startSimFixture({ rateLimit: null, ...sim }, client, onPlatform);
  a = openAppliance({ teamSysNo: f.teamSysNo, workers: local });
  events = [];
  return { f, a };
}

function start(fx: SimFixture, ap: Appliance): OutboxWorker {
  worker = startFastWorker(ap.outbox, fx.client, (e) => events.push(e));
  return worker;
}

const CLERK = 'clerk#3 测试劳务员';

/** The workers on site by the platform's roster: a departed one is listed with its 退场 date. */
async function rosterIds(fx: SimFixture): Promise<string[]> {
  const page = await fx.client.queryWorkers(0, 100);
  return page.rows.filter((r) => !r.exitDate).map((r) => r.idNumber).sort();
}

function entryExit(fx: SimFixture, n: number): string[] {
  return fx.sim.store.entryExitFor(PROJECT, fakeResidentId(n), 0, 100).rows.map((r) => r.type);
}

describe('sync: worker lifecycle to the platform', () => {
  it('sends an edit, a departure and a re-entry; the departed worker leaves the roster and is refused there until re-entry', async () => {
    const { f, a } = await setUp(3, 3);
    const [w0, w1] = a.workerIds as [number, number];
    a.workers.updateAssignment(w0, { isTeamLeader: true, hasContract: true, tradeCode: '020' }, CLERK);
    a.workers.setStatus(w1, 'inactive', CLERK, '合同结束');
    const kinds = a.store.db.prepare("SELECT c.action FROM outbox o JOIN worker_changes c ON c.id = o.ref_id WHERE o.kind = 'worker_change' ORDER BY o.id").pluck().all();
    expect(kinds).toEqual(['update', 'exit']);
    start(f, a);
    expect(await worker!.drain(20_000)).toBe(true);
    expect(a.outbox.counts()).toMatchObject({ sent: 2, parked: 0 });

    const edited = (await f.client.queryWorkers(0, 100)).rows.find((r) => r.idNumber === fakeResidentId(0));
    expect(edited).toMatchObject({ isTeamLeader: true, hasContract: true, tradeCode: '020' });
    expect(await rosterIds(f)).toEqual([fakeResidentId(0), fakeResidentId(2)].sort());
    expect(entryExit(f, 1)).toEqual(['0']);
    expect(f.sim.stats().byMethod).toMatchObject({ 'ProjectWorker.Update': 1, 'WorkerEntryExit.Add': 1 });

    // A pass recorded for the departed worker (e.g. at a gate that has not heard yet) is refused by the platform.
    a.attendance.record({ laneId: 'lane-1', workerId: w1, direction: 'in', decision: 'pass' });
    worker!.wake();
    expect(await worker!.drain(20_000)).toBe(true);
    expect(a.outbox.parked(10)[0]?.parkedReason).toMatch(/已退场/);

    a.workers.setStatus(w1, 'active', CLERK, '返场');
    worker!.wake();
    expect(await worker!.drain(20_000)).toBe(true);
    expect(entryExit(f, 1)).toEqual(['0', '1']);
    expect(await rosterIds(f)).toEqual([0, 1, 2].map(fakeResidentId).sort());
    // The refused pass, retried after the re-entry, is taken.
    expect(a.outbox.requeueParked('all', Date.now())).toBe(1);
    worker!.wake();
    expect(await worker!.drain(20_000)).toBe(true);
    expect(f.sim.store.attendanceCount()).toBe(1);

    // inactive ↔ blacklisted is no entry or exit; a blacklisting of someone on site is a departure.
    a.workers.setStatus(w1, 'blacklisted', CLERK, '违规');
    a.workers.setStatus(w1, 'inactive', CLERK, '解除黑名单');
    expect(a.store.db.prepare("SELECT action FROM worker_changes WHERE worker_id = ? ORDER BY id").pluck().all(w1)).toEqual(['exit', 'entry', 'exit']);
  }, 60_000);

  it('does not echo changes that came from the platform, and parks a departure the platform refuses with its words', async () => {
    const { f, a } = await setUp(3, 2);
    const [w0, , w2] = a.workerIds as [number, number, number];
    a.workers.updateAssignment(w0, { hasInsurance: true }, PLATFORM_ACTOR);
    a.workers.setStatus(w0, 'inactive', PLATFORM_ACTOR, 'roster');
    expect(a.outbox.counts().pending).toBe(0);
    // Worker 2 is not on the platform's roster: its departure is refused per item.
    a.workers.setStatus(w2, 'inactive', CLERK, '离场');
    start(f, a);
    expect(await worker!.drain(20_000)).toBe(true);
    const parked = a.outbox.parked(10);
    expect(parked.map((p) => p.kind)).toEqual(['worker_change']);
    expect(parked[0]?.parkedReason).toMatch(/不在项目花名册/);
    expect(events.some((e) => e.type === 'parked' && e.kind === 'worker_change')).toBe(true);
  }, 60_000);

  it('settles unclear sends by WorkerEntryExit.Query: each departure and re-entry is on the platform exactly once', async () => {
    const { f, a } = await setUp(4, 4);
    const ids = a.workerIds as number[];
    start(f, a);
    // Worker 0: left (sent cleanly) …
    a.workers.setStatus(ids[0]!, 'inactive', CLERK, '离场');
    worker!.wake();
    expect(await worker!.drain(20_000)).toBe(true);
    // … came back (the platform commits, the reply is lost), left again (lost before the commit).
    f.sim.enqueueFaults(
      { kind: 'reset-after-commit', method: 'WorkerEntryExit.Add' },
      { kind: 'reset-before-commit', method: 'WorkerEntryExit.Add' },
      { kind: 'http500', method: 'WorkerEntryExit.Add' },
      { kind: 'truncated', method: 'WorkerEntryExit.Add' },
      { kind: 'reset-after-commit', method: 'ProjectWorker.Update' },
    );
    a.workers.setStatus(ids[0]!, 'active', CLERK, '返场');
    a.workers.setStatus(ids[0]!, 'inactive', CLERK, '离场');
    a.workers.setStatus(ids[1]!, 'inactive', CLERK, '离场');
    a.workers.setStatus(ids[2]!, 'inactive', CLERK, '离场');
    a.workers.updateAssignment(ids[3]!, { isTeamLeader: true }, CLERK);
    worker!.wake();
    expect(await worker!.drain(30_000)).toBe(true);
    expect(a.outbox.counts()).toMatchObject({ parked: 0, ambiguous: 0 });
    expect(entryExit(f, 0)).toEqual(['0', '1', '0']);
    expect(entryExit(f, 1)).toEqual(['0']);
    expect(entryExit(f, 2)).toEqual(['0']);
    expect(events.some((e) => e.type === 'ambiguous_resolved' && e.found > 0)).toBe(true);
    expect(f.sim.stats().byMethod['WorkerEntryExit.Query']).toBeGreaterThan(0);
    expect(await rosterIds(f)).toEqual([fakeResidentId(3)]);
    expect((await f.client.queryWorkers(0, 100)).rows.find((r) => r.idNumber === fakeResidentId(3))?.isTeamLeader).toBe(true);
  }, 60_000);

  it('speaks a province’s method names when configured', async () => {
    const { f, a } = await setUp(1, 1, { methodAliases: { 'Worker.Exit': 'WorkerEntryExit.Add', 'Worker.ExitQuery': 'WorkerEntryExit.Query', 'Worker.Modify': 'ProjectWorker.Update' } }, {
      entryExitMethod: 'Worker.Exit',
      entryExitQueryMethod: 'Worker.ExitQuery',
      workerUpdateMethod: 'Worker.Modify',
    });
    a.workers.updateAssignment(a.workerIds[0]!, { hasContract: true }, CLERK);
    a.workers.setStatus(a.workerIds[0]!, 'inactive', CLERK, '离场');
    start(f, a);
    expect(await worker!.drain(20_000)).toBe(true);
    expect(f.sim.stats().byMethod).toMatchObject({ 'Worker.Exit': 1, 'Worker.Modify': 1 });
    expect(f.sim.stats().byMethod['WorkerEntryExit.Add']).toBeUndefined();
    expect(entryExit(f, 0)).toEqual(['0']);
  }, 30_000);
});
