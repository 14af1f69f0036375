// 0007: attendance binds the worker's identity hash (ledger-codec.ts, attendance/v2), and the
// identity columns of workers are fixed by trigger (they change only through the app, which
// signs each identity in the ledger). Existing workers get their identity entry, and photos
// removed by retention before this version their retention entry, once, when this runs
// (ledger-backfill.ts).
import type { Migration } from '../migration.js';

export const migration0007: Migration = {
  version: 7,
  name: 'ledger-identity',
  up: `
ALTER TABLE attendance_events ADD COLUMN worker_identity BLOB;
CREATE TRIGGER attendance_identity_fixed BEFORE UPDATE OF worker_identity ON attendance_events
  BEGIN SELECT RAISE(ABORT, 'attendance events are append-only'); END;
CREATE TRIGGER workers_identity_fixed BEFORE UPDATE OF id, name, id_type, id_number_enc, id_number_hash, id_number_masked ON workers
  WHEN NEW.id IS NOT OLD.id OR NEW.name IS NOT OLD.name OR NEW.id_type IS NOT OLD.id_type OR NEW.id_number_enc IS NOT OLD.id_number_enc
    OR NEW.id_number_hash IS NOT OLD.id_number_hash OR NEW.id_number_masked IS NOT OLD.id_number_masked
  BEGIN SELECT RAISE(ABORT, 'a worker''s identity is signed in the ledger and changes only through SiteGate'); END;
`,
};
