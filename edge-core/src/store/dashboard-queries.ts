// The supervisor's "today" view: in/out per team, people on site now, sync state.
import type { Store } from './store.js';
import type { TeamDayCounts, TodaySummary } from '../domain/records.js';
export type { TeamDayCounts, TodaySummary } from '../domain/records.js';

export class DashboardQueries {
  readonly #teams;
  readonly #totals;
  readonly #onSite;
  readonly #sync;

  constructor(store: Store) {
    const db = store.db;
    this.#teams = db.prepare(`
      SELECT w.team_id AS teamId, t.name AS teamName,
             SUM(e.direction = 'in') AS "in", SUM(e.direction = 'out') AS "out", COUNT(DISTINCT e.worker_id) AS people
      FROM attendance_events e JOIN workers w ON w.id = e.worker_id LEFT JOIN teams t ON t.id = w.team_id
      WHERE e.local_date = ? AND e.decision = 'pass'
      GROUP BY w.team_id ORDER BY t.name`);
    this.#totals = db.prepare(`
      SELECT SUM(decision = 'pass') AS passes, SUM(decision = 'refuse') AS refusals
      FROM attendance_events WHERE local_date = ?`);
    // On site now: people whose latest pass today is an entry.
    this.#onSite = db.prepare(`
      SELECT COUNT(*) AS n FROM (
        SELECT worker_id, direction, MAX(seq) FROM attendance_events
        WHERE local_date = ? AND decision = 'pass' AND worker_id IS NOT NULL
        GROUP BY worker_id) WHERE direction = 'in'`);
    this.#sync = db.prepare(`
      SELECT SUM(state IN ('pending','inflight','ambiguous')) AS backlog, SUM(state = 'parked') AS parked,
             MIN(CASE WHEN state IN ('pending','inflight','ambiguous') THEN created_at END) AS oldestUnsentAt,
             MAX(sent_at) AS lastSentAt
      FROM outbox`);
  }

  today(localDate: string): TodaySummary {
    const totals = this.#totals.get(localDate) as { passes: number | null; refusals: number | null };
    const sync = this.#sync.get() as { backlog: number | null; parked: number | null; oldestUnsentAt: number | null; lastSentAt: number | null };
    return {
      localDate,
      teams: this.#teams.all(localDate) as TeamDayCounts[],
      passes: totals.passes ?? 0,
      refusals: totals.refusals ?? 0,
      onSiteNow: (this.#onSite.get(localDate) as { n: number }).n,
      sync: {
        backlog: sync.backlog ?? 0,
        parked: sync.parked ?? 0,
        oldestUnsentAt: sync.oldestUnsentAt,
        lastSentAt: sync.lastSentAt,
      },
    };
  }
}
