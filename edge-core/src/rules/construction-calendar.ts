// 施工日历: the project's construction calendar. A construction day (施工日) is a workday that
// is neither a declared holiday nor inside a declared stoppage (停工). The Jiangxi 80 % rule
// divides by the month's construction days (本月施工时间); see management-compliance.ts.
import { z } from 'zod';
import { isIsoDate, isoWeekday, monthDates } from './calendar-dates.js';

export type DayType = 'workday' | 'holiday' | 'stoppage';

const isoDate = z.string().refine(isIsoDate, { message: 'expected a YYYY-MM-DD date' });

export const StoppageSchema = z
  .object({
    from: isoDate,
    to: isoDate,
    /** e.g. '暴雨红色预警' or '主管部门责令停工' */
    reason: z.string().min(1),
    declaredBy: z.string().optional(),
  })
  .refine((s) => s.from <= s.to, { message: 'stoppage ends before it starts' });

export const ConstructionCalendarSchema = z.object({
  /** First and last day of construction; days outside are not construction days. */
  start: isoDate.optional(),
  end: isoDate.optional(),
  /** ISO weekdays (1 = Mon … 7 = Sun) that are rest days; construction sites often have none. */
  restWeekdays: z.array(z.number().int().min(1).max(7)).default([]),
  /** Declared holidays (e.g. 春节), site-local dates. */
  holidays: z.array(isoDate).default([]),
  /** Working days that override restWeekdays (调休). */
  extraWorkdays: z.array(isoDate).default([]),
  /** Declared stoppages, inclusive date ranges. */
  stoppages: z.array(StoppageSchema).default([]),
});

export type ConstructionCalendar = z.infer<typeof ConstructionCalendarSchema>;
export type ConstructionCalendarInput = z.input<typeof ConstructionCalendarSchema>;

export const EMPTY_CALENDAR: ConstructionCalendar = ConstructionCalendarSchema.parse({});

export function parseConstructionCalendar(input: unknown): ConstructionCalendar {
  return ConstructionCalendarSchema.parse(input);
}

/**
 * The type of a site-local date. Precedence: stoppage > holiday > extra workday > rest weekday
 * (holiday) > workday. Dates outside [start, end] are holidays (no construction).
 */
export function dayType(calendar: ConstructionCalendar, date: string): DayType {
  if (calendar.stoppages.some((s) => s.from <= date && date <= s.to)) return 'stoppage';
  if (calendar.holidays.includes(date)) return 'holiday';
  if ((calendar.start && date < calendar.start) || (calendar.end && date > calendar.end)) return 'holiday';
  if (calendar.extraWorkdays.includes(date)) return 'workday';
  if (calendar.restWeekdays.includes(isoWeekday(date))) return 'holiday';
  return 'workday';
}

export function isConstructionDay(calendar: ConstructionCalendar, date: string): boolean {
  return dayType(calendar, date) === 'workday';
}

/** The construction days of a 'YYYY-MM' month, in order. */
export function constructionDays(calendar: ConstructionCalendar, month: string): string[] {
  return monthDates(month).filter((d) => isConstructionDay(calendar, d));
}

/** The stoppage covering a date, if any (for messages). */
export function stoppageOn(calendar: ConstructionCalendar, date: string): ConstructionCalendar['stoppages'][number] | undefined {
  return calendar.stoppages.find((s) => s.from <= date && date <= s.to);
}

// ---------------------------------------------------------------- marked days

/**
 * Why a day is marked: bad weather (暴雨、高温…) and a stoppage order (停工) make it a stoppage
 * day, a holiday (节假日) a holiday; `workday` makes a rest weekday a construction day (调休).
 */
export type CalendarMarkKind = 'weather' | 'stoppage' | 'holiday' | 'workday';
export const CALENDAR_MARK_KINDS: readonly CalendarMarkKind[] = ['weather', 'stoppage', 'holiday', 'workday'];
export type CalendarMarkSource = 'local' | 'platform';

export const MARK_DAY_TYPE: Readonly<Record<CalendarMarkKind, DayType>> = {
  weather: 'stoppage',
  stoppage: 'stoppage',
  holiday: 'holiday',
  workday: 'workday',
};

/** One marked day: set by an admin on this appliance, or imported from the platform. */
export interface CalendarMark {
  date: string;
  kind: CalendarMarkKind;
  reason: string;
  source: CalendarMarkSource;
  setBy?: string;
}

/** One mark per date: the platform's mark wins over a local one for the same date. */
export function effectiveMarks(marks: readonly CalendarMark[]): CalendarMark[] {
  const byDate = new Map<string, CalendarMark>();
  for (const m of marks) {
    const seen = byDate.get(m.date);
    if (!seen || (seen.source === 'local' && m.source === 'platform')) byDate.set(m.date, m);
  }
  return [...byDate.values()].sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0));
}

/**
 * The calendar with the marked days applied on top of the base (start, end, rest weekdays and
 * any days declared in it): weather and stoppage marks become one-day stoppages with their
 * reason, holiday marks holidays, workday marks extra workdays (and lift a base holiday).
 */
export function withCalendarMarks(base: ConstructionCalendar, marks: readonly CalendarMark[]): ConstructionCalendar {
  const effective = effectiveMarks(marks);
  if (effective.length === 0) return base;
  const workdays = new Set(effective.filter((m) => m.kind === 'workday').map((m) => m.date));
  const marked = new Set(effective.map((m) => m.date));
  const holidays = [...base.holidays.filter((d) => !marked.has(d)), ...effective.filter((m) => m.kind === 'holiday').map((m) => m.date)];
  const extraWorkdays = [...base.extraWorkdays.filter((d) => !marked.has(d)), ...workdays];
  const stoppages = [
    ...base.stoppages,
    ...effective
      .filter((m) => MARK_DAY_TYPE[m.kind] === 'stoppage')
      .map((m) => ({ from: m.date, to: m.date, reason: m.reason, ...(m.setBy ? { declaredBy: m.setBy } : {}) })),
  ];
  return { ...base, holidays, extraWorkdays, stoppages };
}
