// 0001: the initial schema. Personal data columns end in `_enc` (AES-256-GCM, see
// crypto/field-cipher.ts); `_hash` columns are keyed hashes for lookups.
import type { Migration } from '../migration.js';

export const migration0001: Migration = {
  version: 1,
  name: 'initial-schema',
  up: `
CREATE TABLE project (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  code TEXT NOT NULL,                 -- platform projectCode
  name TEXT NOT NULL,
  time_zone TEXT NOT NULL DEFAULT 'Asia/Shanghai',
  lng REAL, lat REAL,                 -- WGS-84, sent with attendance
  updated_at INTEGER NOT NULL
);

CREATE TABLE lanes (
  id TEXT PRIMARY KEY,
  name TEXT NOT NULL,
  direction_mode TEXT NOT NULL CHECK (direction_mode IN ('in','out','both')),
  enabled INTEGER NOT NULL DEFAULT 1
);

CREATE TABLE devices (
  id TEXT PRIMARY KEY,
  lane_id TEXT REFERENCES lanes(id),
  kind TEXT NOT NULL CHECK (kind IN ('camera','idcard_reader','turnstile','announcer','code_scanner')),
  model TEXT NOT NULL,
  config_json TEXT NOT NULL DEFAULT '{}',
  enabled INTEGER NOT NULL DEFAULT 1
);

-- 参建单位: 总包 general contractor, 分包 subcontractor, 劳务企业 labour company
CREATE TABLE employers (
  id INTEGER PRIMARY KEY,
  name TEXT NOT NULL,
  credit_code TEXT NOT NULL UNIQUE,   -- 统一社会信用代码, 18 chars
  corp_type TEXT NOT NULL CHECK (corp_type IN ('general','sub','labour')),
  created_at INTEGER NOT NULL
);

-- 班组
CREATE TABLE teams (
  id INTEGER PRIMARY KEY,
  employer_id INTEGER NOT NULL REFERENCES employers(id),
  name TEXT NOT NULL,
  platform_team_sys_no TEXT,          -- teamSysNo once the platform knows the team
  created_at INTEGER NOT NULL,
  UNIQUE (employer_id, name)
);

CREATE TABLE workers (
  id INTEGER PRIMARY KEY,
  name TEXT NOT NULL,
  id_type TEXT NOT NULL,              -- '01' resident ID, see domain/id-types.ts
  id_number_enc BLOB NOT NULL,
  id_number_hash TEXT NOT NULL UNIQUE,
  id_number_masked TEXT NOT NULL,     -- e.g. 3601**********1234, safe to show
  sex TEXT CHECK (sex IN ('M','F','U')),
  nation TEXT,
  birth_date TEXT,                    -- YYYY-MM-DD
  address_enc BLOB,
  issuing_authority TEXT,
  valid_from TEXT,                    -- YYYY-MM-DD
  valid_to TEXT,                      -- YYYY-MM-DD, NULL = 长期 (long-term)
  id_photo_enc BLOB,
  phone_enc BLOB,
  trade_code TEXT NOT NULL,           -- 工种 national code, '900' = management
  role TEXT NOT NULL CHECK (role IN ('worker','manager')),
  management_role TEXT CHECK (management_role IN
    ('project_manager','technical_lead','quality_officer','safety_officer','construction_officer','labour_officer')),
  employer_id INTEGER REFERENCES employers(id),
  team_id INTEGER REFERENCES teams(id),
  is_team_leader INTEGER NOT NULL DEFAULT 0,
  has_contract INTEGER NOT NULL DEFAULT 0,
  contract_start TEXT, contract_end TEXT,
  has_insurance INTEGER NOT NULL DEFAULT 0,
  insurance_start TEXT, insurance_end TEXT,
  bank_card_enc BLOB,
  bank_code TEXT,
  status TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active','inactive','blacklisted')),
  source TEXT NOT NULL DEFAULT 'local' CHECK (source IN ('local','platform')),
  manual_entry INTEGER NOT NULL DEFAULT 0, -- ID typed by the clerk instead of read from the card
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  CHECK ((role = 'manager') = (management_role IS NOT NULL))
);
CREATE INDEX workers_team ON workers(team_id);

CREATE TABLE enrollments (
  id INTEGER PRIMARY KEY,
  worker_id INTEGER NOT NULL REFERENCES workers(id),
  captured_at INTEGER NOT NULL,
  clerk TEXT NOT NULL,
  id_match_score REAL,
  liveness_json TEXT NOT NULL DEFAULT '{}',
  photo_enc BLOB,
  flags_json TEXT NOT NULL DEFAULT '[]'
);

CREATE TABLE face_templates (
  id INTEGER PRIMARY KEY,
  worker_id INTEGER NOT NULL REFERENCES workers(id),
  model_id TEXT NOT NULL,
  kind TEXT NOT NULL CHECK (kind IN ('enroll','id_photo','adaptive','platform')),
  vector_enc BLOB NOT NULL,
  quality REAL,
  created_at INTEGER NOT NULL
);
CREATE INDEX face_templates_model ON face_templates(model_id, worker_id);

CREATE TABLE attendance_events (
  seq INTEGER PRIMARY KEY,            -- local order of commit
  id TEXT NOT NULL UNIQUE,            -- UUIDv7
  lane_id TEXT NOT NULL,
  worker_id INTEGER REFERENCES workers(id),
  direction TEXT NOT NULL CHECK (direction IN ('in','out')),
  occurred_at INTEGER NOT NULL,       -- UTC, ms since epoch (corrected clock)
  time_zone TEXT NOT NULL,            -- site zone at the time, e.g. Asia/Shanghai
  local_date TEXT NOT NULL,           -- YYYY-MM-DD in time_zone
  decision TEXT NOT NULL CHECK (decision IN ('pass','refuse')),
  reasons_json TEXT NOT NULL DEFAULT '[]',
  scores_json TEXT NOT NULL DEFAULT '{}',
  photo_enc BLOB,
  is_makeup INTEGER NOT NULL DEFAULT 0,     -- 补卡
  makeup_confirmed_by TEXT,
  makeup_document_no TEXT,
  makeup_reason TEXT,
  makeup_confirmed_at INTEGER,
  created_at INTEGER NOT NULL,
  CHECK (is_makeup = 0 OR (makeup_confirmed_by IS NOT NULL AND makeup_document_no IS NOT NULL AND makeup_reason IS NOT NULL))
);
CREATE INDEX attendance_day ON attendance_events(local_date, decision, worker_id);
CREATE INDEX attendance_worker_time ON attendance_events(worker_id, occurred_at);

-- Transactional outbox: written in the same transaction as the record it carries.
CREATE TABLE outbox (
  id INTEGER PRIMARY KEY,
  kind TEXT NOT NULL CHECK (kind IN ('attendance','worker','team','enrollment')),
  ref_id TEXT NOT NULL,
  partition_key TEXT NOT NULL,        -- ordering key (the worker), FIFO within it
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
CREATE INDEX outbox_due ON outbox(state, next_attempt_at);
CREATE INDEX outbox_partition ON outbox(partition_key, id);

CREATE TABLE sync_cursors (
  name TEXT PRIMARY KEY,
  value TEXT NOT NULL,
  updated_at INTEGER NOT NULL
);

CREATE TABLE settings (
  key TEXT PRIMARY KEY,
  value_json TEXT NOT NULL,
  updated_at INTEGER NOT NULL
);

CREATE TABLE secrets (
  key TEXT PRIMARY KEY,
  value_enc BLOB NOT NULL,
  updated_at INTEGER NOT NULL
);

CREATE TABLE role_pins (
  role TEXT PRIMARY KEY CHECK (role IN ('clerk','supervisor','admin')),
  pin_hash TEXT NOT NULL,
  failed_attempts INTEGER NOT NULL DEFAULT 0,
  locked_until INTEGER NOT NULL DEFAULT 0,
  updated_at INTEGER NOT NULL
);

-- Append-only audit log: triggers refuse UPDATE and DELETE.
CREATE TABLE audit_log (
  id INTEGER PRIMARY KEY,
  at INTEGER NOT NULL,
  actor TEXT NOT NULL,                -- role or 'system' / 'platform'
  action TEXT NOT NULL,
  target TEXT,
  details_json TEXT NOT NULL DEFAULT '{}'
);
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
  BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
  BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
`,
};
