// Wrong-PIN counters and lock times, per role and per source. The kiosk (this machine) has
// its own counter, kept in the database so a restart does not reset it; every other source
// (a LAN address) has one in memory, so guessing from the LAN locks that address out and
// never the people at the kiosk. A counter the disk cannot take (full) is kept in memory and
// written with the next change.
import type { Store } from '../store/store.js';
import { StoreError } from '../store/errors.js';

export const MAX_FAILURES = 5;
export const LOCK_BASE_MS = 60_000;
/** The source name of this machine's own kiosk (loopback). */
export const KIOSK_SOURCE = 'kiosk';
/** Remote sources remembered at most (the least recently seen are forgotten). */
const MAX_REMOTE = 4096;

export interface LockState {
  failures: number;
  lockedUntil: number;
}

const CLEAR: LockState = { failures: 0, lockedUntil: 0 };

/** The state after one more wrong PIN: every fifth locks, for 1 min doubling up to 64 min. */
export function afterFailure(s: LockState, now: number): LockState {
  const failures = s.failures + 1;
  const lockouts = Math.floor(failures / MAX_FAILURES);
  const lockedUntil = failures % MAX_FAILURES === 0 ? now + LOCK_BASE_MS * 2 ** Math.min(lockouts - 1, 6) : 0;
  return { failures, lockedUntil };
}

export class PinLockouts {
  readonly #remote = new Map<string, LockState>();
  /** Kiosk counters the database could not take yet. */
  readonly #kioskPending = new Map<string, LockState>();

  constructor(private readonly store: Store) {}

  get(role: string, source: string): LockState {
    if (source !== KIOSK_SOURCE) return this.#remote.get(`${role}\u0000${source}`) ?? CLEAR;
    const pending = this.#kioskPending.get(role);
    if (pending) return pending;
    const row = this.store.db.prepare('SELECT failed_attempts, locked_until FROM role_pins WHERE role = ?').get(role) as
      | { failed_attempts: number; locked_until: number }
      | undefined;
    return row ? { failures: row.failed_attempts, lockedUntil: row.locked_until } : CLEAR;
  }

  set(role: string, source: string, s: LockState): void {
    if (source !== KIOSK_SOURCE) {
      const key = `${role}\u0000${source}`;
      this.#remote.delete(key);
      if (s.failures === 0 && s.lockedUntil === 0) return;
      this.#remote.set(key, s);
      if (this.#remote.size > MAX_REMOTE) this.#remote.delete(this.#remote.keys().next().value as string);
      return;
    }
    try {
      this.store.tx(() => this.store.db.prepare('UPDATE role_pins SET failed_attempts = ?, locked_until = ? WHERE role = ?').run(s.failures, s.lockedUntil, role));
      this.#kioskPending.delete(role);
    } catch (err) {
      if (!(err instanceof StoreError)) throw err;
      this.#kioskPending.set(role, s);
    }
  }

  /** A new PIN starts every counter of the role afresh (the database row is reset by the caller). */
  resetRole(role: string): void {
    this.#kioskPending.delete(role);
    for (const key of [...this.#remote.keys()]) if (key.startsWith(`${role}\u0000`)) this.#remote.delete(key);
  }
}
