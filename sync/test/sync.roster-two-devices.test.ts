// Roster both ways with two appliances and one simulator: a worker enrolled on A reaches the
// platform, B pulls it (paged, checkpointed, deduplicated) and B's passage of that worker is
// accepted by the platform.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { pullRoster, ROSTER_CURSOR } from '../src/roster/roster-pull.js';
import { createRosterSink } from '../src/roster/roster-sink.js';
import { startOutboxWorker } from '../src/outbox/outbox-worker.js';
import { openAppliance, type Appliance } from './support/appliance.js';
import { startSimFixture, type SimFixture } from './support/sim-setup.js';
import { fakeName, fakeResidentId } from './support/fake-ids.js';

let f: SimFixture;
let A: Appliance;
let B: Appliance;
const clock = { now: () => Date.now() };

beforeEach(async () => {
  f = await startSimFixture({}, {}, 7);
  A = openAppliance({ teamSysNo: f.teamSysNo });
  B = openAppliance({ teamSysNo: f.teamSysNo });
});
afterEach(async () => {
  A.close();
  B.close();
  await f.close();
});

describe('roster pull', () => {
  it('pulls every page, deduplicates by ID number and is idempotent', async () => {
    const sink = createRosterSink(B.workers);
    const r1 = await pullRoster({ client: f.client, cursors: B.cursors, sink, clock, pageSize: 3 });
    expect(r1).toMatchObject({ pulled: 7, created: 7, complete: true });
    expect(B.workers.findIdByIdNumber(fakeResidentId(6))).not.toBeNull();
    expect(B.workers.list({ limit: 100 }).length).toBe(7);
    expect(B.cursors.get(ROSTER_CURSOR)).toBeNull();
    const r2 = await pullRoster({ client: f.client, cursors: B.cursors, sink, clock, pageSize: 3 });
    expect(r2).toMatchObject({ pulled: 7, created: 0, updated: 0, complete: true });
    expect(B.workers.list({ limit: 100 }).length).toBe(7);
  });

  it('resumes from the checkpoint after an interruption', async () => {
    const sink = createRosterSink(B.workers);
    const first = await pullRoster({ client: f.client, cursors: B.cursors, sink, clock, pageSize: 3, maxPages: 1 });
    expect(first).toMatchObject({ pulled: 3, complete: false });
    expect(JSON.parse(B.cursors.get(ROSTER_CURSOR) ?? '{}')).toMatchObject({ pageIndex: 1 });
    const before = f.sim.stats().byMethod['ProjectWorker.Query'] ?? 0;
    const rest = await pullRoster({ client: f.client, cursors: B.cursors, sink, clock, pageSize: 3 });
    expect(rest).toMatchObject({ pulled: 4, created: 4, complete: true, fullResync: false });
    expect((f.sim.stats().byMethod['ProjectWorker.Query'] ?? 0) - before).toBe(2);
  });

  it('starts a full resync when the platform rejects the saved cursor', async () => {
    const sink = createRosterSink(B.workers);
    B.cursors.set(ROSTER_CURSOR, JSON.stringify({ pageIndex: 9, pageSize: 3, startedAt: 0 }), Date.now());
    const r = await pullRoster({ client: f.client, cursors: B.cursors, sink, clock, pageSize: 3 });
    expect(r).toMatchObject({ fullResync: true, complete: true, created: 7 });
  });
});

describe('two appliances, one platform', () => {
  it('a worker enrolled on A is pushed, pulled by B, and B’s passage is accepted', async () => {
    const n = 42;
    const enrolled = A.workers.create(
      { name: fakeName(n), idType: '01', idNumber: fakeResidentId(n), tradeCode: '020', role: 'worker', employerId: A.employerId, teamId: A.teamId, source: 'local' },
      'clerk',
    );
    expect(A.outbox.counts().pending).toBe(1);
    const wa = startOutboxWorker({ outbox: A.outbox, client: f.client, clock, settleMs: 50, idleMs: 30, resultPollMs: 20 });
    expect(await wa.drain(10_000)).toBe(true);
    await wa.stop();
    expect(f.sim.store.workerExists('TEST-PROJECT-001', fakeResidentId(n))).toBe(true);

    await pullRoster({ client: f.client, cursors: B.cursors, sink: createRosterSink(B.workers), clock });
    const onB = B.workers.findIdByIdNumber(fakeResidentId(n));
    expect(onB).not.toBeNull();
    expect(B.workers.get(onB as number)?.tradeCode).toBe('020');
    expect(enrolled.id).toBeGreaterThan(0);

    B.attendance.record({ laneId: 'lane-1', workerId: onB, direction: 'in', decision: 'pass' });
    const wb = startOutboxWorker({ outbox: B.outbox, client: f.client, clock, settleMs: 50, idleMs: 30, resultPollMs: 20 });
    expect(await wb.drain(10_000)).toBe(true);
    await wb.stop();
    expect(B.outbox.counts()).toMatchObject({ sent: 1, parked: 0 });
    expect(f.sim.store.allAttendance().filter((r) => r.idCardNumber === fakeResidentId(n)).length).toBe(1);
  });
});
