// A write the store refused, named in plain words with its HTTP status, from real SQLite
// errors: a database that is full, one opened read-only; extended codes by their primary code.
import { describe, expect, it, afterAll } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { StoreError, classifySqliteError } from '../../edge-core/src/index.js';
import { storeFailure } from '../server/store-failures.js';

const dir = mkdtempSync(join(tmpdir(), 'sg-store-failures-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function caught(fn: () => void): unknown {
  try {
    fn();
  } catch (err) {
    return err;
  }
  throw new Error('expected a failure');
}

describe('store failures in plain words', () => {
  it('names a full database (real SQLITE_FULL), raw or as the store reports it', () => {
    const db = new Database(':memory:');
    db.exec('CREATE TABLE t (b BLOB)');
    db.pragma('max_page_count = 8');
    const err = caught(() => {
      for (let i = 0; i < 100; i++) db.prepare('INSERT INTO t VALUES (?)').run(Buffer.alloc(4096));
    });
    db.close();
    const expected = { code: 'disk_full', message: 'store.disk_full', status: 507, zh: '磁盘已满，记录无法保存' };
    expect(storeFailure(err)).toMatchObject(expected);
    expect(storeFailure(classifySqliteError(err, 'x.db'))).toMatchObject(expected);
  });

  it('names a read-only database (real SQLITE_READONLY), an extended I/O code, and nothing else', () => {
    const file = join(dir, 'ro.db');
    const w = new Database(file);
    w.exec('CREATE TABLE t (x INTEGER)');
    w.close();
    const db = new Database(file, { readonly: true });
    const err = caught(() => db.prepare('INSERT INTO t VALUES (1)').run());
    db.close();
    expect(storeFailure(err)).toMatchObject({ code: 'read_only', message: 'store.read_only', status: 503, zh: expect.stringMatching(/^数据盘只读/) });
    const io = Object.assign(new Error('disk I/O error'), { code: 'SQLITE_IOERR_WRITE' });
    expect(classifySqliteError(io, file)).toBeInstanceOf(StoreError);
    expect(storeFailure(io)).toMatchObject({ code: 'io', status: 503 });
    expect(storeFailure(Object.assign(new Error('dup'), { code: 'SQLITE_CONSTRAINT_UNIQUE' }))).toBeUndefined();
    expect(storeFailure(new Error('something else'))).toBeUndefined();
  });
});
