// Roster download (ProjectWorker.Query), paged and checkpointed: the page position is saved
// after each applied page, so an interrupted pull resumes where it stopped. Pages go by the
// size the platform really answers and by its totalCount (platform/paging.ts), so a platform
// that caps its pages does not end the pull early. When the platform rejects the saved
// position (the roster shrank, or the cursor is stale), or its pages stop adding up, the pull
// starts over from the first page (a full resync); upserts are idempotent, so repeating is safe.
import type { RosterSinkPort, SyncCursorPort, SyncProgressEvent } from '../../../edge-core/src/ports/platform.js';
import type { Clock } from '../../../edge-core/src/ports/clock.js';
import type { PlatformClient } from '../platform/client.js';
import { isPlatformError } from '../platform/errors.js';
import { afterPage, firstPage, isPastLastPage, type PagingState } from '../platform/paging.js';

export const ROSTER_CURSOR = 'roster.projectWorker';

export interface RosterCursor extends PagingState {
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
      // The saved page size may be the platform's own (smaller than the one configured).
      const c = JSON.parse(raw) as Partial<RosterCursor>;
      if (Number.isInteger(c.pageIndex) && (c.pageIndex as number) >= 0 && Number.isInteger(c.pageSize) && (c.pageSize as number) >= 1 && (c.pageSize as number) <= pageSize) {
        return { pageIndex: c.pageIndex as number, pageSize: c.pageSize as number, read: Number.isInteger(c.read) ? (c.read as number) : 0, startedAt: c.startedAt ?? now };
      }
    } catch {
      // unreadable cursor: start over
    }
  }
  return { ...firstPage(pageSize), startedAt: now };
}

export async function pullRoster(o: RosterPullOptions): Promise<RosterPullResult> {
  const pageSize = o.pageSize ?? o.client.config.pageSize;
  let cursor = readCursor(o.cursors, pageSize, o.clock.now());
  const result: RosterPullResult = { pulled: 0, created: 0, updated: 0, complete: false, fullResync: false };
  const seen = new Set<string>();
  const restart = (): void => {
    result.fullResync = true;
    cursor = { ...firstPage(pageSize), startedAt: o.clock.now() };
    o.cursors.set(ROSTER_CURSOR, JSON.stringify(cursor), o.clock.now());
  };
  for (let pages = 0; o.maxPages === undefined || pages < o.maxPages; pages++) {
    let page;
    try {
      page = await o.client.queryWorkers(cursor.pageIndex, cursor.pageSize);
    } catch (e) {
      if (isPastLastPage(cursor, e)) {
        o.cursors.delete(ROSTER_CURSOR);
        result.complete = true;
        break;
      }
      if (isPlatformError(e) && e.kind === 'bad_parameters' && cursor.pageIndex > 0 && !result.fullResync) {
        restart();
        pages--;
        continue;
      }
      throw e;
    }
    let step;
    try {
      step = afterPage(cursor, page.rows.length, page.totalCount);
    } catch (e) {
      // The pages do not add up (the roster changed under a resumed pull): read it all again.
      if (!isPlatformError(e) || e.kind !== 'inconsistent_reply' || result.fullResync) throw e;
      restart();
      pages--;
      continue;
    }
    for (const row of page.rows) {
      const key = row.idNumber.trim().toUpperCase();
      if (!key || seen.has(key)) continue;
      seen.add(key);
      result.pulled++;
      const { raw: _raw, ...worker } = row;
      const r = o.sink.upsertFromPlatform({ ...worker, idNumber: key }, o.clock.now());
      if (r === 'created') result.created++;
      else if (r === 'updated') result.updated++;
    }
    if (step.done) {
      o.cursors.delete(ROSTER_CURSOR);
      result.complete = true;
      break;
    }
    cursor = { ...step.state, startedAt: cursor.startedAt };
    o.cursors.set(ROSTER_CURSOR, JSON.stringify(cursor), o.clock.now());
  }
  o.onProgress?.({ type: 'roster', pulled: result.pulled, created: result.created, updated: result.updated, complete: result.complete, at: o.clock.now() });
  return result;
}
