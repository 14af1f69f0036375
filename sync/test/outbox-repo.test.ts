// The outbox SQL on a real store file: which items may go, crash recovery, parking.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { outboxError } from '../../edge-core/src/ports/platform.js';
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
    a.outbox.markAmbiguous([first!.id], outboxError('result_timeout'), now + 1000);
    expect(a.outbox.claimable(now, 10).map((i) => i.id)).toEqual([other!.id]);
    a.outbox.reschedule([first!.id], now + 5000, outboxError('platform', { kind: 'timeout' }));
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
    expect(a.outbox.ambiguous(10).map((i) => [i.id, i.nextAttemptAt, i.lastError])).toEqual([[x!.id, now + 500, { code: 'interrupted', params: {} }]]);
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

  it('stores last_error as a code with parameters, no words, and reads it back', () => {
    pass(0, 1);
    pass(1, 2);
    const now = Date.now() + 10;
    const [x, y] = a.outbox.claimable(now, 10);
    a.outbox.reschedule([x!.id], now + 5000, outboxError('platform', { kind: 'timeout', detail: 'gateway said 504' }));
    a.outbox.markAmbiguous([y!.id], outboxError('waiting_for_team'), now);
    const raw = a.store.db.prepare('SELECT id, last_error FROM outbox WHERE id IN (?, ?) ORDER BY id').all(x!.id, y!.id) as Array<{ id: number; last_error: string }>;
    expect(raw.map((r) => JSON.parse(r.last_error) as unknown)).toEqual([
      { code: 'platform', params: { kind: 'timeout', detail: 'gateway said 504' } },
      { code: 'waiting_for_team', params: {} },
    ]);
    for (const r of raw) expect(r.last_error).not.toMatch(/[\u4e00-\u9fff]/);
    a.outbox.park([x!.id], '平台拒收 / refused by the platform: 人员不存在', now);
    const parked = a.outbox.parked(10)[0];
    expect(parked?.lastError).toEqual({ code: 'parked', params: {} });
    expect(parked?.parkedReason).toContain('人员不存在');
  });

  it('reads rows an older version wrote in words, and still releases its items waiting for their team', () => {
    pass(0, 1);
    pass(1, 2);
    pass(2, 3);
    const now = Date.now() + 10;
    const [w, t, i] = a.outbox.claimable(now, 10);
    const later = now + 3_600_000;
    const old = a.store.db.prepare(`UPDATE outbox SET state = 'pending', next_attempt_at = ?, last_error = ? WHERE id = ?`);
    // The exact words of the previous version (sync/src/outbox/batch-sender.ts, item-outcomes.ts, outbox-repo.ts).
    old.run(later, 'waiting_for_team: 班组或参建单位尚未在平台登记 / team or employer not registered on the platform yet', w!.id);
    old.run(later, 'timeout: 平台响应超时，稍后核对后重试 / The platform did not answer in time; will check and retry', t!.id);
    old.run(later, 'interrupted', i!.id);
    const byId = new Map(a.outbox.claimable(later + 1, 10).map((x) => [x.id, x.lastError]));
    expect(byId.get(w!.id)).toEqual({ code: 'waiting_for_team', params: {} });
    expect(byId.get(t!.id)).toEqual({ code: 'legacy', params: { text: 'timeout: 平台响应超时，稍后核对后重试 / The platform did not answer in time; will check and retry' } });
    expect(byId.get(i!.id)).toEqual({ code: 'interrupted', params: {} });
    // A new-format waiting item is released together with the old one; the others keep their time.
    a.outbox.reschedule([t!.id], later, outboxError('waiting_for_team'), { countAttempt: false });
    expect(a.outbox.releaseWaitingForTeam(now)).toBe(2);
    expect(a.outbox.claimable(now, 10).map((x) => x.id).sort((p, q) => p - q)).toEqual([w!.id, t!.id].sort((p, q) => p - q));
  });
});
