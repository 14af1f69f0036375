// Result polling: AsyncHandleResult replies judged per item, as properties over any reply —
// partial (some items named as failed), with an item named twice, naming items the request did
// not have, whole-request failures — and the poller against a real store with scripted platform
// replies (a scripted client, because the simulator never answers out of order, twice or
// inconsistently): replies for two requests out of order settle each its own items, a repeated
// reply after settling changes nothing, and a reply that does not fit is resolved by query.
import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { OutboxItem, SyncProgressEvent } from '../../edge-core/src/ports/platform.js';
import type { AsyncResult } from '../src/platform/async-result.js';
import { resolvePlatformConfig } from '../src/platform/config.js';
import type { PlatformClient } from '../src/platform/client.js';
import { ItemOutcomes } from '../src/outbox/item-outcomes.js';
import { judgeResult, ResultPoller } from '../src/outbox/result-poller.js';
import { openAppliance, type Appliance } from './support/appliance.js';
import { TEST_SECRET } from './support/fake-ids.js';

const TRANSIENT = /繁忙|稍后|busy|later/i;

function item(id: number): OutboxItem {
  return { id, kind: 'attendance', refId: String(id), partitionKey: `worker:${id}`, state: 'inflight', attempts: 1, nextAttemptAt: 0, firstAttemptAt: 0, requestSerialCode: 'S', lastError: null, parkedReason: null, createdAt: id, sentAt: null };
}

const replyArb = (n: number) =>
  fc.oneof(
    fc.constant<AsyncResult>({ status: 'waiting', result: '', failures: [], perItem: false }),
    fc.constant<AsyncResult>({ status: 'succeeded', result: '处理成功', failures: [], perItem: false }),
    fc.record({ reason: fc.constantFrom('系统繁忙，请稍后重试', '身份证号码校验失败') }).map<AsyncResult>(({ reason }) => ({
      status: 'failed',
      result: reason,
      failures: Array.from({ length: n }, (_, index) => ({ index, reason })),
      perItem: false,
    })),
    fc
      .array(fc.record({ index: fc.integer({ min: -1, max: n + 1 }), reason: fc.constantFrom('系统繁忙，请稍后重试', '人员不在项目花名册中') }), { minLength: 1, maxLength: n + 3 })
      .map<AsyncResult>((failures) => ({ status: 'failed', result: `${failures.length} 条失败`, failures, perItem: true })),
  );

describe('sync: judging an async result', () => {
  it('gives every item exactly one outcome, by its place in the request, or asks the platform when the reply does not fit', () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.integer({ min: 1, max: 10_000 }), { minLength: 1, maxLength: 20 }).chain((ids) => fc.tuple(fc.constant(ids), fc.shuffledSubarray(ids, { minLength: ids.length, maxLength: ids.length }), replyArb(ids.length))),
        ([ids, shuffled, reply]) => {
          const items = shuffled.map(item);
          const v = judgeResult([...items, ...items.slice(0, 1)], reply, TRANSIENT); // an item listed twice
          const sorted = [...ids].sort((a, b) => a - b);
          if (reply.status === 'waiting') {
            expect(v.kind).toBe('waiting');
            return;
          }
          const outOfRange = reply.perItem && reply.failures.some((f) => f.index < 0 || f.index >= ids.length);
          if (outOfRange) {
            expect(v.kind).toBe('unclear');
            return;
          }
          if (v.kind !== 'settled') throw new Error(`expected settled, got ${v.kind}`);
          const placed = [...v.sent, ...v.retry, ...v.park.map((p) => p.item), ...(v.refusedWhole?.items ?? [])].map((i) => i.id);
          expect([...placed].sort((a, b) => a - b)).toEqual(sorted);
          if (reply.perItem) {
            const failed = new Set(reply.failures.map((f) => f.index));
            expect(v.sent.map((i) => i.id)).toEqual(sorted.filter((_, k) => !failed.has(k)));
            for (const p of v.park) expect(p.why).toMatch(/平台拒收/);
          }
          if (reply.status === 'succeeded') expect(v.sent.length).toBe(ids.length);
        },
      ),
      { numRuns: 1000 },
    );
  });
});

describe('sync: polling results against a real store (scripted platform replies)', () => {
  let a: Appliance;
  let now = Date.UTC(2026, 4, 1, 2);
  const clock = { now: () => now };
  let replies: Map<string, AsyncResult[]>;
  let polled: string[];
  let events: SyncProgressEvent[];
  let poller: ResultPoller;

  beforeEach(() => {
    a = openAppliance({ teamSysNo: 'T1', workers: 6, clock });
    replies = new Map();
    polled = [];
    events = [];
    // Only what the poller calls; the replies are scripted per serial, in the order given.
    const client = {
      config: resolvePlatformConfig({ endpoint: 'http://127.0.0.1:9/api', appid: 'a', appsecret: TEST_SECRET, projectCode: 'P' }),
      asyncResult: async (serial: string): Promise<AsyncResult> => {
        polled.push(serial);
        const list = replies.get(serial) ?? [];
        const next = list.length > 1 ? list.shift() : list[0];
        if (!next) throw new Error(`no scripted reply for ${serial}`);
        return next;
      },
    } as unknown as PlatformClient;
    const outcomes = new ItemOutcomes({ outbox: a.outbox, clock, backoff: { baseMs: 10, maxMs: 10 }, random: () => 0, budgetMs: 3600_000, emit: (e) => events.push(e) });
    poller = new ResultPoller({ outbox: a.outbox, client, clock, outcomes, random: () => 0, pollMs: 100, timeoutMs: 60_000, transientPattern: TRANSIENT, succeeded: () => {}, failed: () => {}, emit: (e) => events.push(e) });
  });
  afterEach(() => a.close());

  /** Records passes and sends them as requests with the given serials (n items each). */
  function inflight(serials: Array<[string, number]>): Map<string, number[]> {
    const out = new Map<string, number[]>();
    let w = 0;
    for (const [serial, n] of serials) {
      for (let k = 0; k < n; k++) a.attendance.record({ laneId: 'lane-1', workerId: a.workerIds[w++ % 6] ?? null, direction: 'in', decision: 'pass', occurredAt: now - 60_000 + w * 1000 });
      const items = a.outbox.claimable(now, 100).slice(0, n);
      a.outbox.markInflight(items.map((i) => i.id), now);
      a.outbox.setSerial(items.map((i) => i.id), serial);
      poller.accepted(serial);
      out.set(serial, items.map((i) => i.id));
    }
    return out;
  }

  async function round(): Promise<void> {
    now += 1000;
    await Promise.all(poller.dispatch(10));
  }

  const states = (ids: number[]) => ids.map((id) => a.store.db.prepare('SELECT state FROM outbox WHERE id = ?').pluck().get(id));

  it('replies out of order settle each request’s own items; a repeated reply after settling changes nothing', async () => {
    const req = inflight([
      ['A', 3],
      ['B', 2],
    ]);
    // B is answered first, A is still waiting.
    replies.set('A', [{ status: 'waiting', result: '', failures: [], perItem: false }, { status: 'succeeded', result: '', failures: [], perItem: false }]);
    replies.set('B', [{ status: 'succeeded', result: '', failures: [], perItem: false }]);
    await round();
    expect(states(req.get('B') ?? [])).toEqual(['sent', 'sent']);
    expect(states(req.get('A') ?? [])).toEqual(['inflight', 'inflight', 'inflight']);
    await round();
    expect(states(req.get('A') ?? [])).toEqual(['sent', 'sent', 'sent']);
    // The platform would now answer "failed" for A (a late, contradicting duplicate): A is not polled again.
    replies.set('A', [{ status: 'failed', result: '处理失败', failures: [], perItem: false }]);
    const before = polled.length;
    await round();
    expect(polled.length).toBe(before);
    expect(states(req.get('A') ?? [])).toEqual(['sent', 'sent', 'sent']);
    expect(events.filter((e) => e.type === 'delivered').reduce((n, e) => n + (e.type === 'delivered' ? e.count : 0), 0)).toBe(5);
  });

  it('a partial reply: named items are retried or parked by their reason, the others are sent', async () => {
    const ids = inflight([['C', 4]]).get('C') ?? [];
    replies.set('C', [
      {
        status: 'failed',
        result: '2 条失败',
        perItem: true,
        failures: [
          { index: 1, reason: '系统繁忙，请稍后重试' },
          { index: 3, reason: '人员不在项目花名册中' },
          { index: 3, reason: '人员不在项目花名册中' },
        ],
      },
    ]);
    await round();
    expect(states(ids)).toEqual(['sent', 'pending', 'sent', 'parked']);
    expect(a.outbox.parked(10)[0]?.parkedReason).toContain('人员不在项目花名册中');
  });

  it('a reply naming an item the request did not have is not trusted: the items are checked by query', async () => {
    const ids = inflight([['D', 2]]).get('D') ?? [];
    replies.set('D', [{ status: 'failed', result: '1 条失败', perItem: true, failures: [{ index: 5, reason: '失败' }] }]);
    await round();
    expect(states(ids)).toEqual(['ambiguous', 'ambiguous']);
  });

  it('a request whose result never comes is checked by query after the timeout', async () => {
    const ids = inflight([['E', 2]]).get('E') ?? [];
    replies.set('E', [{ status: 'waiting', result: '', failures: [], perItem: false }]);
    await round();
    expect(states(ids)).toEqual(['inflight', 'inflight']);
    now += 61_000;
    await round();
    expect(states(ids)).toEqual(['ambiguous', 'ambiguous']);
  });
});
