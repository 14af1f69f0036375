import { afterEach, describe, expect, it } from 'vitest';
import Database from 'better-sqlite3';
import { join } from 'node:path';
import {
  AttendanceRepo,
  AuditLog,
  DB_FILE,
  canonicalBytes,
  entryHash,
  importPublicKey,
  createEventSigner,
  verifyLedger,
  verifyLedgerFile,
  migrate,
  openStore,
  type LedgerVerifyReport,
} from '../../src/index.js';
import { migrations } from '../../src/store/migrations/index.js';
import { randomBytes } from 'node:crypto';
import { ATTENDANCE_LEDGER_COLUMNS, attendancePayloadHash, type AttendanceLedgerRow } from '../../src/store/ledger-codec.js';
import { fixedClock, openTestStore, tempDir } from './helpers.js';

let cleanup: () => void = () => undefined;
afterEach(() => cleanup());

/** Writes `n` passes (with photos) and a few audit entries; returns the data dir and public key. */
function writeDay(n: number): { dir: string; publicKey: Buffer; ids: string[] } {
  const t = tempDir();
  cleanup = t.cleanup;
  const clock = fixedClock();
  const { store } = openTestStore(t.dir, clock);
  const repo = new AttendanceRepo(store);
  const audit = new AuditLog(store);
  const ids: string[] = [];
  for (let i = 0; i < n; i++) {
    clock.advance(1000);
    ids.push(repo.record({ laneId: 'lane-1', workerId: null, direction: i % 2 ? 'out' : 'in', decision: 'refuse', reasons: ['face.unknown'], photoJpeg: Buffer.from(`PHOTO-${i}`) }).id);
    if (i % 10 === 0) audit.append('supervisor', 'test.mark', `mark:${i}`, { i });
  }
  const publicKey = store.ledger.signer.publicKey;
  store.close();
  return { dir: t.dir, publicKey, ids };
}

function verify(dir: string, publicKey: Buffer, signatureEvery?: number): LedgerVerifyReport {
  const db = new Database(join(dir, DB_FILE), { readonly: true });
  try {
    return verifyLedger(db, { publicKey: importPublicKey(publicKey), signatureEvery });
  } finally {
    db.close();
  }
}

/** Opens the file as an attacker with the sqlite3 shell would: triggers dropped, no keys. */
function tamper(dir: string, fn: (db: Database.Database) => void): void {
  const db = new Database(join(dir, DB_FILE));
  db.exec('DROP TRIGGER IF EXISTS attendance_no_edit; DROP TRIGGER IF EXISTS attendance_no_delete; DROP TRIGGER IF EXISTS ledger_no_update; DROP TRIGGER IF EXISTS ledger_no_delete; DROP TRIGGER IF EXISTS audit_log_no_update; DROP TRIGGER IF EXISTS audit_log_no_delete;');
  fn(db);
  db.close();
}

function seqOf(dir: string, id: string): number {
  const db = new Database(join(dir, DB_FILE), { readonly: true });
  const row = db.prepare("SELECT seq FROM ledger WHERE kind = 'attendance' AND ref = ?").get(id) as { seq: number };
  db.close();
  return row.seq;
}

describe('signed ledger: every attendance event and audit entry is chained and signed', () => {
  it('an untouched day verifies, with counts and head', () => {
    const { dir, publicKey } = writeDay(200);
    const r = verify(dir, publicKey, 16);
    expect(r.firstBroken).toBeNull();
    expect(r.ok).toBe(true);
    expect(r.attendance).toBe(200);
    expect(r.audit).toBe(20);
    expect(r.entries).toBe(220);
    expect(r.head?.seq).toBe(220);
    expect(r.signaturesChecked).toBeGreaterThanOrEqual(14);
  });

  it('a decision edited by hand in the file is named as record_altered at its entry', () => {
    const { dir, publicKey, ids } = writeDay(100);
    const target = ids[57] as string;
    tamper(dir, (db) => db.prepare("UPDATE attendance_events SET decision = 'pass' WHERE id = ?").run(target));
    const r = verify(dir, publicKey);
    expect(r.ok).toBe(false);
    expect(r.firstBroken).toMatchObject({ kind: 'attendance', ref: target, problem: 'record_altered', seq: seqOf(dir, target) });
  });

  it('an edit with the whole chain recomputed after it is found by its signature, at the edited entry', () => {
    const { dir, publicKey, ids } = writeDay(300);
    const target = ids[120] as string;
    const targetSeq = seqOf(dir, target);
    tamper(dir, (db) => {
      db.prepare("UPDATE attendance_events SET occurred_at = occurred_at - 3600000 WHERE id = ?").run(target);
      // The attacker knows the format: recompute the payload hash and every entry hash after it.
      const edited = db.prepare(`SELECT ${ATTENDANCE_LEDGER_COLUMNS} FROM attendance_events WHERE id = ?`).get(target) as AttendanceLedgerRow;
      db.prepare('UPDATE ledger SET payload_hash = ? WHERE seq = ?').run(attendancePayloadHash(edited), targetSeq);
      const rows = db.prepare('SELECT seq, kind, ref, payload_hash, prev_hash FROM ledger WHERE seq >= ? ORDER BY seq').all(targetSeq) as Array<{
        seq: number; kind: 'attendance' | 'audit'; ref: string; payload_hash: Buffer; prev_hash: Buffer;
      }>;
      let prev = rows[0]?.prev_hash as Buffer;
      const upd = db.prepare('UPDATE ledger SET prev_hash = ?, entry_hash = ? WHERE seq = ?');
      for (const row of rows) {
        const h = entryHash(row.seq, row.kind, row.ref, row.payload_hash, prev);
        upd.run(prev, h, row.seq);
        prev = h;
      }
    });
    const r = verify(dir, publicKey);
    // Links and payloads are consistent again; only the device's signature cannot be forged.
    expect(r.firstBroken).toMatchObject({ seq: targetSeq, ref: target, problem: 'signature_invalid' });
  });

  it('a chain re-signed with another key is refused from its first entry (signature_invalid)', () => {
    const { dir, publicKey } = writeDay(50);
    const intruder = createEventSigner(randomBytes(32));
    tamper(dir, (db) => {
      const upd = db.prepare('UPDATE ledger SET sig = ? WHERE seq = ?');
      for (const row of db.prepare('SELECT seq, entry_hash FROM ledger').all() as Array<{ seq: number; entry_hash: Buffer }>) {
        upd.run(intruder.sign(row.entry_hash), row.seq);
      }
    });
    const r = verify(dir, publicKey);
    expect(r.firstBroken).toMatchObject({ seq: 1, problem: 'signature_invalid' });
    // With the intruder's key everything "verifies": the public key must come from outside the file.
    expect(verify(dir, intruder.publicKey).ok).toBe(true);
  });

  it('a corrupted signature between checkpoints is found when every signature is checked', () => {
    const { dir, publicKey } = writeDay(40);
    tamper(dir, (db) => db.prepare('UPDATE ledger SET sig = ? WHERE seq = 7').run(randomBytes(64)));
    expect(verify(dir, publicKey, 1).firstBroken).toMatchObject({ seq: 7, problem: 'signature_invalid' });
  });

  it('deleted records, deleted entries, added rows and swapped photos are each named', () => {
    const a = writeDay(30);
    tamper(a.dir, (db) => db.prepare('DELETE FROM attendance_events WHERE id = ?').run(a.ids[4]));
    expect(verify(a.dir, a.publicKey).firstBroken).toMatchObject({ ref: a.ids[4], problem: 'record_missing' });

    const b = writeDay(30);
    tamper(b.dir, (db) => db.prepare('DELETE FROM ledger WHERE seq = 9').run());
    expect(verify(b.dir, b.publicKey).firstBroken).toMatchObject({ seq: 9, problem: 'entry_missing' });

    const c = writeDay(30);
    tamper(c.dir, (db) =>
      db
        .prepare(
          `INSERT INTO attendance_events (id, lane_id, worker_id, direction, occurred_at, time_zone, local_date, decision, created_at)
           VALUES ('forged-1', 'lane-1', NULL, 'in', 1, 'Asia/Shanghai', '2026-11-24', 'pass', 1)`,
        )
        .run(),
    );
    expect(verify(c.dir, c.publicKey).firstBroken).toMatchObject({ ref: 'forged-1', problem: 'record_not_in_ledger', seq: null });

    const d = writeDay(30);
    tamper(d.dir, (db) => db.prepare('UPDATE attendance_events SET photo_enc = ? WHERE id = ?').run(randomBytes(40), d.ids[3]));
    expect(verify(d.dir, d.publicKey).firstBroken).toMatchObject({ ref: d.ids[3], problem: 'photo_altered' });

    const e = writeDay(30);
    tamper(e.dir, (db) => db.prepare('UPDATE attendance_events SET photo_enc = NULL WHERE id = ?').run(e.ids[2]));
    expect(verify(e.dir, e.publicKey).firstBroken).toMatchObject({ ref: e.ids[2], problem: 'photo_removed' });
  });

  it('the database refuses edits and deletions of attendance through its triggers', () => {
    const t = tempDir();
    cleanup = t.cleanup;
    const { store } = openTestStore(t.dir);
    const { id } = new AttendanceRepo(store).record({ laneId: 'l1', workerId: null, direction: 'in', decision: 'refuse' });
    expect(() => store.db.prepare("UPDATE attendance_events SET decision = 'pass' WHERE id = ?").run(id)).toThrow(/append-only/);
    expect(() => store.db.prepare('DELETE FROM attendance_events WHERE id = ?').run(id)).toThrow(/kept/);
    expect(() => store.db.prepare('DELETE FROM ledger').run()).toThrow(/append-only/);
    store.close();
  });

  it('a database written before the ledger existed is chained once at upgrade and then verifies', () => {
    const t = tempDir();
    cleanup = t.cleanup;
    const path = join(t.dir, DB_FILE);
    const old = new Database(path);
    old.pragma('journal_mode = WAL');
    migrate(old, migrations.slice(0, 2), () => 1);
    for (let i = 0; i < 5; i++) {
      old.prepare(
        `INSERT INTO attendance_events (id, lane_id, worker_id, direction, occurred_at, time_zone, local_date, decision, photo_enc, created_at)
         VALUES (?, 'lane-1', NULL, 'in', ?, 'Asia/Shanghai', '2026-11-24', 'refuse', ?, ?)`,
      ).run(`old-${i}`, 1000 + i, Buffer.from(canonicalBytes([i])), 1000 + i);
      old.prepare("INSERT INTO audit_log (at, actor, action, details_json) VALUES (?, 'system', 'old.entry', '{}')").run(i);
    }
    old.close();
    const { store, migrationsRun } = openStore({ dataDir: t.dir, clock: fixedClock() });
    expect(migrationsRun[0]).toBe(3); // and any later migration
    const key = store.ledger.signer.publicKey;
    new AttendanceRepo(store).record({ laneId: 'l1', workerId: null, direction: 'out', decision: 'refuse' });
    store.close();
    const r = verify(t.dir, key, 1);
    expect(r.firstBroken).toBeNull();
    expect(r.attendance).toBe(6);
    expect(r.audit).toBeGreaterThanOrEqual(5);
  });

  it('verifying in parallel slices names the same first broken link, also at a slice boundary', async () => {
    const { dir, publicKey, ids } = writeDay(90);
    const file = join(dir, DB_FILE);
    const clean = await verifyLedgerFile(file, { publicKey, threads: 3 });
    expect(clean).toMatchObject({ ok: true, entries: 99, attendance: 90, audit: 9 });
    tamper(dir, (db) => db.prepare("UPDATE attendance_events SET lane_id = 'lane-9' WHERE id = ?").run(ids[70]));
    const single = verify(dir, publicKey);
    const parallel = await verifyLedgerFile(file, { publicKey, threads: 3 });
    expect(parallel.firstBroken).toEqual(single.firstBroken);
    expect(parallel.firstBroken?.problem).toBe('record_altered');
    tamper(dir, (db) => db.prepare('DELETE FROM ledger WHERE seq = 33').run());
    expect((await verifyLedgerFile(file, { publicKey, threads: 3 })).firstBroken).toMatchObject({ seq: 33, problem: 'entry_missing' });
  });
});
