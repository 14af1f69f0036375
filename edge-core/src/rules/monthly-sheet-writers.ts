// Writers for the monthly attendance sheet: CSV (UTF-8 with BOM so Excel opens Chinese text
// correctly) and XLSX (exceljs) with a print layout: A4 landscape, fit to one page wide,
// header rows repeated on every printed page, signature line at the bottom.
import type ExcelJS from 'exceljs';
import type { MonthlySheet, SheetGroup } from './monthly-sheet.js';

const WEEKDAY_ZH = ['一', '二', '三', '四', '五', '六', '日'];

export const SHEET_COLUMNS = {
  lead: ['序号', '姓名', '身份证号', '班组', '参建单位', '工种'],
  tail: ['出勤天数', '工时(小时)', '工时(分钟)', '补卡天数', '异常天数'],
} as const;

/** Row index (1-based) of the first data row in each worksheet: title, info, two header rows. */
export const XLSX_FIRST_DATA_ROW = 5;

/** Neutralises spreadsheet formula injection in user-entered text (names, team names). */
function safeText(s: string): string {
  return /^[=+\-@\t\r]/.test(s) ? `'${s}` : s;
}

function csvField(v: string | number): string {
  const s = typeof v === 'number' ? String(v) : safeText(v);
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

function dayHeader(sheet: MonthlySheet): { days: string[]; marks: string[] } {
  return {
    days: sheet.dates.map((d) => String(d.day)),
    marks: sheet.dates.map((d) => (d.dayType === 'stoppage' ? '停' : d.dayType === 'holiday' ? '休' : (WEEKDAY_ZH[d.weekday - 1] ?? ''))),
  };
}

/** One CSV with every group; the first column names the group. */
export function monthlySheetToCsv(sheet: MonthlySheet): string {
  const { days } = dayHeader(sheet);
  const lines: (string | number)[][] = [['分组', ...SHEET_COLUMNS.lead, ...days, ...SHEET_COLUMNS.tail]];
  for (const g of sheet.groups) {
    g.rows.forEach((r, i) => {
      lines.push([g.title, i + 1, r.name, r.idNumberMasked, r.teamName, r.employerName, r.tradeName, ...r.cells.map((c) => c.text), r.days, r.hours.toFixed(2), r.minutes, r.makeupDays, r.incompleteDays]);
    });
    const t = g.totals;
    lines.push([g.title, '合计', `${t.workers}人`, '', '', '', '', ...sheet.dates.map(() => ''), t.days, t.hours.toFixed(2), t.minutes, t.makeupDays, t.incompleteDays]);
  }
  return `\uFEFF${lines.map((l) => l.map(csvField).join(',')).join('\r\n')}\r\n`;
}

function worksheetName(title: string, used: Set<string>): string {
  const base = title.replace(/[[\]:*?/\\]/g, ' ').trim().slice(0, 28) || 'Sheet';
  let name = base;
  for (let i = 2; used.has(name.toLowerCase()); i++) name = `${base.slice(0, 27)}-${i}`;
  used.add(name.toLowerCase());
  return name;
}

const thin = { style: 'thin' as const };
const border = { top: thin, left: thin, bottom: thin, right: thin };

function addGroup(wb: ExcelJS.Workbook, sheet: MonthlySheet, group: SheetGroup, used: Set<string>): void {
  const ws = wb.addWorksheet(worksheetName(group.title, used), {
    pageSetup: {
      paperSize: 9, // A4
      orientation: 'landscape',
      fitToPage: true,
      fitToWidth: 1,
      fitToHeight: 0,
      horizontalCentered: true,
      margins: { left: 0.3, right: 0.3, top: 0.5, bottom: 0.5, header: 0.2, footer: 0.2 },
      printTitlesRow: '3:4',
    },
    headerFooter: { oddFooter: '第 &P 页，共 &N 页' },
    views: [{ state: 'frozen', xSplit: 3, ySplit: 4 }],
  });
  const { days, marks } = dayHeader(sheet);
  const lead = SHEET_COLUMNS.lead.length;
  const width = lead + days.length + SHEET_COLUMNS.tail.length;

  ws.addRow([`${sheet.title.zh} — ${group.title}`]);
  ws.mergeCells(1, 1, 1, width);
  ws.getRow(1).font = { bold: true, size: 14 };
  ws.getRow(1).alignment = { horizontal: 'center' };
  ws.addRow([`人数 ${group.totals.workers}；${sheet.legend.zh}`]);
  ws.mergeCells(2, 1, 2, width);
  ws.addRow([...SHEET_COLUMNS.lead, ...days.map(Number), ...SHEET_COLUMNS.tail]);
  ws.addRow([...SHEET_COLUMNS.lead.map(() => ''), ...marks, ...SHEET_COLUMNS.tail.map(() => '')]);
  for (let c = 1; c <= width; c++) {
    if (c <= lead || c > lead + days.length) ws.mergeCells(3, c, 4, c);
  }
  for (const r of [3, 4]) {
    const row = ws.getRow(r);
    row.font = { bold: true };
    row.alignment = { horizontal: 'center', vertical: 'middle', wrapText: true };
  }

  group.rows.forEach((r, i) => {
    ws.addRow([i + 1, r.name, r.idNumberMasked, r.teamName, r.employerName, r.tradeName, ...r.cells.map((c) => c.text), r.days, r.hours, r.minutes, r.makeupDays, r.incompleteDays].map((v) => (typeof v === 'string' ? safeText(v) : v)));
  });
  const t = group.totals;
  ws.addRow(['合计', `${t.workers}人`, '', '', '', '', ...days.map(() => ''), t.days, t.hours, t.minutes, t.makeupDays, t.incompleteDays]);
  const lastTableRow = ws.rowCount;
  ws.getRow(lastTableRow).font = { bold: true };
  for (let r = 3; r <= lastTableRow; r++) {
    const row = ws.getRow(r);
    for (let c = 1; c <= width; c++) row.getCell(c).border = border;
  }
  ws.addRow([]);
  ws.addRow(['班组长签字：', '', '', '劳务员签字：', '', '', '项目负责人签字：']);

  ws.getColumn(1).width = 5;
  ws.getColumn(2).width = 9;
  ws.getColumn(3).width = 20;
  ws.getColumn(4).width = 12;
  ws.getColumn(5).width = 16;
  ws.getColumn(6).width = 9;
  for (let c = lead + 1; c <= lead + days.length; c++) {
    ws.getColumn(c).width = 4.6;
    ws.getColumn(c).alignment = { horizontal: 'center' };
  }
  for (let c = lead + days.length + 1; c <= width; c++) ws.getColumn(c).width = 8;
  ws.getColumn(lead + days.length + 2).numFmt = '0.00';
}

/** Writes the sheet as an XLSX workbook, one worksheet per group. */
export async function writeMonthlySheetXlsx(sheet: MonthlySheet): Promise<Buffer> {
  // Loaded on first export: exceljs takes ~0.4 s to import, too much for every start.
  const { default: Excel } = await import('exceljs');
  const wb = new Excel.Workbook();
  wb.creator = 'SiteGate';
  wb.title = sheet.title.zh;
  const used = new Set<string>();
  for (const g of sheet.groups) addGroup(wb, sheet, g, used);
  if (sheet.groups.length === 0) wb.addWorksheet('考勤表').addRow([sheet.title.zh, '无人员']);
  return Buffer.from(await wb.xlsx.writeBuffer());
}
