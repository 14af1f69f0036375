// The construction calendar end to end, through the real API against the embedded platform
// simulator: an admin marks rain days with a reason (audited); the management 80 % view, its
// early warning and the monthly sheet (XLSX) stop counting them; the platform's declared
// stoppage is imported with the (assumed, configurable) ProjectCalendar.Query method and wins
// over a local mark; roles and bad input are refused without a change.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import ExcelJS from 'exceljs';
import { api, login, runningClockFrom, startTestCore, type TestCore } from './helpers.js';

// 2026-11-20 12:00 in Asia/Shanghai.
const NOW = Date.UTC(2026, 10, 20, 4, 0);
const at = (day: number, hh: number) => Date.UTC(2026, 10, day, hh - 8);

let core: TestCore;
let admin: string;
let sup: string;
let managerId: number;

beforeAll(async () => {
  core = await startTestCore({ platform: { type: 'simulator' } }, undefined, { clock: runningClockFrom(NOW) });
  admin = await login(core, 'admin');
  sup = await login(core, 'supervisor');
  const list = (await api(core, 'GET', '/api/workers', undefined, await login(core, 'clerk'))).json as Array<{ id: number; role: string }>;
  managerId = (list.find((w) => w.role === 'manager') as { id: number }).id;
  // The safety officer came on 2 and 3 November only.
  for (const d of [2, 3]) {
    core.services.attendance.record({ laneId: 'lane-1', workerId: managerId, direction: 'in', decision: 'pass', occurredAt: at(d, 8) });
    core.services.attendance.record({ laneId: 'lane-2', workerId: managerId, direction: 'out', decision: 'pass', occurredAt: at(d, 18) });
  }
});
afterAll(async () => {
  await core?.stop();
});

const officer = async () => {
  const r = await api(core, 'GET', '/api/reports/management?month=2026-11', undefined, sup);
  expect(r.status).toBe(200);
  return { person: r.json.persons.find((p: { workerId: number | null }) => p.workerId === managerId), combined: r.json.combined };
};

describe('construction calendar: rain days, the 80 % rule, the sheet and the platform', () => {
  it('rain days marked by the admin leave the month, the 80 % line and its warning', async () => {
    const before = await officer();
    expect(before.person.constructionDays).toBe(30);
    expect(before.person.requiredDays).toBe(24);
    expect(before.person.elapsedDays).toBe(20);

    const dates = ['2026-11-09', '2026-11-10', '2026-11-11', '2026-11-12', '2026-11-13'];
    const r = await api(core, 'PUT', '/api/admin/calendar/days', { dates, kind: 'weather', reason: '连续暴雨' }, admin);
    expect(r.status).toBe(200);
    expect(r.json.changed).toEqual(dates);

    const after = await officer();
    expect(after.person.constructionDays).toBe(25);
    expect(after.person.requiredDays).toBe(20);
    expect(after.person.elapsedDays).toBe(15);
    expect(after.person.missedDates).not.toContain('2026-11-10');
    expect(after.person.warning.zh).toContain('还需 18 天，仅剩 10 个施工日');
    expect(after.combined.constructionDays).toBeLessThan(before.combined.constructionDays);

    const audit = core.services.audit.list({ action: 'calendar.mark' });
    expect(audit[0]).toMatchObject({ actor: expect.stringMatching(/^admin#\d+ /), details: { kind: 'weather', reason: '连续暴雨' } });

    const month = await api(core, 'GET', '/api/calendar?month=2026-11', undefined, sup);
    expect(month.json.constructionDays).toBe(25);
    expect(month.json.days[9]).toMatchObject({ date: '2026-11-10', dayType: 'stoppage', construction: false, mark: { kind: 'weather', reason: '连续暴雨', source: 'local', setBy: expect.stringMatching(/^admin#\d+ /) } });
  });

  it('the monthly sheet marks the rain days 停 in its header', async () => {
    const r = await fetch(`${core.url}/api/reports/attendance-sheet?month=2026-11&format=xlsx`, { headers: { authorization: `Bearer ${sup}` } });
    expect(r.status).toBe(200);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(Buffer.from(await r.arrayBuffer()) as unknown as ArrayBuffer);
    const ws = wb.worksheets[0];
    expect(ws).toBeDefined();
    let marks: string[] = [];
    ws?.eachRow((row) => {
      const values = (row.values as unknown[]).map((v) => (v === null || v === undefined ? '' : String(v)));
      if (values.filter((v) => v === '停').length > 0) marks = values;
    });
    expect(marks.filter((v) => v === '停')).toHaveLength(5);
  });

  it("imports the platform's declared stoppage, which wins over the local mark of the same day", async () => {
    const sim = core.sync.simulator;
    expect(sim).not.toBeNull();
    sim?.setCalendarDay({ date: '2026-11-13', dayType: 'holiday', reason: '平台：项目放假' });
    sim?.setCalendarDay({ date: '2026-11-24', dayType: 'stoppage', reason: '平台：主管部门责令停工' });
    const r = await api(core, 'POST', '/api/admin/calendar/import', {}, admin);
    expect(r.status).toBe(200);
    expect(r.json).toMatchObject({ state: 'ok', added: 2, removed: 0, rejected: [] });
    expect(sim?.stats().byMethod['ProjectCalendar.Query']).toBeGreaterThanOrEqual(2); // at start and now

    const month = await api(core, 'GET', '/api/calendar?month=2026-11', undefined, sup);
    const d13 = month.json.days[12];
    expect(d13).toMatchObject({ dayType: 'holiday', mark: { source: 'platform', reason: '平台：项目放假' }, overriddenLocal: { kind: 'weather', reason: '连续暴雨' } });
    expect(month.json.days[23]).toMatchObject({ dayType: 'stoppage', mark: { source: 'platform' } });
    expect(month.json.constructionDays).toBe(24);
    expect(month.json.import).toMatchObject({ state: 'ok', added: 2 });
    expect((await officer()).person.constructionDays).toBe(24);
    expect(core.services.audit.list({ action: 'calendar.import' })[0]).toMatchObject({ actor: 'platform', details: { added: 2 } });

    // The platform withdraws 13 November: the local rain mark is in force again.
    sim?.setCalendarDay({ date: '2026-11-13', dayType: null });
    expect((await api(core, 'POST', '/api/admin/calendar/import', {}, admin)).json).toMatchObject({ state: 'ok', removed: 1 });
    const again = await api(core, 'GET', '/api/calendar?month=2026-11', undefined, sup);
    expect(again.json.days[12]).toMatchObject({ dayType: 'stoppage', mark: { source: 'local', kind: 'weather' }, overriddenLocal: null });
  });

  it('rest weekdays come from the base; withdrawing a mark restores the day; roles and bad input are refused without a change', async () => {
    const base = await api(core, 'PUT', '/api/admin/calendar/base', { restWeekdays: [7], start: '2026-01-01', end: null }, admin);
    expect(base.status).toBe(200);
    let month = await api(core, 'GET', '/api/calendar?month=2026-11', undefined, sup);
    expect(month.json.days[0]).toMatchObject({ date: '2026-11-01', weekday: 7, dayType: 'holiday' });
    expect(month.json.constructionDays).toBe(19); // 24 − the 5 Sundays
    const un = await api(core, 'POST', '/api/admin/calendar/unmark', { dates: ['2026-11-09'], reason: '当天实际施工' }, admin);
    expect(un.json.removed).toEqual(['2026-11-09']);
    month = await api(core, 'GET', '/api/calendar?month=2026-11', undefined, sup);
    expect(month.json.days[8]).toMatchObject({ dayType: 'workday', mark: null });

    // Calendar entries only: the platform simulator's roster pulls run meanwhile and may audit theirs.
    const calendarAudit = () => core.services.audit.list({ limit: 1000 }).filter((e) => e.action.startsWith('calendar.')).length;
    const auditBefore = calendarAudit();
    const marks = core.services.calendar.repo.all().length;
    expect((await api(core, 'PUT', '/api/admin/calendar/days', { dates: ['2026-11-20'], kind: 'weather', reason: '雨' }, sup)).status).toBe(403);
    expect((await api(core, 'PUT', '/api/admin/calendar/days', { dates: ['2026-11-20'], kind: 'weather', reason: '雨' })).status).toBe(401);
    for (const bad of [
      { dates: ['2026-02-30'], kind: 'weather', reason: '雨' },
      { dates: [], kind: 'weather', reason: '雨' },
      { dates: ['2026-11-20'], kind: 'rain', reason: '雨' },
      { dates: ['2026-11-20'], kind: 'weather', reason: '  ' },
      { dates: ['2026-11-20'], kind: 'weather', reason: '雨', extra: 1 },
    ]) {
      const r = await api(core, 'PUT', '/api/admin/calendar/days', bad, admin);
      expect(r.status, JSON.stringify(bad)).toBe(400);
      expect(r.json.error.code).toBe('request.invalid');
    }
    expect((await api(core, 'PUT', '/api/admin/calendar/base', { restWeekdays: [8] }, admin)).status).toBe(400);
    expect((await api(core, 'PUT', '/api/admin/calendar/base', { restWeekdays: [], start: '2026-05-01', end: '2026-04-01' }, admin)).status).toBe(400);
    expect((await api(core, 'GET', '/api/calendar?month=2026-13', undefined, sup)).status).toBe(400);
    expect(core.services.calendar.repo.all().length).toBe(marks);
    expect(calendarAudit()).toBe(auditBefore);
  });
});
