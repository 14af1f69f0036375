// Retention of personal data (PIPL: keep no longer than the purpose needs). Attendance rows
// themselves are kept — wages and inspections rely on them — but after the configured periods:
// - the photo of a pass is removed once the pass has reached the platform and is older than
//   `passPhotoDays` (an unsynced pass keeps its photo until it is delivered);
// - the photo of a refusal (stranger, spoof attempt) is removed after `refusalPhotoDays`;
// - a worker who left the project (status inactive) more than `departedWorkerDays` ago, with
//   nothing of theirs left to sync, loses photos, face templates, address, phone and bank card.
//   Name and the encrypted ID number stay, so their attendance remains attributable in a
//   wage dispute. Each run is audited (in the signed ledger) with its counts.
// A removed photo keeps its hash in the signed ledger, and each batch of removals is named in a
// signed `retention.photos` entry (ledger seqs, decision, period applied) in the transaction
// that removes them: the verifier accepts a missing photo only when such an entry covers it
// and the photo was older than the period then. A photo nulled by hand is tampering.
import type { Store } from './store.js';
import { AuditLog } from './audit-log.js';
import { RETENTION_PHOTOS_ACTION } from './ledger-facts.js';

export interface RetentionPolicy {
  passPhotoDays: number;
  refusalPhotoDays: number;
  departedWorkerDays: number;
}

export const DEFAULT_RETENTION: RetentionPolicy = { passPhotoDays: 90, refusalPhotoDays: 30, departedWorkerDays: 180 };

export interface RetentionResult {
  passPhotos: number;
  refusalPhotos: number;
  workersErased: number;
  templates: number;
  enrollmentPhotos: number;
}

const DAY = 86_400_000;
/** Rows changed per transaction, so the gate's own commits never wait long. */
const BATCH = 500;

export function applyRetention(store: Store, policy: RetentionPolicy, actor = 'system'): RetentionResult {
  const now = store.clock.now();
  const db = store.db;
  const audit = new AuditLog(store);
  const clear = db.prepare('UPDATE attendance_events SET photo_enc = NULL, photo_purged_at = ? WHERE seq = ?');
  const purgePhotos = (decision: 'pass' | 'refuse', days: number, onlySynced: boolean): number => {
    const pick = db.prepare(
      `SELECT e.seq AS eseq, l.seq AS lseq FROM attendance_events e JOIN ledger l ON l.kind = 'attendance' AND l.ref = e.id
       WHERE e.photo_enc IS NOT NULL AND e.occurred_at < @cutoff AND e.decision = @decision
         ${onlySynced ? "AND NOT EXISTS (SELECT 1 FROM outbox o WHERE o.kind = 'attendance' AND o.ref_id = e.id AND o.state <> 'sent')" : ''}
       LIMIT @batch`,
    );
    let total = 0;
    for (;;) {
      const n = store.tx(() => {
        const rows = pick.all({ cutoff: now - days * DAY, decision, batch: BATCH }) as Array<{ eseq: number; lseq: number }>;
        for (const r of rows) clear.run(now, r.eseq);
        if (rows.length > 0) audit.append(actor, RETENTION_PHOTOS_ACTION, null, { decision, days, seqs: rows.map((r) => r.lseq).sort((a, b) => a - b) });
        return rows.length;
      });
      total += n;
      if (n < BATCH) return total;
    }
  };
  const passPhotos = purgePhotos('pass', policy.passPhotoDays, true);
  const refusalPhotos = purgePhotos('refuse', policy.refusalPhotoDays, false);

  const departed = db
    .prepare(
      `SELECT w.id FROM workers w
       WHERE w.status = 'inactive' AND w.updated_at < ?
         AND (w.id_photo_enc IS NOT NULL OR w.address_enc IS NOT NULL OR w.phone_enc IS NOT NULL OR w.bank_card_enc IS NOT NULL
              OR EXISTS (SELECT 1 FROM face_templates t WHERE t.worker_id = w.id)
              OR EXISTS (SELECT 1 FROM enrollments n WHERE n.worker_id = w.id AND n.photo_enc IS NOT NULL))
         AND NOT EXISTS (SELECT 1 FROM outbox o WHERE o.partition_key = 'worker:' || w.id AND o.state <> 'sent')`,
    )
    .all(now - policy.departedWorkerDays * DAY) as Array<{ id: number }>;
  let templates = 0;
  let enrollmentPhotos = 0;
  const eraseWorker = db.prepare(
    'UPDATE workers SET id_photo_enc = NULL, address_enc = NULL, phone_enc = NULL, bank_card_enc = NULL WHERE id = ?',
  );
  const dropTemplates = db.prepare('DELETE FROM face_templates WHERE worker_id = ?');
  const dropEnrollPhotos = db.prepare('UPDATE enrollments SET photo_enc = NULL WHERE worker_id = ? AND photo_enc IS NOT NULL');
  for (let i = 0; i < departed.length; i += BATCH) {
    store.tx(() => {
      for (const w of departed.slice(i, i + BATCH)) {
        eraseWorker.run(w.id);
        templates += dropTemplates.run(w.id).changes;
        enrollmentPhotos += dropEnrollPhotos.run(w.id).changes;
      }
    });
  }
  const result: RetentionResult = { passPhotos, refusalPhotos, workersErased: departed.length, templates, enrollmentPhotos };
  if (passPhotos + refusalPhotos + departed.length > 0) {
    store.tx(() => new AuditLog(store).append(actor, 'retention.purge', null, { ...result, policy }));
  }
  return result;
}
