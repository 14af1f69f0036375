// Attendance days (考勤日) from passed gate events: first-in / last-out, time on site, night
// shifts crossing midnight, missing exits (closed by a rule and flagged, never invented) and
// several lanes. Pure and independent of input order (events are sorted canonically).
import { cachedLocalDate as localDate } from './local-date-cache.js';
import type { GateDirection } from './gate-policy.js';

/** One attendance event (an attendance_events row with decision 'pass'). */
export interface PassEvent {
  id: string;
  workerId: number;
  laneId: string;
  direction: GateDirection;
  /** UTC ms. */
  occurredAt: number;
  /** The site zone recorded with the event. */
  timeZone: string;
  /** 补卡: a make-up record confirmed by the authority (workers only). */
  isMakeup?: boolean;
  /** Refused attempts are ignored by every computation; omitted means 'pass'. */
  decision?: 'pass' | 'refuse';
}

export interface AttendanceDayOptions {
  /** Two records of the same direction closer than this are one passage (several lanes, re-scans). */
  mergeGapMinutes?: number;
  /** An entry without an exit within this many hours is closed as a missing exit. */
  maxShiftHours?: number;
  /** UTC ms "now": a session younger than maxShiftHours without exit is still open (on site). */
  asOf?: number;
}

export const DEFAULT_DAY_OPTIONS = { mergeGapMinutes: 10, maxShiftHours: 16 } as const;

export type SessionClose =
  /** Closed by its exit record. */
  | 'exit'
  /** No exit: the next entry came first. */
  | 'missing_exit_next_entry'
  /** No exit within maxShiftHours (or before asOf + maxShiftHours). */
  | 'missing_exit_timeout'
  /** No entry: an exit record alone. */
  | 'missing_entry'
  /** Entered less than maxShiftHours before asOf: still on site. */
  | 'open';

export interface Session {
  inAt: number | null;
  outAt: number | null;
  inLane: string | null;
  outLane: string | null;
  close: SessionClose;
  /** Whole minutes between entry and exit; 0 unless both exist (never invented). */
  minutes: number;
  crossesMidnight: boolean;
  eventIds: string[];
  makeup: boolean;
}

export type DayFlag = 'missing_exit' | 'missing_entry' | 'crosses_midnight' | 'makeup' | 'on_site';

export interface AttendanceDay {
  workerId: number;
  /** Site-local date the day's first session started on (a night shift belongs to its entry day). */
  date: string;
  firstIn: number | null;
  lastOut: number | null;
  /** Sum of the sessions' minutes. */
  minutes: number;
  sessions: Session[];
  lanes: string[];
  flags: DayFlag[];
  eventIds: string[];
}

/** Canonical order: time, then 'in' before 'out' at the same instant, then id. */
export function compareEvents(a: PassEvent, b: PassEvent): number {
  if (a.occurredAt !== b.occurredAt) return a.occurredAt - b.occurredAt;
  if (a.direction !== b.direction) return a.direction === 'in' ? -1 : 1;
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

export function sessionMinutes(inAt: number, outAt: number): number {
  return Math.floor((outAt - inAt) / 60_000);
}

function sessionsOf(events: readonly PassEvent[], opts: Required<Omit<AttendanceDayOptions, 'asOf'>> & { asOf?: number }): Session[] {
  const mergeMs = opts.mergeGapMinutes * 60_000;
  const maxMs = opts.maxShiftHours * 3_600_000;
  const sessions: Session[] = [];
  let open: Session | null = null;
  const tz = new Map<string, string>(events.map((e) => [e.id, e.timeZone]));

  const finish = (s: Session, close: SessionClose): void => {
    s.close = close;
    sessions.push(s);
  };

  for (const e of events) {
    if (e.direction === 'in') {
      if (open && open.inAt !== null && e.occurredAt - open.inAt <= mergeMs) {
        // Same entry seen again (another lane or a re-scan): keep the first, note the record.
        open.eventIds.push(e.id);
        open.makeup ||= !!e.isMakeup;
        continue;
      }
      if (open) finish(open, open.inAt !== null && e.occurredAt - open.inAt > maxMs ? 'missing_exit_timeout' : 'missing_exit_next_entry');
      open = { inAt: e.occurredAt, outAt: null, inLane: e.laneId, outLane: null, close: 'open', minutes: 0, crossesMidnight: false, eventIds: [e.id], makeup: !!e.isMakeup };
      continue;
    }
    // direction 'out'
    if (open && open.inAt !== null && e.occurredAt - open.inAt <= maxMs) {
      open.outAt = e.occurredAt;
      open.outLane = e.laneId;
      open.eventIds.push(e.id);
      open.makeup ||= !!e.isMakeup;
      open.minutes = sessionMinutes(open.inAt, e.occurredAt);
      finish(open, 'exit');
      open = null;
      continue;
    }
    if (open) {
      finish(open, 'missing_exit_timeout');
      open = null;
    }
    const prev = sessions[sessions.length - 1];
    if (prev && prev.outAt !== null && e.occurredAt - prev.outAt <= mergeMs) {
      // The same exit seen again: last-out moves to the later record.
      prev.outAt = e.occurredAt;
      prev.outLane = e.laneId;
      prev.eventIds.push(e.id);
      prev.makeup ||= !!e.isMakeup;
      if (prev.inAt !== null) prev.minutes = sessionMinutes(prev.inAt, e.occurredAt);
      continue;
    }
    finish({ inAt: null, outAt: e.occurredAt, inLane: null, outLane: e.laneId, close: 'missing_entry', minutes: 0, crossesMidnight: false, eventIds: [e.id], makeup: !!e.isMakeup }, 'missing_entry');
  }
  if (open) {
    const stillOpen = opts.asOf !== undefined && open.inAt !== null && opts.asOf - open.inAt <= maxMs;
    finish(open, stillOpen ? 'open' : 'missing_exit_timeout');
  }
  for (const s of sessions) {
    if (s.inAt !== null && s.outAt !== null) {
      const zIn = tz.get(s.eventIds[0] ?? '') ?? 'UTC';
      s.crossesMidnight = localDate(s.inAt, zIn) !== localDate(s.outAt, zIn);
    }
  }
  return sessions;
}

/**
 * Groups one or many workers' passed events into attendance days. Sessions are paired in
 * canonical order; each session belongs to the site-local date of its entry (of its exit when
 * the entry is missing). Days come back ordered by worker, then date.
 */
export function computeAttendanceDays(events: readonly PassEvent[], options: AttendanceDayOptions = {}): AttendanceDay[] {
  const opts = { ...DEFAULT_DAY_OPTIONS, ...options };
  const byWorker = new Map<number, PassEvent[]>();
  for (const e of events) {
    if (e.decision === 'refuse') continue;
    const list = byWorker.get(e.workerId);
    if (list) list.push(e);
    else byWorker.set(e.workerId, [e]);
  }
  const days: AttendanceDay[] = [];
  for (const workerId of [...byWorker.keys()].sort((a, b) => a - b)) {
    const list = (byWorker.get(workerId) ?? []).slice().sort(compareEvents);
    const zoneOf = new Map(list.map((e) => [e.id, e.timeZone]));
    const byDate = new Map<string, AttendanceDay>();
    for (const s of sessionsOf(list, opts)) {
      const at = s.inAt ?? s.outAt ?? 0;
      const date = localDate(at, zoneOf.get(s.eventIds[0] ?? '') ?? 'UTC');
      let day = byDate.get(date);
      if (!day) {
        day = { workerId, date, firstIn: null, lastOut: null, minutes: 0, sessions: [], lanes: [], flags: [], eventIds: [] };
        byDate.set(date, day);
      }
      day.sessions.push(s);
      day.minutes += s.minutes;
      if (s.inAt !== null && (day.firstIn === null || s.inAt < day.firstIn)) day.firstIn = s.inAt;
      if (s.outAt !== null && (day.lastOut === null || s.outAt > day.lastOut)) day.lastOut = s.outAt;
      day.eventIds.push(...s.eventIds);
    }
    const lanesOf = new Map(list.map((e) => [e.id, e.laneId]));
    for (const date of [...byDate.keys()].sort()) {
      const day = byDate.get(date) as AttendanceDay;
      day.lanes = [...new Set(day.eventIds.map((id) => lanesOf.get(id) ?? ''))].sort();
      day.eventIds.sort();
      const flags = new Set<DayFlag>();
      for (const s of day.sessions) {
        if (s.close === 'missing_exit_next_entry' || s.close === 'missing_exit_timeout') flags.add('missing_exit');
        if (s.close === 'missing_entry') flags.add('missing_entry');
        if (s.close === 'open') flags.add('on_site');
        if (s.crossesMidnight) flags.add('crosses_midnight');
        if (s.makeup) flags.add('makeup');
      }
      const order: DayFlag[] = ['missing_exit', 'missing_entry', 'crosses_midnight', 'makeup', 'on_site'];
      day.flags = order.filter((f) => flags.has(f));
      days.push(day);
    }
  }
  return days;
}
