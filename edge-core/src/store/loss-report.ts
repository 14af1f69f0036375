// After a corrupted database is replaced by its last backup: what exactly was lost. Reads the
// quarantined file as far as it can and lists the attendance events and audit entries that it
// holds beyond the restored backup, and whether each event had already reached the platform.
// The list (ids, times, lanes, decisions — no personal data) is written next to the
// quarantined file for the site's records.
import Database from 'better-sqlite3';
import { writeFileSync } from 'node:fs';

export interface LossReport {
  /** False when the broken file could not be read to the end: the counts are lower bounds. */
  complete: boolean;
  attendanceLost: number;
  /** Of those, already delivered to the platform (kept there; only the local copy is gone). */
  attendanceOnPlatform: number;
  auditLost: number;
  /** JSON list of the lost events, or null when nothing could be read. */
  listFile: string | null;
  note: string;
}

interface LostEvent {
  seq: number;
  id: string;
  laneId: string;
  workerId: number | null;
  direction: string;
  occurredAt: number;
  decision: string;
  deliveredToPlatform: boolean;
}

export function assessLoss(quarantinedPath: string, restored: Database.Database): LossReport {
  const lastSeq = (restored.prepare('SELECT COALESCE(MAX(seq), 0) AS m FROM attendance_events').get() as { m: number }).m;
  const lastAudit = (restored.prepare('SELECT COALESCE(MAX(id), 0) AS m FROM audit_log').get() as { m: number }).m;
  const lost: LostEvent[] = [];
  let auditLost = 0;
  let complete = true;
  let note = '';
  let broken: Database.Database | null = null;
  try {
    broken = new Database(quarantinedPath, { readonly: true, fileMustExist: true });
    const sent = broken.prepare("SELECT 1 FROM outbox WHERE kind = 'attendance' AND ref_id = ? AND state = 'sent'");
    const rows = broken
      .prepare('SELECT seq, id, lane_id, worker_id, direction, occurred_at, decision FROM attendance_events WHERE seq > ? ORDER BY seq')
      .iterate(lastSeq) as IterableIterator<{ seq: number; id: string; lane_id: string; worker_id: number | null; direction: string; occurred_at: number; decision: string }>;
    for (const r of rows) {
      let delivered = false;
      try {
        delivered = sent.get(r.id) !== undefined;
      } catch {
        // the outbox page is unreadable: counted as not delivered
      }
      lost.push({ seq: r.seq, id: r.id, laneId: r.lane_id, workerId: r.worker_id, direction: r.direction, occurredAt: r.occurred_at, decision: r.decision, deliveredToPlatform: delivered });
    }
    auditLost = (broken.prepare('SELECT COUNT(*) AS n FROM audit_log WHERE id > ?').get(lastAudit) as { n: number }).n;
  } catch (err) {
    complete = false;
    note = `the broken file could be read only in part (${(err as Error).message}); the counts are lower bounds`;
  } finally {
    broken?.close();
  }
  let listFile: string | null = null;
  if (lost.length > 0) {
    listFile = `${quarantinedPath}.lost-events.json`;
    writeFileSync(listFile, JSON.stringify({ complete, events: lost }, null, 1), { mode: 0o600 });
  }
  return {
    complete,
    attendanceLost: lost.length,
    attendanceOnPlatform: lost.filter((e) => e.deliveredToPlatform).length,
    auditLost,
    listFile,
    note: note || (lost.length === 0 && auditLost === 0 ? 'nothing beyond the backup was found in the broken file' : ''),
  };
}
