// Incremental roster pull: the rows the platform changed since the cursor (change-cursor.ts),
// every page read by totalCount (platform/paging.ts), then applied status changes first
// (blacklist, 退场: a refusal needs no face template), each row idempotently. The cursor moves
// only after a complete pull, to the platform's own newest change time; a list that moved under
// the reader keeps it where it was, and the same window is read again next time.
import type { RosterSinkPort, SyncCursorPort, SyncProgressEvent } from '../../../edge-core/src/ports/platform.js';
import type { Clock } from '../../../edge-core/src/ports/clock.js';
import type { PlatformClient } from '../platform/client.js';
import { isPlatformError } from '../platform/errors.js';
import { readAllPages } from '../platform/paging.js';
import { advance, parseCursor, planChanges, queryFrom, rowKey } from './change-cursor.js';

export const ROSTER_CHANGES_CURSOR = 'roster.changes';

export interface RosterChangesResult {
  pulled: number;
  created: number;
  updated: number;
  /** Workers whose status the platform changed (applied first). */
  statusChanged: number;
  /** The list moved while it was read: the window is read again next time. */
  drift: boolean;
  /** The platform gave no change times, or ignored the change filter: full pulls only. */
  unsupported: boolean;
}

export interface RosterChangesOptions {
  client: Pick<PlatformClient, 'queryWorkers'> & { config: Pick<PlatformClient['config'], 'pageSize' | 'timeZone'> };
  cursors: SyncCursorPort;
  sink: RosterSinkPort;
  /** This device's clock: stamps the cursor store and times the pull (durations only). */
  clock: Clock;
  /** How late a platform row may become visible after its change time (default 2 min). */
  overlapMs?: number;
  pageSize?: number;
  /** Reads of a list that changed between pages before giving up for this cycle (default 2). */
  attempts?: number;
  onProgress?: (e: SyncProgressEvent) => void;
}

export const DEFAULT_OVERLAP_MS = 120_000;

export async function pullRosterChanges(o: RosterChangesOptions): Promise<RosterChangesResult> {
  const cursor = parseCursor(o.cursors.get(ROSTER_CHANGES_CURSOR));
  const from = queryFrom(cursor, o.overlapMs ?? DEFAULT_OVERLAP_MS, o.client.config.timeZone);
  const startedAt = o.clock.now();
  const attempts = Math.max(1, o.attempts ?? 2);
  const fetch = (pageIndex: number, pageSize: number) => o.client.queryWorkers(pageIndex, pageSize, from ?? NO_FILTER);
  let rows: Awaited<ReturnType<typeof fetch>>['rows'] = [];
  for (let attempt = 1; ; attempt++) {
    try {
      rows = await readAllPages(fetch, { pageSize: o.pageSize ?? o.client.config.pageSize });
      break;
    } catch (e) {
      // The list grew or shrank between pages (a change landed): read it again from the start.
      if (isPlatformError(e) && e.kind === 'inconsistent_reply' && attempt < attempts) continue;
      // The platform refuses the change query (unknown method or parameter): full pulls only.
      if (isPlatformError(e) && (e.kind === 'no_permission' || e.kind === 'bad_parameters')) return unsupported(o, e.detail ?? e.kind);
      throw e;
    }
  }
  const plan = planChanges(rows, from);
  const result: RosterChangesResult = { pulled: plan.apply.length, created: 0, updated: 0, statusChanged: 0, drift: plan.drift, unsupported: false };
  if ((rows.length > 0 && plan.untimed === rows.length) || plan.olderThanAsked > 0) result.unsupported = true;
  const statusBefore = o.sink.statusChanges?.() ?? 0;
  for (const row of plan.apply) {
    const { raw: _raw, ...worker } = row;
    const r = o.sink.upsertFromPlatform({ ...worker, idNumber: rowKey(row) }, o.clock.now());
    if (r === 'created') result.created++;
    else if (r === 'updated') result.updated++;
  }
  result.statusChanged = (o.sink.statusChanges?.() ?? 0) - statusBefore;
  if (!result.unsupported) {
    const next = advance(cursor, plan, Math.max(0, o.clock.now() - startedAt));
    o.cursors.set(ROSTER_CHANGES_CURSOR, JSON.stringify(next), o.clock.now());
  }
  o.onProgress?.({
    type: 'roster',
    mode: 'changes',
    pulled: result.pulled,
    created: result.created,
    updated: result.updated,
    statusChanged: result.statusChanged,
    complete: true,
    at: o.clock.now(),
  });
  return result;
}

/**
 * Without a cursor the whole roster is asked for, still by the change query (oldest change
 * first), so the rows carry their change times and the cursor starts at the newest.
 */
const NO_FILTER = '1970-01-01 00:00:00';

function unsupported(o: RosterChangesOptions, why: string): RosterChangesResult {
  o.onProgress?.({ type: 'notice', code: 'roster_changes_unsupported', params: { why }, at: o.clock.now() });
  return { pulled: 0, created: 0, updated: 0, statusChanged: 0, drift: false, unsupported: true };
}
