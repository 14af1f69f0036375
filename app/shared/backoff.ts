// Restart policy of the core service: exponential back-off after each crash (1 s, 2 s, 4 s …
// capped at 60 s), reset once the core has run for a stable period (2 min). Never gives up —
// a gate appliance has nobody to press "retry" — but reports a crash loop so the screen can
// say so. Pure: times are passed in.
export interface BackoffOptions {
  baseMs: number;
  maxMs: number;
  /** Uptime after which the next crash counts as the first again. */
  stableMs: number;
  /** Crashes in a row from which the state is reported as a crash loop. */
  loopAfter: number;
}

export const DEFAULT_BACKOFF: BackoffOptions = {
  baseMs: 1000,
  maxMs: 60_000,
  stableMs: 120_000,
  loopAfter: 5,
};

export function backoffDelayMs(consecutiveCrashes: number, o: BackoffOptions = DEFAULT_BACKOFF): number {
  if (consecutiveCrashes <= 0) return 0;
  const exp = Math.min(30, consecutiveCrashes - 1);
  return Math.min(o.maxMs, o.baseMs * 2 ** exp);
}

export class CrashBackoff {
  #consecutive = 0;
  #startedAt: number | null = null;
  constructor(private readonly o: BackoffOptions = DEFAULT_BACKOFF) {}

  /** The core (re)started at `now`. */
  started(now: number): void {
    this.#startedAt = now;
  }

  /** The core exited unexpectedly at `now`: how long to wait before the next start. */
  crashed(now: number): { delayMs: number; consecutive: number; crashLoop: boolean } {
    const ranFor = this.#startedAt === null ? 0 : now - this.#startedAt;
    this.#consecutive = ranFor >= this.o.stableMs ? 1 : this.#consecutive + 1;
    this.#startedAt = null;
    return {
      delayMs: backoffDelayMs(this.#consecutive, this.o),
      consecutive: this.#consecutive,
      crashLoop: this.#consecutive >= this.o.loopAfter,
    };
  }

  get consecutive(): number {
    return this.#consecutive;
  }
}
