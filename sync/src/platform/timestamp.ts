// Platform time formats. The platform reads times as Beijing wall-clock time; the zone is a
// parameter so a province (or a test) can differ.
import { localParts } from '../../../edge-core/src/index.js';

/** Wall-clock fields in `timeZone` (one shared, cached formatter per zone in edge-core). */
function parts(utcMs: number, timeZone: string): Record<'year' | 'month' | 'day' | 'hour' | 'minute' | 'second', string> {
  const { date, time } = localParts(utcMs, timeZone);
  const [year = '', month = '', day = ''] = date.split('-');
  const [hour = '', minute = '', second = ''] = time.split(':');
  return { year, month, day, hour, minute, second };
}

/** `yyyyMMddHHmmss`, the request `timestamp` parameter. */
export function formatRequestTimestamp(utcMs: number, timeZone = 'Asia/Shanghai'): string {
  const p = parts(utcMs, timeZone);
  return `${p.year}${p.month}${p.day}${p.hour}${p.minute}${p.second}`;
}

/** `yyyy-MM-dd HH:mm:ss`, the attendance `date` field. */
export function formatDateTime(utcMs: number, timeZone = 'Asia/Shanghai'): string {
  const p = parts(utcMs, timeZone);
  return `${p.year}-${p.month}-${p.day} ${p.hour}:${p.minute}:${p.second}`;
}

/** `yyyy-MM-dd`. */
export function formatDate(utcMs: number, timeZone = 'Asia/Shanghai'): string {
  return formatDateTime(utcMs, timeZone).slice(0, 10);
}

function offsetMs(utcMs: number, timeZone: string): number {
  const p = parts(utcMs, timeZone);
  const asUtc = Date.UTC(Number(p.year), Number(p.month) - 1, Number(p.day), Number(p.hour), Number(p.minute), Number(p.second));
  return asUtc - Math.floor(utcMs / 1000) * 1000;
}

/** Parses wall-clock fields in `timeZone` to UTC ms; null when malformed. */
function wallToUtc(y: number, mo: number, d: number, h: number, mi: number, s: number, timeZone: string): number | null {
  if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || s > 59) return null;
  const guess = Date.UTC(y, mo - 1, d, h, mi, s);
  const first = guess - offsetMs(guess, timeZone);
  // A second pass settles DST edges (none in China, but the zone is configurable).
  return guess - offsetMs(first, timeZone);
}

export function parseRequestTimestamp(ts: string, timeZone = 'Asia/Shanghai'): number | null {
  const m = /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})$/.exec(ts);
  if (!m) return null;
  const [, y, mo, d, h, mi, s] = m.map(Number) as [number, number, number, number, number, number, number];
  return wallToUtc(y, mo, d, h, mi, s, timeZone);
}

export function parseDateTime(text: string, timeZone = 'Asia/Shanghai'): number | null {
  const m = /^(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2}):(\d{2})$/.exec(text);
  if (!m) return null;
  const [, y, mo, d, h, mi, s] = m.map(Number) as [number, number, number, number, number, number, number];
  return wallToUtc(y, mo, d, h, mi, s, timeZone);
}
