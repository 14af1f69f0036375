// "Who may pass now" (通行时段预览): for a policy (saved or being edited) and an instant, which
// people's time windows admit an entry, which rule decides for each (team → role → default)
// and the windows in force. Pure; the gate applies the same resolveWindows/withinTimeWindows.
import { localParts } from '../time/site-time.js';
import { addDays, minutesOfDay } from './calendar-dates.js';
import { dayType, type ConstructionCalendar, type DayType } from './construction-calendar.js';
import { resolveWindows, withinTimeWindows } from './gate-policy.js';
import type { GatePolicy, TimeWindow } from './gate-policy-schema.js';
import type { PersonRole } from '../domain/personnel.js';

export interface PreviewPerson {
  workerId: number;
  name: string;
  role: PersonRole;
  teamId: number | null;
  teamName: string | null;
}

export type WindowSource = { kind: 'team'; teamId: number } | { kind: 'role'; role: PersonRole } | { kind: 'default' };

export interface PreviewGroup {
  source: WindowSource;
  /** The windows of today's day type, and of yesterday's when one crosses midnight into now. */
  windows: TimeWindow[];
  allowed: boolean;
  people: PreviewPerson[];
}

export interface TimeWindowPreview {
  at: number;
  localDate: string;
  localTime: string;
  dayType: DayType;
  /** The day before decides for windows crossing midnight (e.g. 18:00–06:00 at 02:00). */
  previousDayType: DayType;
  allowed: number;
  refused: number;
  groups: PreviewGroup[];
}

export function windowSource(policy: GatePolicy, p: Pick<PreviewPerson, 'role' | 'teamId'>): WindowSource {
  const tw = policy.timeWindows;
  if (p.teamId !== null && tw.byTeam[String(p.teamId)]) return { kind: 'team', teamId: p.teamId };
  if (tw.byRole[p.role]) return { kind: 'role', role: p.role };
  return { kind: 'default' };
}

const sourceKey = (s: WindowSource): string => (s.kind === 'team' ? `team:${s.teamId}` : s.kind === 'role' ? `role:${s.role}` : 'default');

/** Groups the people by the rule that decides for them, with whether an entry is admitted at `at`. */
export function previewTimeWindows(input: { policy: GatePolicy; calendar: ConstructionCalendar; people: readonly PreviewPerson[]; at: number; timeZone: string }): TimeWindowPreview {
  const parts = localParts(input.at, input.timeZone);
  const minute = minutesOfDay(parts.time);
  const today = dayType(input.calendar, parts.date);
  const yesterday = dayType(input.calendar, addDays(parts.date, -1));
  const groups = new Map<string, PreviewGroup>();
  for (const p of input.people) {
    const source = windowSource(input.policy, p);
    const key = sourceKey(source);
    let g = groups.get(key);
    if (!g) {
      const w = resolveWindows(input.policy, p);
      const overnight = w[yesterday].filter((x) => minutesOfDay(x.to) < minutesOfDay(x.from));
      g = { source, windows: [...w[today], ...overnight.filter((x) => !w[today].includes(x))], allowed: withinTimeWindows(w, input.calendar, parts.date, minute), people: [] };
      groups.set(key, g);
    }
    g.people.push(p);
  }
  const list = [...groups.values()].sort((a, b) => Number(b.allowed) - Number(a.allowed) || sourceKey(a.source).localeCompare(sourceKey(b.source)));
  const count = (allowed: boolean) => list.filter((g) => g.allowed === allowed).reduce((n, g) => n + g.people.length, 0);
  return { at: input.at, localDate: parts.date, localTime: parts.time.slice(0, 5), dayType: today, previousDayType: yesterday, allowed: count(true), refused: count(false), groups: list };
}
