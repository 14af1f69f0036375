// The core's supervisor reports (app/server/api/report-routes.ts): the management-personnel
// attendance view (Jiangxi 80 % / 60 % lines) and the monthly attendance sheet (考勤表) as a
// file. Types are the contract's (app/shared/api/contract.ts).
import type { Reply } from '../../../shared/api-types.js';
import { downloadFile, request, type DownloadProgress, type DownloadedFile } from './http.js';

export type ManagementReport = Reply<'GET /api/reports/management'>;
/** One management role of the project; `name` is null for an unfilled role. */
export type ManagementPerson = ManagementReport['persons'][number];
export type RateFigures = ManagementReport['combined'];
export type ComplianceStatus = RateFigures['status'];

export type SheetGroupBy = 'team' | 'employer';
export type SheetFormat = 'xlsx' | 'csv';

/** GET /api/reports/management?month=YYYY-MM (supervisor); without a month the core takes the site's current one. */
export const managementReport = (month?: string): Promise<ManagementReport> =>
  request<ManagementReport>('GET', '/api/reports/management', { query: { month } });

/** GET /api/reports/attendance-sheet (supervisor) → the file, with download progress. */
export function attendanceSheet(
  q: { month: string; groupBy: SheetGroupBy; format: SheetFormat; projectName?: string },
  onProgress?: (p: DownloadProgress) => void,
  signal?: AbortSignal,
): Promise<DownloadedFile> {
  return downloadFile('/api/reports/attendance-sheet', {
    query: { month: q.month, groupBy: q.groupBy, format: q.format },
    // The core names the file 项目_按班组_2026-12_考勤表.xlsx; the same if its header is lost.
    fallbackName: [q.projectName, q.groupBy === 'team' ? '按班组' : '按单位', q.month, '考勤表'].filter(Boolean).join('_') + `.${q.format}`,
    onProgress,
    signal,
  });
}
