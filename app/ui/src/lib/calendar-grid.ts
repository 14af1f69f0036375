// The month grid of the calendar screen: weeks of seven cells, Monday first, with blanks
// before the 1st and after the last day. Pure, unit-tested (app/test/ui).
export interface GridCell<T> {
  day: T | null;
}

/** Lays out days (ISO weekday 1–7 each) as weeks starting on Monday. */
export function monthGrid<T extends { weekday: number }>(days: readonly T[]): Array<Array<GridCell<T>>> {
  const weeks: Array<Array<GridCell<T>>> = [];
  let week: Array<GridCell<T>> = [];
  const first = days[0];
  if (first) for (let i = 1; i < first.weekday; i++) week.push({ day: null });
  for (const d of days) {
    week.push({ day: d });
    if (week.length === 7) {
      weeks.push(week);
      week = [];
    }
  }
  if (week.length) {
    while (week.length < 7) week.push({ day: null });
    weeks.push(week);
  }
  return weeks;
}

/** 'YYYY-MM' shifted by whole months. */
export function shiftMonth(month: string, by: number): string {
  const [y, m] = month.split('-').map(Number) as [number, number];
  const d = new Date(Date.UTC(y, m - 1 + by, 1));
  return `${d.getUTCFullYear()}-${String(d.getUTCMonth() + 1).padStart(2, '0')}`;
}

/** Toggles a date in a sorted selection. */
export function toggleDate(selected: readonly string[], date: string): string[] {
  return selected.includes(date) ? selected.filter((d) => d !== date) : [...selected, date].sort();
}
