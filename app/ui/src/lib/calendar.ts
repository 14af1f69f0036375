// Pure date logic of the kiosk's own date pickers (components/DateInput.tsx): values are the
// same strings the native inputs used ('YYYY-MM-DD', 'YYYY-MM', 'YYYY-MM-DDTHH:mm'), and the
// month grid starts on Sunday (日 一 二 三 四 五 六) whatever the browser's locale says.
export type DateKind = 'date' | 'month' | 'datetime';

const pad = (n: number) => String(n).padStart(2, '0');

export function daysInMonth(year: number, month1: number): number {
  return new Date(Date.UTC(year, month1, 0)).getUTCDate();
}

/** 0 = Sunday … 6 = Saturday, for a calendar date (no time zone involved). */
export function weekday(year: number, month1: number, day: number): number {
  return new Date(Date.UTC(year, month1 - 1, day)).getUTCDay();
}

export interface YearMonth {
  year: number;
  month: number;
}

export function shiftYearMonth(ym: YearMonth, delta: number): YearMonth {
  const i = ym.year * 12 + (ym.month - 1) + delta;
  return { year: Math.floor(i / 12), month: (i % 12) + 1 };
}

/** Six weeks of day numbers for the month, null for the blanks before the 1st and after the end. */
export function monthGrid(ym: YearMonth): Array<Array<number | null>> {
  const first = weekday(ym.year, ym.month, 1);
  const n = daysInMonth(ym.year, ym.month);
  const cells: Array<number | null> = [];
  for (let i = 0; i < first; i++) cells.push(null);
  for (let d = 1; d <= n; d++) cells.push(d);
  while (cells.length % 7 !== 0) cells.push(null);
  const weeks: Array<Array<number | null>> = [];
  for (let i = 0; i < cells.length; i += 7) weeks.push(cells.slice(i, i + 7));
  return weeks;
}

export function isoDate(year: number, month1: number, day: number): string {
  return `${year}-${pad(month1)}-${pad(day)}`;
}

export interface ParsedValue {
  year: number;
  month: number;
  day: number | null;
  time: string | null;
}

/** A value of the given kind, checked for a real calendar date (and time); null otherwise. */
export function parseValue(kind: DateKind, text: string): ParsedValue | null {
  const re =
    kind === 'month'
      ? /^(\d{4})-(\d{2})$/
      : kind === 'date'
        ? /^(\d{4})-(\d{2})-(\d{2})$/
        : /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})$/;
  const m = re.exec(text.trim());
  if (!m) return null;
  const year = Number(m[1]);
  const month = Number(m[2]);
  if (year < 1900 || year > 2999 || month < 1 || month > 12) return null;
  if (kind === 'month') return { year, month, day: null, time: null };
  const day = Number(m[3]);
  if (day < 1 || day > daysInMonth(year, month)) return null;
  if (kind === 'date') return { year, month, day, time: null };
  const h = Number(m[4]);
  const mi = Number(m[5]);
  if (h > 23 || mi > 59) return null;
  return { year, month, day, time: `${pad(h)}:${pad(mi)}` };
}

/**
 * What a person typed, tidied into the value's shape where that is unambiguous: '2026/3/1',
 * '2026.03.01' and '2026年3月1日' become '2026-03-01'; a datetime takes a space or 'T' before
 * the time. Anything else is returned as typed (and then shown as invalid).
 */
export function normalizeTyped(kind: DateKind, text: string): string {
  const t = text.trim().replace(/[年月./]/g, '-').replace(/日/g, '').replace(/\s+/, 'T');
  const m = /^(\d{4})-(\d{1,2})(?:-(\d{1,2}))?(?:T(\d{1,2}):(\d{2}))?-?$/.exec(t);
  if (!m) return text.trim();
  const [, y, mo, d, h, mi] = m;
  if (kind === 'month') return d || h ? text.trim() : `${y}-${pad(Number(mo))}`;
  if (!d) return text.trim();
  const date = `${y}-${pad(Number(mo))}-${pad(Number(d))}`;
  if (kind === 'date') return h ? text.trim() : date;
  return h && mi ? `${date}T${pad(Number(h))}:${mi}` : text.trim();
}

export const WEEKDAYS_ZH = ['日', '一', '二', '三', '四', '五', '六'] as const;
export const WEEKDAYS_EN = ['Su', 'Mo', 'Tu', 'We', 'Th', 'Fr', 'Sa'] as const;
const MONTHS_EN = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** '2026年12月' / 'Dec 2026' — the picker's heading, never the browser's locale. */
export function monthTitle(ym: YearMonth, lang: 'zh' | 'en'): string {
  return lang === 'zh' ? `${ym.year}年${ym.month}月` : `${MONTHS_EN[ym.month - 1]} ${ym.year}`;
}

/** How a value is shown: '2026年12月1日', '2026年12月', '2026年12月1日 08:00' (zh) or the ISO shape (en). */
export function displayValue(kind: DateKind, text: string, lang: 'zh' | 'en'): string {
  const v = parseValue(kind, text);
  if (!v) return text;
  if (lang === 'en') return text.replace('T', ' ');
  if (kind === 'month') return `${v.year}年${v.month}月`;
  const day = `${v.year}年${v.month}月${v.day}日`;
  return kind === 'date' ? day : `${day} ${v.time}`;
}
