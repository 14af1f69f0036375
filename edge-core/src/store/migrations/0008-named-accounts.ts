// 0008: named accounts. Each clerk (劳务员), supervisor (主管) and admin (管理员) is a person with
// their own PIN, instead of one shared PIN per role. The account's id is the short number typed
// at the keypad. Accounts are never deleted (the audit names them): they are disabled. A role
// is fixed for the life of an account. The last enabled admin cannot be disabled (also checked,
// with a clearer answer, by the repository).
//
// Upgrade: each shared role PIN becomes an account of that role named "…（原共用）" with the
// same PIN hash and the same kiosk lockout state, marked `shared` so the admin is asked to
// rename it (to the person who uses it) or replace it; nobody is locked out by the upgrade.
// The creation of those accounts is audited once by the store when this migration runs
// (accounts-upgrade.ts), since a migration cannot sign audit entries.
import type { Migration } from '../migration.js';

export const migration0008: Migration = {
  version: 8,
  name: 'named-accounts',
  up: `
CREATE TABLE accounts (
  id INTEGER PRIMARY KEY,             -- the account number typed at the keypad
  name TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 40),
  role TEXT NOT NULL CHECK (role IN ('clerk','supervisor','admin')),
  pin_hash TEXT NOT NULL CHECK (pin_hash LIKE 'scrypt$%'),
  enabled INTEGER NOT NULL DEFAULT 1 CHECK (enabled IN (0,1)),
  shared INTEGER NOT NULL DEFAULT 0 CHECK (shared IN (0,1)),   -- a former shared role PIN: rename or replace it
  failed_attempts INTEGER NOT NULL DEFAULT 0,   -- wrong PINs at the kiosk (other sources: in memory)
  locked_until INTEGER NOT NULL DEFAULT 0,
  pin_set_at INTEGER NOT NULL,
  created_at INTEGER NOT NULL,
  created_by TEXT NOT NULL,
  updated_at INTEGER NOT NULL
);
CREATE UNIQUE INDEX accounts_name ON accounts(name COLLATE NOCASE);
CREATE INDEX accounts_role ON accounts(role, enabled);
CREATE TRIGGER accounts_no_delete BEFORE DELETE ON accounts
  BEGIN SELECT RAISE(ABORT, 'accounts are kept (the audit log names them); disable instead'); END;
CREATE TRIGGER accounts_role_fixed BEFORE UPDATE OF role ON accounts WHEN NEW.role <> OLD.role
  BEGIN SELECT RAISE(ABORT, 'an account keeps its role; create another account'); END;
CREATE TRIGGER accounts_last_admin BEFORE UPDATE OF enabled ON accounts
  WHEN OLD.role = 'admin' AND OLD.enabled = 1 AND NEW.enabled = 0
   AND NOT EXISTS (SELECT 1 FROM accounts WHERE role = 'admin' AND enabled = 1 AND id <> OLD.id)
  BEGIN SELECT RAISE(ABORT, 'the last enabled admin account cannot be disabled'); END;

INSERT INTO accounts (id, name, role, pin_hash, enabled, shared, failed_attempts, locked_until, pin_set_at, created_at, created_by, updated_at)
  SELECT CASE role WHEN 'admin' THEN 1 WHEN 'supervisor' THEN 2 ELSE 3 END,
         CASE role WHEN 'admin' THEN '管理员（原共用）' WHEN 'supervisor' THEN '主管（原共用）' ELSE '劳务员（原共用）' END,
         role, pin_hash, 1, 1, failed_attempts, locked_until, updated_at, updated_at, 'upgrade', updated_at
  FROM role_pins;
DROP TABLE role_pins;
`,
};
