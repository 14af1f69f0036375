// The platform link as the supervisor sees it (app/server/api/sync-routes.ts).
import type { ParkedRecord, Reply, SyncStatus } from '../../../shared/api-types.js';
import { request } from './http.js';

export type { ParkedRecord, SyncStatus };

export const syncApi = {
  /** GET /api/sync/status (supervisor). */
  status: () => request<Reply<'GET /api/sync/status'>>('GET', '/api/sync/status'),
  /** POST /api/sync/retry (supervisor) → 202; progress as `sync.progress` events. */
  retry: () => request<Reply<'POST /api/sync/retry'>>('POST', '/api/sync/retry'),
  /** GET /api/sync/parked (supervisor): the records the platform refused for good, with its reason. */
  parked: () => request<Reply<'GET /api/sync/parked'>>('GET', '/api/sync/parked'),
};
