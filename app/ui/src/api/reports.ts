// The core's supervisor reports (app/server/api/report-routes.ts): the management-personnel
// attendance view (Jiangxi 80 % / 60 % lines) and the monthly attendance sheet (考勤表) as a
// file. Types come from edge-core's rules (type-only: nothing of edge-core is bundled).
import type * as compliance from '../../../../edge-core/src/rules/management-compliance.js';
import { downloadFile, isMissingRoute, request, type DownloadProgress, type DownloadedFile } from './http.js';

export type ComplianceStatus = compliance.ComplianceStatus;
export type RateFigures = compliance.RateFigures;
/** One management role of the project; `name` is null for an unfilled role. */
export type ManagementPerson = compliance.PersonCompliance & { name: string | null };
export type ManagementReport = Omit<compliance.ManagementComplianceReport, 'persons'> & {
  persons: ManagementPerson[];
};

export type SheetGroupBy = 'team' | 'employer';
export type SheetFormat = 'xlsx' | 'csv';

/**
 * GET /api/reports/management?month=YYYY-MM (supervisor); without a month the core takes the
 * site's current one. Null when the core lacks the route.
 */
export async function managementReport(month?: string): Promise<ManagementReport | null> {
  try {
    return await request<ManagementReport>('GET', '/api/reports/management', { query: { month } });
  } catch (err) {
    if (isMissingRoute(err)) return null;
    throw err;
  }
}

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
