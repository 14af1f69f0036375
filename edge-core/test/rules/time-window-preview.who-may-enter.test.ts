// "Who may enter now": people grouped by the rule that decides for them (team → role →
// default), per day type of the calendar, including a night window that started yesterday.
import { describe, expect, it } from 'vitest';
import { parseConstructionCalendar, parseGatePolicy, previewTimeWindows, type PreviewPerson } from '../../src/rules/index.js';

const people: PreviewPerson[] = [
  { workerId: 1, name: '测试甲', role: 'worker', teamId: 10, teamName: '钢筋班' },
  { workerId: 2, name: '测试乙', role: 'worker', teamId: 30, teamName: '夜班' },
  { workerId: 3, name: '测试丙', role: 'worker', teamId: null, teamName: null },
  { workerId: 4, name: '测试丁', role: 'manager', teamId: 10, teamName: '钢筋班' },
];
const policy = parseGatePolicy({
  timeWindows: {
    default: { workday: [{ from: '06:00', to: '20:00' }], holiday: [{ from: '08:00', to: '12:00' }], stoppage: [] },
    byTeam: { '30': { workday: [{ from: '18:00', to: '06:00' }], holiday: [], stoppage: [] } },
  },
});
const calendar = parseConstructionCalendar({ stoppages: [{ from: '2026-03-11', to: '2026-03-11', reason: '暴雨' }] });
const at = (s: string) => Date.parse(`${s}+08:00`);

describe('time-window preview', () => {
  it('on a workday morning the day team and the manager may enter, the night team may not', () => {
    const p = previewTimeWindows({ policy, calendar, people, at: at('2026-03-10T07:30:00'), timeZone: 'Asia/Shanghai' });
    expect(p).toMatchObject({ localDate: '2026-03-10', localTime: '07:30', dayType: 'workday', allowed: 3, refused: 1 });
    const night = p.groups.find((g) => g.source.kind === 'team');
    expect(night).toMatchObject({ source: { kind: 'team', teamId: 30 }, allowed: false });
    expect(night?.people.map((x) => x.name)).toEqual(['测试乙']);
    expect(p.groups.find((g) => g.source.kind === 'role')?.people.map((x) => x.workerId)).toEqual([4]); // managers all day (default policy)
  });

  it('at 02:00 after a workday the night window that started yesterday admits the night team', () => {
    const p = previewTimeWindows({ policy, calendar, people, at: at('2026-03-10T02:00:00'), timeZone: 'Asia/Shanghai' });
    const night = p.groups.find((g) => g.source.kind === 'team');
    expect(night?.allowed).toBe(true);
    expect(night?.windows).toContainEqual({ from: '18:00', to: '06:00' });
    expect(p.groups.find((g) => g.source.kind === 'default')?.allowed).toBe(false);
  });

  it('on a stoppage day of the calendar only management may enter', () => {
    const p = previewTimeWindows({ policy, calendar, people, at: at('2026-03-11T10:00:00'), timeZone: 'Asia/Shanghai' });
    expect(p.dayType).toBe('stoppage');
    expect(p).toMatchObject({ allowed: 1, refused: 3 });
  });
});
