// Signing in with a named account's PIN: lockout after repeated wrong PINs with growing lock
// time, counted per account and per source (pin-lockouts.ts); every outcome audited under the
// person's name — repeated refusals coalesced, and nothing of a sign-in waiting on the disk
// (login-audit.ts). A disabled account is refused before its PIN is looked at.
//
// The older request shape (a role and its PIN) still signs in when exactly one enabled
// account has that role (an upgraded appliance, the demo); with several, the person must say
// which account is theirs.
import type { Store } from '../store/store.js';
import { AccountsRepo, type Account } from '../store/accounts-repo.js';
import { LoginAudit, type LoginAuditOptions } from './login-audit.js';
import { KIOSK_SOURCE, MAX_FAILURES, PinLockouts, afterFailure } from './pin-lockouts.js';
import { accountActor, accountTarget } from './account-actor.js';
import { verifyPin, type Role } from './pins.js';

export { MAX_FAILURES, LOCK_BASE_MS, KIOSK_SOURCE } from './pin-lockouts.js';

/** Whose PIN is typed: an account number, or (older clients) a role that has exactly one account. */
export type SignInTarget = { account: number } | { role: Role };

export type LoginOutcome =
  | { ok: true; account: Account }
  | { ok: false; reason: 'wrong_pin'; attemptsLeft: number }
  | { ok: false; reason: 'locked'; lockedUntil: number }
  | { ok: false; reason: 'no_account' }
  | { ok: false; reason: 'disabled' }
  /** A role given without an account, and no enabled account has it. */
  | { ok: false; reason: 'not_set' }
  /** A role given without an account, and several enabled accounts have it. */
  | { ok: false; reason: 'account_required' };

export class PinSignIn {
  readonly #accounts: AccountsRepo;
  readonly #lockouts: PinLockouts;
  /** The sign-in audit (coalesced refusals, rows waiting for disk space). */
  readonly loginAudit: LoginAudit;

  constructor(
    private readonly store: Store,
    auditOptions: LoginAuditOptions = {},
  ) {
    this.#accounts = new AccountsRepo(store);
    this.#lockouts = new PinLockouts(store);
    this.loginAudit = new LoginAudit(store, auditOptions);
  }

  /**
   * Checks a PIN. `source` is where the attempt comes from: KIOSK_SOURCE for this machine, else
   * the client's address; each account has its own wrong-PIN counter and lock per source.
   * Writes nothing the answer depends on: on a full disk the right PIN still signs in.
   */
  login(target: SignInTarget, pin: string, source: string = KIOSK_SOURCE): LoginOutcome {
    const now = this.store.clock.now();
    let id: number;
    if ('role' in target) {
      const holders = this.#accounts.enabledOfRole(target.role);
      if (holders.length !== 1) {
        this.loginAudit.repeated('anonymous', 'login.no_account', `role:${target.role}`, source, { role: target.role, enabledAccounts: holders.length });
        return { ok: false, reason: holders.length === 0 ? 'not_set' : 'account_required' };
      }
      id = (holders[0] as Account).id;
    } else id = target.account;

    const account = this.#accounts.secret(id);
    if (!account) {
      this.loginAudit.repeated('anonymous', 'login.no_account', null, source, { account: id });
      return { ok: false, reason: 'no_account' };
    }
    const actor = accountActor(account);
    const where = accountTarget(account.id);
    if (!account.enabled) {
      this.loginAudit.repeated(actor, 'login.disabled', where, source);
      return { ok: false, reason: 'disabled' };
    }
    const state = this.#lockouts.get(account, source);
    if (state.lockedUntil > now) {
      this.loginAudit.repeated(actor, 'login.locked', where, source, { lockedUntil: state.lockedUntil });
      return { ok: false, reason: 'locked', lockedUntil: state.lockedUntil };
    }
    if (verifyPin(pin, account.pinHash)) {
      if (state.failures !== 0 || state.lockedUntil !== 0) this.#lockouts.set(account, source, { failures: 0, lockedUntil: 0 });
      this.loginAudit.write(actor, 'login.ok', where, { source });
      const { pinHash: _h, failedAttempts: _f, lockedUntil: _l, ...view } = account;
      return { ok: true, account: view };
    }
    const next = afterFailure(state, now);
    this.#lockouts.set(account, source, next);
    this.loginAudit.repeated(actor, 'login.failed', where, source, { failures: next.failures, locked: next.lockedUntil > 0 });
    if (next.lockedUntil > 0) return { ok: false, reason: 'locked', lockedUntil: next.lockedUntil };
    return { ok: false, reason: 'wrong_pin', attemptsLeft: MAX_FAILURES - (next.failures % MAX_FAILURES) };
  }

  /** Writes the coalesced refusals and whatever waits for disk space (tests, shutdown). */
  flushAudit(): void {
    this.loginAudit.flush();
  }

  /** Before the store closes. */
  close(): void {
    this.loginAudit.close();
  }
}
