// Reports for supervisors: the management-personnel attendance view (Jiangxi 80 % / 60 %
// lines with the early warning) and the monthly attendance sheet (考勤表) in XLSX or CSV.
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { localDate, rules, ReportQueries } from '../../../edge-core/src/index.js';
import type { CoreServices } from '../services.js';
import type { GateService } from '../gate-service.js';
import { parse, requireRole } from './server.js';

// Years 1970–2999 only: the calendar helpers cannot represent years before 100 (Date.UTC maps
// them to 19xx), and the report window runs a few days past the month's end.
const month = z.string().regex(/^(19[7-9]\d|2\d{3})-(0[1-9]|1[0-2])$/, 'YYYY-MM (1970–2999)');

export function registerReportRoutes(app: FastifyInstance, s: CoreServices, gate: GateService): void {
  const reports = new ReportQueries(s.store);
  const today = () => localDate(s.clock.now(), s.attendance.siteTimeZone());

  app.get('/api/reports/management', { config: { rateLimit: 'expensive' } }, async (req) => {
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
    const file = `attendance-${q.month}-${q.groupBy}.${q.format}`;
    const body = q.format === 'xlsx' ? await rules.writeMonthlySheetXlsx(sheet) : Buffer.from(rules.monthlySheetToCsv(sheet), 'utf8');
    s.store.tx(() => s.audit.append(actor, 'report.export', 'attendance-sheet', { month: q.month, groupBy: q.groupBy, format: q.format }));
    s.events.publish({ type: 'task.progress', task: 'export', done: 1, total: 1, at: s.clock.now() });
    reply.header('content-disposition', `attachment; filename="${file}"`);
    reply.header('cache-control', 'no-store');
    return reply
      .type(q.format === 'xlsx' ? 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' : 'text/csv; charset=utf-8')
      .send(body);
  });
}
