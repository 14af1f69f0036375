import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { localDate } from '../../src/time/site-time.js';
import { cachedLocalDate } from '../../src/rules/local-date-cache.js';

describe('memoised site-local date', () => {
  it('agrees with the Intl conversion for any instant, including half- and quarter-hour zones with DST', () => {
    const zones = ['Asia/Shanghai', 'UTC', 'Asia/Kathmandu', 'America/St_Johns', 'Australia/Lord_Howe', 'Europe/Berlin'];
    fc.assert(
      fc.property(fc.integer({ min: Date.UTC(2020, 0, 1), max: Date.UTC(2035, 0, 1) }), fc.constantFrom(...zones), (t, zone) => {
        expect(cachedLocalDate(t, zone)).toBe(localDate(t, zone));
        // the instant just before the next quarter hour shares the cache entry
        const end = Math.floor(t / 900_000) * 900_000 + 899_999;
        expect(cachedLocalDate(end, zone)).toBe(localDate(end, zone));
      }),
      { numRuns: 2000 },
    );
  });
});
