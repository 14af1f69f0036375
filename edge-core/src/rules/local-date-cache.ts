// Memoised site-local date. Every zone offset in use is a multiple of 15 minutes and changes
// only on a quarter hour, so all instants of one UTC quarter hour share their local date.
// Intl formatting costs ~20 µs a call; the monthly computations call it per session.
import { localDate } from '../time/site-time.js';

const QUARTER_HOUR_MS = 900_000;
const MAX_ENTRIES = 50_000;
const cache = new Map<string, string>();

export function cachedLocalDate(utcMs: number, timeZone: string): string {
  const key = `${timeZone}|${Math.floor(utcMs / QUARTER_HOUR_MS)}`;
  let d = cache.get(key);
  if (d === undefined) {
    d = localDate(utcMs, timeZone);
    if (cache.size >= MAX_ENTRIES) cache.clear();
    cache.set(key, d);
  }
  return d;
}
