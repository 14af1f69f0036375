// Periodic roster pull: runs pullRoster every `intervalMs` (and on demand), never two at once.
import type { SyncProgressEvent } from '../../../edge-core/src/ports/platform.js';
import { isPlatformError } from '../platform/errors.js';
import { pullRoster, type RosterPullOptions, type RosterPullResult } from './roster-pull.js';

export interface RosterSync {
  /** Pulls now (or joins the pull in progress). */
  pullNow(): Promise<RosterPullResult | null>;
  stop(): void;
}

export function startRosterSync(o: RosterPullOptions & { intervalMs?: number; onProgress?: (e: SyncProgressEvent) => void }): RosterSync {
  let running: Promise<RosterPullResult | null> | null = null;
  let stopped = false;
  const pull = (): Promise<RosterPullResult | null> => {
    if (running) return running;
    running = pullRoster(o)
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
  const timer = setInterval(() => {
    if (!stopped) void pull();
  }, o.intervalMs ?? 15 * 60_000);
  timer.unref();
  void pull();
  return {
    pullNow: pull,
    stop() {
      stopped = true;
      clearInterval(timer);
    },
  };
}
