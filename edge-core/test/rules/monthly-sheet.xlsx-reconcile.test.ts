import ExcelJS from 'exceljs';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  computeMonthlySheet,
  monthlySheetToCsv,
  parseConstructionCalendar,
  SHEET_COLUMNS,
  writeMonthlySheetXlsx,
  XLSX_FIRST_DATA_ROW,
  type PassEvent,
  type SheetWorker,
} from '../../src/rules/index.js';
import { at, ev } from './fixtures.js';

const workers: SheetWorker[] = [
  { workerId: 1, name: '测试甲', idNumberMasked: '9999**********1231', employerId: 1, employerName: '测试劳务一公司', teamId: 10, teamName: '钢筋班', tradeName: '钢筋工', role: 'worker' },
  { workerId: 2, name: '测试乙', idNumberMasked: '9999**********1242', employerId: 1, employerName: '测试劳务一公司', teamId: 10, teamName: '钢筋班', tradeName: '钢筋工', role: 'worker' },
  { workerId: 3, name: '测试丙', idNumberMasked: '9999**********1253', employerId: 1, employerName: '测试劳务一公司', teamId: 11, teamName: '夜班混凝土', tradeName: '混凝土工', role: 'worker' },
  { workerId: 4, name: '测试丁', idNumberMasked: '9999**********1264', employerId: 2, employerName: '测试劳务二公司', teamId: 20, teamName: '木工班', tradeName: '木工', role: 'worker' },
  { workerId: 5, name: '=测试戊', idNumberMasked: '9999**********1275', employerId: 2, employerName: '测试劳务二公司', teamId: 20, teamName: '木工班', tradeName: '木工', role: 'worker' },
];

/** Shifts as the source of truth: [worker, in, out or null, make-up]. */
interface Shift {
  workerId: number;
  inAt: string;
  outAt: string | null;
  makeup?: boolean;
}

// Deterministic pseudo-random day shifts for workers 1, 2 and 4 (a small LCG, no Math.random).
let seed = 42;
const rnd = (n: number) => ((seed = (seed * 1103515245 + 12345) % 2 ** 31), seed % n);
const shifts: Shift[] = [];
for (const w of [1, 2, 4]) {
  for (let day = 1; day <= 31; day++) {
    if (rnd(7) === 0) continue; // absent
    const d = `2026-03-${String(day).padStart(2, '0')}`;
    const inM = 6 * 60 + rnd(120);
    const outM = 16 * 60 + rnd(180);
    const hhmm = (m: number) => `${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}:${String(rnd(60)).padStart(2, '0')}`;
    shifts.push({ workerId: w, inAt: `${d} ${hhmm(inM)}`, outAt: `${d} ${hhmm(outM)}`, makeup: w === 2 && day === 8 });
  }
}
// Worker 3 works nights, including one starting on the last day of February (not March's)
// and one on 31 March ending on 1 April (March's); one night the exit was not recorded.
shifts.push({ workerId: 3, inAt: '2026-02-28 19:00', outAt: '2026-03-01 05:00' });
for (const day of [2, 5, 8, 11, 14, 17, 20, 23, 26, 29, 31]) {
  const d = `2026-03-${String(day).padStart(2, '0')}`;
  const next = day === 31 ? '2026-04-01' : `2026-03-${String(day + 1).padStart(2, '0')}`;
  shifts.push({ workerId: 3, inAt: `${d} 19:30`, outAt: day === 11 ? null : `${next} 05:45` });
}
// Worker 4 also has a lane that only records entries on two extra evenings.
shifts.push({ workerId: 4, inAt: '2026-03-15 21:00', outAt: null });

const events: PassEvent[] = shifts.flatMap((s) => {
  const out: PassEvent[] = [ev(s.workerId, 'in', s.inAt, { isMakeup: !!s.makeup })];
  if (s.outAt) out.push(ev(s.workerId, 'out', s.outAt, { laneId: 'lane-2' }));
  return out;
});

/** The expected figures straight from the shifts (independent of the day computation). */
function expected(workerId: number) {
  const mine = shifts.filter((s) => s.workerId === workerId && s.inAt.startsWith('2026-03'));
  const days = new Set(mine.map((s) => s.inAt.slice(0, 10)));
  const minutes = mine.reduce((a, s) => a + (s.outAt ? Math.floor((at(s.outAt) - at(s.inAt)) / 60_000) : 0), 0);
  const makeupDays = new Set(mine.filter((s) => s.makeup).map((s) => s.inAt.slice(0, 10))).size;
  const incompleteDays = new Set(mine.filter((s) => !s.outAt).map((s) => s.inAt.slice(0, 10))).size;
  return { days: days.size, minutes, makeupDays, incompleteDays };
}

const calendar = parseConstructionCalendar({ holidays: ['2026-03-15'], stoppages: [{ from: '2026-03-20', to: '2026-03-20', reason: '暴雨' }] });
const tmp = mkdtempSync(join(tmpdir(), 'sheet-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('monthly attendance sheet (考勤表)', () => {
  const sheet = computeMonthlySheet({ month: '2026-03', groupBy: 'team', projectName: '测试项目', workers, events, calendar });

  it('computes rows that agree with the shifts, per team', () => {
    expect(sheet.groups.map((g) => g.title)).toEqual(['钢筋班（测试劳务一公司）', '木工班（测试劳务二公司）', '夜班混凝土（测试劳务一公司）'].sort((a, b) => a.localeCompare(b, 'zh-CN')));
    for (const g of sheet.groups) for (const r of g.rows) expect({ days: r.days, minutes: r.minutes, makeupDays: r.makeupDays, incompleteDays: r.incompleteDays }).toEqual(expected(r.workerId));
    const c = sheet.groups.flatMap((g) => g.rows).find((r) => r.workerId === 3)!;
    expect(c.cells[30]!.text).toBe('10.3'); // 31 March 19:30 → 1 April 05:45
    expect(c.cells[10]!.text).toBe('√*'); // the night without an exit
    expect(c.cells[0]!.present).toBe(false); // the February night does not count in March
    expect(sheet.dates[14]!.dayType).toBe('holiday');
  });

  it('groups per employer as well', () => {
    const byEmployer = computeMonthlySheet({ month: '2026-03', groupBy: 'employer', projectName: '测试项目', workers, events, calendar });
    expect(byEmployer.groups.map((g) => [g.title, g.totals.workers])).toEqual([
      ['测试劳务二公司', 2],
      ['测试劳务一公司', 3],
    ].sort((a, b) => String(a[0]).localeCompare(String(b[0]), 'zh-CN')));
    const total = (s: typeof sheet) => s.groups.reduce((a, g) => a + g.totals.minutes, 0);
    expect(total(byEmployer)).toBe(total(sheet));
  });

  it('writes an XLSX that, read back, reconciles exactly with the events and has the print layout', async () => {
    const buf = await writeMonthlySheetXlsx(sheet);
    const file = join(tmp, 'sheet.xlsx');
    writeFileSync(file, buf);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(readFileSync(file) as unknown as ExcelJS.Buffer); // exceljs's own Buffer type
    expect(wb.worksheets).toHaveLength(sheet.groups.length);
    const lead = SHEET_COLUMNS.lead.length;
    const nDays = 31;
    const seen = new Set<number>();
    for (const ws of wb.worksheets) {
      expect(ws.pageSetup.orientation).toBe('landscape');
      expect(ws.pageSetup.paperSize).toBe(9);
      expect(ws.pageSetup.fitToPage).toBe(true);
      expect(ws.pageSetup.fitToWidth).toBe(1);
      expect(ws.pageSetup.printTitlesRow).toBe('3:4');
      expect(ws.getRow(3).getCell(lead + 1).value).toBe(1);
      expect(ws.getRow(4).getCell(lead + 15).value).toBe('休');
      expect(ws.getRow(4).getCell(lead + 20).value).toBe('停');
      let sumDays = 0;
      let sumMinutes = 0;
      let r = XLSX_FIRST_DATA_ROW;
      for (; ws.getRow(r).getCell(1).value !== '合计'; r++) {
        const row = ws.getRow(r);
        const name = String(row.getCell(2).value).replace(/^'/, '');
        const w = workers.find((x) => x.name === name)!;
        seen.add(w.workerId);
        const tail = (i: number) => Number(row.getCell(lead + nDays + 1 + i).value);
        const [days, hours, minutes, makeupDays, incompleteDays] = [tail(0), tail(1), tail(2), tail(3), tail(4)];
        expect({ days, minutes, makeupDays, incompleteDays }).toEqual(expected(w.workerId));
        expect(hours).toBe(Math.round((minutes * 100) / 60) / 100);
        const marked = Array.from({ length: nDays }, (_, i) => String(row.getCell(lead + 1 + i).value ?? '')).filter((t) => t !== '');
        expect(marked).toHaveLength(days);
        expect(marked.filter((t) => t.startsWith('补'))).toHaveLength(makeupDays);
        sumDays += days;
        sumMinutes += minutes;
      }
      const totals = ws.getRow(r);
      expect(Number(totals.getCell(lead + nDays + 1).value)).toBe(sumDays);
      expect(Number(totals.getCell(lead + nDays + 3).value)).toBe(sumMinutes);
    }
    expect([...seen].sort()).toEqual([1, 2, 3, 4, 5]);
    const allMinutes = [1, 2, 3, 4, 5].reduce((a, id) => a + expected(id).minutes, 0);
    expect(allMinutes).toBeGreaterThan(0);
  });

  it('neutralises formula injection in names', async () => {
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load((await writeMonthlySheetXlsx(sheet)) as unknown as ExcelJS.Buffer);
    const cells = wb.worksheets.flatMap((ws) => ws.getColumn(2).values).map(String);
    expect(cells).toContain("'=测试戊");
    expect(monthlySheetToCsv(sheet)).toContain(",'=测试戊,");
  });

  it('writes a CSV with a BOM whose totals reconcile with the events', () => {
    const csv = monthlySheetToCsv(sheet);
    expect(csv.startsWith('\uFEFF分组,序号,姓名')).toBe(true);
    const lines = csv.slice(1).trim().split('\r\n').map((l) => l.split(','));
    const header = lines[0]!;
    const iDays = header.indexOf('出勤天数');
    const iMin = header.indexOf('工时(分钟)');
    const data = lines.slice(1).filter((l) => l[1] !== '合计');
    expect(data).toHaveLength(5);
    for (const l of data) {
      const w = workers.find((x) => `'${x.name}` === l[2] || x.name === l[2])!;
      expect(Number(l[iDays])).toBe(expected(w.workerId).days);
      expect(Number(l[iMin])).toBe(expected(w.workerId).minutes);
    }
  });
});
