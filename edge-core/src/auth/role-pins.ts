// Role PINs (clerk 劳务员 / supervisor 管理员 / admin 系统管理员): scrypt hashes, lockout after
// repeated failures with growing lock time, every attempt outcome audited.
import { randomBytes, scryptSync, timingSafeEqual } from 'node:crypto';
import type { Store } from '../store/store.js';
import { AuditLog } from '../store/audit-log.js';

export const ROLES = ['clerk', 'supervisor', 'admin'] as const;
export type Role = (typeof ROLES)[number];

/** Which roles a role includes: admin ⊇ supervisor ⊇ clerk. */
export function roleAllows(have: Role, need: Role): boolean {
  return ROLES.indexOf(have) >= ROLES.indexOf(need);
}

const SCRYPT = { N: 16384, r: 8, p: 1, keylen: 32 };
export const MAX_FAILURES = 5;
export const LOCK_BASE_MS = 60_000;

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
  constructor(private readonly store: Store) {
    this.#audit = new AuditLog(store);
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
  }

  login(role: Role, pin: string): LoginOutcome {
    const now = this.store.clock.now();
    const row = this.store.db.prepare('SELECT pin_hash, failed_attempts, locked_until FROM role_pins WHERE role = ?').get(role) as
      | { pin_hash: string; failed_attempts: number; locked_until: number }
      | undefined;
    if (!row) return { ok: false, reason: 'not_set' };
    if (row.locked_until > now) {
      this.store.tx(() => this.#audit.append(role, 'login.locked', `role:${role}`));
      return { ok: false, reason: 'locked', lockedUntil: row.locked_until };
    }
    if (verifyPin(pin, row.pin_hash)) {
      this.store.tx(() => {
        this.store.db.prepare('UPDATE role_pins SET failed_attempts = 0, locked_until = 0 WHERE role = ?').run(role);
        this.#audit.append(role, 'login.ok', `role:${role}`);
      });
      return { ok: true, role };
    }
    const failures = row.failed_attempts + 1;
    const lockouts = Math.floor(failures / MAX_FAILURES);
    const lockedUntil = failures % MAX_FAILURES === 0 ? now + LOCK_BASE_MS * 2 ** Math.min(lockouts - 1, 6) : 0;
    this.store.tx(() => {
      this.store.db.prepare('UPDATE role_pins SET failed_attempts = ?, locked_until = ? WHERE role = ?').run(failures, lockedUntil, role);
      this.#audit.append(role, 'login.failed', `role:${role}`, { failures, locked: lockedUntil > 0 });
    });
    if (lockedUntil > 0) return { ok: false, reason: 'locked', lockedUntil };
    return { ok: false, reason: 'wrong_pin', attemptsLeft: MAX_FAILURES - (failures % MAX_FAILURES) };
  }
}
