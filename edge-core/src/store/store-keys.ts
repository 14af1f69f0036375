// The store's device key: found in the key directory outside the data directory (moved there
// from DATA-DIR/keys on upgrade), created only for a database that holds no encrypted data
// yet, and checked against the key check value the database keeps, before anything is written.
import Database from 'better-sqlite3';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Clock } from '../ports/clock.js';
import { loadDeviceKey, type DeviceKeys, type KeyProtector } from '../crypto/device-key.js';
import { assertKeyDirOutsideData, defaultKeyDir, moveLegacyKey } from '../crypto/key-location.js';
import { StoreError } from './errors.js';

export interface StoreKeyOptions {
  dataDir: string;
  /** The key directory; default defaultKeyDir() ($SITEGATE_KEY_DIR or the platform's place). */
  keyDir?: string;
  protector?: KeyProtector;
  /** Keys already loaded by the host (an asynchronous protector: loadDeviceKeyAsync). */
  deviceKeys?: DeviceKeys;
}

export interface StoreKeys extends DeviceKeys {
  keyDir: string;
  /** Set when a key kept in the data directory by an older version was moved out. */
  keyMoved: { from: string; to: string } | null;
}

/** Resolves the key directory, refuses one inside the data directory, moves a legacy key out. */
export function prepareKeyDir(dataDir: string, keyDir = defaultKeyDir()): { keyDir: string; keyMoved: { from: string; to: string } | null } {
  assertKeyDirOutsideData(keyDir, dataDir);
  return { keyDir, keyMoved: moveLegacyKey(dataDir, keyDir) };
}

function storedKeyCheck(db: Database.Database): string | undefined {
  const row = db.prepare("SELECT value_json FROM settings WHERE key = 'device_key_check'").get() as { value_json: string } | undefined;
  return row === undefined ? undefined : (JSON.parse(row.value_json) as string);
}

/** True when the data directory's database already holds data encrypted under some device key. */
export function databaseNeedsExistingKey(dataDir: string, dbFile: string): boolean {
  const path = join(dataDir, dbFile);
  if (!existsSync(path)) return false;
  const db = new Database(path, { readonly: true, fileMustExist: true });
  try {
    const hasSettings = db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'settings'").get();
    return hasSettings !== undefined && storedKeyCheck(db) !== undefined;
  } finally {
    db.close();
  }
}

/** Loads the keys for an open (migrated) database and checks they belong to it. */
export function openStoreKeys(db: Database.Database, opts: StoreKeyOptions & { path: string; clock: Clock }): StoreKeys {
  const { keyDir, keyMoved } = prepareKeyDir(opts.dataDir, opts.keyDir);
  const stored = storedKeyCheck(db);
  const keys = opts.deviceKeys ?? loadDeviceKey({ keyDir, protector: opts.protector, allowCreate: stored === undefined });
  if (stored === undefined) {
    db.prepare("INSERT INTO settings (key, value_json, updated_at) VALUES ('device_key_check', ?, ?)").run(JSON.stringify(keys.cipher.keyCheck()), opts.clock.now());
  } else if (stored !== keys.cipher.keyCheck()) {
    throw new StoreError(
      `the device key ${keys.path} does not belong to the database ${opts.path}`,
      'key_mismatch',
      'restore the key file that was made with this database (from the same machine or its key backup)',
    );
  }
  return { ...keys, keyDir, keyMoved };
}
