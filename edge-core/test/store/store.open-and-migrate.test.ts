import { describe, expect, it, afterEach } from 'vitest';
import Database from 'better-sqlite3';
import { join } from 'node:path';
import { existsSync, statSync } from 'node:fs';
import { openStore, migrate, MigrationError, DB_FILE, type Migration } from '../../src/index.js';
import { fixedClock, openTestStore, tempDir } from './helpers.js';
import { migrations } from '../../src/store/migrations/index.js';

let cleanup: () => void = () => {};
afterEach(() => cleanup());

describe('store: open, pragmas and migrations', () => {
  it('a fresh store runs every migration once, in WAL with synchronous=FULL', () => {
    const t = tempDir();
    cleanup = t.cleanup;
    const { store, migrationsRun, keyCreated } = openTestStore(t.dir);
    expect(migrationsRun).toEqual(migrations.map((m) => m.version));
    expect(keyCreated).toBe(true);
    expect(store.db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(store.db.pragma('synchronous', { simple: true })).toBe(2); // FULL
    expect(store.db.pragma('foreign_keys', { simple: true })).toBe(1);
    store.close();
    const again = openTestStore(t.dir);
    expect(again.migrationsRun).toEqual([]);
    expect(again.keyCreated).toBe(false);
    again.store.close();
  });

  it('the device key file is created outside the data directory, 0600 in a 0700 directory', () => {
    const t = tempDir();
    cleanup = t.cleanup;
    const { store, keyDir } = openTestStore(t.dir);
    store.close();
    expect(keyDir).toBe(t.keyDir);
    expect(statSync(join(t.keyDir, 'device.key')).mode & 0o777).toBe(0o600);
    expect(statSync(t.keyDir).mode & 0o777).toBe(0o700);
    expect(existsSync(join(t.dir, 'keys'))).toBe(false);
  });

  it('refuses migrations with gaps in their numbering', () => {
    const db = new Database(':memory:');
    const bad: Migration[] = [
      { version: 1, name: 'a', up: 'CREATE TABLE a (x)' },
      { version: 3, name: 'c', up: 'CREATE TABLE c (x)' },
    ];
    expect(() => migrate(db, bad, () => 0)).toThrow(MigrationError);
  });

  it('a failing migration rolls back entirely and leaves the version unchanged', () => {
    const db = new Database(':memory:');
    const ms: Migration[] = [
      { version: 1, name: 'a', up: 'CREATE TABLE a (x)' },
      { version: 2, name: 'broken', up: 'CREATE TABLE b (x); INSERT INTO nope VALUES (1);' },
    ];
    expect(() => migrate(db, ms, () => 0)).toThrow(/no such table/);
    const tables = db.prepare("SELECT name FROM sqlite_master WHERE type='table' AND name IN ('a','b')").all();
    expect(tables).toEqual([{ name: 'a' }]);
    expect(db.prepare('SELECT MAX(version) AS v FROM schema_migrations').get()).toEqual({ v: 1 });
  });

  it('a database from newer software is refused with a clear message', () => {
    const t = tempDir();
    cleanup = t.cleanup;
    openTestStore(t.dir).store.close();
    const raw = new Database(join(t.dir, DB_FILE));
    raw.prepare('INSERT INTO schema_migrations VALUES (99, ?, 0)').run('future');
    raw.close();
    expect(() => openStore({ dataDir: t.dir, clock: fixedClock() })).toThrow(/newer than this software/);
  });

  it('the schema accepts a manager only with one of the six roles', () => {
    const t = tempDir();
    cleanup = t.cleanup;
    const { store } = openTestStore(t.dir);
    const insert = store.db.prepare(
      `INSERT INTO workers (name, id_type, id_number_enc, id_number_hash, id_number_masked, trade_code, role, management_role, created_at, updated_at)
       VALUES ('x', '01', x'00', ?, 'm', '900', ?, ?, 0, 0)`,
    );
    expect(() => insert.run('h1', 'manager', null)).toThrow(/CHECK/);
    expect(() => insert.run('h2', 'manager', 'boss')).toThrow(/CHECK/);
    expect(() => insert.run('h3', 'manager', 'safety_officer')).not.toThrow();
    store.close();
  });
});
