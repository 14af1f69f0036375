// 0002: indexes the platform sync wants on top of the outbox of 0001 (performance only; the
// sync works without them, slower with a large outbox):
// - a partial index over undelivered items per partition, so "is this the oldest open item of
//   its worker?" stays cheap however many delivered rows the outbox keeps;
// - an index to find items waiting for an async result by serial code.
import type { Migration } from '../migration.js';

export const migration0002: Migration = {
  version: 2,
  name: 'sync-indexes',
  up: `
CREATE INDEX outbox_open_partition ON outbox(partition_key, id) WHERE state IN ('pending','inflight','ambiguous');
CREATE INDEX outbox_awaiting ON outbox(request_serial_code) WHERE state = 'inflight';
CREATE INDEX outbox_state_id ON outbox(state, id);
`,
};
