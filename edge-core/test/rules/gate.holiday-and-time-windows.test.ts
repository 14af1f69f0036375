import { describe, expect, it } from 'vitest';
import { evaluatePassage, parseConstructionCalendar, parseGatePolicy, withinTimeWindows, dayType } from '../../src/rules/index.js';
import { at, faceAttempt, person } from './fixtures.js';

const calendar = parseConstructionCalendar({
  holidays: ['2026-04-05'], // 清明 (Sunday)
  restWeekdays: [7],
  extraWorkdays: ['2026-04-12'],
  stoppages: [{ from: '2026-04-20', to: '2026-04-21', reason: '暴雨红色预警', declaredBy: '区住建局' }],
});

const policy = parseGatePolicy({
  timeWindows: {
    default: { workday: [{ from: '06:00', to: '20:00' }], holiday: [{ from: '08:00', to: '12:00' }], stoppage: [] },
    byRole: { manager: { workday: [{ from: '00:00', to: '24:00' }], holiday: [{ from: '00:00', to: '24:00' }], stoppage: [{ from: '08:00', to: '18:00' }] } },
    byTeam: { '30': { workday: [{ from: '18:00', to: '06:00' }], holiday: [], stoppage: [] } },
  },
});

describe('a holiday and the construction calendar', () => {
  it('classifies days: holiday, rest weekday, extra workday (调休), stoppage', () => {
    expect(dayType(calendar, '2026-04-05')).toBe('holiday');
    expect(dayType(calendar, '2026-04-19')).toBe('holiday'); // a Sunday
    expect(dayType(calendar, '2026-04-12')).toBe('workday'); // a Sunday made a workday
    expect(dayType(calendar, '2026-04-20')).toBe('stoppage');
    expect(dayType(calendar, '2026-04-22')).toBe('workday');
  });

  it('admits a worker on a holiday only inside the holiday window', () => {
    expect(evaluatePassage(faceAttempt({ calendar, at: at('2026-04-05 09:00') }), policy).decision).toBe('pass');
    const late = evaluatePassage(faceAttempt({ calendar, at: at('2026-04-05 14:00') }), policy);
    expect(late.decision).toBe('refuse');
    expect(late.reasons).toEqual([
      { code: 'outside_time_window', zh: '不在通行时段', en: 'Outside permitted hours', detail: { dayType: 'holiday', localTime: '14:00' } },
    ]);
  });

  it('refuses workers during a declared stoppage with 今日停工, admits a manager within the stoppage window', () => {
    const w = evaluatePassage(faceAttempt({ calendar, at: at('2026-04-20 09:00') }), policy);
    expect(w.reasons.map((x) => x.code)).toEqual(['site_stoppage']);
    expect(w.reasons[0]?.zh).toBe('今日停工，禁止进场');
    const m = evaluatePassage(faceAttempt({ calendar, at: at('2026-04-20 09:00') }, person({ role: 'manager', teamId: null })), policy);
    expect(m.decision).toBe('pass');
  });

  it('lets a night-shift team in across midnight: the morning part belongs to the previous day', () => {
    const night = person({ teamId: 30 });
    expect(evaluatePassage(faceAttempt({ calendar, at: at('2026-04-14 23:00') }, night), policy).decision).toBe('pass');
    expect(evaluatePassage(faceAttempt({ calendar, at: at('2026-04-15 02:00') }, night), policy).decision).toBe('pass');
    expect(evaluatePassage(faceAttempt({ calendar, at: at('2026-04-15 12:00') }, night), policy).decision).toBe('refuse');
    // 05 April is a holiday with no night window: the morning of 06 April is closed for this team.
    expect(evaluatePassage(faceAttempt({ calendar, at: at('2026-04-06 02:00') }, night), policy).decision).toBe('refuse');
  });

  it('team windows override role windows, which override the default', () => {
    expect(evaluatePassage(faceAttempt({ calendar, at: at('2026-04-14 21:00') }), policy).decision).toBe('refuse');
    expect(evaluatePassage(faceAttempt({ calendar, at: at('2026-04-14 21:00') }, person({ role: 'manager' })), policy).decision).toBe('pass');
  });

  it('never keeps anyone in by time window unless appliesTo is both', () => {
    expect(evaluatePassage(faceAttempt({ calendar, direction: 'out', at: at('2026-04-14 23:00') }), policy).decision).toBe('pass');
    const both = parseGatePolicy({ ...policy, timeWindows: { ...policy.timeWindows, appliesTo: 'both' }, exit: { mode: 'same_as_entry' } });
    expect(evaluatePassage(faceAttempt({ calendar, direction: 'out', at: at('2026-04-14 23:00') }), both).decision).toBe('refuse');
  });

  it('treats window ends as exclusive and 24:00 as the end of the day', () => {
    const w = { workday: [{ from: '06:00', to: '20:00' }], holiday: [{ from: '00:00', to: '24:00' }], stoppage: [] };
    expect(withinTimeWindows(w, calendar, '2026-04-14', 6 * 60)).toBe(true);
    expect(withinTimeWindows(w, calendar, '2026-04-14', 20 * 60)).toBe(false);
    expect(withinTimeWindows(w, calendar, '2026-04-05', 23 * 60 + 59)).toBe(true);
  });
});
