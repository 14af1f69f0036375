// Pure encoding of the signed ledger: canonical payloads of attendance events and audit
// entries, and the chained entry hash. Writer and verifier share these functions, so a
// record is hashed the same way when it is written and when it is checked.
import { hash } from 'node:crypto';

export type LedgerKind = 'attendance' | 'audit';
export type CanonicalField = string | number | null | Buffer;

export const GENESIS_HASH = Buffer.alloc(32);
const ENTRY_TAG = Buffer.from('SGL1', 'ascii');

let scratch = Buffer.allocUnsafe(4096);

function fieldLength(f: CanonicalField): number {
  if (f === null) return 0;
  if (typeof f === 'number') return Number.isInteger(f) ? String(f).length : f.toPrecision(17).length;
  if (typeof f === 'string') return Buffer.byteLength(f, 'utf8');
  return f.length;
}

/** Writes the canonical encoding into the scratch buffer; returns its length. */
function encodeIntoScratch(fields: readonly CanonicalField[]): number {
  let size = 0;
  for (const f of fields) size += 5 + fieldLength(f);
  if (scratch.length < size) scratch = Buffer.allocUnsafe(Math.max(size, scratch.length * 2));
  let o = 0;
  for (const f of fields) {
    if (f === null) {
      scratch[o] = 0x00;
      scratch.writeUInt32BE(0, o + 1);
      o += 5;
    } else if (typeof f === 'number' || typeof f === 'string') {
      const text = typeof f === 'string' ? f : Number.isInteger(f) ? String(f) : f.toPrecision(17);
      scratch[o] = typeof f === 'string' ? 0x02 : 0x01;
      const n = scratch.write(text, o + 5, typeof f === 'string' ? 'utf8' : 'latin1');
      scratch.writeUInt32BE(n, o + 1);
      o += 5 + n;
    } else {
      scratch[o] = 0x03;
      scratch.writeUInt32BE(f.length, o + 1);
      f.copy(scratch, o + 5);
      o += 5 + f.length;
    }
  }
  return o;
}

/** Unambiguous, length-prefixed encoding: a type tag, a length and the bytes of each field. */
export function canonicalBytes(fields: readonly CanonicalField[]): Buffer {
  return Buffer.from(scratch.subarray(0, encodeIntoScratch(fields)));
}

/** sha256 of the canonical encoding, without keeping the encoded bytes. */
export function canonicalHash(fields: readonly CanonicalField[]): Buffer {
  const n = encodeIntoScratch(fields);
  return hash('sha256', scratch.subarray(0, n), 'buffer');
}

export function sha256(data: Buffer): Buffer {
  return hash('sha256', data, 'buffer');
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
  /** The identity hash of the worker when the event was recorded (null: no worker, or written before 0.3). */
  worker_identity: Buffer | null;
}

export const ATTENDANCE_LEDGER_COLUMNS =
  'id, lane_id, worker_id, direction, occurred_at, time_zone, local_date, decision, reasons_json, scores_json, photo_sha256, ' +
  'is_makeup, makeup_confirmed_by, makeup_document_no, makeup_reason, makeup_confirmed_at, created_at, worker_identity';

/**
 * v2 binds the worker's identity hash, so the event stays attributed to the person it was
 * recorded for; v1 (no identity bound: an unknown face, or written before 0.3) is the same
 * list without it. The signed payload hash fixes which one an entry is.
 */
export function attendancePayloadHash(r: AttendanceLedgerRow): Buffer {
  return canonicalHash([
    r.worker_identity === null ? 'attendance/v1' : 'attendance/v2',
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
    ...(r.worker_identity === null ? [] : [r.worker_identity]),
  ]);
}

/** The worker columns attendance is attributed by: who a pass is shown and sent as. */
export interface WorkerIdentityRow {
  id: number;
  name: string;
  id_type: string;
  id_number_hash: string;
  id_number_masked: string;
  id_number_enc: Buffer;
}

export const WORKER_IDENTITY_COLUMNS = 'id, name, id_type, id_number_hash, id_number_masked, id_number_enc';

/**
 * Hash of a worker's identity: name, ID type, the keyed hash and the masked form of the ID
 * number, and the encrypted ID number itself (what the platform and the API decrypt). The
 * verifier recomputes it from the row without any key.
 */
export function workerIdentityHash(w: WorkerIdentityRow): Buffer {
  const enc = sha256(w.id_number_enc);
  return canonicalHash(['identity/v1', w.id, w.name, w.id_type, w.id_number_hash, w.id_number_masked, enc]);
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
  return canonicalHash(['audit/v1', r.id, r.at, r.actor, r.action, r.target, r.details_json]);
}

/** Hash of one ledger entry: it commits to its position, its record and every entry before it. */
export function entryHash(
  seq: number,
  kind: LedgerKind,
  ref: string,
  payloadHash: Buffer,
  prevHash: Buffer,
): Buffer {
  const seqBytes = Buffer.allocUnsafe(8);
  seqBytes.writeBigUInt64BE(BigInt(seq));
  return canonicalHash([ENTRY_TAG, seqBytes, kind, ref, payloadHash, prevHash]);
}
