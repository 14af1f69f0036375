// Named accounts (migration 0008): each clerk, supervisor and admin is a person with their own
// PIN. Accounts are created, renamed, disabled, enabled and given a new PIN — every change in
// the same transaction as its audit entry, which names who did it. Never deleted (the audit
// names them); the role of an account is fixed; the last enabled admin cannot be disabled.
import type { Store } from './store.js';
import { AuditLog } from './audit-log.js';
import { hashPin, isAcceptablePin, type Role } from '../auth/pins.js';
import { accountTarget } from '../auth/account-actor.js';

export interface Account {
  /** The account number typed at the keypad. */
  id: number;
  name: string;
  role: Role;
  enabled: boolean;
  /** Made from a shared role PIN (upgrade, or a set-up without names): to be renamed or replaced. */
  shared: boolean;
  pinSetAt: number;
  createdAt: number;
  createdBy: string;
  updatedAt: number;
}

/** What sign-in needs besides the account itself. */
export interface AccountSecret extends Account {
  pinHash: string;
  /** The kiosk's wrong-PIN counter and lock (other sources are counted in memory). */
  failedAttempts: number;
  lockedUntil: number;
}

export type AccountErrorCode = 'pin.weak' | 'account.name_invalid' | 'account.name_taken' | 'account.not_found' | 'account.last_admin';

export class AccountError extends Error {
  override name = 'AccountError';
  constructor(
    readonly code: AccountErrorCode,
    message: string,
  ) {
    super(message);
  }
}

export interface NewAccount {
  name: string;
  role: Role;
  pin: string;
  shared?: boolean;
}

/** The longest account name (the keypad list shows it whole). */
export const ACCOUNT_NAME_MAX = 40;

interface Row {
  id: number;
  name: string;
  role: Role;
  pin_hash: string;
  enabled: number;
  shared: number;
  failed_attempts: number;
  locked_until: number;
  pin_set_at: number;
  created_at: number;
  created_by: string;
  updated_at: number;
}

const toSecret = (r: Row): AccountSecret => ({
  id: r.id,
  name: r.name,
  role: r.role,
  enabled: r.enabled === 1,
  shared: r.shared === 1,
  pinSetAt: r.pin_set_at,
  createdAt: r.created_at,
  createdBy: r.created_by,
  updatedAt: r.updated_at,
  pinHash: r.pin_hash,
  failedAttempts: r.failed_attempts,
  lockedUntil: r.locked_until,
});

const toAccount = (r: Row): Account => {
  const { pinHash: _h, failedAttempts: _f, lockedUntil: _l, ...a } = toSecret(r);
  return a;
};

const ROLE_ORDER = "CASE role WHEN 'admin' THEN 0 WHEN 'supervisor' THEN 1 ELSE 2 END";

export class AccountsRepo {
  readonly #audit: AuditLog;
  readonly #byId;

  constructor(private readonly store: Store) {
    this.#audit = new AuditLog(store);
    this.#byId = store.db.prepare('SELECT * FROM accounts WHERE id = ?');
  }

  /** Every account, admins first, then by number. */
  list(): Account[] {
    return (this.store.db.prepare(`SELECT * FROM accounts ORDER BY ${ROLE_ORDER}, id`).all() as Row[]).map(toAccount);
  }

  get(id: number): Account | null {
    const r = this.#byId.get(id) as Row | undefined;
    return r ? toAccount(r) : null;
  }

  /** The account with its PIN hash and kiosk counter (sign-in only). */
  secret(id: number): AccountSecret | null {
    const r = this.#byId.get(id) as Row | undefined;
    return r ? toSecret(r) : null;
  }

  enabledOfRole(role: Role): Account[] {
    return (this.store.db.prepare('SELECT * FROM accounts WHERE role = ? AND enabled = 1 ORDER BY id').all(role) as Row[]).map(toAccount);
  }

  /** True once any account exists (the first-run set-up is done). */
  any(): boolean {
    return this.store.db.prepare('SELECT 1 FROM accounts LIMIT 1').get() !== undefined;
  }

  /** Creates accounts, all or none (the first-run set-up creates several at once). */
  create(accounts: readonly NewAccount[], actor: string): Account[] {
    for (const a of accounts) this.#checkPin(a.pin);
    const names = accounts.map((a) => a.name.toLowerCase());
    if (new Set(names).size !== names.length) throw new AccountError('account.name_taken', 'two accounts of the same name');
    // Hashing is slow (scrypt): done before the transaction.
    const hashed = accounts.map((a) => ({ ...a, name: this.#checkName(a.name), hash: hashPin(a.pin) }));
    return this.store.tx(() =>
      hashed.map((a) => {
        this.#nameFree(a.name, null);
        const now = this.store.clock.now();
        const id = Number(
          this.store.db
            .prepare(
              `INSERT INTO accounts (name, role, pin_hash, enabled, shared, pin_set_at, created_at, created_by, updated_at)
               VALUES (?, ?, ?, 1, ?, ?, ?, ?, ?)`,
            )
            .run(a.name, a.role, a.hash, a.shared ? 1 : 0, now, now, actor, now).lastInsertRowid,
        );
        this.#audit.append(actor, 'account.create', accountTarget(id), { number: id, name: a.name, role: a.role, ...(a.shared ? { shared: true } : {}) });
        return this.#must(id);
      }),
    );
  }

  /** A new name (the person who uses the account); a shared account becomes a named one. */
  rename(id: number, name: string, actor: string): Account {
    const clean = this.#checkName(name);
    return this.store.tx(() => {
      const before = this.#must(id);
      if (before.name === clean && !before.shared) return before;
      this.#nameFree(clean, id);
      this.store.db.prepare('UPDATE accounts SET name = ?, shared = 0, updated_at = ? WHERE id = ?').run(clean, this.store.clock.now(), id);
      this.#audit.append(actor, 'account.rename', accountTarget(id), { before: before.name, after: clean, role: before.role });
      return this.#must(id);
    });
  }

  /** Disables or enables an account; the last enabled admin stays enabled. */
  setEnabled(id: number, enabled: boolean, actor: string): Account {
    return this.store.tx(() => {
      const before = this.#must(id);
      if (before.enabled === enabled) return before;
      if (!enabled && before.role === 'admin' && this.enabledOfRole('admin').every((a) => a.id === id)) {
        throw new AccountError('account.last_admin', 'the last enabled admin account cannot be disabled');
      }
      this.store.db.prepare('UPDATE accounts SET enabled = ?, updated_at = ? WHERE id = ?').run(enabled ? 1 : 0, this.store.clock.now(), id);
      this.#audit.append(actor, enabled ? 'account.enable' : 'account.disable', accountTarget(id), { name: before.name, role: before.role });
      return this.#must(id);
    });
  }

  /**
   * A new PIN: set by an admin for someone (`reset`) or by the person (`change`). Starts the
   * kiosk's counter afresh; the counters of other sources are tied to the PIN hash and lapse
   * with it (pin-lockouts.ts).
   */
  setPin(id: number, pin: string, actor: string, kind: 'reset' | 'change' = 'reset'): Account {
    this.#checkPin(pin);
    const hash = hashPin(pin);
    return this.store.tx(() => {
      const before = this.#must(id);
      const now = this.store.clock.now();
      this.store.db
        .prepare('UPDATE accounts SET pin_hash = ?, failed_attempts = 0, locked_until = 0, pin_set_at = ?, updated_at = ? WHERE id = ?')
        .run(hash, now, now, id);
      this.#audit.append(actor, kind === 'reset' ? 'account.pin_reset' : 'account.pin_change', accountTarget(id), { name: before.name, role: before.role });
      return this.#must(id);
    });
  }

  #must(id: number): Account {
    const a = this.get(id);
    if (!a) throw new AccountError('account.not_found', `no account number ${id}`);
    return a;
  }

  #checkPin(pin: string): void {
    if (!isAcceptablePin(pin)) throw new AccountError('pin.weak', 'PIN must be 6–12 digits and not a trivial sequence');
  }

  #checkName(name: string): string {
    const clean = name.trim();
    if (clean.length < 1 || clean.length > ACCOUNT_NAME_MAX) throw new AccountError('account.name_invalid', `a name of 1–${ACCOUNT_NAME_MAX} characters`);
    return clean;
  }

  #nameFree(name: string, self: number | null): void {
    const other = this.store.db.prepare('SELECT id FROM accounts WHERE name = ? COLLATE NOCASE').get(name) as { id: number } | undefined;
    if (other && other.id !== self) throw new AccountError('account.name_taken', `account number ${other.id} already has this name`);
  }
}

/**
 * Audits, once, the accounts the named-accounts migration made from the shared role PINs (a
 * migration cannot sign audit entries). Called by the store when that migration has just run.
 */
export function auditUpgradedAccounts(store: Store): number {
  const audit = new AuditLog(store);
  const rows = store.db.prepare("SELECT id, name, role FROM accounts WHERE created_by = 'upgrade' ORDER BY id").all() as Array<{ id: number; name: string; role: Role }>;
  for (const r of rows) {
    audit.append('system', 'account.upgrade', accountTarget(r.id), { number: r.id, name: r.name, role: r.role, reason: 'the shared role PIN became this account; rename it to its user or replace it' });
  }
  return rows.length;
}
