// The calendar screen's month grid: Monday-first weeks with blanks, month stepping across the
// year, and toggling a selection of days.
import { describe, expect, it } from 'vitest';
import { monthGrid, shiftMonth, toggleDate } from '../../ui/src/lib/calendar-grid.js';

describe('calendar screen logic', () => {
  it('lays November 2026 (starting on a Sunday) out as six Monday-first weeks', () => {
    const days = Array.from({ length: 30 }, (_, i) => ({ date: `2026-11-${String(i + 1).padStart(2, '0')}`, weekday: ((6 + i) % 7) + 1 }));
    const weeks = monthGrid(days);
    expect(weeks).toHaveLength(6);
    expect(weeks.every((w) => w.length === 7)).toBe(true);
    expect(weeks[0]?.slice(0, 6).every((c) => c.day === null)).toBe(true);
    expect(weeks[0]?.[6]?.day?.date).toBe('2026-11-01');
    expect(weeks[5]?.[0]?.day?.date).toBe('2026-11-30');
    expect(weeks[5]?.slice(1).every((c) => c.day === null)).toBe(true);
  });

  it('steps months across the year and toggles a sorted selection', () => {
    expect(shiftMonth('2026-12', 1)).toBe('2027-01');
    expect(shiftMonth('2026-01', -1)).toBe('2025-12');
    expect(toggleDate(['2026-11-10'], '2026-11-03')).toEqual(['2026-11-03', '2026-11-10']);
    expect(toggleDate(['2026-11-03', '2026-11-10'], '2026-11-03')).toEqual(['2026-11-10']);
  });
});
