// Batch planning, as properties over claimed items and what the store returns for them
// (duplicated rows, rows in any order, rows missing): every item lands in exactly one place,
// no request exceeds the platform's size, a request's items are in outbox order with their
// records at the same index, a worker's records are never split over two requests of one
// round (they would race: order per worker), and items to send alone go alone.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { AttendanceForPlatform, OutboxItem, WorkerForPlatform } from '../../edge-core/src/ports/platform.js';
import { planBatches } from '../src/outbox/batch-planner.js';

function item(id: number, kind: OutboxItem['kind'], worker: number): OutboxItem {
  return { id, kind, refId: String(id), partitionKey: `worker:${worker}`, state: 'pending', attempts: 0, nextAttemptAt: 0, firstAttemptAt: null, requestSerialCode: null, lastError: null, parkedReason: null, createdAt: id, sentAt: null };
}

function attendanceOf(i: OutboxItem, team: string | null): AttendanceForPlatform {
  return { outboxId: i.id, eventId: `ev-${i.id}`, workerId: Number(i.partitionKey.slice(7)), workerName: 'x', idType: '01', idNumber: 'n', occurredAt: i.id * 1000, timeZone: 'Asia/Shanghai', direction: 'in', photoJpeg: null, teamSysNo: team, projectCode: 'P', lng: null, lat: null };
}

function workerOf(i: OutboxItem, team: string | null, named: boolean): WorkerForPlatform {
  return {
    outboxId: i.id, workerId: Number(i.partitionKey.slice(7)), name: 'x', idType: '01', idNumber: 'n', tradeCode: '010', role: 'worker', isTeamLeader: false,
    corpCode: team ? 'C' : null, corpName: team ? 'N' : null, teamSysNo: team, teamName: named ? 'T' : null, nation: null, address: null, phone: null, bankCard: null,
    bankCode: null, hasContract: false, hasInsurance: false, issuingAuthority: null, validFrom: null, validTo: null, headImageJpeg: null, cardPortraitJpeg: null, managementRole: null, projectCode: 'P',
  };
}

const claimArb = fc
  .array(
    fc.record({
      kind: fc.constantFrom<OutboxItem['kind']>('attendance', 'attendance', 'attendance', 'worker', 'team'),
      worker: fc.integer({ min: 1, max: 6 }),
      team: fc.constantFrom<string | null>('T1', 'T2', null),
      named: fc.boolean(),
      /** What the store returns for it: the record, nothing (deleted), or the record twice. */
      stored: fc.constantFrom('once', 'once', 'once', 'missing', 'twice'),
    }),
    { maxLength: 80 },
  )
  .chain((specs) =>
    fc.record({
      specs: fc.constant(specs),
      order: fc.shuffledSubarray(specs.map((_, i) => i), { minLength: specs.length, maxLength: specs.length }),
      solo: fc.subarray(specs.map((_, i) => i + 1)),
      sizes: fc.record({ attendanceBatchSize: fc.integer({ min: 1, max: 20 }), workerBatchSize: fc.integer({ min: 1, max: 5 }) }),
    }),
  );

describe('sync: batch planning', () => {
  it('places every claimed item once, in bounded requests in outbox order, one request per worker per round', () => {
    fc.assert(
      fc.property(claimArb, ({ specs, order, solo, sizes }) => {
        const items = specs.map((s, i) => item(i + 1, s.kind, s.worker));
        const att: AttendanceForPlatform[] = [];
        const wk: WorkerForPlatform[] = [];
        for (const i of order) {
          const s = specs[i];
          const it = items[i];
          if (!s || !it || s.stored === 'missing') continue;
          const times = s.stored === 'twice' ? 2 : 1;
          for (let k = 0; k < times; k++) {
            if (s.kind === 'attendance') att.push(attendanceOf(it, s.team));
            if (s.kind === 'worker') wk.push(workerOf(it, s.team, s.named));
          }
        }
        // The claim may list an item twice as well; in any order.
        const claimed = [...order.map((i) => items[i] as OutboxItem), ...(items[0] ? [items[0]] : [])];
        const plan = planBatches(claimed, att, wk, { ...sizes, solo: new Set(solo) });

        const placed = [
          ...plan.batches.flatMap((b) => b.items),
          ...plan.missing,
          ...plan.unsupported,
          ...plan.waitingForTeam,
          ...plan.teamless,
          ...plan.deferred,
        ].map((i) => i.id);
        expect([...placed].sort((a, b) => a - b)).toEqual(items.map((i) => i.id));

        const partitionBatch = new Map<string, number>();
        plan.batches.forEach((b, n) => {
          expect(b.items.length).toBeGreaterThan(0);
          expect(b.items.length).toBeLessThanOrEqual(b.kind === 'attendance' ? sizes.attendanceBatchSize : sizes.workerBatchSize);
          const ids = b.items.map((i) => i.id);
          expect(ids).toEqual([...ids].sort((x, y) => x - y));
          if (b.kind === 'attendance') {
            expect(b.attendance.map((a) => a.outboxId)).toEqual(ids);
            expect(new Set(b.attendance.map((a) => a.teamSysNo))).toEqual(new Set([b.teamSysNo]));
          } else expect(b.workers.map((w) => w.outboxId)).toEqual(ids);
          if (b.items.some((i) => solo.includes(i.id))) expect(b.items.length).toBe(1);
          for (const i of b.items) {
            const seen = partitionBatch.get(i.partitionKey);
            expect(seen === undefined || seen === n).toBe(true);
            partitionBatch.set(i.partitionKey, n);
          }
        });
        // A deferred item always has an older item of its worker sent or held this round.
        for (const d of plan.deferred) {
          const older = [...plan.batches.flatMap((b) => b.items), ...plan.waitingForTeam].some((i) => i.partitionKey === d.partitionKey && i.id < d.id);
          expect(older).toBe(true);
        }
      }),
      { numRuns: 500 },
    );
  });

  it('keeps a worker’s enrollment and later passes in one request order: the passes wait for the enrollment’s request', () => {
    const enrol = item(1, 'worker', 7);
    const passes = [item(2, 'attendance', 7), item(3, 'attendance', 7)];
    const other = item(4, 'attendance', 8);
    const plan = planBatches([enrol, ...passes, other], [...passes, other].map((i) => attendanceOf(i, 'T1')), [workerOf(enrol, 'T1', true)], {
      attendanceBatchSize: 20,
      workerBatchSize: 5,
      solo: new Set(),
    });
    expect(plan.batches.map((b) => [b.kind, b.items.map((i) => i.id)])).toEqual([
      ['worker', [1]],
      ['attendance', [4]],
    ]);
    expect(plan.deferred.map((i) => i.id)).toEqual([2, 3]);
  });
});
