// Role PINs (clerk 劳务员 / supervisor 管理员 / admin 系统管理员): scrypt hashes, lockout after
// repeated failures with growing lock time, counted per source (pin-lockouts.ts), every attempt
// outcome audited — repeated refusals coalesced, and nothing of a sign-in waiting on the disk
// (login-audit.ts).
import { randomBytes, scryptSync, timingSafeEqual } from 'node:crypto';
import type { Store } from '../store/store.js';
import { AuditLog } from '../store/audit-log.js';
import { LoginAudit, type LoginAuditOptions } from './login-audit.js';
import { KIOSK_SOURCE, MAX_FAILURES, PinLockouts, afterFailure } from './pin-lockouts.js';

export const ROLES = ['clerk', 'supervisor', 'admin'] as const;
export type Role = (typeof ROLES)[number];

/** Which roles a role includes: admin ⊇ supervisor ⊇ clerk. */
export function roleAllows(have: Role, need: Role): boolean {
  return ROLES.indexOf(have) >= ROLES.indexOf(need);
}

const SCRYPT = { N: 16384, r: 8, p: 1, keylen: 32 };
export { MAX_FAILURES, LOCK_BASE_MS, KIOSK_SOURCE } from './pin-lockouts.js';

export function hashPin(pin: string): string {
  const salt = randomBytes(16);
  const key = scryptSync(pin, salt, SCRYPT.keylen, { N: SCRYPT.N, r: SCRYPT.r, p: SCRYPT.p });
  return `scrypt$${SCRYPT.N}$${SCRYPT.r}$${SCRYPT.p}$${salt.toString('base64')}$${key.toString('base64')}`;
}

export function verifyPin(pin: string, stored: string): boolean {
  const [scheme, n, r, p, salt, key] = stored.split('$');
  if (scheme !== 'scrypt' || !n || !r || !p || !salt || !key) return false;
  const expected = Buffer.from(key, 'base64');
  const got = scryptSync(pin, Buffer.from(salt, 'base64'), expected.length, { N: Number(n), r: Number(r), p: Number(p) });
  return got.length === expected.length && timingSafeEqual(got, expected);
}

export function isAcceptablePin(pin: string): boolean {
  return /^\d{6,12}$/.test(pin) && !/^(\d)\1+$/.test(pin) && !'01234567890123'.includes(pin) && !'98765432109876'.includes(pin);
}

export type LoginOutcome =
  | { ok: true; role: Role }
  | { ok: false; reason: 'wrong_pin'; attemptsLeft: number }
  | { ok: false; reason: 'locked'; lockedUntil: number }
  | { ok: false; reason: 'not_set' };

export class RolePins {
  readonly #audit: AuditLog;
  readonly #lockouts: PinLockouts;
  /** The sign-in audit (coalesced refusals, rows waiting for disk space). */
  readonly loginAudit: LoginAudit;

  constructor(
    private readonly store: Store,
    auditOptions: LoginAuditOptions = {},
  ) {
    this.#audit = new AuditLog(store);
    this.#lockouts = new PinLockouts(store);
    this.loginAudit = new LoginAudit(store, auditOptions);
  }

  isSet(role: Role): boolean {
    return this.store.db.prepare('SELECT 1 FROM role_pins WHERE role = ?').get(role) !== undefined;
  }

  set(role: Role, pin: string, actor: string): void {
    if (!isAcceptablePin(pin)) throw new Error('PIN must be 6–12 digits and not a trivial sequence');
    const hash = hashPin(pin);
    this.store.tx(() => {
      this.store.db
        .prepare(
          `INSERT INTO role_pins (role, pin_hash, failed_attempts, locked_until, updated_at) VALUES (?, ?, 0, 0, ?)
           ON CONFLICT(role) DO UPDATE SET pin_hash = excluded.pin_hash, failed_attempts = 0, locked_until = 0, updated_at = excluded.updated_at`,
        )
        .run(role, hash, this.store.clock.now());
      this.#audit.append(actor, 'pin.set', `role:${role}`);
    });
    this.#lockouts.resetRole(role);
  }

  /**
   * Checks a PIN. `source` is where the attempt comes from: KIOSK_SOURCE for this machine, else
   * the client's address; each source has its own wrong-PIN counter and lock. Writes nothing
   * the answer depends on: on a full disk the right PIN still signs in.
   */
  login(role: Role, pin: string, source: string = KIOSK_SOURCE): LoginOutcome {
    const now = this.store.clock.now();
    const row = this.store.db.prepare('SELECT pin_hash FROM role_pins WHERE role = ?').get(role) as { pin_hash: string } | undefined;
    if (!row) return { ok: false, reason: 'not_set' };
    const target = `role:${role}`;
    const state = this.#lockouts.get(role, source);
    if (state.lockedUntil > now) {
      this.loginAudit.repeated(role, 'login.locked', target, source, { lockedUntil: state.lockedUntil });
      return { ok: false, reason: 'locked', lockedUntil: state.lockedUntil };
    }
    if (verifyPin(pin, row.pin_hash)) {
      if (state.failures !== 0 || state.lockedUntil !== 0) this.#lockouts.set(role, source, { failures: 0, lockedUntil: 0 });
      this.loginAudit.write(role, 'login.ok', target, { source });
      return { ok: true, role };
    }
    const next = afterFailure(state, now);
    this.#lockouts.set(role, source, next);
    this.loginAudit.repeated(role, 'login.failed', target, source, { failures: next.failures, locked: next.lockedUntil > 0 });
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
