// Batch planning (pure): claimed outbox items and their records become requests of bounded
// size — attendance per team (the platform takes one teamSysNo per request), workers apart,
// worker edits apart, departures/re-entries per team and employer, helmet refusals apart —
// in outbox order, so the async result's item indexes map back to the right items. Items that
// cannot be sent yet or at all are sorted out with why: record missing locally, kind not
// handled, team not registered on the platform yet, worker without a team.
import type { AttendanceForPlatform, OutboxItem, RefusalForPlatform, WorkerChangeForPlatform, WorkerForPlatform } from '../../../edge-core/src/ports/platform.js';

export interface Batch {
  /** 'worker_update': ProjectWorker.Update; 'entry_exit': WorkerEntryExit.Add of one team; 'refusal': the refusal method. */
  kind: 'attendance' | 'worker' | 'worker_update' | 'entry_exit' | 'refusal';
  /** In ascending outbox id: the order of the request's dataList / workerList. */
  items: OutboxItem[];
  teamSysNo: string;
  attendance: AttendanceForPlatform[];
  workers: WorkerForPlatform[];
  /** Worker changes (worker_update, entry_exit), in the order of `items`. */
  changes: WorkerChangeForPlatform[];
  /** Refusals (kind 'refusal'), in the order of `items`. */
  refusals: RefusalForPlatform[];
}

export interface Plan {
  batches: Batch[];
  /** The local record is gone (worker or event deleted): park. */
  missing: OutboxItem[];
  /** A kind this version does not send. */
  unsupported: OutboxItem[];
  /** Waits until the team (or employer) is registered on the platform. */
  waitingForTeam: OutboxItem[];
  /** A worker without a team, which the platform requires: park for the supervisor. */
  teamless: OutboxItem[];
  /**
   * Not sent this round: an older item of the same partition is in another request of this
   * round (or waits for its team). They stay pending; the store holds their partition back
   * until that request is settled, so a worker's records reach the platform in order.
   */
  deferred: OutboxItem[];
}

export interface PlanOptions {
  attendanceBatchSize: number;
  workerBatchSize: number;
  /** Items per entry/exit request (default 20). */
  entryExitBatchSize?: number;
  /** Items per refusal request (default attendanceBatchSize). */
  refusalBatchSize?: number;
  /** Items to send alone (their batch was refused as a whole). */
  solo: ReadonlySet<number>;
}

export function planBatches(
  items: readonly OutboxItem[],
  attendance: readonly AttendanceForPlatform[],
  workers: readonly WorkerForPlatform[],
  o: PlanOptions,
  changes: readonly WorkerChangeForPlatform[] = [],
  refusals: readonly RefusalForPlatform[] = [],
): Plan {
  const plan: Plan = { batches: [], missing: [], unsupported: [], waitingForTeam: [], teamless: [], deferred: [] };
  // One entry per outbox item, whatever the store returned twice: an item in two requests
  // would be sent twice.
  const byId = new Map<number, OutboxItem>();
  for (const i of [...items].sort((a, b) => a.id - b.id)) if (!byId.has(i.id)) byId.set(i.id, i);
  const att = new Map<number, AttendanceForPlatform>();
  for (const a of attendance) if (byId.get(a.outboxId)?.kind === 'attendance' && !att.has(a.outboxId)) att.set(a.outboxId, a);
  const wk = new Map<number, WorkerForPlatform>();
  for (const w of workers) if (byId.get(w.outboxId)?.kind === 'worker' && !wk.has(w.outboxId)) wk.set(w.outboxId, w);
  const ch = new Map<number, WorkerChangeForPlatform>();
  for (const c of changes) if (byId.get(c.outboxId)?.kind === 'worker_change' && !ch.has(c.outboxId)) ch.set(c.outboxId, c);
  const rf = new Map<number, RefusalForPlatform>();
  for (const r of refusals) if (byId.get(r.outboxId)?.kind === 'refusal' && !rf.has(r.outboxId)) rf.set(r.outboxId, r);
  const empty = (): Omit<Batch, 'kind' | 'teamSysNo'> => ({ items: [], attendance: [], workers: [], changes: [], refusals: [] });

  // Items in outbox order; each partition is bound to the request of its oldest item (or held
  // back when that item waits for its team), and its later items join that request or wait.
  const open = new Map<string, Batch>();
  const boundTo = new Map<string, Batch | 'held'>();
  const place = (item: OutboxItem, key: string, make: () => Batch, add: (b: Batch) => void, size: number, alone: boolean): void => {
    const bound = boundTo.get(item.partitionKey);
    let batch = alone ? undefined : open.get(key);
    if (bound !== undefined && bound !== batch) {
      plan.deferred.push(item);
      return;
    }
    if (!batch) {
      batch = make();
      plan.batches.push(batch);
      if (!alone) open.set(key, batch);
    }
    add(batch);
    batch.items.push(item);
    boundTo.set(item.partitionKey, batch);
    if (alone || batch.items.length >= size) open.delete(key);
  };
  for (const [id, item] of byId) {
    if (item.kind === 'attendance') {
      const a = att.get(id);
      if (!a) plan.missing.push(item);
      else if (!a.teamSysNo) {
        plan.waitingForTeam.push(item);
        if (!boundTo.has(item.partitionKey)) boundTo.set(item.partitionKey, 'held');
      } else {
        const team = a.teamSysNo;
        place(item, `attendance:${team}`, () => ({ kind: 'attendance', teamSysNo: team, ...empty() }), (b) => b.attendance.push(a), o.attendanceBatchSize, o.solo.has(id));
      }
    } else if (item.kind === 'worker') {
      const w = wk.get(id);
      if (!w) plan.missing.push(item);
      else if (w.teamName === null) plan.teamless.push(item);
      else if (!w.teamSysNo || !w.corpCode || !w.corpName) {
        plan.waitingForTeam.push(item);
        if (!boundTo.has(item.partitionKey)) boundTo.set(item.partitionKey, 'held');
      } else {
        const team = w.teamSysNo;
        place(item, 'worker', () => ({ kind: 'worker', teamSysNo: team, ...empty() }), (b) => b.workers.push(w), o.workerBatchSize, o.solo.has(id));
      }
    } else if (item.kind === 'worker_change') {
      const c = ch.get(id);
      if (!c) plan.missing.push(item);
      else if (c.teamName === null) plan.teamless.push(item);
      else if (!c.teamSysNo || !c.corpCode || !c.corpName) {
        plan.waitingForTeam.push(item);
        if (!boundTo.has(item.partitionKey)) boundTo.set(item.partitionKey, 'held');
      } else {
        const team = c.teamSysNo;
        if (c.action === 'update') {
          place(item, 'worker_update', () => ({ kind: 'worker_update', teamSysNo: team, ...empty() }), (b) => b.changes.push(c), o.workerBatchSize, o.solo.has(id));
        } else {
          // One team and employer per request (the request's top level names them).
          place(item, `entry_exit:${team}|${c.corpCode}`, () => ({ kind: 'entry_exit', teamSysNo: team, ...empty() }), (b) => b.changes.push(c), o.entryExitBatchSize ?? 20, o.solo.has(id));
        }
      }
    } else if (item.kind === 'refusal') {
      // No team on the wire: a refusal names the person, the time and the device.
      const r = rf.get(id);
      if (!r) plan.missing.push(item);
      else place(item, 'refusal', () => ({ kind: 'refusal', teamSysNo: '', ...empty() }), (b) => b.refusals.push(r), o.refusalBatchSize ?? o.attendanceBatchSize, o.solo.has(id));
    } else plan.unsupported.push(item);
  }
  return plan;
}
