// What becomes of items after a failure: try again later (backoff, or the probe gate when the
// link is down, spending no time budget), park with the platform's words when the budget is
// spent or the data is refused, or split a batch refused as a whole so the bad item is found.
import type { Clock } from '../../../edge-core/src/ports/clock.js';
import type { OutboxItem, OutboxStorePort, SyncProgressEvent } from '../../../edge-core/src/ports/platform.js';
import { outboxError, type OutboxError } from '../../../edge-core/src/ports/platform.js';
import { isPlatformError, type PlatformError } from '../platform/errors.js';
import { backoffDelay, type BackoffPolicy } from './backoff.js';
import { NETWORK_KINDS } from './connectivity.js';

export interface ItemOutcomesOptions {
  outbox: OutboxStorePort;
  clock: Clock;
  backoff: BackoffPolicy;
  random: () => number;
  /** Give up (park) after this long of answered failures. */
  budgetMs: number;
  emit: (e: SyncProgressEvent) => void;
}

/** A failure in words, kind and both languages (for a parked item's reason). */
export function errText(e: unknown): string {
  return isPlatformError(e) ? `${e.kind}: ${e.userMessage.zh} / ${e.userMessage.en}` : String((e as Error)?.message ?? e);
}

/** A failure as stored in last_error: a code with parameters, no words of ours. */
export function errCode(e: unknown): OutboxError {
  return isPlatformError(e) ? outboxError('platform', { kind: e.kind, detail: e.detail }) : outboxError('failed', { message: String((e as Error)?.message ?? e) });
}

export class ItemOutcomes {
  /** Items to send alone: their batch was refused as a whole. */
  readonly solo = new Set<number>();

  constructor(private readonly o: ItemOutcomesOptions) {}

  /** Reschedules after an answered or network failure, or parks when the time budget is spent. */
  retryLater(items: OutboxItem[], e: PlatformError | Error): void {
    const now = this.o.clock.now();
    const pe = isPlatformError(e) ? e : null;
    // Offline or misconfigured: the probe gate decides when to try again; no budget is spent.
    const offline = pe !== null && (NETWORK_KINDS.has(pe.kind) || pe.retry === 'blocked');
    if (!offline) {
      const expired = items.filter((i) => i.firstAttemptAt !== null && now - i.firstAttemptAt > this.o.budgetMs);
      this.park(expired, `超过重试时限仍未送达 / not delivered within the retry budget: ${errText(e)}`);
      items = items.filter((i) => !expired.includes(i));
    }
    if (!items.length) return;
    const attempt = Math.max(...items.map((i) => i.attempts + 1));
    const delay = offline ? 0 : backoffDelay(attempt, this.o.backoff, this.o.random, pe?.retryAfterMs);
    this.o.outbox.reschedule(
      items.map((i) => i.id),
      now + delay,
      errCode(e),
      { countAttempt: !offline },
    );
  }

  park(items: OutboxItem[], why: string): void {
    if (!items.length) return;
    const now = this.o.clock.now();
    for (const i of items) this.solo.delete(i.id);
    this.o.outbox.park(
      items.map((i) => i.id),
      why,
      now,
    );
    this.o.emit({ type: 'parked', kind: items[0]?.kind ?? 'attendance', outboxIds: items.map((i) => i.id), reason: why, at: now });
  }

  /** A whole request refused as bad data: split to find the bad item, or park a lone one. */
  refused(items: OutboxItem[], why: string): void {
    if (items.length > 1) {
      for (const i of items) this.solo.add(i.id);
      this.o.outbox.reschedule(
        items.map((i) => i.id),
        this.o.clock.now(),
        outboxError('refused_whole', { reason: why }),
        { countAttempt: false },
      );
    } else this.park(items, why);
  }

  delivered(ids: readonly number[]): void {
    for (const id of ids) this.solo.delete(id);
  }
}
