// Ambiguity resolution: a write whose outcome is unknown (sent, no clear answer) is checked
// against what the platform holds before anything is sent again, because the platform's write
// API has no idempotency key. Worker enrollments are upserts there and are simply re-sent.
// Attendance is checked per worker and day with WorkerAttendance.Query, every page of it
// (platform/paging.ts: by the platform's real page size and totalCount), and counted: the
// platform keeps times to the second and has no record id.
import type { Clock } from '../../../edge-core/src/ports/clock.js';
import type { AttendanceForPlatform, OutboxStorePort, SyncProgressEvent } from '../../../edge-core/src/ports/platform.js';
import type { PlatformAttendanceRow, PlatformClient } from '../platform/client.js';
import { isPlatformError, type PlatformError } from '../platform/errors.js';
import { readAllPages } from '../platform/paging.js';
import { formatDate, formatDateTime } from '../platform/timestamp.js';
import { backoffDelay, type BackoffPolicy } from './backoff.js';
import { errText, type ItemOutcomes } from './item-outcomes.js';

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
  const left = new Map<string, number>();
  for (const r of platformRows) left.set(`${r.date}|${r.direction}`, (left.get(`${r.date}|${r.direction}`) ?? 0) + 1);
  for (const s of confirmed) {
    const k = key(s.occurredAt, s.direction);
    const n = left.get(k);
    if (n !== undefined) left.set(k, n - 1);
  }
  const found: number[] = [];
  const absent: number[] = [];
  const seen = new Set<number>();
  for (const u of [...unclear].sort((a, b) => a.outboxId - b.outboxId)) {
    if (seen.has(u.outboxId)) continue;
    seen.add(u.outboxId);
    const k = key(u.occurredAt, u.direction);
    const n = left.get(k) ?? 0;
    if (n > 0) {
      found.push(u.outboxId);
      left.set(k, n - 1);
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
    // Worker enrollments are upserts on the platform: sending again is harmless.
    const idempotent = due.filter((i) => i.kind !== 'attendance');
    if (idempotent.length) outbox.reschedule(idempotent.map((i) => i.id), now, 'resend after an unclear outcome', { countAttempt: false });
    const items = due.filter((i) => i.kind === 'attendance');
    const att = outbox.attendanceForPlatform(items);
    this.o.outcomes.park(
      items.filter((i) => !att.some((a) => a.outboxId === i.id)),
      '本地记录缺失（人员或考勤已删除） / the local record is missing (worker or event deleted)',
    );
    const tz = this.o.client.config.timeZone;
    const groups = new Map<string, AttendanceForPlatform[]>();
    for (const a of att) {
      const key = `${a.idNumber}|${formatDate(a.occurredAt, tz)}`;
      groups.set(key, [...(groups.get(key) ?? []), a]);
    }
    const started: Array<Promise<void>> = [];
    for (const list of groups.values()) {
      if (started.length >= free) break;
      for (const a of list) this.#resolving.add(a.outboxId);
      started.push(
        this.resolve(list).finally(() => {
          for (const a of list) this.#resolving.delete(a.outboxId);
        }),
      );
    }
    return started;
  }

  /** Resolves the unclear records of one worker and day. */
  async resolve(list: AttendanceForPlatform[]): Promise<void> {
    const first = list[0];
    if (!first) return;
    const { outbox, client, clock } = this.o;
    const ids = list.map((a) => a.outboxId);
    const tz = client.config.timeZone;
    const sleep = this.o.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
    const reported = new WeakSet<object>();
    try {
      const date = formatDate(first.occurredAt, tz);
      const rows = await readAllPages((pageIndex, pageSize) => client.queryAttendance({ date, idNumber: first.idNumber, pageIndex, pageSize }), {
        pageSize: client.config.pageSize,
        // A passing failure asks the same page again rather than starting over.
        onPageError: async (e, attempt) => {
          if (!isPlatformError(e) || e.retry !== 'backoff' || attempt >= (this.o.pageAttempts ?? 3)) return false;
          reported.add(e);
          if (this.o.failed(e)) return false;
          await sleep(backoffDelay(attempt, this.o.backoff, this.o.random, e.retryAfterMs));
          return true;
        },
      });
      this.o.succeeded();
      const times = list.map((a) => a.occurredAt);
      const confirmed = outbox.sentAttendanceOf(first.workerId, Math.min(...times) - 1000, Math.max(...times) + 1000);
      const { found, absent } = matchOnPlatform(list, rows, confirmed, tz);
      const t = clock.now();
      outbox.markSent(found, t);
      this.o.outcomes.delivered(found);
      if (absent.length) outbox.reschedule(absent, t, 'not on the platform after an unclear outcome: send again', { countAttempt: false });
      this.o.emit({ type: 'ambiguous_resolved', found: found.length, resent: absent.length, at: t });
      if (found.length) this.o.emit({ type: 'delivered', kind: 'attendance', count: found.length, at: t });
    } catch (e) {
      if (!isPlatformError(e)) throw e;
      if (!reported.has(e)) this.o.failed(e);
      outbox.markAmbiguous(ids, errText(e), clock.now() + backoffDelay(2, this.o.backoff, this.o.random, e.retryAfterMs));
    }
  }
}
