// Bearer-token sessions held in memory (a restart signs everyone out, which is acceptable
// on a gate PC). Tokens are random 256-bit values; only their hash is kept.
//
// Two kinds: a user session (a named account, after its PIN) and a kiosk session — the lane
// display's credential for the live event stream, issued without a PIN to this machine's own
// page only (see docs/decisions/0007-kiosk-sessions-and-web-security.md). A session can be watched (the
// live stream closes when its session ends) and all sessions of an account ended at once (a
// new PIN, the account disabled).
import { createHash, randomBytes } from 'node:crypto';
import type { Role } from '../../../edge-core/src/index.js';

const TTL_MS: Record<Role, number> = { clerk: 12 * 3600_000, supervisor: 12 * 3600_000, admin: 30 * 60_000 };
export const KIOSK_TTL_MS = 12 * 3600_000;
/** Kiosk sessions kept at most (one per lane display and reload); the oldest go first. */
const MAX_KIOSK = 32;

export type Session = { kind: 'user'; role: Role; accountId: number; expiresAt: number } | { kind: 'kiosk'; role: null; expiresAt: number };
export type EndReason = 'auth.revoked' | 'auth.expired';

export class Sessions {
  readonly #byHash = new Map<string, Session>();
  readonly #watchers = new Map<string, Set<(why: EndReason) => void>>();
  constructor(private readonly now: () => number) {}

  create(account: { id: number; role: Role }): { token: string; session: Session } {
    return this.#issue({ kind: 'user', role: account.role, accountId: account.id, expiresAt: this.now() + TTL_MS[account.role] });
  }

  createKiosk(): { token: string; session: Session } {
    const kiosks = [...this.#byHash].filter(([, s]) => s.kind === 'kiosk');
    for (const [h] of kiosks.slice(0, Math.max(0, kiosks.length - MAX_KIOSK + 1))) this.#end(h, 'auth.revoked');
    return this.#issue({ kind: 'kiosk', role: null, expiresAt: this.now() + KIOSK_TTL_MS });
  }

  get(token: string): Session | 'expired' | null {
    const h = hash(token);
    const s = this.#byHash.get(h);
    if (!s) return null;
    if (s.expiresAt <= this.now()) {
      this.#end(h, 'auth.expired');
      return 'expired';
    }
    return s;
  }

  revoke(token: string): void {
    this.#end(hash(token), 'auth.revoked');
  }

  /** Ends every session of an account except the one of `keepToken` (the caller's own); returns how many. */
  revokeAccount(accountId: number, keepToken: string | null): number {
    const keep = keepToken ? hash(keepToken) : null;
    let n = 0;
    for (const [h, s] of [...this.#byHash]) {
      if (s.kind === 'user' && s.accountId === accountId && h !== keep) {
        this.#end(h, 'auth.revoked');
        n++;
      }
    }
    return n;
  }

  /** Calls `fn` once when the token's session ends (revoked, or found expired); returns the unwatch. */
  watch(token: string, fn: (why: EndReason) => void): () => void {
    const h = hash(token);
    let set = this.#watchers.get(h);
    if (!set) this.#watchers.set(h, (set = new Set()));
    set.add(fn);
    return () => {
      set.delete(fn);
      if (set.size === 0 && this.#watchers.get(h) === set) this.#watchers.delete(h);
    };
  }

  #issue(session: Session): { token: string; session: Session } {
    this.#purgeExpired();
    const token = randomBytes(32).toString('base64url');
    this.#byHash.set(hash(token), session);
    return { token, session };
  }

  #purgeExpired(): void {
    const now = this.now();
    for (const [h, s] of [...this.#byHash]) if (s.expiresAt <= now) this.#end(h, 'auth.expired');
  }

  #end(h: string, why: EndReason): void {
    this.#byHash.delete(h);
    const set = this.#watchers.get(h);
    this.#watchers.delete(h);
    for (const fn of set ?? []) fn(why);
  }
}

function hash(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}
