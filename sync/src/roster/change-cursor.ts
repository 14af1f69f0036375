// The incremental roster pull's cursor (pure): the platform's own change time of the newest row
// applied, never a time of this device. The next pull asks for rows changed at or after
//   cursor − overlap − the duration of the pull that set it,
// because a platform row stamped at t may become visible up to `overlap` later (a commit that
// lags its stamp), and a row changed while the pull was paging may have been stamped up to the
// pull's duration before the newest row it read. Durations are measured on this device's own
// clock and only ever compared with durations, so a skewed device clock changes nothing.
// Re-reading the overlap is harmless: applying a row is idempotent.
import { formatDateTime, parseDateTime } from '../platform/timestamp.js';

export interface ChangeCursor {
  /** The platform's wall-clock text (yyyy-MM-dd HH:mm:ss) of the newest change applied; null: none yet. */
  since: string | null;
  /** How long the pull that set `since` took (device clock, ms). */
  spanMs: number;
}

export const NO_CURSOR: ChangeCursor = { since: null, spanMs: 0 };

const WALL_TIME = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/;

/** True for the platform's wall-clock format, whose text order is its time order. */
export function isWallTime(v: unknown): v is string {
  return typeof v === 'string' && WALL_TIME.test(v) && parseDateTime(v) !== null;
}

/** The change time to ask from (platform wall-clock text), or undefined for the whole roster. */
export function queryFrom(c: ChangeCursor, overlapMs: number, timeZone = 'Asia/Shanghai'): string | undefined {
  if (c.since === null) return undefined;
  const at = parseDateTime(c.since, timeZone);
  if (at === null) return undefined;
  const back = Math.max(0, overlapMs) + Math.max(0, c.spanMs);
  // Whole seconds, rounded down: asking a little earlier only re-reads rows.
  return formatDateTime(Math.floor((at - back) / 1000) * 1000, timeZone);
}

export interface ChangeRow {
  idNumber: string;
  updateTime?: string | null;
  blacklisted?: boolean;
  exitDate?: string | null;
}

export interface ChangePlan<T extends ChangeRow> {
  /** One row per worker, the newest; status changes (blacklist, 退场) first, then by change time. */
  apply: T[];
  /** A worker listed twice: the list moved under the reader (a row changed while paging), rows may have been skipped. */
  drift: boolean;
  /** Rows without a usable change time (a platform without the change query). */
  untimed: number;
  /** Rows changed before the time asked (a platform that ignores the change filter). */
  olderThanAsked: number;
  /** The newest change time among the rows (platform text), null when none. */
  newest: string | null;
}

export function rowKey(r: ChangeRow): string {
  return r.idNumber.trim().toUpperCase();
}

function restricts(r: ChangeRow): boolean {
  return r.blacklisted === true || (typeof r.exitDate === 'string' && r.exitDate.length > 0);
}

/** Sorts out the rows one incremental pull read (in whatever page order the platform gave them). */
export function planChanges<T extends ChangeRow>(rows: readonly T[], askedFrom: string | undefined): ChangePlan<T> {
  const newestByKey = new Map<string, { row: T; at: number }>();
  let drift = false;
  let untimed = 0;
  let olderThanAsked = 0;
  let newest: string | null = null;
  rows.forEach((row, at) => {
    const key = rowKey(row);
    if (!key) return;
    const t = isWallTime(row.updateTime) ? row.updateTime : null;
    if (t === null) untimed++;
    else {
      if (askedFrom !== undefined && t < askedFrom) olderThanAsked++;
      if (newest === null || t > newest) newest = t;
    }
    const seen = newestByKey.get(key);
    if (seen) drift = true;
    // Keep the newest version; equal times: the one read later.
    if (!seen || (seen.row.updateTime ?? '') <= (t ?? '')) newestByKey.set(key, { row, at });
  });
  const apply = [...newestByKey.values()]
    .sort((a, b) => {
      const ra = restricts(a.row) ? 0 : 1;
      const rb = restricts(b.row) ? 0 : 1;
      if (ra !== rb) return ra - rb;
      const ta = a.row.updateTime ?? '';
      const tb = b.row.updateTime ?? '';
      return ta < tb ? -1 : ta > tb ? 1 : a.at - b.at;
    })
    .map((e) => e.row);
  return { apply, drift, untimed, olderThanAsked, newest };
}

/**
 * The cursor after a complete pull: the newest change time read (never earlier than before),
 * unchanged when the list drifted (the next pull reads the same window again).
 */
export function advance(c: ChangeCursor, plan: Pick<ChangePlan<ChangeRow>, 'drift' | 'newest'>, spanMs: number): ChangeCursor {
  if (plan.drift || plan.newest === null) return c.since === null ? c : { since: c.since, spanMs: Math.max(c.spanMs, spanMs) };
  if (c.since !== null && plan.newest <= c.since) return { since: c.since, spanMs: Math.max(0, spanMs) };
  return { since: plan.newest, spanMs: Math.max(0, spanMs) };
}

export function parseCursor(raw: string | null): ChangeCursor {
  if (!raw) return NO_CURSOR;
  try {
    const c = JSON.parse(raw) as Partial<ChangeCursor>;
    if (isWallTime(c.since) && typeof c.spanMs === 'number' && Number.isFinite(c.spanMs) && c.spanMs >= 0) return { since: c.since, spanMs: c.spanMs };
  } catch {
    // unreadable: start from the whole roster
  }
  return NO_CURSOR;
}
