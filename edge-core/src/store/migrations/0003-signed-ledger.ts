// 0003: the signed, hash-chained ledger over attendance events and audit entries (see
// store/ledger.ts), the photo hash that lets retention drop a photo without breaking the
// chain, and triggers that keep attendance rows append-only except for that purge.
// Rows that exist before this migration are chained once, in order, when it runs (store.ts).
import type { Migration } from '../migration.js';

export const migration0003: Migration = {
  version: 3,
  name: 'signed-ledger',
  up: `
ALTER TABLE attendance_events ADD COLUMN photo_sha256 BLOB;
ALTER TABLE attendance_events ADD COLUMN photo_purged_at INTEGER;

CREATE TABLE ledger (
  seq INTEGER PRIMARY KEY,
  kind TEXT NOT NULL CHECK (kind IN ('attendance','audit')),
  ref TEXT NOT NULL,
  payload_hash BLOB NOT NULL,
  prev_hash BLOB NOT NULL,
  entry_hash BLOB NOT NULL,
  sig BLOB NOT NULL,
  UNIQUE (kind, ref)
);
CREATE TRIGGER ledger_no_update BEFORE UPDATE ON ledger
  BEGIN SELECT RAISE(ABORT, 'ledger is append-only'); END;
CREATE TRIGGER ledger_no_delete BEFORE DELETE ON ledger
  BEGIN SELECT RAISE(ABORT, 'ledger is append-only'); END;

CREATE TRIGGER attendance_no_delete BEFORE DELETE ON attendance_events
  BEGIN SELECT RAISE(ABORT, 'attendance events are kept; retention only removes photos'); END;
CREATE TRIGGER attendance_no_edit BEFORE UPDATE OF id, lane_id, worker_id, direction, occurred_at, time_zone, local_date,
  decision, reasons_json, scores_json, is_makeup, makeup_confirmed_by, makeup_document_no, makeup_reason,
  makeup_confirmed_at, created_at ON attendance_events
  BEGIN SELECT RAISE(ABORT, 'attendance events are append-only'); END;
CREATE TRIGGER attendance_photo_hash_once BEFORE UPDATE OF photo_sha256 ON attendance_events
  WHEN OLD.photo_sha256 IS NOT NULL
  BEGIN SELECT RAISE(ABORT, 'attendance events are append-only'); END;
CREATE INDEX attendance_photo_retention ON attendance_events(occurred_at) WHERE photo_enc IS NOT NULL;
`,
};
