// 0009: the worker's lifecycle reaches the platform. A change of a worker (an edit, a
// departure 退场, a re-entry 进场) is a row of worker_changes, queued in the outbox in the
// same transaction as the change (kind 'worker_change'); a refused passage the platform must
// hear of (no helmet: 禁止该人员通行，并将记录上传给业务平台) is queued as kind 'refusal'.
// SQLite cannot widen a CHECK in place: the outbox is rebuilt with the same columns, rows and
// indexes (0001, 0002), and the two new kinds.
import type { Migration } from '../migration.js';

export const migration0009: Migration = {
  version: 9,
  name: 'worker-lifecycle',
  up: `
CREATE TABLE worker_changes (
  id INTEGER PRIMARY KEY,
  worker_id INTEGER NOT NULL REFERENCES workers(id),
  action TEXT NOT NULL CHECK (action IN ('update','exit','entry')),
  occurred_at INTEGER NOT NULL,
  local_date TEXT NOT NULL,           -- the site's date of the change (the platform's entry/exit date)
  actor TEXT NOT NULL,
  created_at INTEGER NOT NULL
);
CREATE INDEX worker_changes_worker ON worker_changes(worker_id, id);

CREATE TABLE outbox_0009 (
  id INTEGER PRIMARY KEY,
  kind TEXT NOT NULL CHECK (kind IN ('attendance','worker','team','enrollment','worker_change','refusal')),
  ref_id TEXT NOT NULL,
  partition_key TEXT NOT NULL,
  state TEXT NOT NULL DEFAULT 'pending' CHECK (state IN ('pending','inflight','ambiguous','sent','parked')),
  attempts INTEGER NOT NULL DEFAULT 0,
  next_attempt_at INTEGER NOT NULL,
  first_attempt_at INTEGER,
  request_serial_code TEXT,
  last_error TEXT,
  parked_reason TEXT,
  created_at INTEGER NOT NULL,
  sent_at INTEGER,
  UNIQUE (kind, ref_id)
);
INSERT INTO outbox_0009 (id, kind, ref_id, partition_key, state, attempts, next_attempt_at, first_attempt_at,
  request_serial_code, last_error, parked_reason, created_at, sent_at)
  SELECT id, kind, ref_id, partition_key, state, attempts, next_attempt_at, first_attempt_at,
    request_serial_code, last_error, parked_reason, created_at, sent_at FROM outbox;
DROP TABLE outbox;
ALTER TABLE outbox_0009 RENAME TO outbox;
CREATE INDEX outbox_due ON outbox(state, next_attempt_at);
CREATE INDEX outbox_partition ON outbox(partition_key, id);
CREATE INDEX outbox_open_partition ON outbox(partition_key, id) WHERE state IN ('pending','inflight','ambiguous');
CREATE INDEX outbox_awaiting ON outbox(request_serial_code) WHERE state = 'inflight';
CREATE INDEX outbox_state_id ON outbox(state, id);
`,
};
