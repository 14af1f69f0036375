// The outbox worker: delivers queued records to the platform at least once, without
// duplicates, in order per partition (a worker's own records). It composes small parts on one
// injected clock:
//   connectivity.ts       online / offline / blocked, the probe gate, standing problems
//   batch-planner.ts      claimed items → bounded requests (pure)
//   batch-sender.ts       claim, plan, send; unclear outcomes become ambiguous
//   result-poller.ts      AsyncHandleResult.Query per request, judged per item
//   ambiguity-resolver.ts unclear outcomes checked against WorkerAttendance.Query (every page)
//   team-registrar.ts     teams the platform does not know yet
//   item-outcomes.ts      retry later, park with the platform's words, split refused batches
// This file runs them: a loop that dispatches resolves, polls, sends and team registration
// within concurrency limits, sleeps while nothing is due, and reports status.
import type { Clock } from '../../../edge-core/src/ports/clock.js';
import type { ClockSkew, OutboxStorePort, SyncProgressEvent, SyncStatus } from '../../../edge-core/src/ports/platform.js';
import type { PlatformClient } from '../platform/client.js';
import { isPlatformError, type PlatformError } from '../platform/errors.js';
import { AmbiguityResolver } from './ambiguity-resolver.js';
import { DEFAULT_BACKOFF, type BackoffPolicy } from './backoff.js';
import { BatchSender } from './batch-sender.js';
import { Connectivity, type HeartbeatOutcome } from './connectivity.js';
import { ItemOutcomes } from './item-outcomes.js';
import { ResultPoller } from './result-poller.js';
import { TeamRegistrar } from './team-registrar.js';

export { MAKEUP_ATTEND_TYPE } from '../platform/wire.js';

export interface OutboxWorkerOptions {
  outbox: OutboxStorePort;
  client: PlatformClient;
  /** The one clock every part reads (stored times, backoff, polls, the probe gate). */
  clock: Clock;
  onProgress?: (e: SyncProgressEvent) => void;
  /** Parallel write requests (default 4). */
  concurrency?: number;
  backoff?: BackoffPolicy;
  /** Give up (park) an item after this long of answered failures (default 72 h). */
  budgetMs?: number;
  /** Wait before resolving an ambiguous outcome, so a late write lands first (default 1500 ms). */
  settleMs?: number;
  /** Idle poll when nothing is due (default 500 ms; wake() cuts it short). */
  idleMs?: number;
  /** Retry delay of items whose team is not yet registered on the platform (default 60 s). */
  teamWaitMs?: number;
  /** Wait up to this long for a full batch while other requests are in flight (default 100 ms). */
  lingerMs?: number;
  /** Interval between AsyncHandleResult polls of one request (default 200 ms). */
  resultPollMs?: number;
  /** A request without a final async result after this long is resolved by query (default 10 min). */
  resultTimeoutMs?: number;
  /** Probe delays while offline / blocked. */
  offlineProbe?: BackoffPolicy;
  blockedProbe?: BackoffPolicy;
  random?: () => number;
  /** Reads the latest clock-skew estimate for the status (from the heartbeat). */
  clockSkew?: () => ClockSkew | null;
}

export interface OutboxWorker {
  status(): SyncStatus;
  /** Something new is queued or settings changed: run now. */
  wake(): void;
  /** The heartbeat's outcome (its refusals are problems of their own). */
  noteHeartbeat(h: HeartbeatOutcome): void;
  /** Runs cycles until nothing is due or `timeoutMs` passes; resolves true when drained. */
  drain(timeoutMs: number): Promise<boolean>;
  stop(): Promise<void>;
}

export function startOutboxWorker(o: OutboxWorkerOptions): OutboxWorker {
  const { outbox, client, clock } = o;
  const concurrency = o.concurrency ?? 4;
  const backoff = o.backoff ?? DEFAULT_BACKOFF;
  const settleMs = o.settleMs ?? 1500;
  const idleMs = o.idleMs ?? 500;
  const resultPollMs = o.resultPollMs ?? 200;
  const random = o.random ?? Math.random;
  const emit = (e: SyncProgressEvent): void => {
    try {
      o.onProgress?.(e);
    } catch {
      // a listener's failure must not stop delivery
    }
  };

  let lastStatusEmit = Number.NEGATIVE_INFINITY;
  const status = (): SyncStatus => ({
    connectivity: link.state,
    reason: link.reason,
    problems: link.problems(),
    counts: outbox.counts(),
    lastSuccessAt: link.lastSuccessAt,
    lastAttemptAt: link.lastAttemptAt,
    clockSkew: o.clockSkew?.() ?? null,
  });
  const emitStatus = (force = false): void => {
    const t = clock.now();
    if (!force && t - lastStatusEmit < 1000) return;
    lastStatusEmit = t;
    emit({ type: 'status', status: status() });
  };

  const link = new Connectivity({
    clock,
    random,
    offlineProbe: o.offlineProbe ?? { baseMs: 1000, maxMs: 60_000 },
    blockedProbe: o.blockedProbe ?? { baseMs: 30_000, maxMs: 5 * 60_000 },
    onChange: () => emitStatus(true),
  });
  /** Every failure is reported; returns true when calls must pause. */
  const failed = (e: PlatformError): boolean => {
    emit({ type: 'error', message: e.userMessage, kind: e.kind, at: clock.now() });
    return link.failed(e);
  };
  const succeeded = (): void => link.succeeded();

  const outcomes = new ItemOutcomes({ outbox, clock, backoff, random, budgetMs: o.budgetMs ?? 72 * 3600_000, emit });
  const poller = new ResultPoller({
    outbox,
    client,
    clock,
    outcomes,
    random,
    pollMs: resultPollMs,
    timeoutMs: o.resultTimeoutMs ?? 10 * 60_000,
    transientPattern: client.config.transientItemPattern,
    succeeded,
    failed,
    emit,
  });
  const resolver = new AmbiguityResolver({ outbox, client, clock, outcomes, backoff, random, succeeded, failed, emit });
  const teams = new TeamRegistrar({ outbox, client, clock, pollMs: resultPollMs, succeeded, emit });
  const sender = new BatchSender({
    outbox,
    client,
    clock,
    outcomes,
    poller,
    teams,
    settleMs,
    teamWaitMs: o.teamWaitMs ?? 60_000,
    lingerMs: o.lingerMs ?? 100,
    attempted: () => link.attempted(),
    succeeded,
    failed,
  });

  const recovered = outbox.recoverAfterCrash(clock.now() + settleMs);
  if (recovered) emit({ type: 'notice', code: 'recovered_after_crash', params: { count: recovered }, at: clock.now() });

  // In-flight work by kind. Polls and ambiguity checks are small reads: more of them may run
  // at once than writes.
  const active = new Set<Promise<void>>();
  const slots = { send: 0, poll: 0, resolve: 0 };
  const limits = { send: concurrency, poll: Math.max(2, concurrency), resolve: Math.max(2, concurrency * 2) };
  const internal = (e: unknown): void =>
    emit({ type: 'error', kind: 'internal', at: clock.now(), message: { zh: `同步内部错误：${(e as Error).message}`, en: `Sync internal error: ${(e as Error).message}` } });
  function track(kind: keyof typeof slots, p: Promise<unknown>): void {
    slots[kind]++;
    const q: Promise<void> = p
      .then(() => undefined, internal)
      .finally(() => {
        slots[kind]--;
        active.delete(q);
      });
    active.add(q);
  }
  const free = (kind: keyof typeof slots): number => limits[kind] - slots[kind];

  function dispatch(): number {
    const resolves = resolver.dispatch(free('resolve'));
    for (const p of resolves) track('resolve', p);
    const polls = poller.dispatch(free('poll'));
    for (const p of polls) track('poll', p);
    const sends = sender.dispatch(free('send'), active.size > 0);
    for (const p of sends) track('send', p);
    let n = resolves.length + polls.length + sends.length;
    const registering = teams.dispatch();
    if (registering) {
      track(
        'resolve',
        registering.catch((e: unknown) => {
          if (isPlatformError(e)) failed(e);
          else throw e;
        }),
      );
      n++;
    }
    return n;
  }

  let running = true;
  let wakeUp: (() => void) | null = null;
  const sleep = (ms: number): Promise<void> =>
    new Promise((resolve) => {
      const t = setTimeout(() => {
        if (wakeUp === w) wakeUp = null;
        resolve();
      }, ms);
      const w = (): void => {
        clearTimeout(t);
        if (wakeUp === w) wakeUp = null;
        resolve();
      };
      wakeUp = w;
    });

  const loop = (async () => {
    while (running) {
      let dispatched = 0;
      if (link.isOpen()) {
        try {
          dispatched = dispatch();
        } catch (e) {
          internal(e);
        }
      }
      emitStatus();
      if (!running) break;
      if (active.size === 0) {
        const gate = link.msUntilOpen();
        await sleep(Math.max(5, gate > 0 ? Math.min(gate, idleMs * 4) : poller.waiting > 0 ? resultPollMs : idleMs));
      } else if (dispatched === 0 || active.size >= limits.send + limits.poll + limits.resolve) {
        await Promise.race([...active, sleep(Math.max(5, Math.min(resultPollMs, idleMs)))]);
      } else {
        // Never spin: let I/O, timers and the requests just dispatched make progress.
        await new Promise<void>((r) => setImmediate(r));
      }
    }
    await Promise.all([...active]);
  })();

  return {
    status,
    wake() {
      link.open();
      wakeUp?.();
    },
    noteHeartbeat(h) {
      link.heartbeat(h);
    },
    async drain(timeoutMs) {
      const end = clock.now() + timeoutMs;
      while (clock.now() < end) {
        if (!outbox.hasUndelivered()) return true;
        await new Promise((r) => setTimeout(r, 50));
      }
      return !outbox.hasUndelivered();
    },
    async stop() {
      running = false;
      wakeUp?.();
      await loop;
    },
  };
}
