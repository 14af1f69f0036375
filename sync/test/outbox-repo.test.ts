// The outbox SQL on a real store file: which items may go, crash recovery, parking.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openAppliance, type Appliance } from './support/appliance.js';

let a: Appliance;
beforeEach(() => {
  a = openAppliance({ teamSysNo: 'T1', workers: 3 });
});
afterEach(() => a.close());

const base = Date.UTC(2026, 4, 1);
function pass(w: number, s: number): void {
  a.attendance.record({ laneId: 'lane-1', workerId: a.workerIds[w] ?? null, direction: 'in', decision: 'pass', occurredAt: base + s * 1000 });
}

describe('outbox repo', () => {
  it('holds a partition back while its older item is in flight, ambiguous or backing off', () => {
    pass(0, 1);
    pass(0, 2);
    pass(1, 3);
    const now = Date.now() + 10;
    const all = a.outbox.claimable(now, 10);
    expect(all.map((i) => i.partitionKey)).toEqual([`worker:${a.workerIds[0]}`, `worker:${a.workerIds[0]}`, `worker:${a.workerIds[1]}`]);
    const [first, , other] = all;
    a.outbox.markInflight([first!.id], now);
    expect(a.outbox.claimable(now, 10).map((i) => i.id)).toEqual([other!.id]);
    a.outbox.markAmbiguous([first!.id], 'x', now + 1000);
    expect(a.outbox.claimable(now, 10).map((i) => i.id)).toEqual([other!.id]);
    a.outbox.reschedule([first!.id], now + 5000, 'later');
    expect(a.outbox.claimable(now, 10).map((i) => i.id)).toEqual([other!.id]);
    expect(a.outbox.claimable(now + 6000, 10).length).toBe(3);
  });

  it('a parked item does not hold its partition back and can be requeued', () => {
    pass(0, 1);
    pass(0, 2);
    const now = Date.now() + 10;
    const [first, second] = a.outbox.claimable(now, 10);
    a.outbox.park([first!.id], 'refused: 人员不存在', now);
    expect(a.outbox.claimable(now, 10).map((i) => i.id)).toEqual([second!.id]);
    expect(a.outbox.parked(10)[0]?.parkedReason).toContain('人员不存在');
    expect(a.outbox.counts()).toMatchObject({ parked: 1, pending: 1 });
    expect(a.outbox.requeueParked('all', now)).toBe(1);
    expect(a.outbox.counts()).toMatchObject({ parked: 0, pending: 2 });
  });

  it('after a crash, in-flight items without a serial become ambiguous; with a serial they wait for the result', () => {
    pass(0, 1);
    pass(1, 2);
    const now = Date.now() + 10;
    const [x, y] = a.outbox.claimable(now, 10);
    a.outbox.markInflight([x!.id, y!.id], now);
    a.outbox.setSerial([y!.id], 'RSC1');
    expect(a.outbox.recoverAfterCrash(now + 500)).toBe(1);
    expect(a.outbox.ambiguous(10).map((i) => [i.id, i.nextAttemptAt])).toEqual([[x!.id, now + 500]]);
    expect(a.outbox.awaitingResult(10).map((i) => i.requestSerialCode)).toEqual(['RSC1']);
    expect(a.outbox.hasUndelivered()).toBe(true);
    a.outbox.markSent([x!.id, y!.id], now);
    expect(a.outbox.hasUndelivered()).toBe(false);
  });

  it('reads attendance for the platform with decrypted ID numbers and the team number', () => {
    pass(2, 1);
    const items = a.outbox.claimable(Date.now() + 10, 10);
    const [r] = a.outbox.attendanceForPlatform(items);
    expect(r).toMatchObject({ idType: '01', teamSysNo: 'T1', projectCode: 'TEST-PROJECT-001', direction: 'in', occurredAt: base + 1000 });
    expect(r?.idNumber).toMatch(/^999999/);
  });
});
