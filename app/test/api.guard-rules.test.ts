// The pure rules behind the attack tests: which text a name field refuses, how a Host header is
// read, and how the sign-in rate limit refills (on the core's clock, per source, with the LAN's
// shared bucket).
import { describe, expect, it } from 'vitest';
import { textProblem } from '../shared/safe-text.js';
import { hostnameOf } from '../server/api/request-guard.js';
import { RATE_LIMITS, RateLimiter } from '../server/api/rate-limit.js';

describe('safe text', () => {
  it('refuses direction controls, control characters and invisible-only text; keeps real names', () => {
    for (const bad of ['a\u202Eb', '\u2067x', 'a\u0000', 'tab\there', 'x\u0085', '\u200B', 'a\u200Bb', '\u200D', '\u00AD ', '\uFEFFx']) {
      expect(textProblem(bad), JSON.stringify(bad)).not.toBeNull();
    }
    for (const good of ['张三', '阿卜杜·艾力', 'Li Na', "O'Brien", '50%_折扣', '👨‍👩‍👧', '']) expect(textProblem(good), good).toBeNull();
  });
});

describe('Host header', () => {
  it('takes the name without port or IPv6 brackets, in lower case', () => {
    expect(hostnameOf('Evil.Example:8686')).toBe('evil.example');
    expect(hostnameOf('[::1]:8686')).toBe('::1');
    expect(hostnameOf('127.0.0.1')).toBe('127.0.0.1');
    expect(hostnameOf('[fe80::1%25eth0]')).toBe('fe80::1%25eth0');
  });
});

describe('rate limiter', () => {
  it('allows a burst per source, refills with the clock, and shares a bucket across LAN addresses', () => {
    let now = 1_000_000;
    const rl = new RateLimiter(() => now);
    const { remote, remoteTotal } = RATE_LIMITS.login;
    for (let i = 0; i < remote.burst; i++) expect(rl.take('login', '10.0.0.1')).toBeNull();
    const wait = rl.take('login', '10.0.0.1');
    expect(wait).toBe(Math.ceil(60_000 / remote.perMinute));
    // Another address has its own bucket; the kiosk too.
    expect(rl.take('login', '10.0.0.2')).toBeNull();
    expect(rl.take('login', 'kiosk')).toBeNull();
    now += wait as number;
    expect(rl.take('login', '10.0.0.1')).toBeNull();
    // Many addresses together meet the LAN's shared bucket.
    let refused = 0;
    for (let i = 0; i < (remoteTotal?.burst ?? 0) + 5; i++) if (rl.take('login', `10.0.1.${i}`) !== null) refused++;
    expect(refused).toBeGreaterThan(0);
    // The kiosk is not limited for the expensive routes; a LAN address is.
    for (let i = 0; i < 50; i++) expect(rl.take('expensive', 'kiosk')).toBeNull();
    for (let i = 0; i < RATE_LIMITS.expensive.remote.burst; i++) rl.take('expensive', '10.0.0.9');
    expect(rl.take('expensive', '10.0.0.9')).not.toBeNull();
  });
});
