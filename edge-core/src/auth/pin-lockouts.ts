// Wrong-PIN counters and lock times, per account and per source. The kiosk (this machine) has
// its own counter per account, kept in the accounts table so a restart does not reset it;
// every other source (a LAN address) has one per account in memory, so guessing from the LAN
// locks that address out of that account and never the person at the kiosk, nor anyone else.
// A counter the disk cannot take (full) is kept in memory and written with the next change.
//
// Every counter belongs to the PIN it counted against (its hash): a new PIN starts them all
// afresh without anyone having to find and clear them.
import type { Store } from '../store/store.js';
import { StoreError } from '../store/errors.js';
import type { AccountSecret } from '../store/accounts-repo.js';

export const MAX_FAILURES = 5;
export const LOCK_BASE_MS = 60_000;
/** The source name of this machine's own kiosk (loopback). */
export const KIOSK_SOURCE = 'kiosk';
/** Remote counters remembered at most (the least recently changed are forgotten). */
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

interface Counted extends LockState {
  /** The PIN hash the counter counted against. */
  pinHash: string;
}

export class PinLockouts {
  readonly #remote = new Map<string, Counted>();
  /** Kiosk counters the database could not take yet, by account. */
  readonly #kioskPending = new Map<number, Counted>();

  constructor(private readonly store: Store) {}

  get(account: AccountSecret, source: string): LockState {
    const counted = source === KIOSK_SOURCE ? (this.#kioskPending.get(account.id) ?? { ...this.#stored(account), pinHash: account.pinHash }) : this.#remote.get(key(account.id, source));
    return counted && counted.pinHash === account.pinHash ? { failures: counted.failures, lockedUntil: counted.lockedUntil } : CLEAR;
  }

  set(account: AccountSecret, source: string, s: LockState): void {
    const counted: Counted = { ...s, pinHash: account.pinHash };
    if (source !== KIOSK_SOURCE) {
      const k = key(account.id, source);
      this.#remote.delete(k);
      if (s.failures === 0 && s.lockedUntil === 0) return;
      this.#remote.set(k, counted);
      if (this.#remote.size > MAX_REMOTE) this.#remote.delete(this.#remote.keys().next().value as string);
      return;
    }
    try {
      // Only while the PIN is the one counted against: a new PIN set meanwhile keeps its fresh counter.
      this.store.tx(() =>
        this.store.db.prepare('UPDATE accounts SET failed_attempts = ?, locked_until = ? WHERE id = ? AND pin_hash = ?').run(s.failures, s.lockedUntil, account.id, account.pinHash),
      );
      this.#kioskPending.delete(account.id);
    } catch (err) {
      if (!(err instanceof StoreError)) throw err;
      this.#kioskPending.set(account.id, counted);
    }
  }

  #stored(a: AccountSecret): LockState {
    return { failures: a.failedAttempts, lockedUntil: a.lockedUntil };
  }
}

const key = (accountId: number, source: string): string => `${accountId}\u0000${source}`;
