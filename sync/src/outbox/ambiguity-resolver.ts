// Ambiguity resolution: a write whose outcome is unknown (sent, no clear answer) is checked
// against what the platform holds before anything is sent again, because the platform's write
// API has no idempotency key. Worker enrollments and edits are upserts there, and helmet
// refusals repeat-safe by person, time and direction (decision 0012): they are simply re-sent. Attendance is checked per worker and day with WorkerAttendance.Query, departures and
// re-entries per worker with WorkerEntryExit.Query, every page of it (platform/paging.ts: by
// the platform's real page size and totalCount), and counted: the platform has no record id.
import type { Clock } from '../../../edge-core/src/ports/clock.js';
import type { AttendanceForPlatform, OutboxItem, OutboxStorePort, SyncProgressEvent, WorkerChangeForPlatform } from '../../../edge-core/src/ports/platform.js';
import type { PlatformAttendanceRow, PlatformClient } from '../platform/client.js';
import { isPlatformError, type PlatformError } from '../platform/errors.js';
import { readAllPages } from '../platform/paging.js';
import { formatDate, formatDateTime } from '../platform/timestamp.js';
import { backoffDelay, type BackoffPolicy } from './backoff.js';
import { outboxError } from '../../../edge-core/src/ports/platform.js';
import { errCode, type ItemOutcomes } from './item-outcomes.js';

export interface Unclear {
  outboxId: number;
  occurredAt: number;
  direction: 'in' | 'out';
}

/**
 * Which unclear records the platform holds (pure). Of the platform's rows with a given (time
 * to the second, direction), those already confirmed locally are spoken for; only the rest
 * can be unclear ones. Never more found than the platform holds beyond what is confirmed:
 * a record judged present that is not would be lost; one judged absent that is there, sent
 * twice — a duplicate is the lesser harm, so any doubt counts as absent.
 */
export function matchOnPlatform(
  unclear: readonly Unclear[],
  platformRows: ReadonlyArray<Pick<PlatformAttendanceRow, 'date' | 'direction'>>,
  confirmed: ReadonlyArray<{ occurredAt: number; direction: 'in' | 'out' }>,
  timeZone: string,
): { found: number[]; absent: number[] } {
  const key = (at: number, d: string): string => `${formatDateTime(at, timeZone)}|${d}`;
  return matchByKey(
    unclear.map((u) => ({ outboxId: u.outboxId, key: key(u.occurredAt, u.direction) })),
    platformRows.map((r) => `${r.date}|${r.direction}`),
    confirmed.map((c) => key(c.occurredAt, c.direction)),
  );
}

/**
 * The counting behind matchOnPlatform, over any key (pure): of the platform's rows with a key,
 * those confirmed locally are spoken for; the rest are found for unclear items in outbox order.
 */
export function matchByKey(
  unclear: ReadonlyArray<{ outboxId: number; key: string }>,
  platformKeys: readonly string[],
  confirmedKeys: readonly string[],
): { found: number[]; absent: number[] } {
  const left = new Map<string, number>();
  for (const k of platformKeys) left.set(k, (left.get(k) ?? 0) + 1);
  for (const k of confirmedKeys) {
    const n = left.get(k);
    if (n !== undefined) left.set(k, n - 1);
  }
  const found: number[] = [];
  const absent: number[] = [];
  const seen = new Set<number>();
  for (const u of [...unclear].sort((a, b) => a.outboxId - b.outboxId)) {
    if (seen.has(u.outboxId)) continue;
    seen.add(u.outboxId);
    const n = left.get(u.key) ?? 0;
    if (n > 0) {
      found.push(u.outboxId);
      left.set(u.key, n - 1);
    } else absent.push(u.outboxId);
  }
  return { found, absent };
}

export interface AmbiguityResolverOptions {
  outbox: OutboxStorePort;
  client: PlatformClient;
  clock: Clock;
  outcomes: ItemOutcomes;
  backoff: BackoffPolicy;
  random: () => number;
  succeeded: () => void;
  /** Returns true when calls must pause. */
  failed: (e: PlatformError) => boolean;
  emit: (e: SyncProgressEvent) => void;
  /** Asks a page that failed in passing again, up to this many times (default 3). */
  pageAttempts?: number;
  /** Waits between those attempts (real timers; injectable for tests). */
  sleep?: (ms: number) => Promise<void>;
}

export class AmbiguityResolver {
  readonly #resolving = new Set<number>();

  constructor(private readonly o: AmbiguityResolverOptions) {}

  /** Starts resolving due unclear items (at most `free` worker-days); returns the promises. */
  dispatch(free: number): Array<Promise<void>> {
    if (free <= 0) return [];
    const { outbox, clock } = this.o;
    const now = clock.now();
    const due = outbox.ambiguous(500).filter((i) => i.nextAttemptAt <= now && !this.#resolving.has(i.id));
    if (!due.length) return [];
    const changeItems = due.filter((i) => i.kind === 'worker_change');
    const changes = outbox.workerChangesForPlatform(changeItems);
    this.#parkMissing(changeItems, changes);
    const entryExit = changes.filter((c) => c.action !== 'update');
    // Worker enrollments and edits are upserts on the platform, refusals repeat-safe: sending again is harmless.
    const resend = [
      ...due.filter((i) => i.kind !== 'attendance' && i.kind !== 'worker_change').map((i) => i.id),
      ...changes.filter((c) => c.action === 'update').map((c) => c.outboxId),
    ];
    if (resend.length) outbox.reschedule(resend, now, outboxError('resend_after_unclear'), { countAttempt: false });
    const started: Array<Promise<void>> = [];
    const byWorker = new Map<number, WorkerChangeForPlatform[]>();
    for (const c of entryExit) byWorker.set(c.workerId, [...(byWorker.get(c.workerId) ?? []), c]);
    for (const list of byWorker.values()) {
      if (started.length >= free) break;
      started.push(this.#guarded(list.map((c) => c.outboxId), () => this.resolveEntryExit(list)));
    }
    const items = due.filter((i) => i.kind === 'attendance');
    const att = outbox.attendanceForPlatform(items);
    this.#parkMissing(items, att);
    const tz = this.o.client.config.timeZone;
    const groups = new Map<string, AttendanceForPlatform[]>();
    for (const a of att) {
      const key = `${a.idNumber}|${formatDate(a.occurredAt, tz)}`;
      groups.set(key, [...(groups.get(key) ?? []), a]);
    }
    for (const list of groups.values()) {
      if (started.length >= free) break;
      started.push(this.#guarded(list.map((a) => a.outboxId), () => this.resolve(list)));
    }
    return started;
  }

  #parkMissing(items: readonly OutboxItem[], found: ReadonlyArray<{ outboxId: number }>): void {
    this.o.outcomes.park(
      items.filter((i) => !found.some((a) => a.outboxId === i.id)),
      '本地记录缺失（人员或考勤已删除） / the local record is missing (worker or event deleted)',
    );
  }

  /** Runs one resolution, its items marked as being resolved meanwhile. */
  #guarded(ids: readonly number[], run: () => Promise<void>): Promise<void> {
    for (const id of ids) this.#resolving.add(id);
    return run().finally(() => {
      for (const id of ids) this.#resolving.delete(id);
    });
  }

  /** Reads every page of a query, asking a page that failed in passing again. */
  #readAll<T>(query: (pageIndex: number, pageSize: number) => Promise<{ rows: T[]; totalCount: number | null }>, reported: WeakSet<object>): Promise<T[]> {
    const sleep = this.o.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
    return readAllPages(query, {
      pageSize: this.o.client.config.pageSize,
      onPageError: async (e, attempt) => {
        if (!isPlatformError(e) || e.retry !== 'backoff' || attempt >= (this.o.pageAttempts ?? 3)) return false;
        reported.add(e);
        if (this.o.failed(e)) return false;
        await sleep(backoffDelay(attempt, this.o.backoff, this.o.random, e.retryAfterMs));
        return true;
      },
    });
  }

  /** Settles after a failed query: report it (once) and check again later. */
  #queryFailed(ids: readonly number[], e: unknown, reported: WeakSet<object>): void {
    if (!isPlatformError(e)) throw e;
    if (!reported.has(e)) this.o.failed(e);
    this.o.outbox.markAmbiguous(ids, errCode(e), this.o.clock.now() + backoffDelay(2, this.o.backoff, this.o.random, e.retryAfterMs));
  }

  /** Resolves the unclear departures and re-entries of one worker (WorkerEntryExit.Query). */
  async resolveEntryExit(list: WorkerChangeForPlatform[]): Promise<void> {
    const first = list[0];
    if (!first) return;
    const { outbox, client } = this.o;
    const reported = new WeakSet<object>();
    try {
      const rows = await this.#readAll((pageIndex, pageSize) => client.queryEntryExit({ idNumber: first.idNumber, pageIndex, pageSize }), reported);
      this.o.succeeded();
      const { found, absent } = matchByKey(
        list.map((c) => ({ outboxId: c.outboxId, key: `${c.date}|${c.action}` })),
        rows.filter((r) => r.action !== null).map((r) => `${r.date}|${r.action}`),
        outbox.sentEntryExitOf(first.workerId).map((c) => `${c.date}|${c.action}`),
      );
      this.#settle(found, absent, 'worker_change');
    } catch (e) {
      this.#queryFailed(list.map((c) => c.outboxId), e, reported);
    }
  }

  #settle(found: number[], absent: number[], kind: OutboxItem['kind']): void {
    const t = this.o.clock.now();
    this.o.outbox.markSent(found, t);
    this.o.outcomes.delivered(found);
    if (absent.length) this.o.outbox.reschedule(absent, t, outboxError('absent_after_unclear'), { countAttempt: false });
    this.o.emit({ type: 'ambiguous_resolved', found: found.length, resent: absent.length, at: t });
    if (found.length) this.o.emit({ type: 'delivered', kind, count: found.length, at: t });
  }

  /** Resolves the unclear records of one worker and day. */
  async resolve(list: AttendanceForPlatform[]): Promise<void> {
    const first = list[0];
    if (!first) return;
    const { outbox, client } = this.o;
    const tz = client.config.timeZone;
    const reported = new WeakSet<object>();
    try {
      const date = formatDate(first.occurredAt, tz);
      const rows = await this.#readAll((pageIndex, pageSize) => client.queryAttendance({ date, idNumber: first.idNumber, pageIndex, pageSize }), reported);
      this.o.succeeded();
      const times = list.map((a) => a.occurredAt);
      const confirmed = outbox.sentAttendanceOf(first.workerId, Math.min(...times) - 1000, Math.max(...times) + 1000);
      const { found, absent } = matchOnPlatform(list, rows, confirmed, tz);
      this.#settle(found, absent, 'attendance');
    } catch (e) {
      this.#queryFailed(list.map((a) => a.outboxId), e, reported);
    }
  }
}
