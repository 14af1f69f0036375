// The audit of sign-in attempts, written so that neither a flood nor a full disk can hurt:
// - repeated refusals (wrong PIN, locked, rate-limited) are coalesced per kind, role and source:
//   the first of a window is written at once, the rest of the window as one row with a count
//   when it closes (so 2,000 wrong PINs in 20 s are a handful of rows, not 2,000);
// - a row the store cannot write (full disk, read-only or failing disk) waits in memory, in
//   order, and is written when there is room, marked `deferred` with its reason and time. A
//   sign-in never fails because its audit row could not be written yet.
import type { Store } from '../store/store.js';
import { StoreError } from '../store/errors.js';
import { AuditLog } from '../store/audit-log.js';

export interface LoginAuditOptions {
  /** Length of a coalescing window (store clock, ms). */
  windowMs?: number;
  /** How often rows waiting for room are tried again (real time, ms). */
  retryMs?: number;
  /** Rows kept waiting at most; beyond, the newest are counted and dropped. */
  maxWaiting?: number;
}

interface Row {
  actor: string;
  action: string;
  target: string | null;
  details: Record<string, unknown>;
}

interface Window {
  row: Row;
  source: string;
  from: number;
  to: number;
  /** Attempts after the one written when the window opened. */
  count: number;
  last: Record<string, unknown>;
}

export class LoginAudit {
  readonly #audit: AuditLog;
  readonly #windowMs: number;
  readonly #retryMs: number;
  readonly #maxWaiting: number;
  readonly #windows = new Map<string, Window>();
  readonly #waiting: Row[] = [];
  #dropped = 0;
  /** Why the last write failed (a StoreError code), said in the deferred rows. */
  #lastFailure: string | null = null;
  #windowTimer: ReturnType<typeof setTimeout> | null = null;
  #retryTimer: ReturnType<typeof setTimeout> | null = null;
  #closed = false;

  constructor(
    private readonly store: Store,
    opts: LoginAuditOptions = {},
  ) {
    this.#audit = new AuditLog(store);
    this.#windowMs = opts.windowMs ?? 60_000;
    this.#retryMs = opts.retryMs ?? 10_000;
    this.#maxWaiting = opts.maxWaiting ?? 1000;
  }

  /** Rows waiting for room on the disk. */
  get waiting(): number {
    return this.#waiting.length;
  }

  /** An entry written at once (or as soon as there is room): a successful sign-in. */
  write(actor: string, action: string, target: string | null, details: Record<string, unknown>): void {
    this.#submit({ actor, action, target, details });
  }

  /**
   * A refusal that may repeat: the first of its window (same action, actor and source) is
   * written at once with `count: 1`; further ones within the window are counted and written as
   * one row (`count: n`, `from`, `to`, the last attempt's details) when the window closes.
   */
  repeated(actor: string, action: string, target: string | null, source: string, details: Record<string, unknown> = {}): void {
    const now = this.store.clock.now();
    const key = `${action}\u0000${actor}\u0000${source}`;
    const open = this.#windows.get(key);
    if (open && now < open.from + this.#windowMs) {
      open.count += 1;
      open.to = now;
      open.last = details;
      return;
    }
    if (open) this.#close(key, open);
    this.#submit({ actor, action, target, details: { source, count: 1, ...details } });
    this.#windows.set(key, { row: { actor, action, target, details: {} }, source, from: now, to: now, count: 0, last: details });
    this.#armWindowTimer();
  }

  /** Closes every window and writes what waits for room, as far as the disk allows. */
  flush(): void {
    for (const [key, w] of [...this.#windows]) this.#close(key, w);
    this.#drain();
  }

  /** Flushes and stops the timers (the store is about to close). */
  close(): void {
    this.flush();
    this.#closed = true;
    if (this.#windowTimer) clearTimeout(this.#windowTimer);
    if (this.#retryTimer) clearTimeout(this.#retryTimer);
    this.#windowTimer = this.#retryTimer = null;
  }

  #close(key: string, w: Window): void {
    this.#windows.delete(key);
    if (w.count === 0) return;
    this.#submit({ ...w.row, details: { source: w.source, count: w.count, coalesced: true, from: w.from, to: w.to, ...w.last } });
  }

  /** In order: nothing is written while older rows still wait. */
  #submit(row: Row): void {
    if (this.#drain() && this.#tryWrite(row)) return;
    const reason = this.#lastFailure ?? 'unavailable';
    if (this.#waiting.length >= this.#maxWaiting) this.#dropped += 1;
    else this.#waiting.push({ ...row, details: { ...row.details, deferred: { reason, occurredAt: this.store.clock.now() } } });
    this.#armRetryTimer();
  }

  /** Writes the waiting rows; true when none is left. */
  #drain(): boolean {
    while (this.#waiting.length) {
      if (!this.#tryWrite(this.#waiting[0] as Row)) return false;
      this.#waiting.shift();
    }
    if (this.#dropped > 0) {
      const row: Row = { actor: 'system', action: 'audit.dropped', target: null, details: { count: this.#dropped, reason: 'too many entries waiting for disk space' } };
      if (!this.#tryWrite(row)) return false;
      this.#dropped = 0;
    }
    return true;
  }

  #tryWrite(row: Row): boolean {
    if (this.#closed) return false;
    try {
      this.store.tx(() => this.#audit.append(row.actor, row.action, row.target, row.details));
      return true;
    } catch (err) {
      // A store that cannot write (full disk, read-only, I/O error): keep the row for later.
      if (err instanceof StoreError) {
        this.#lastFailure = err.code;
        return false;
      }
      throw err;
    }
  }

  #armWindowTimer(): void {
    if (this.#windowTimer || this.#closed) return;
    this.#windowTimer = setTimeout(() => {
      this.#windowTimer = null;
      this.#guard(() => {
        const now = this.store.clock.now();
        for (const [key, w] of [...this.#windows]) if (now >= w.from + this.#windowMs) this.#close(key, w);
      });
      if (this.#windows.size) this.#armWindowTimer();
    }, this.#windowMs);
    this.#windowTimer.unref();
  }

  #armRetryTimer(): void {
    if (this.#retryTimer || this.#closed) return;
    this.#retryTimer = setTimeout(() => {
      this.#retryTimer = null;
      this.#guard(() => this.#drain());
      if (this.#waiting.length || this.#dropped) this.#armRetryTimer();
    }, this.#retryMs);
    this.#retryTimer.unref();
  }

  /** A timer never throws: whatever fails is retried at the next tick or the next sign-in. */
  #guard(fn: () => void): void {
    try {
      fn();
    } catch {
      // e.g. the database was closed under the timer; the rows stay waiting.
    }
  }
}
