// Chains what an older version wrote, once, when the migration that needs it runs: records
// without a ledger entry (0003), the identity of each existing worker and the photos already
// removed by retention (0005). Never at a normal start: there, a record without an entry is a
// finding of the verifier, not something to legitimise.
import type { Store } from './store.js';
import { AuditLog } from './audit-log.js';
import { IDENTITY_ACTION, MIN_RETENTION_DAYS, RETENTION_PHOTOS_ACTION, workerTarget } from './ledger-facts.js';
import {
  WORKER_IDENTITY_COLUMNS,
  workerIdentityHash,
  type WorkerIdentityRow,
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

/** Signs the identity of every worker written before identities were chained. */
export function chainWorkerIdentities(store: Store): number {
  const audit = new AuditLog(store);
  const rows = store.db.prepare(`SELECT ${WORKER_IDENTITY_COLUMNS} FROM workers ORDER BY id`).all() as WorkerIdentityRow[];
  for (const w of rows) audit.append('system', IDENTITY_ACTION, workerTarget(w.id), { identity: workerIdentityHash(w).toString('hex'), reason: 'upgrade' });
  return rows.length;
}

/**
 * Photos removed by retention before removals were signed carry only the unauthenticated
 * `photo_purged_at`; they are adopted once, by a retention entry marked `upgrade`, with the
 * shortest period the configuration allows. A photo removed without that mark stays a finding.
 */
export function adoptUnsignedPurges(store: Store): number {
  const audit = new AuditLog(store);
  const rows = store.db
    .prepare(
      `SELECT l.seq, e.decision FROM attendance_events e JOIN ledger l ON l.kind = 'attendance' AND l.ref = e.id
       WHERE e.photo_enc IS NULL AND e.photo_sha256 IS NOT NULL AND e.photo_purged_at IS NOT NULL ORDER BY l.seq`,
    )
    .all() as Array<{ seq: number; decision: 'pass' | 'refuse' }>;
  for (const decision of ['pass', 'refuse'] as const) {
    const seqs = rows.filter((r) => r.decision === decision).map((r) => r.seq);
    for (let i = 0; i < seqs.length; i += 5000) {
      audit.append('system', RETENTION_PHOTOS_ACTION, null, { decision, days: MIN_RETENTION_DAYS, seqs: seqs.slice(i, i + 5000), upgrade: true });
    }
  }
  return rows.length;
}

/** The migrations after which what older versions wrote is chained (0003 signed-ledger, 0005 ledger-identity). */
const LEDGER_MIGRATION = 3;
const IDENTITY_MIGRATION = 5;

/** Runs the chaining that the migrations just applied call for, in one transaction. */
export function upgradeLedger(store: Store, migrationsRun: readonly number[]): void {
  if (!migrationsRun.includes(LEDGER_MIGRATION) && !migrationsRun.includes(IDENTITY_MIGRATION)) return;
  store.tx(() => {
    if (migrationsRun.includes(LEDGER_MIGRATION)) chainUnledgeredRows(store);
    if (migrationsRun.includes(IDENTITY_MIGRATION)) {
      chainWorkerIdentities(store);
      adoptUnsignedPurges(store);
    }
  });
}
