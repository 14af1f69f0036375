// Bearer-token sessions held in memory (a restart signs everyone out, which is acceptable
// on a gate PC). Tokens are random 256-bit values; only their hash is kept.
import { createHash, randomBytes } from 'node:crypto';
import type { Role } from '../../../edge-core/src/index.js';

const TTL_MS: Record<Role, number> = { clerk: 12 * 3600_000, supervisor: 12 * 3600_000, admin: 30 * 60_000 };

export interface Session {
  role: Role;
  expiresAt: number;
}

export class Sessions {
  readonly #byHash = new Map<string, Session>();
  constructor(private readonly now: () => number) {}

  create(role: Role): { token: string; session: Session } {
    const token = randomBytes(32).toString('base64url');
    const session = { role, expiresAt: this.now() + TTL_MS[role] };
    this.#byHash.set(hash(token), session);
    return { token, session };
  }

  get(token: string): Session | 'expired' | null {
    const s = this.#byHash.get(hash(token));
    if (!s) return null;
    if (s.expiresAt <= this.now()) {
      this.#byHash.delete(hash(token));
      return 'expired';
    }
    return s;
  }

  revoke(token: string): void {
    this.#byHash.delete(hash(token));
  }
}

function hash(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}
