// Pure encoding of the signed ledger: canonical payloads of attendance events and audit
// entries, and the chained entry hash. Writer and verifier share these functions, so a
// record is hashed the same way when it is written and when it is checked.
import { createHash } from 'node:crypto';

export type LedgerKind = 'attendance' | 'audit';
export type CanonicalField = string | number | null | Buffer;

export const GENESIS_HASH = Buffer.alloc(32);
const ENTRY_TAG = Buffer.from('SGL1', 'ascii');

/** Unambiguous, length-prefixed encoding: a type tag, a length and the bytes of each field. */
export function canonicalBytes(fields: readonly CanonicalField[]): Buffer {
  const parts: Buffer[] = [];
  for (const f of fields) {
    const head = Buffer.alloc(5);
    let body: Buffer;
    if (f === null) {
      head[0] = 0x00;
      body = Buffer.alloc(0);
    } else if (typeof f === 'number') {
      head[0] = 0x01;
      body = Buffer.from(Number.isInteger(f) ? f.toString(10) : f.toPrecision(17), 'ascii');
    } else if (typeof f === 'string') {
      head[0] = 0x02;
      body = Buffer.from(f, 'utf8');
    } else {
      head[0] = 0x03;
      body = f;
    }
    head.writeUInt32BE(body.length, 1);
    parts.push(head, body);
  }
  return Buffer.concat(parts);
}

export function sha256(data: Buffer): Buffer {
  return createHash('sha256').update(data).digest();
}

/** The columns of an attendance event that the ledger covers (the photo by its hash). */
export interface AttendanceLedgerRow {
  id: string;
  lane_id: string;
  worker_id: number | null;
  direction: string;
  occurred_at: number;
  time_zone: string;
  local_date: string;
  decision: string;
  reasons_json: string;
  scores_json: string;
  photo_sha256: Buffer | null;
  is_makeup: number;
  makeup_confirmed_by: string | null;
  makeup_document_no: string | null;
  makeup_reason: string | null;
  makeup_confirmed_at: number | null;
  created_at: number;
}

export const ATTENDANCE_LEDGER_COLUMNS =
  'id, lane_id, worker_id, direction, occurred_at, time_zone, local_date, decision, reasons_json, scores_json, photo_sha256, ' +
  'is_makeup, makeup_confirmed_by, makeup_document_no, makeup_reason, makeup_confirmed_at, created_at';

export function attendancePayloadHash(r: AttendanceLedgerRow): Buffer {
  return sha256(
    canonicalBytes([
      'attendance/v1',
      r.id,
      r.lane_id,
      r.worker_id,
      r.direction,
      r.occurred_at,
      r.time_zone,
      r.local_date,
      r.decision,
      r.reasons_json,
      r.scores_json,
      r.photo_sha256,
      r.is_makeup,
      r.makeup_confirmed_by,
      r.makeup_document_no,
      r.makeup_reason,
      r.makeup_confirmed_at,
      r.created_at,
    ]),
  );
}

export interface AuditLedgerRow {
  id: number;
  at: number;
  actor: string;
  action: string;
  target: string | null;
  details_json: string;
}

export const AUDIT_LEDGER_COLUMNS = 'id, at, actor, action, target, details_json';

export function auditPayloadHash(r: AuditLedgerRow): Buffer {
  return sha256(canonicalBytes(['audit/v1', r.id, r.at, r.actor, r.action, r.target, r.details_json]));
}

/** Hash of one ledger entry: it commits to its position, its record and every entry before it. */
export function entryHash(seq: number, kind: LedgerKind, ref: string, payloadHash: Buffer, prevHash: Buffer): Buffer {
  const seqBytes = Buffer.alloc(8);
  seqBytes.writeBigUInt64BE(BigInt(seq));
  return sha256(Buffer.concat([ENTRY_TAG, seqBytes, canonicalBytes([kind, ref]), payloadHash, prevHash]));
}
