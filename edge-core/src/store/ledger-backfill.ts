// Chains records that exist without a ledger entry, oldest first: used exactly once, when the
// ledger migration runs on a database written by an older version. Never at a normal start:
// there, a record without an entry is a finding of the verifier, not something to legitimise.
import type { Store } from './store.js';
import {
  ATTENDANCE_LEDGER_COLUMNS,
  AUDIT_LEDGER_COLUMNS,
  attendancePayloadHash,
  auditPayloadHash,
  sha256,
  type AttendanceLedgerRow,
  type AuditLedgerRow,
} from './ledger-codec.js';

export function chainUnledgeredRows(store: Store): { attendance: number; audit: number } {
  const db = store.db;
  const fillHash = db.prepare('UPDATE attendance_events SET photo_sha256 = ? WHERE seq = ?');
  const photos = db.prepare('SELECT seq, photo_enc FROM attendance_events WHERE photo_enc IS NOT NULL AND photo_sha256 IS NULL');
  for (const r of photos.all() as Array<{ seq: number; photo_enc: Buffer }>) {
    fillHash.run(sha256(r.photo_enc), r.seq);
  }
  const events = db
    .prepare(
      `SELECT ${ATTENDANCE_LEDGER_COLUMNS} FROM attendance_events e
       WHERE NOT EXISTS (SELECT 1 FROM ledger l WHERE l.kind = 'attendance' AND l.ref = e.id) ORDER BY seq`,
    )
    .all() as AttendanceLedgerRow[];
  for (const e of events) store.ledger.append('attendance', e.id, attendancePayloadHash(e));
  const audits = db
    .prepare(
      `SELECT ${AUDIT_LEDGER_COLUMNS} FROM audit_log a
       WHERE NOT EXISTS (SELECT 1 FROM ledger l WHERE l.kind = 'audit' AND l.ref = CAST(a.id AS TEXT)) ORDER BY id`,
    )
    .all() as AuditLedgerRow[];
  for (const a of audits) store.ledger.append('audit', String(a.id), auditPayloadHash(a));
  return { attendance: events.length, audit: audits.length };
}
