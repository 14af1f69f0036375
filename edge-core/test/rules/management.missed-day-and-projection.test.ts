import { describe, expect, it } from 'vitest';
import { computeManagementCompliance, constructionDays, dateRange, parseConstructionCalendar, type PassEvent, type ManagerPerson } from '../../src/rules/index.js';
import { ev } from './fixtures.js';

// March 2026: 31 days, a declared stoppage on 20–21 March, 15 March is a holiday → 28 construction days.
const calendar = parseConstructionCalendar({ holidays: ['2026-03-15'], stoppages: [{ from: '2026-03-20', to: '2026-03-21', reason: '暴雨红色预警' }] });
const C = constructionDays(calendar, '2026-03');

const managers: ManagerPerson[] = [
  { workerId: 101, managementRole: 'project_manager' },
  { workerId: 102, managementRole: 'technical_lead' },
  { workerId: 103, managementRole: 'quality_officer' },
  { workerId: 104, managementRole: 'safety_officer' },
  { workerId: 105, managementRole: 'construction_officer' },
  { workerId: 106, managementRole: 'labour_officer' },
];

/** An entry at 08:00 and an exit at 18:00 on each given date. */
function present(workerId: number, dates: readonly string[]): PassEvent[] {
  return dates.flatMap((d) => [ev(workerId, 'in', `${d} 08:00`), ev(workerId, 'out', `${d} 18:00`)]);
}

describe('Jiangxi management personnel: 80 % per person, 60 % combined', () => {
  it('counts 28 construction days in March (holiday and stoppage excluded); 80 % needs 23 days', () => {
    expect(C).toHaveLength(28);
    const r = computeManagementCompliance({ month: '2026-03', calendar, managers: managers.slice(0, 1), events: [], asOf: '2026-03-31', requiredRoles: [] });
    expect(r.persons[0]!.requiredDays).toBe(23);
  });

  it("a manager's missed day: shown as missed, still above 80 %", () => {
    const events = present(101, C.filter((d) => d !== '2026-03-10'));
    const r = computeManagementCompliance({ month: '2026-03', calendar, managers: managers.slice(0, 1), events, asOf: '2026-03-31', requiredRoles: ['project_manager'] });
    const p = r.persons[0]!;
    expect(p.missedDates).toEqual(['2026-03-10']);
    expect(p.validDays).toBe(27);
    expect(p.percent).toBe(96.4);
    expect(p.status).toBe('met');
    expect(p.roleName.zh).toBe('项目负责人');
    expect(r.projectFlagged).toBe(false);
  });

  it('six missed days bring a manager below 80 % at month end and flag the project', () => {
    const events = present(104, C.slice(6));
    const r = computeManagementCompliance({ month: '2026-03', calendar, managers: [managers[3]!], events, asOf: '2026-03-31', requiredRoles: ['safety_officer'] });
    expect(r.persons[0]).toMatchObject({ validDays: 22, constructionDays: 28, percent: 78.6, status: 'below' });
    expect(r.persons[0]!.warning?.zh).toBe('本月有效考勤 22/28 天，低于80%');
    expect(r.projectFlagged).toBe(true);
    expect(r.projectWarning?.zh).toContain('转包挂靠、违法分包');
  });

  it('attendance on a holiday or during a stoppage is shown but not counted', () => {
    const events = present(105, ['2026-03-15', '2026-03-20', '2026-03-02']);
    const r = computeManagementCompliance({ month: '2026-03', calendar, managers: [managers[4]!], events, asOf: '2026-03-31', requiredRoles: [] });
    expect(r.persons[0]!.validDays).toBe(1);
    expect(r.persons[0]!.nonConstructionDates).toEqual(['2026-03-15', '2026-03-20']);
  });

  it('never counts make-up records for management personnel and lists them as rejected', () => {
    const events = [...present(106, ['2026-03-02']), ev(106, 'in', '2026-03-03 08:00', { isMakeup: true, id: 'mk-1' })];
    const r = computeManagementCompliance({ month: '2026-03', calendar, managers: [managers[5]!], events, asOf: '2026-03-03', requiredRoles: [] });
    expect(r.persons[0]!.validDays).toBe(1);
    expect(r.persons[0]!.missedDates).toEqual(['2026-03-01', '2026-03-03']);
    expect(r.persons[0]!.rejectedMakeupEventIds).toEqual(['mk-1']);
  });

  it('mid-month projection: 按当前出勤，月底将低于80% before the platform raises its light', () => {
    const elapsed = C.filter((d) => d <= '2026-03-14'); // 14 construction days so far
    expect(elapsed).toHaveLength(14);
    const events = [...present(101, elapsed.slice(0, 10)), ...present(102, elapsed.slice(0, 4)), ...present(103, elapsed.slice(0, 12))];
    const r = computeManagementCompliance({ month: '2026-03', calendar, managers: managers.slice(0, 3), events, asOf: '2026-03-14', requiredRoles: [] });
    const [pm, tl, qo] = r.persons;
    expect(r.monthComplete).toBe(false);
    // 10/14 = 71.4 % pace; 23 needed, 13 more of the 14 left: still reachable → at risk
    expect(pm).toMatchObject({ status: 'at_risk', validDays: 10, elapsedDays: 14, remainingDays: 14, stillNeeded: 13, projectedPercent: 71.4 });
    expect(pm!.warning?.zh).toMatch(/^按当前出勤，月底将低于80%/);
    // 4 + 14 < 23 → cannot be reached any more
    expect(tl!.status).toBe('unreachable');
    expect(tl!.warning?.zh).toContain('本月已无法达到80%');
    // 12/14 = 85.7 % → on track
    expect(qo!.status).toBe('on_track');
    expect(r.projectFlagged).toBe(true);
  });

  it('combined on-duty rate: an unfilled role counts as zero and pulls the rate below 60 %', () => {
    const all = dateRange('2026-03-01', '2026-03-31').filter((d) => C.includes(d));
    const events = [101, 102, 103].flatMap((id) => present(id, all)); // three of six roles, 100 % each
    const r = computeManagementCompliance({ month: '2026-03', calendar, managers: managers.slice(0, 3), events, asOf: '2026-03-31' });
    expect(r.persons.filter((p) => p.unfilled).map((p) => p.managementRole)).toEqual(['safety_officer', 'construction_officer', 'labour_officer']);
    expect(r.combined).toMatchObject({ validDays: 84, constructionDays: 168, percent: 50, status: 'below' });
    expect(r.combined.warning?.zh).toMatch(/^综合到岗率/);

    const five = computeManagementCompliance({ month: '2026-03', calendar, managers: managers.slice(0, 4), events: [...events, ...present(104, all)], asOf: '2026-03-31' });
    expect(five.combined.percent).toBe(66.7);
    expect(five.combined.status).toBe('met');
    expect(five.projectFlagged).toBe(true); // two roles unfilled are each below 80 %
  });

  it('limits the denominator to the assignment period of a manager who joined mid-month', () => {
    const joined: ManagerPerson = { workerId: 107, managementRole: 'technical_lead', activeFrom: '2026-03-23' };
    const mine = C.filter((d) => d >= '2026-03-23');
    const r = computeManagementCompliance({ month: '2026-03', calendar, managers: [joined], events: present(107, mine), asOf: '2026-03-31', requiredRoles: [] });
    expect(r.persons[0]).toMatchObject({ constructionDays: 9, validDays: 9, percent: 100, status: 'met' });
  });
});
