// Restart back-off of the core service: doubling delays with a cap, reset after a stable run,
// crash-loop flag — pure, with times passed in.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { backoffDelayMs, CrashBackoff, DEFAULT_BACKOFF } from '../../shared/backoff.js';

describe('core restart back-off', () => {
  it('doubles from 1 s and stops at 60 s', () => {
    expect([1, 2, 3, 4, 5, 6, 7, 8].map((n) => backoffDelayMs(n))).toEqual([
      1000, 2000, 4000, 8000, 16000, 32000, 60000, 60000,
    ]);
    expect(backoffDelayMs(0)).toBe(0);
    expect(backoffDelayMs(10_000)).toBe(60_000);
  });

  it('is never negative, never above the cap and never shrinks as crashes add up', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 5000 }), (n) => {
        const d = backoffDelayMs(n);
        return d >= 0 && d <= DEFAULT_BACKOFF.maxMs && backoffDelayMs(n + 1) >= d;
      }),
    );
  });

  it('counts quick crashes in a row, flags a crash loop, and starts over after a stable run', () => {
    const b = new CrashBackoff();
    let t = 0;
    const runs = [100, 100, 100, 100, 100];
    const seen = runs.map((ran) => {
      b.started(t);
      t += ran;
      return b.crashed(t);
    });
    expect(seen.map((s) => s.delayMs)).toEqual([1000, 2000, 4000, 8000, 16000]);
    expect(seen.map((s) => s.crashLoop)).toEqual([false, false, false, false, true]);
    b.started(t);
    t += DEFAULT_BACKOFF.stableMs;
    expect(b.crashed(t)).toEqual({ delayMs: 1000, consecutive: 1, crashLoop: false });
  });
});
