import { describe, expect, it } from 'vitest';
import { computeAttendanceDays } from '../../src/rules/index.js';
import { at, ev } from './fixtures.js';

describe('attendance days', () => {
  it('a day shift: first in, last out, time on site, several lanes', () => {
    const days = computeAttendanceDays([
      ev(1, 'in', '2026-03-10 07:30', { laneId: 'lane-1' }),
      ev(1, 'in', '2026-03-10 07:31', { laneId: 'lane-2' }), // seen again at the next lane: same entry
      ev(1, 'out', '2026-03-10 12:00', { laneId: 'lane-2' }),
      ev(1, 'in', '2026-03-10 13:00', { laneId: 'lane-1' }),
      ev(1, 'out', '2026-03-10 17:30', { laneId: 'lane-3' }),
      ev(1, 'out', '2026-03-10 17:32', { laneId: 'lane-1' }), // the same exit again: last-out moves
    ]);
    expect(days).toHaveLength(1);
    const d = days[0]!;
    expect(d.date).toBe('2026-03-10');
    expect(d.firstIn).toBe(at('2026-03-10 07:30'));
    expect(d.lastOut).toBe(at('2026-03-10 17:32'));
    expect(d.sessions.map((s) => s.minutes)).toEqual([270, 272]);
    expect(d.minutes).toBe(542);
    expect(d.lanes).toEqual(['lane-1', 'lane-2', 'lane-3']);
    expect(d.flags).toEqual([]);
    expect(d.eventIds).toHaveLength(6);
  });

  it('a night shift crossing midnight belongs to the day it started', () => {
    const days = computeAttendanceDays([ev(2, 'in', '2026-03-10 19:45'), ev(2, 'out', '2026-03-11 06:15'), ev(2, 'in', '2026-03-11 19:50'), ev(2, 'out', '2026-03-12 06:00')]);
    expect(days.map((d) => [d.date, d.minutes, d.flags])).toEqual([
      ['2026-03-10', 630, ['crosses_midnight']],
      ['2026-03-11', 610, ['crosses_midnight']],
    ]);
  });

  it('a lane with only "in" records: days count, hours are never invented, missing exits are flagged', () => {
    const days = computeAttendanceDays([ev(3, 'in', '2026-03-10 07:00'), ev(3, 'in', '2026-03-11 07:05'), ev(3, 'in', '2026-03-12 06:58')], { asOf: at('2026-03-20 00:00') });
    expect(days.map((d) => d.date)).toEqual(['2026-03-10', '2026-03-11', '2026-03-12']);
    expect(days.every((d) => d.minutes === 0 && d.lastOut === null && d.flags.includes('missing_exit'))).toBe(true);
    expect(days.map((d) => d.sessions[0]?.close)).toEqual(['missing_exit_timeout', 'missing_exit_timeout', 'missing_exit_timeout']);
  });

  it('a re-entry after a missed exit closes the first session by rule (next entry)', () => {
    const [d] = computeAttendanceDays([ev(4, 'in', '2026-03-10 07:00'), ev(4, 'in', '2026-03-10 13:00'), ev(4, 'out', '2026-03-10 17:00')]);
    expect(d!.sessions.map((s) => [s.close, s.minutes])).toEqual([
      ['missing_exit_next_entry', 0],
      ['exit', 240],
    ]);
    expect(d!.flags).toEqual(['missing_exit']);
  });

  it('an exit after more than maxShiftHours does not pair; an exit alone is flagged missing_entry', () => {
    const days = computeAttendanceDays([ev(5, 'in', '2026-03-10 07:00'), ev(5, 'out', '2026-03-11 08:00')]);
    expect(days.map((d) => [d.date, d.minutes, d.flags])).toEqual([
      ['2026-03-10', 0, ['missing_exit']],
      ['2026-03-11', 0, ['missing_entry']],
    ]);
  });

  it('a worker still on site (entered less than maxShiftHours before asOf) is open, not missing', () => {
    const [d] = computeAttendanceDays([ev(6, 'in', '2026-03-10 07:00')], { asOf: at('2026-03-10 10:00') });
    expect(d!.flags).toEqual(['on_site']);
    expect(d!.sessions[0]!.close).toBe('open');
  });

  it('make-up records are marked', () => {
    const [d] = computeAttendanceDays([ev(7, 'in', '2026-03-10 07:00', { isMakeup: true }), ev(7, 'out', '2026-03-10 17:00')]);
    expect(d!.flags).toEqual(['makeup']);
    expect(d!.minutes).toBe(600);
  });
});

describe('attendance days ignore refused attempts', () => {
  it('a refused entry (no helmet) does not open a session', () => {
    const days = computeAttendanceDays([ev(8, 'in', '2026-03-10 07:00', { decision: 'refuse' }), ev(8, 'in', '2026-03-10 07:20'), ev(8, 'out', '2026-03-10 17:20')]);
    expect(days.map((d) => [d.date, d.minutes, d.firstIn])).toEqual([['2026-03-10', 600, at('2026-03-10 07:20')]]);
  });
});
