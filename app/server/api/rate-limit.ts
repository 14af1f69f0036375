// Token-bucket rate limits for sign-in and the expensive routes, per source (this machine's
// kiosk, or a client address) and, for sign-in from other machines, for all of them together
// (an attacker changing address still meets the shared bucket). Buckets live in memory; the
// least recently used are forgotten beyond a bound.
import type { RateClass } from './request-guard.js';

export interface BucketSpec {
  /** Requests allowed at once. */
  burst: number;
  /** Refill rate. */
  perMinute: number;
}

/** null: not limited for that kind of source. */
export const RATE_LIMITS: Record<RateClass, { kiosk: BucketSpec | null; remote: BucketSpec; remoteTotal: BucketSpec | null }> = {
  // A PIN check costs ~50 ms of scrypt: 10 a minute per address, 60 for the whole LAN. The kiosk
  // has room for a queue of people signing in and for the tests that sign in often.
  login: { kiosk: { burst: 30, perMinute: 30 }, remote: { burst: 10, perMinute: 10 }, remoteTotal: { burst: 60, perMinute: 60 } },
  // Exports, backups, the completeness preview: seconds of work each.
  expensive: { kiosk: null, remote: { burst: 10, perMinute: 6 }, remoteTotal: null },
  // A camera frame from another machine runs the face models: a few per second.
  frames: { kiosk: null, remote: { burst: 20, perMinute: 300 }, remoteTotal: null },
};

const MAX_BUCKETS = 4096;

interface Bucket {
  tokens: number;
  at: number;
}

export class RateLimiter {
  readonly #buckets = new Map<string, Bucket>();
  constructor(private readonly now: () => number) {}

  /** Takes one token from each bucket that applies; null when allowed, else the wait in ms. */
  take(cls: RateClass, source: string): number | null {
    const spec = RATE_LIMITS[cls];
    const keys: Array<[string, BucketSpec]> = [];
    if (source === 'kiosk') {
      if (spec.kiosk) keys.push([`${cls}|kiosk`, spec.kiosk]);
    } else {
      keys.push([`${cls}|${source}`, spec.remote]);
      if (spec.remoteTotal) keys.push([`${cls}|*`, spec.remoteTotal]);
    }
    const now = this.now();
    const buckets = keys.map(([key, s]) => [key, this.#refill(key, s, now), s] as const);
    const short = buckets.find(([, b]) => b.tokens < 1);
    if (short) {
      const [, b, s] = short;
      return Math.max(1, Math.ceil(((1 - b.tokens) * 60_000) / s.perMinute));
    }
    for (const [key, b] of buckets) {
      b.tokens -= 1;
      this.#buckets.delete(key);
      this.#buckets.set(key, b);
    }
    if (this.#buckets.size > MAX_BUCKETS) this.#buckets.delete(this.#buckets.keys().next().value as string);
    return null;
  }

  #refill(key: string, s: BucketSpec, now: number): Bucket {
    const b = this.#buckets.get(key) ?? { tokens: s.burst, at: now };
    const elapsed = Math.max(0, now - b.at);
    b.tokens = Math.min(s.burst, b.tokens + (elapsed * s.perMinute) / 60_000);
    b.at = now;
    return b;
  }
}
