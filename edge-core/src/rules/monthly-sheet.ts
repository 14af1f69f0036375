// Monthly attendance sheet (考勤表), the basis of payroll (赣建建〔2022〕9号 第七条: wage payment
// must agree with the attendance). Pure: rows per worker with days, time on site, make-up
// marks and one cell per day, grouped per team (班组) or per employer (参建单位).
import { isoWeekday, monthDates } from './calendar-dates.js';
import { computeAttendanceDays, type AttendanceDayOptions, type PassEvent } from './attendance-days.js';
import { dayType, EMPTY_CALENDAR, type ConstructionCalendar, type DayType } from './construction-calendar.js';
import type { PersonRole } from '../domain/personnel.js';
import type { Bilingual } from './reasons.js';

export interface SheetWorker {
  workerId: number;
  name: string;
  /** Masked for print, e.g. 9999**********123X. */
  idNumberMasked: string;
  employerId: number | null;
  employerName: string | null;
  teamId: number | null;
  teamName: string | null;
  tradeName?: string | null;
  role: PersonRole;
}

export interface MonthlySheetInput {
  /** 'YYYY-MM'. */
  month: string;
  groupBy: 'team' | 'employer';
  projectName: string;
  workers: readonly SheetWorker[];
  /**
   * Passed events (make-ups included) from at least maxShiftHours before the month to
   * maxShiftHours after it, so night shifts at the edges pair correctly.
   */
  events: readonly PassEvent[];
  calendar?: ConstructionCalendar;
  dayOptions?: AttendanceDayOptions;
}

export interface SheetCell {
  date: string;
  present: boolean;
  minutes: number;
  makeup: boolean;
  /** Missing exit or missing entry that day: the hours are incomplete. */
  incomplete: boolean;
  /** '' absent; '8.5' hours; '√' present without a complete session; '补' prefix make-up; '*' suffix incomplete. */
  text: string;
}

export interface SheetRow {
  workerId: number;
  name: string;
  idNumberMasked: string;
  teamName: string;
  employerName: string;
  tradeName: string;
  days: number;
  minutes: number;
  /** minutes ÷ 60 rounded to 2 decimals. */
  hours: number;
  makeupDays: number;
  incompleteDays: number;
  cells: SheetCell[];
}

export interface SheetTotals {
  workers: number;
  days: number;
  minutes: number;
  hours: number;
  makeupDays: number;
  incompleteDays: number;
}

export interface SheetGroup {
  key: string;
  title: string;
  rows: SheetRow[];
  totals: SheetTotals;
}

export interface SheetDate {
  date: string;
  day: number;
  /** ISO weekday 1–7. */
  weekday: number;
  dayType: DayType;
}

export interface MonthlySheet {
  month: string;
  groupBy: 'team' | 'employer';
  projectName: string;
  title: Bilingual;
  dates: SheetDate[];
  groups: SheetGroup[];
  legend: Bilingual;
}

export const SHEET_LEGEND: Bilingual = {
  zh: '数字=当日在场工时(小时)；√=出勤但无完整进出记录；补=经主管部门确认的补卡；*=缺进场或出场记录',
  en: 'number = hours on site; √ = present without a complete entry/exit pair; 补 = make-up confirmed by the authority; * = missing entry or exit',
};

export const hoursOf = (minutes: number): number => Math.round((minutes * 100) / 60) / 100;

function cellText(present: boolean, minutes: number, makeup: boolean, incomplete: boolean): string {
  if (!present) return '';
  const base = minutes > 0 ? (Math.round((minutes * 10) / 60) / 10).toFixed(1) : '√';
  return `${makeup ? '补' : ''}${base}${incomplete ? '*' : ''}`;
}

function totalsOf(rows: readonly SheetRow[]): SheetTotals {
  const minutes = rows.reduce((a, r) => a + r.minutes, 0);
  return {
    workers: rows.length,
    days: rows.reduce((a, r) => a + r.days, 0),
    minutes,
    hours: hoursOf(minutes),
    makeupDays: rows.reduce((a, r) => a + r.makeupDays, 0),
    incompleteDays: rows.reduce((a, r) => a + r.incompleteDays, 0),
  };
}

/** Computes the sheet. A day counts when the worker has a session starting that day (README). */
export function computeMonthlySheet(input: MonthlySheetInput): MonthlySheet {
  const calendar = input.calendar ?? EMPTY_CALENDAR;
  const dates = monthDates(input.month);
  const listed = new Set(input.workers.map((w) => w.workerId));
  const days = computeAttendanceDays(
    input.events.filter((e) => listed.has(e.workerId)),
    input.dayOptions,
  ).filter((d) => d.date.startsWith(input.month));
  const dayIndex = new Map(days.map((d) => [`${d.workerId}|${d.date}`, d]));

  const rows = input.workers.map((w): SheetRow => {
    const cells = dates.map((date): SheetCell => {
      const d = dayIndex.get(`${w.workerId}|${date}`);
      if (!d) return { date, present: false, minutes: 0, makeup: false, incomplete: false, text: '' };
      const makeup = d.flags.includes('makeup');
      const incomplete = d.flags.includes('missing_exit') || d.flags.includes('missing_entry');
      return { date, present: true, minutes: d.minutes, makeup, incomplete, text: cellText(true, d.minutes, makeup, incomplete) };
    });
    const minutes = cells.reduce((a, c) => a + c.minutes, 0);
    return {
      workerId: w.workerId,
      name: w.name,
      idNumberMasked: w.idNumberMasked,
      teamName: w.teamName ?? '',
      employerName: w.employerName ?? '',
      tradeName: w.tradeName ?? '',
      days: cells.filter((c) => c.present).length,
      minutes,
      hours: hoursOf(minutes),
      makeupDays: cells.filter((c) => c.makeup).length,
      incompleteDays: cells.filter((c) => c.incomplete).length,
      cells,
    };
  });

  const groups = new Map<string, { title: string; rows: SheetRow[] }>();
  input.workers.forEach((w, i) => {
    const row = rows[i] as SheetRow;
    const [key, title] =
      input.groupBy === 'team'
        ? [`team:${w.teamId ?? 'none'}`, w.teamName ? `${w.teamName}（${w.employerName ?? ''}）` : '未分班组']
        : [`employer:${w.employerId ?? 'none'}`, w.employerName ?? '未关联参建单位'];
    const g = groups.get(key) ?? { title, rows: [] };
    g.rows.push(row);
    groups.set(key, g);
  });
  const sortedGroups = [...groups.entries()]
    .map(([key, g]) => {
      const sortedRows = [...g.rows].sort((a, b) => a.name.localeCompare(b.name, 'zh-CN') || a.workerId - b.workerId);
      return { key, title: g.title, rows: sortedRows, totals: totalsOf(sortedRows) };
    })
    .sort((a, b) => a.title.localeCompare(b.title, 'zh-CN') || (a.key < b.key ? -1 : 1));

  const [y, m] = input.month.split('-');
  return {
    month: input.month,
    groupBy: input.groupBy,
    projectName: input.projectName,
    title: { zh: `${input.projectName} ${y}年${m}月考勤表`, en: `${input.projectName} attendance sheet ${input.month}` },
    dates: dates.map((date) => ({ date, day: Number(date.slice(8)), weekday: isoWeekday(date), dayType: dayType(calendar, date) })),
    groups: sortedGroups,
    legend: SHEET_LEGEND,
  };
}
