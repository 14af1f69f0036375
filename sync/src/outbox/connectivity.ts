// The link to the platform as the supervisor sees it: online / offline / blocked with the
// reason, the gate before the next call (offline and blocked probes, Retry-After), and the
// standing problems a person must act on (codes; the words are at the edge). Fed by every
// call's outcome and by the heartbeat's. Reads only the injected clock.
import type { Clock } from '../../../edge-core/src/ports/clock.js';
import type { Bilingual, SyncConnectivity, SyncProblem, SyncProblemCode } from '../../../edge-core/src/ports/platform.js';
import type { PlatformError, PlatformErrorKind } from '../platform/errors.js';
import { backoffDelay, type BackoffPolicy } from './backoff.js';

/** Failures that say the network (not the platform) is in the way. */
export const NETWORK_KINDS: ReadonlySet<PlatformErrorKind> = new Set(['connection_refused', 'network', 'timeout', 'connection_reset', 'tls']);

/** Failures that prove the platform answered (it is reachable, whatever it said). */
const ANSWERED_KINDS: ReadonlySet<PlatformErrorKind> = new Set(['bad_parameters', 'rate_limited', 'unknown_code', 'inconsistent_reply']);

/** What a heartbeat call came to (from device/heartbeat.ts). */
export interface HeartbeatOutcome {
  /** The method called (null: none configured, Team.Query used for the time). */
  method: string | null;
  ok: boolean;
  failure: { kind: PlatformErrorKind; retry: PlatformError['retry']; message: Bilingual; code?: number; detail?: string } | null;
}

export interface ConnectivityOptions {
  clock: Clock;
  random: () => number;
  offlineProbe: BackoffPolicy;
  blockedProbe: BackoffPolicy;
  /** Connectivity, its reason or the problems changed. */
  onChange?: () => void;
}

export class Connectivity {
  #state: SyncConnectivity = 'unknown';
  #reason: Bilingual | null = null;
  #probeFailures = 0;
  #gateUntil = 0;
  #lastSuccessAt: number | null = null;
  #lastAttemptAt: number | null = null;
  /** What blocked the link (a heartbeat that goes through disproves only some of it). */
  #blockedBy: PlatformErrorKind | null = null;
  readonly #problems = new Map<SyncProblemCode, SyncProblem>();

  constructor(private readonly o: ConnectivityOptions) {}

  get state(): SyncConnectivity {
    return this.#state;
  }
  get reason(): Bilingual | null {
    return this.#reason;
  }
  get lastSuccessAt(): number | null {
    return this.#lastSuccessAt;
  }
  get lastAttemptAt(): number | null {
    return this.#lastAttemptAt;
  }
  problems(): SyncProblem[] {
    return [...this.#problems.values()];
  }

  /** May calls go out now? */
  isOpen(): boolean {
    return this.o.clock.now() >= this.#gateUntil;
  }
  /** Milliseconds until calls may go out (0 when open). */
  msUntilOpen(): number {
    return Math.max(0, this.#gateUntil - this.o.clock.now());
  }
  /** Settings changed or new work arrived: try at once. */
  open(): void {
    this.#gateUntil = Math.min(this.#gateUntil, this.o.clock.now());
  }

  attempted(): void {
    this.#lastAttemptAt = this.o.clock.now();
  }

  /** A call went through (`delivery`: it carried records, so it counts as the last success). */
  succeeded(delivery = true): void {
    if (delivery) this.#lastSuccessAt = this.o.clock.now();
    this.#probeFailures = 0;
    // A call went through: the request time is accepted again.
    const cleared = this.#problems.delete('clock_outside_window');
    this.#set('online', null, cleared);
  }

  /** A failed call. Returns true when calls must pause (offline or blocked). */
  failed(e: PlatformError): boolean {
    const now = this.o.clock.now();
    if (e.kind === 'clock_rejected') this.#raise('clock_outside_window', e.detail ? { detail: e.detail } : {});
    if (e.retry === 'blocked') {
      this.#probeFailures++;
      this.#gateUntil = now + backoffDelay(this.#probeFailures, this.o.blockedProbe, this.o.random);
      this.#blockedBy = e.kind;
      this.#set('blocked', e.userMessage);
      return true;
    }
    if (NETWORK_KINDS.has(e.kind)) {
      this.#probeFailures++;
      // A refused connection is certain; timeouts and resets may be a bad link: pause after 3.
      if (e.delivery !== 'ambiguous' || this.#probeFailures >= 3) {
        const step = e.delivery !== 'ambiguous' ? this.#probeFailures : this.#probeFailures - 2;
        this.#gateUntil = now + backoffDelay(step, this.o.offlineProbe, this.o.random);
        this.#set('offline', e.userMessage);
        return true;
      }
      return false;
    }
    if (e.retryAfterMs !== undefined) this.#gateUntil = Math.max(this.#gateUntil, now + e.retryAfterMs);
    // The platform answered: it is reachable, even if it refused this request.
    if (ANSWERED_KINDS.has(e.kind) && this.#state !== 'online') this.#set('online', null);
    return false;
  }

  /**
   * The heartbeat's outcome. Its refusal (−3) is a problem of its own: the device key travels
   * with it. Failures that stop every call (request time, secret, IP) block the link as a data
   * call's would, so they show even when nothing else is being sent.
   */
  heartbeat(h: HeartbeatOutcome): void {
    if (h.ok) {
      let changed = this.#problems.delete('heartbeat_not_permitted');
      changed = this.#problems.delete('heartbeat_refused') || changed;
      changed = this.#problems.delete('clock_outside_window') || changed;
      // It went through: the network is back and the request time is accepted (a probe that
      // succeeded). A block for another reason (a data method refused) stands.
      if (this.#state !== 'blocked' || this.#blockedBy === 'clock_rejected') {
        this.#probeFailures = 0;
        this.open();
        this.#set('online', null, changed);
      } else if (changed) this.o.onChange?.();
      return;
    }
    const f = h.failure;
    // Passing trouble (network, rate limit, a garbled or unanswered reply) is not a refusal.
    if (!f || NETWORK_KINDS.has(f.kind) || f.kind === 'rate_limited' || (f.code === undefined && f.retry !== 'blocked')) return;
    const method = h.method ?? 'Team.Query';
    const code: Record<string, number> = f.code !== undefined ? { code: f.code } : {};
    if (f.kind === 'clock_rejected') this.#raise('clock_outside_window', f.detail ? { detail: f.detail } : {});
    else if (f.kind === 'no_permission') {
      this.#problems.delete('heartbeat_refused');
      this.#raise('heartbeat_not_permitted', { method, ...code });
    } else {
      this.#problems.delete('heartbeat_not_permitted');
      this.#raise('heartbeat_refused', { method, ...code, detail: f.detail ?? f.kind });
    }
    if (f.retry === 'blocked' && f.kind !== 'no_permission') {
      this.#blockedBy = f.kind;
      this.#set('blocked', f.message);
    }
    else if (f.kind === 'no_permission' && this.#state === 'unknown') this.#set('online', null); // it answered
  }

  #raise(code: SyncProblemCode, params: Record<string, string | number>): void {
    const known = this.#problems.get(code);
    if (known && JSON.stringify(known.params) === JSON.stringify(params)) return;
    this.#problems.set(code, { code, params, since: known?.since ?? this.o.clock.now() });
    this.o.onChange?.();
  }

  #set(state: SyncConnectivity, why: Bilingual | null, force = false): void {
    if (state !== 'blocked') this.#blockedBy = null;
    const changed = state !== this.#state || why?.en !== this.#reason?.en;
    this.#state = state;
    this.#reason = why;
    if (changed || force) this.o.onChange?.();
  }
}
