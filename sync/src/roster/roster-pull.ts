// Roster download (ProjectWorker.Query), paged and checkpointed: the page position is saved
// after each applied page, so an interrupted pull resumes where it stopped. When the platform
// rejects the saved position (the roster shrank, or the cursor is stale), the pull starts
// over from the first page (a full resync); upserts are idempotent, so repeating is safe.
import type { RosterSinkPort, SyncCursorPort, SyncProgressEvent } from '../../../edge-core/src/ports/platform.js';
import type { Clock } from '../../../edge-core/src/ports/clock.js';
import type { PlatformClient } from '../platform/client.js';
import { isPlatformError } from '../platform/errors.js';

export const ROSTER_CURSOR = 'roster.projectWorker';

export interface RosterCursor {
  pageIndex: number;
  pageSize: number;
  startedAt: number;
}

export interface RosterPullResult {
  pulled: number;
  created: number;
  updated: number;
  complete: boolean;
  fullResync: boolean;
}

export interface RosterPullOptions {
  client: PlatformClient;
  cursors: SyncCursorPort;
  sink: RosterSinkPort;
  clock: Clock;
  pageSize?: number;
  /** Stop after this many pages (the rest on the next run); default no limit. */
  maxPages?: number;
  onProgress?: (e: SyncProgressEvent) => void;
}

function readCursor(cursors: SyncCursorPort, pageSize: number, now: number): RosterCursor {
  const raw = cursors.get(ROSTER_CURSOR);
  if (raw) {
    try {
      const c = JSON.parse(raw) as RosterCursor;
      if (Number.isInteger(c.pageIndex) && c.pageIndex >= 0 && c.pageSize === pageSize) return c;
    } catch {
      // unreadable cursor: start over
    }
  }
  return { pageIndex: 0, pageSize, startedAt: now };
}

export async function pullRoster(o: RosterPullOptions): Promise<RosterPullResult> {
  const pageSize = o.pageSize ?? o.client.config.pageSize;
  let cursor = readCursor(o.cursors, pageSize, o.clock.now());
  const result: RosterPullResult = { pulled: 0, created: 0, updated: 0, complete: false, fullResync: false };
  const seen = new Set<string>();
  for (let pages = 0; o.maxPages === undefined || pages < o.maxPages; pages++) {
    let page;
    try {
      page = await o.client.queryWorkers(cursor.pageIndex, pageSize);
    } catch (e) {
      if (isPlatformError(e) && e.kind === 'bad_parameters' && cursor.pageIndex > 0 && !result.fullResync) {
        result.fullResync = true;
        cursor = { pageIndex: 0, pageSize, startedAt: o.clock.now() };
        o.cursors.set(ROSTER_CURSOR, JSON.stringify(cursor), o.clock.now());
        pages--;
        continue;
      }
      throw e;
    }
    for (const row of page.rows) {
      const key = row.idCardNumber.trim().toUpperCase();
      if (!key || seen.has(key)) continue;
      seen.add(key);
      result.pulled++;
      const r = o.sink.upsertFromPlatform(
        {
          name: row.workerName,
          idType: row.idCardType,
          idNumber: key,
          teamSysNo: row.teamSysNo,
          tradeCode: row.workType,
          corpCode: row.corpCode,
          corpName: row.corpName,
          isTeamLeader: row.isTeamLeader,
          hasContract: row.hasContract,
          hasInsurance: row.hasInsurance,
          headImageJpeg: row.headImage ? Buffer.from(row.headImage, 'base64') : null,
        },
        o.clock.now(),
      );
      if (r === 'created') result.created++;
      else if (r === 'updated') result.updated++;
    }
    const last = page.rows.length < pageSize || (page.totalCount !== null && (cursor.pageIndex + 1) * pageSize >= page.totalCount);
    if (last) {
      o.cursors.delete(ROSTER_CURSOR);
      result.complete = true;
      break;
    }
    cursor = { ...cursor, pageIndex: cursor.pageIndex + 1 };
    o.cursors.set(ROSTER_CURSOR, JSON.stringify(cursor), o.clock.now());
  }
  o.onProgress?.({ type: 'roster', pulled: result.pulled, created: result.created, updated: result.updated, complete: result.complete, at: o.clock.now() });
  return result;
}
