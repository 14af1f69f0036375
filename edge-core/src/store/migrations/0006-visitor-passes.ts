// 0006: visitor passes (访客码) and visitor passages. A pass is issued by a clerk for a validity
// window; it may only be revoked afterwards (the revocation columns, once). Visitor passages
// (admitted and refused scans) are append-only, committed before the turnstile opens, like
// worker passages; they are not attendance and are never sent to the platform.
import type { Migration } from '../migration.js';

export const migration0006: Migration = {
  version: 6,
  name: 'visitor-passes',
  up: `
CREATE TABLE visitor_passes (
  id TEXT PRIMARY KEY,                -- UUIDv7, carried in the signed QR code
  name TEXT NOT NULL CHECK (length(name) > 0),
  host TEXT NOT NULL CHECK (length(host) > 0),   -- whom the visitor sees (person or office)
  purpose TEXT NOT NULL CHECK (length(purpose) > 0),
  phone_enc BLOB,
  id_card_type TEXT,                  -- from an optional ID-card read
  id_number_enc BLOB,
  id_number_masked TEXT,
  valid_from INTEGER NOT NULL,        -- UTC ms, whole seconds, inclusive
  valid_to INTEGER NOT NULL,          -- exclusive
  max_entries INTEGER CHECK (max_entries IS NULL OR max_entries > 0),
  escort_required INTEGER NOT NULL DEFAULT 0,
  lanes_json TEXT,                    -- NULL = every lane
  issued_by TEXT NOT NULL,
  issued_at INTEGER NOT NULL,
  revoked_at INTEGER,
  revoked_by TEXT,
  revoke_reason TEXT,
  CHECK (valid_to > valid_from),
  CHECK ((revoked_at IS NULL) = (revoked_by IS NULL))
);
CREATE INDEX visitor_passes_valid ON visitor_passes(valid_to);
CREATE TRIGGER visitor_passes_no_delete BEFORE DELETE ON visitor_passes
  BEGIN SELECT RAISE(ABORT, 'visitor passes are kept; revoke instead'); END;
CREATE TRIGGER visitor_passes_no_edit BEFORE UPDATE OF id, name, host, purpose, id_card_type, id_number_enc, id_number_masked,
  valid_from, valid_to, max_entries, escort_required, lanes_json, issued_by, issued_at ON visitor_passes
  BEGIN SELECT RAISE(ABORT, 'a visitor pass cannot be changed; revoke it and issue another'); END;
CREATE TRIGGER visitor_passes_revoke_once BEFORE UPDATE OF revoked_at, revoked_by, revoke_reason ON visitor_passes
  WHEN OLD.revoked_at IS NOT NULL
  BEGIN SELECT RAISE(ABORT, 'the visitor pass is already revoked'); END;

CREATE TABLE visitor_passages (
  seq INTEGER PRIMARY KEY,
  id TEXT NOT NULL UNIQUE,            -- UUIDv7
  pass_id TEXT REFERENCES visitor_passes(id),    -- NULL: an unknown or forged code
  lane_id TEXT NOT NULL,
  direction TEXT NOT NULL CHECK (direction IN ('in','out')),
  occurred_at INTEGER NOT NULL,
  time_zone TEXT NOT NULL,
  local_date TEXT NOT NULL,
  decision TEXT NOT NULL CHECK (decision IN ('pass','refuse')),
  reasons_json TEXT NOT NULL DEFAULT '[]',
  created_at INTEGER NOT NULL
);
CREATE INDEX visitor_passages_day ON visitor_passages(local_date, decision);
CREATE INDEX visitor_passages_pass ON visitor_passages(pass_id, occurred_at);
CREATE TRIGGER visitor_passages_no_update BEFORE UPDATE ON visitor_passages
  BEGIN SELECT RAISE(ABORT, 'visitor passages are append-only'); END;
CREATE TRIGGER visitor_passages_no_delete BEFORE DELETE ON visitor_passages
  BEGIN SELECT RAISE(ABORT, 'visitor passages are append-only'); END;
`,
};
