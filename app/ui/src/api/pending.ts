// Client functions for routes the core does NOT offer yet. Each is the exact contract the UI
// was built against (listed in the issue-6 report for the lead). The gate and enrollment
// routes the core does offer are in gate.ts. A 404 `request.not_found`
// means "not offered yet": the function resolves to { available: false } and the screen
// falls back (manual entry, local snapshot, /health components). Once the lead adds the
// route, the screens use it with no change here.
import type { Bilingual } from '../../../shared/i18n/messages.js';
import type { SyncProblem } from '../../../../edge-core/src/ports/platform.js';
import type { WorkerRequest } from '../../../shared/api-types.js';
import { request, isMissingRoute } from './http.js';
import type { WorkerDetail } from './core.js';

export type Feature<T> = { available: true; value: T } | { available: false };

async function feature<T>(call: () => Promise<T>): Promise<Feature<T>> {
  try {
    return { available: true, value: await call() };
  } catch (err) {
    if (isMissingRoute(err)) return { available: false };
    throw err;
  }
}

export interface SyncStatus {
  /** False when the platform link is switched off (config `platform.type: off`). */
  enabled: boolean;
  connectivity: 'online' | 'offline' | 'blocked' | 'unknown' | 'off';
  /** Why the link is not online, in plain words. */
  reason: Bilingual | null;
  backlog: number;
  parked: number;
  oldestUnsentAt: number | null;
  lastSentAt: number | null;
  /** The last failure in plain words, with the platform's own reason text when it gave one. */
  lastError: { at: number; code: string; message: Bilingual; platformMessage: string | null } | null;
  /** Standing problems a person must act on, as codes (words: shared/i18n/sync-texts.ts). */
  problems?: SyncProblem[];
  /** Backlog samples for the chart, oldest first, at most 288 (24 h at 5 min). */
  history: Array<{ at: number; backlog: number }>;
  /** The platform clock's offset from ours when known (shape owned by sync/). */
  clockSkew: unknown;
}

/** A record the platform refused for good: kept aside with its reason until "retry now". */
export interface ParkedRecord {
  id: number;
  kind: string;
  refId: string | number | null;
  reason: string | null;
  createdAt: number;
  attempts: number;
}

/** GET /api/sync/status   (role supervisor) → 200 SyncStatus */
export const syncStatus = () => feature(() => request<SyncStatus>('GET', '/api/sync/status'));

/** POST /api/sync/retry   (role supervisor) → 202 { ok, requeued }; progress as `sync.progress` events. */
export const syncRetry = () =>
  feature(() => request<{ ok: true; requeued: number }>('POST', '/api/sync/retry'));

/** GET /api/sync/parked   (role supervisor) → the parked records with the platform's reason. */
export const syncParked = () => feature(() => request<ParkedRecord[]>('GET', '/api/sync/parked'));

/**
 * PATCH /api/workers/:id   (role clerk)
 * body: WorkerRequest minus idType/idNumber/name (identity comes from the card), all optional
 * → 200 WorkerDetail. Audited like POST.
 */
export type WorkerPatch = Partial<Omit<WorkerRequest, 'idType' | 'idNumber' | 'name' | 'manualEntry'>>;
export const updateWorker = (id: number, body: WorkerPatch) =>
  feature(() => request<WorkerDetail>('PATCH', `/api/workers/${id}`, { body }));
