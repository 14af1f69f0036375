// Store rows mapped to the rules' plain inputs, for the monthly sheet (考勤表) and the
// management-personnel compliance view.
import type { Store } from './store.js';
import type { PassEvent } from '../rules/attendance-days.js';
import type { ManagerPerson } from '../rules/management-compliance.js';
import type { SheetWorker } from '../rules/monthly-sheet.js';
import { addDays, monthDates } from '../rules/calendar-dates.js';
import { TRADE_CODES } from '../domain/trades.js';
import type { ManagementRole } from '../domain/personnel.js';

export class ReportQueries {
  constructor(private readonly store: Store) {}

  /**
   * Passed attendance of known workers whose site-local date lies in the month or one day
   * either side (night shifts at the month's edges pair with their other half).
   */
  passEventsAround(month: string): PassEvent[] {
    const dates = monthDates(month);
    const from = addDays(dates[0] as string, -1);
    const to = addDays(dates[dates.length - 1] as string, 1);
    const rows = this.store.db
      .prepare(
        `SELECT id, worker_id, lane_id, direction, occurred_at, time_zone, is_makeup FROM attendance_events
         WHERE local_date BETWEEN ? AND ? AND decision = 'pass' AND worker_id IS NOT NULL ORDER BY occurred_at`,
      )
      .all(from, to) as Array<{ id: string; worker_id: number; lane_id: string; direction: 'in' | 'out'; occurred_at: number; time_zone: string; is_makeup: number }>;
    return rows.map((r) => ({
      id: r.id,
      workerId: r.worker_id,
      laneId: r.lane_id,
      direction: r.direction,
      occurredAt: r.occurred_at,
      timeZone: r.time_zone,
      isMakeup: r.is_makeup === 1,
      decision: 'pass' as const,
    }));
  }

  /** Management personnel (the six Jiangxi roles) who are active. */
  managers(): ManagerPerson[] {
    return (
      this.store.db
        .prepare("SELECT id, management_role FROM workers WHERE role = 'manager' AND status = 'active' ORDER BY id")
        .all() as Array<{ id: number; management_role: ManagementRole }>
    ).map((r) => ({ workerId: r.id, managementRole: r.management_role }));
  }

  /** Names of people by id (for report screens; masked elsewhere). */
  names(ids: readonly number[]): Map<number, string> {
    const out = new Map<number, string>();
    const stmt = this.store.db.prepare('SELECT name FROM workers WHERE id = ?');
    for (const id of ids) {
      const r = stmt.get(id) as { name: string } | undefined;
      if (r) out.set(id, r.name);
    }
    return out;
  }

  /** Everyone active, plus anyone with attendance in the month (left since, still paid). */
  sheetWorkers(month: string): SheetWorker[] {
    const dates = monthDates(month);
    const rows = this.store.db
      .prepare(
        `SELECT w.id, w.name, w.id_number_masked, w.employer_id, e.name AS employer_name, w.team_id, t.name AS team_name,
                w.trade_code, w.role
         FROM workers w LEFT JOIN teams t ON t.id = w.team_id LEFT JOIN employers e ON e.id = w.employer_id
         WHERE w.status = 'active' OR EXISTS (
           SELECT 1 FROM attendance_events a WHERE a.worker_id = w.id AND a.decision = 'pass' AND a.local_date BETWEEN ? AND ?)
         ORDER BY t.name, w.name`,
      )
      .all(dates[0], dates[dates.length - 1]) as Array<{
      id: number;
      name: string;
      id_number_masked: string;
      employer_id: number | null;
      employer_name: string | null;
      team_id: number | null;
      team_name: string | null;
      trade_code: string;
      role: 'worker' | 'manager';
    }>;
    return rows.map((r) => ({
      workerId: r.id,
      name: r.name,
      idNumberMasked: r.id_number_masked,
      employerId: r.employer_id,
      employerName: r.employer_name,
      teamId: r.team_id,
      teamName: r.team_name,
      tradeName: TRADE_CODES[r.trade_code] ?? null,
      role: r.role,
    }));
  }
}
