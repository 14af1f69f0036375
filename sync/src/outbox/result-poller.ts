// Result polling: a write the platform accepted is settled by AsyncHandleResult.Query. Each
// request (serial code) is polled on its own schedule; the reply is judged per item (the
// request's item order is ascending outbox id): sent, retried (a passing per-item failure),
// parked (refused data), or — when the reply cannot be trusted (it names items the request did
// not have, or never comes) — resolved by asking the platform what it holds.
import type { Clock } from '../../../edge-core/src/ports/clock.js';
import type { OutboxItem, OutboxStorePort, SyncProgressEvent } from '../../../edge-core/src/ports/platform.js';
import type { AsyncResult } from '../platform/async-result.js';
import type { PlatformClient } from '../platform/client.js';
import { isPlatformError, type PlatformError } from '../platform/errors.js';
import { backoffDelay } from './backoff.js';
import { isTransientItemReason } from './item-reasons.js';
import { outboxError, type OutboxError } from '../../../edge-core/src/ports/platform.js';
import { errCode, type ItemOutcomes } from './item-outcomes.js';

export type ResultVerdict =
  | { kind: 'waiting' }
  /** The reply does not fit the request: resolve by query. */
  | { kind: 'unclear'; why: string }
  | {
      kind: 'settled';
      sent: OutboxItem[];
      retry: OutboxItem[];
      park: Array<{ item: OutboxItem; why: string }>;
      /** The whole request refused as bad data without naming items (split to find the bad one). */
      refusedWhole: { items: OutboxItem[]; why: string } | null;
      /** The reason given for the retried items. */
      retryWhy: string;
    };

/**
 * Judges one async result for the request's items (pure). `items` in any order: they are
 * taken in ascending outbox id, the order they were sent in.
 */
export function judgeResult(items: readonly OutboxItem[], r: AsyncResult, transientPattern: RegExp): ResultVerdict {
  if (r.status === 'waiting') return { kind: 'waiting' };
  const ordered = [...new Map(items.map((i) => [i.id, i])).values()].sort((a, b) => a.id - b.id);
  const none = { sent: [] as OutboxItem[], retry: [] as OutboxItem[], park: [] as Array<{ item: OutboxItem; why: string }>, refusedWhole: null, retryWhy: '' };
  if (r.status === 'succeeded') return { kind: 'settled', ...none, sent: ordered };
  if (!r.perItem) {
    const why = r.result || '处理失败';
    if (isTransientItemReason(why, transientPattern)) return { kind: 'settled', ...none, retry: ordered, retryWhy: `平台暂时无法处理 / platform busy: ${why}` };
    return { kind: 'settled', ...none, refusedWhole: { items: ordered, why: `平台拒收 / refused by the platform: ${why}` } };
  }
  const bad = r.failures.find((f) => !Number.isInteger(f.index) || f.index < 0 || f.index >= ordered.length);
  if (bad) return { kind: 'unclear', why: `async result names item ${bad.index} of a ${ordered.length}-item request` };
  // A failure listed twice for one item counts once (the first reason).
  const failed = new Map<number, string>();
  for (const f of r.failures) if (!failed.has(f.index)) failed.set(f.index, f.reason);
  const v = { kind: 'settled' as const, ...none, sent: [] as OutboxItem[], retry: [] as OutboxItem[], park: [] as Array<{ item: OutboxItem; why: string }> };
  ordered.forEach((item, index) => {
    const why = failed.get(index);
    if (why === undefined) v.sent.push(item);
    else if (isTransientItemReason(why, transientPattern)) v.retry.push(item);
    else v.park.push({ item, why: `平台拒收 / refused by the platform: ${why}` });
  });
  const firstRetry = v.retry[0] ? failed.get(ordered.indexOf(v.retry[0])) : undefined;
  return { ...v, retryWhy: `平台暂时无法处理 / platform busy: ${firstRetry ?? ''}` };
}

export interface ResultPollerOptions {
  outbox: OutboxStorePort;
  client: PlatformClient;
  clock: Clock;
  outcomes: ItemOutcomes;
  random: () => number;
  /** Interval between polls of one request. */
  pollMs: number;
  /** A request without a final result after this long is resolved by query. */
  timeoutMs: number;
  transientPattern: RegExp;
  succeeded: () => void;
  failed: (e: PlatformError) => void;
  emit: (e: SyncProgressEvent) => void;
}

export class ResultPoller {
  readonly #seen = new Map<string, { firstAt: number; nextPollAt: number }>();
  readonly #polling = new Set<string>();
  #lastScan = Number.NEGATIVE_INFINITY;

  constructor(private readonly o: ResultPollerOptions) {}

  /** A request was just accepted: first poll soon. */
  accepted(serial: string): void {
    const now = this.o.clock.now();
    this.#seen.set(serial, { firstAt: now, nextPollAt: now + Math.min(this.o.pollMs, 50) });
  }

  /** Requests waiting for their result (they keep the loop polling). */
  get waiting(): number {
    return this.#seen.size;
  }

  /** Starts polls of due requests (at most `free`); returns the promises started. */
  dispatch(free: number): Array<Promise<void>> {
    if (free <= 0) return [];
    const now = this.o.clock.now();
    // The store is scanned for requests awaiting a result at most every few ms.
    if (now - this.#lastScan < Math.min(this.o.pollMs, 25)) return [];
    this.#lastScan = now;
    const bySerial = new Map<string, OutboxItem[]>();
    for (const i of this.o.outbox.awaitingResult(2000)) {
      const s = i.requestSerialCode as string;
      if (this.#polling.has(s)) continue;
      bySerial.set(s, [...(bySerial.get(s) ?? []), i]);
    }
    const started: Array<Promise<void>> = [];
    for (const [serial, list] of bySerial) {
      if (started.length >= free) break;
      const seen = this.#seen.get(serial);
      if (seen && now < seen.nextPollAt) continue;
      this.#polling.add(serial);
      started.push(this.poll(serial, list).finally(() => this.#polling.delete(serial)));
    }
    return started;
  }

  /** Polls one request and applies its verdict. */
  async poll(serial: string, items: OutboxItem[]): Promise<void> {
    const seen = this.#seen.get(serial) ?? { firstAt: this.o.clock.now(), nextPollAt: 0 };
    this.#seen.set(serial, seen);
    let r: AsyncResult;
    try {
      r = await this.o.client.asyncResult(serial, items.length);
    } catch (e) {
      if (!isPlatformError(e)) throw e;
      this.o.failed(e);
      if (e.kind === 'bad_parameters') {
        // The platform does not know this serial: find out by query what it stored.
        this.#unclear(serial, items, errCode(e));
      } else seen.nextPollAt = this.o.clock.now() + backoffDelay(2, { baseMs: this.o.pollMs, maxMs: 30_000 }, this.o.random, e.retryAfterMs);
      return;
    }
    this.o.succeeded();
    const v = judgeResult(items, r, this.o.transientPattern);
    const now = this.o.clock.now();
    if (v.kind === 'waiting') {
      if (now - seen.firstAt > this.o.timeoutMs) this.#unclear(serial, items, outboxError('result_timeout'));
      else seen.nextPollAt = now + this.o.pollMs;
      return;
    }
    this.#seen.delete(serial);
    if (v.kind === 'unclear') {
      this.#unclear(serial, items, outboxError('result_unclear', { detail: v.why }));
      return;
    }
    if (v.sent.length) {
      this.o.outbox.markSent(v.sent.map((i) => i.id), now);
      this.o.outcomes.delivered(v.sent.map((i) => i.id));
      this.o.emit({ type: 'delivered', kind: v.sent[0]?.kind ?? 'attendance', count: v.sent.length, at: now });
    }
    for (const p of v.park) this.o.outcomes.park([p.item], p.why);
    if (v.retry.length) this.o.outcomes.retryLater(v.retry, new Error(v.retryWhy));
    if (v.refusedWhole) this.o.outcomes.refused(v.refusedWhole.items, v.refusedWhole.why);
  }

  #unclear(serial: string, items: OutboxItem[], why: OutboxError): void {
    this.#seen.delete(serial);
    this.o.outbox.markAmbiguous(
      items.map((i) => i.id),
      why,
      this.o.clock.now(),
    );
  }
}
