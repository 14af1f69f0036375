// Reports for supervisors: the management-personnel attendance view (Jiangxi 80 % / 60 %
// lines with the early warning) and the monthly attendance sheet (考勤表) in XLSX or CSV.
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { localDate, rules, ReportQueries } from '../../../edge-core/src/index.js';
import type { CoreServices } from '../services.js';
import type { GateService } from '../gate-service.js';
import { parse, requireRole } from './request-guard.js';
import type { Reply } from '../../shared/api/contract.js';

// Years 1970–2999 only: the calendar helpers cannot represent years before 100 (Date.UTC maps
// them to 19xx), and the report window runs a few days past the month's end.
const month = z.string().regex(/^(19[7-9]\d|2\d{3})-(0[1-9]|1[0-2])$/, 'YYYY-MM (1970–2999)');

/** Characters no file system takes in a name, and path separators (control characters are dropped separately). */
const UNSAFE_IN_NAME = /[\\/:*?"<>|]+/g;
const isControl = (ch: string): boolean => ch.charCodeAt(0) < 0x20 || ch.charCodeAt(0) === 0x7f;

/**
 * The sheet's file name as a clerk files it: 项目名_按班组_2026-12_考勤表.xlsx (Chinese, with the
 * project's name); `ascii` is the fallback for clients that cannot read RFC 5987 names.
 */
export function sheetFileName(projectName: string, month: string, groupBy: 'team' | 'employer', format: 'xlsx' | 'csv'): { name: string; ascii: string } {
  const project = [...projectName]
    .map((ch) => (isControl(ch) ? ' ' : ch))
    .join('')
    .replace(UNSAFE_IN_NAME, ' ')
    .replace(/\s+/g, ' ')
    .trim()
    .slice(0, 60);
  const parts = [project, groupBy === 'team' ? '按班组' : '按单位', month, '考勤表'].filter(Boolean);
  return { name: `${parts.join('_')}.${format}`, ascii: `attendance-${month}-${groupBy}.${format}` };
}

/** Content-Disposition with the Chinese name (RFC 5987) and an ASCII fallback. */
export function attachmentHeader(f: { name: string; ascii: string }): string {
  return `attachment; filename="${f.ascii}"; filename*=UTF-8''${encodeURIComponent(f.name)}`;
}

export function registerReportRoutes(app: FastifyInstance, s: CoreServices, gate: GateService): void {
  const reports = new ReportQueries(s.store);
  const today = () => localDate(s.clock.now(), s.attendance.siteTimeZone());

  app.get('/api/reports/management', { config: { rateLimit: 'expensive' } }, async (req): Promise<Reply<'GET /api/reports/management'>> => {
    requireRole(req, 'supervisor');
    const q = parse(z.strictObject({ month: month.optional() }), req.query);
    const m = q.month ?? today().slice(0, 7);
    const report = rules.computeManagementCompliance({
      month: m,
      calendar: gate.calendar(),
      managers: reports.managers(),
      events: reports.passEventsAround(m),
      asOf: today(),
    });
    const names = reports.names(report.persons.flatMap((p) => (p.workerId === null ? [] : [p.workerId])));
    return { ...report, persons: report.persons.map((p) => ({ ...p, name: p.workerId === null ? null : (names.get(p.workerId) ?? null) })) };
  });

  app.get('/api/reports/attendance-sheet', { config: { rateLimit: 'expensive' } }, async (req, reply) => {
    const actor = requireRole(req, 'supervisor');
    const q = parse(
      z.strictObject({ month, groupBy: z.enum(['team', 'employer']).default('team'), format: z.enum(['xlsx', 'csv']).default('xlsx') }),
      req.query,
    );
    const sheet = rules.computeMonthlySheet({
      month: q.month,
      groupBy: q.groupBy,
      projectName: s.project.get()?.name ?? '',
      workers: reports.sheetWorkers(q.month),
      events: reports.passEventsAround(q.month),
      calendar: gate.calendar(),
    });
    s.events.publish({ type: 'task.progress', task: 'export', done: 0, total: 1, at: s.clock.now() });
    const file = sheetFileName(s.project.get()?.name ?? '', q.month, q.groupBy, q.format);
    const body = q.format === 'xlsx' ? await rules.writeMonthlySheetXlsx(sheet) : Buffer.from(rules.monthlySheetToCsv(sheet), 'utf8');
    s.store.tx(() => s.audit.append(actor, 'report.export', 'attendance-sheet', { month: q.month, groupBy: q.groupBy, format: q.format }));
    s.events.publish({ type: 'task.progress', task: 'export', done: 1, total: 1, at: s.clock.now() });
    reply.header('content-disposition', attachmentHeader(file));
    reply.header('cache-control', 'no-store');
    return reply
      .type(q.format === 'xlsx' ? 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' : 'text/csv; charset=utf-8')
      .send(body);
  });
}
