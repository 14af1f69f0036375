// Roster schedule: the platform's changes every `changesIntervalMs` (25 s: a change reaches
// this gate within a minute while online), the whole roster every `fullIntervalMs` (a
// reconciliation that catches anything the change query missed), never two pulls at once.
// A platform without the change query (or that ignores its filter) gets the whole roster
// every `fallbackFullIntervalMs` instead.
import type { SyncProgressEvent } from '../../../edge-core/src/ports/platform.js';
import { isPlatformError } from '../platform/errors.js';
import { pullRoster, type RosterPullOptions, type RosterPullResult } from './roster-pull.js';
import { pullRosterChanges, type RosterChangesResult } from './roster-changes.js';

export interface RosterSyncStats {
  changePulls: number;
  fullPulls: number;
  /** The change query is not available on this platform: full pulls only. */
  changesUnsupported: boolean;
}

export interface RosterSync {
  /** Pulls the platform's changes now (or joins the pull in progress); null when it failed. */
  pullChangesNow(): Promise<RosterChangesResult | RosterPullResult | null>;
  /** Pulls the whole roster now (or joins the pull in progress); null when it failed. */
  pullNow(): Promise<RosterPullResult | RosterChangesResult | null>;
  stats(): RosterSyncStats;
  stop(): void;
}

export interface RosterSyncOptions extends RosterPullOptions {
  /** Incremental pulls (default 25 s). */
  changesIntervalMs?: number;
  /** Full reconciliation (default 1 h). */
  fullIntervalMs?: number;
  /** Full pulls when the change query is unavailable (default 15 min). */
  fallbackFullIntervalMs?: number;
  /** See roster-changes.ts (default 2 min). */
  overlapMs?: number;
  onProgress?: (e: SyncProgressEvent) => void;
}

type Result = RosterChangesResult | RosterPullResult;

export function startRosterSync(o: RosterSyncOptions): RosterSync {
  let running: Promise<Result | null> | null = null;
  let stopped = false;
  const stats: RosterSyncStats = { changePulls: 0, fullPulls: 0, changesUnsupported: o.client.config.rosterChanges === null };
  let lastFullAt = Number.NEGATIVE_INFINITY;
  const fallbackMs = o.fallbackFullIntervalMs ?? 15 * 60_000;

  const guarded = (run: () => Promise<Result>): Promise<Result | null> => {
    if (running) return running;
    running = run()
      .catch((e: unknown) => {
        const message = isPlatformError(e) ? e.userMessage : { zh: `花名册同步失败：${(e as Error).message}`, en: `Roster pull failed: ${(e as Error).message}` };
        o.onProgress?.({ type: 'error', kind: isPlatformError(e) ? e.kind : 'roster', message, at: o.clock.now() });
        return null;
      })
      .finally(() => {
        running = null;
      });
    return running;
  };
  const full = async (): Promise<Result> => {
    stats.fullPulls++;
    lastFullAt = o.clock.now();
    return pullRoster(o);
  };
  const changes = async (): Promise<Result> => {
    if (stats.changesUnsupported) {
      // Without the change query: the whole roster, but not more often than the fallback period.
      if (o.clock.now() - lastFullAt >= fallbackMs) return full();
      return { pulled: 0, created: 0, updated: 0, complete: true, fullResync: false };
    }
    stats.changePulls++;
    const r = await pullRosterChanges({ ...o, ...(o.overlapMs !== undefined ? { overlapMs: o.overlapMs } : {}) });
    if (r.unsupported) {
      stats.changesUnsupported = true;
      return full();
    }
    return r;
  };
  const pullChangesNow = (): Promise<Result | null> => guarded(changes);
  const pullNow = (): Promise<Result | null> => guarded(full);

  const changeTimer = setInterval(() => {
    if (!stopped) void pullChangesNow();
  }, o.changesIntervalMs ?? 25_000);
  changeTimer.unref();
  const fullTimer = setInterval(() => {
    if (!stopped) void pullNow();
  }, o.fullIntervalMs ?? 60 * 60_000);
  fullTimer.unref();
  // At start: the changes (the whole roster the first time, by change time; a full pull when
  // the platform has no change query).
  void pullChangesNow();
  return {
    pullChangesNow,
    pullNow,
    stats: () => ({ ...stats }),
    stop() {
      stopped = true;
      clearInterval(changeTimer);
      clearInterval(fullTimer);
    },
  };
}
