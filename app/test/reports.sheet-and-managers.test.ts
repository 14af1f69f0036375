// The supervisor's reports through the real API over a real store: the monthly attendance
// sheet reconciles exactly with the recorded passes (CSV and XLSX), and the management view
// flags the safety officer (测试丁, demo seed) who attended one construction day of many.
import { describe, expect, it, beforeAll, afterAll } from 'vitest';
import ExcelJS from 'exceljs';
import { api, login, runningClockFrom, startTestCore, type TestCore } from './helpers.js';

// 2026-11-20 12:00 in Asia/Shanghai.
const NOW = Date.UTC(2026, 10, 20, 4, 0);
const at = (day: number, hh: number, mm = 0) => Date.UTC(2026, 10, day, hh - 8, mm);

let core: TestCore;
let sup: string;
let worker: { id: number; name: string };
let manager: { id: number; name: string };

beforeAll(async () => {
  core = await startTestCore({}, undefined, { clock: runningClockFrom(NOW) });
  const clerk = await login(core, 'clerk');
  const list = (await api(core, 'GET', '/api/workers', undefined, clerk)).json as Array<{ id: number; name: string; role: string }>;
  worker = list.find((w) => w.name === '测试甲') as { id: number; name: string };
  manager = list.find((w) => w.role === 'manager') as { id: number; name: string };
  const rec = (workerId: number, direction: 'in' | 'out', occurredAt: number) =>
    core.services.attendance.record({ laneId: direction === 'in' ? 'lane-1' : 'lane-2', workerId, direction, decision: 'pass', occurredAt });
  // 测试甲: two full days (07:30–17:30 = 10 h; 08:00–12:15 = 4.25 h) and a refused attempt that must not count.
  rec(worker.id, 'in', at(3, 7, 30));
  rec(worker.id, 'out', at(3, 17, 30));
  rec(worker.id, 'in', at(4, 8));
  rec(worker.id, 'out', at(4, 12, 15));
  core.services.attendance.record({ laneId: 'lane-1', workerId: worker.id, direction: 'in', decision: 'refuse', reasons: ['helmet_missing'], occurredAt: at(5, 7) });
  // 测试丁 (safety officer): one day only.
  rec(manager.id, 'in', at(2, 8));
  rec(manager.id, 'out', at(2, 18));
  sup = await login(core, 'supervisor');
});
afterAll(async () => {
  await core.stop();
});

describe('reports: monthly sheet and management personnel', () => {
  it('the CSV sheet has the exact days and hours of the recorded passes, refusals excluded', async () => {
    const r = await fetch(`${core.url}/api/reports/attendance-sheet?month=2026-11&format=csv`, { headers: { authorization: `Bearer ${sup}` } });
    expect(r.status).toBe(200);
    expect(r.headers.get('content-disposition')).toContain('attendance-2026-11-team.csv');
    // The Chinese name (RFC 5987) a clerk files: the project, the grouping, the month.
    expect(decodeURIComponent(/filename\*=UTF-8''(.+)$/.exec(r.headers.get('content-disposition') ?? '')?.[1] ?? '')).toMatch(/_按班组_2026-11_考勤表\.csv$/);
    const lines = (await r.text()).replace(/^\uFEFF/, '').trim().split('\r\n').map((l) => l.split(','));
    const header = lines[0] as string[];
    const row = lines.find((l) => l[2] === worker.name) as string[];
    expect(row[header.indexOf('出勤天数')]).toBe('2');
    expect(row[header.indexOf('工时(小时)')]).toBe('14.25');
    expect(row[header.indexOf('3')]).not.toBe('');
    expect(row[header.indexOf('5')]).toBe('');
  });

  it('the XLSX sheet reconciles with the same numbers and is audited', async () => {
    const r = await fetch(`${core.url}/api/reports/attendance-sheet?month=2026-11&format=xlsx&groupBy=employer`, { headers: { authorization: `Bearer ${sup}` } });
    expect(r.status).toBe(200);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(Buffer.from(await r.arrayBuffer()) as unknown as ArrayBuffer);
    let found = false;
    wb.eachSheet((ws) => {
      ws.eachRow((row) => {
        const values = (row.values as unknown[]).map((v) => (v === null || v === undefined ? '' : String(v)));
        if (values.includes(worker.name)) {
          found = true;
          expect(values).toContain('14.25');
        }
      });
    });
    expect(found).toBe(true);
    expect(core.services.audit.list({ action: 'report.export' }).length).toBeGreaterThanOrEqual(2);
  });

  it('the management view shows the safety officer below the 80 % line with the early warning', async () => {
    const r = await api(core, 'GET', '/api/reports/management?month=2026-11', undefined, sup);
    expect(r.status).toBe(200);
    const officer = r.json.persons.find((p: { workerId: number | null }) => p.workerId === manager.id);
    expect(officer.managementRole).toBe('safety_officer');
    expect(officer.name).toBe(manager.name);
    expect(officer.attendedDates).toEqual(['2026-11-02']);
    expect(['at_risk', 'unreachable']).toContain(officer.status);
    expect(officer.warning.zh).toMatch(/80%|80 %/);
    expect(r.json.projectFlagged).toBe(true);
    // a clerk may not read it
    const clerk = await login(core, 'clerk');
    expect((await api(core, 'GET', '/api/reports/management', undefined, clerk)).status).toBe(403);
    expect((await api(core, 'GET', '/api/reports/attendance-sheet?month=2026-13', undefined, sup)).status).toBe(400);
  });
});
