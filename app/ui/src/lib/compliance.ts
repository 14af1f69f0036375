// Pure helpers of the management-personnel attendance panel: colour tone per status, rate
// text, progress share, and month arithmetic for the pickers (site-local 'YYYY-MM').
import type { ComplianceStatus } from '../api/reports.js';

export type Tone = 'ok' | 'warn' | 'bad' | 'muted';

/** Green when the line is met or the pace reaches it, amber at risk, red when it is missed. */
export function statusTone(s: ComplianceStatus): Tone {
  switch (s) {
    case 'met':
    case 'on_track':
      return 'ok';
    case 'at_risk':
      return 'warn';
    case 'below':
    case 'unreachable':
      return 'bad';
    default:
      return 'muted';
  }
}

/** '66.7 %' or '—' when there were no construction days. */
export function rateText(percent: number | null): string {
  return percent === null ? '—' : `${percent.toFixed(1).replace(/\.0$/, '')} %`;
}

/** Share of the bar to fill, 0…1 (percent of the month's construction days). */
export function barShare(percent: number | null): number {
  if (percent === null || !Number.isFinite(percent)) return 0;
  return Math.min(1, Math.max(0, percent / 100));
}

const MONTH = /^(\d{4})-(0[1-9]|1[0-2])$/;

export function isMonth(s: string): boolean {
  return MONTH.test(s);
}

/** 'YYYY-MM' of a site-local date 'YYYY-MM-DD'. */
export function monthOf(localDate: string): string {
  return localDate.slice(0, 7);
}

/** 'YYYY-MM' of a moment in the browser's time zone (the kiosk runs in the site's zone). */
export function monthAt(ms: number): string {
  const d = new Date(ms);
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}`;
}

/** The month `delta` months from `month` ('2026-01', -1 → '2025-12'). */
export function shiftMonth(month: string, delta: number): string {
  const m = MONTH.exec(month);
  if (!m) throw new RangeError(`not a month: ${month}`);
  const index = Number(m[1]) * 12 + (Number(m[2]) - 1) + delta;
  return `${Math.floor(index / 12)}-${String((index % 12) + 1).padStart(2, '0')}`;
}
