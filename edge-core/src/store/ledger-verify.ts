// Verifies the signed ledger of a database file and names the first broken link. Needs only
// the device's public key (no database key): it checks every entry's chain link, that each
// record still hashes to its entry, that photos match their hashes (or were removed by a
// signed retention entry after their period), that each attendance event is bound to the
// identity its worker had then and each worker still has the identity last signed for it,
// that no record exists outside the ledger, and the Ed25519 signatures — every
// `signatureEvery`-th entry and the last one by default (each signature covers the whole chain
// before it; a rewritten chain fails at the next checked signature, and the entries since the
// last good one are then checked one by one to name the first), or all of them.
// What the file alone cannot show — its tail cut off, or the chain rewritten and re-signed by
// someone holding the device key — is checked against an anchor from outside (ledger-anchor.ts).
import type Database from 'better-sqlite3';
import type { KeyObject } from 'node:crypto';
import { verifySignature } from '../crypto/signing-key.js';
import {
  GENESIS_HASH,
  WORKER_IDENTITY_COLUMNS,
  attendancePayloadHash,
  auditPayloadHash,
  entryHash,
  sha256,
  workerIdentityHash,
  type AttendanceLedgerRow,
  type LedgerKind,
  type WorkerIdentityRow,
} from './ledger-codec.js';
import { DAY_MS, MIN_RETENTION_DAYS, identityBefore, loadLedgerFacts, workerTarget, type IdentityHistory, type RetentionCoverage } from './ledger-facts.js';

export type LedgerProblem =
  | 'entry_missing'
  | 'link_broken'
  | 'entry_altered'
  | 'record_missing'
  | 'record_altered'
  | 'photo_altered'
  | 'photo_removed'
  | 'signature_invalid'
  | 'record_not_in_ledger'
  | 'identity_altered'
  | 'identity_mismatch'
  | 'identity_missing'
  | 'truncated'
  | 'anchor_mismatch'
  | 'anchor_key_mismatch'
  | 'anchor_invalid';

export interface BrokenLink {
  seq: number | null;
  /** A ledger entry's kind, a worker row, or the anchor the chain was compared with. */
  kind: LedgerKind | 'worker' | 'anchor';
  ref: string;
  problem: LedgerProblem;
  detail: string;
}

export interface LedgerVerifyReport {
  ok: boolean;
  entries: number;
  attendance: number;
  audit: number;
  photosRemovedByRetention: number;
  /** Workers whose current identity was checked against its signed one (whole-file runs only). */
  identities: number;
  signaturesChecked: number;
  head: { seq: number; entryHash: string } | null;
  firstBroken: BrokenLink | null;
  ms: number;
}

export interface LedgerVerifyOptions {
  publicKey: KeyObject;
  /** Check every n-th signature plus the last (default 1024); 1 checks all of them. */
  signatureEvery?: number;
  /** Verify only entries fromSeq..toSeq (a slice for a parallel run); the stray-row check is skipped. */
  range?: { fromSeq: number; toSeq: number };
}

interface JoinedRow extends AttendanceLedgerRow {
  seq: number;
  kind: LedgerKind;
  ref: string;
  payload_hash: Buffer;
  prev_hash: Buffer;
  entry_hash: Buffer;
  sig: Buffer;
  e_present: number | null;
  photo_enc: Buffer | null;
  a_id: number | null;
  a_at: number;
  a_actor: string;
  a_action: string;
  a_target: string | null;
  a_details: string;
}

// Column order of JOINED; rows are read as arrays (much cheaper than named objects at 1M rows).
const JOINED_COLUMNS = [
  'seq',
  'kind',
  'ref',
  'payload_hash',
  'prev_hash',
  'entry_hash',
  'sig',
  'e_present',
  'id',
  'lane_id',
  'worker_id',
  'direction',
  'occurred_at',
  'time_zone',
  'local_date',
  'decision',
  'reasons_json',
  'scores_json',
  'photo_sha256',
  'is_makeup',
  'makeup_confirmed_by',
  'makeup_document_no',
  'makeup_reason',
  'makeup_confirmed_at',
  'created_at',
  'worker_identity',
  'photo_enc',
  'a_id',
  'a_at',
  'a_actor',
  'a_action',
  'a_target',
  'a_details',
] as const;

function toJoined(a: unknown[]): JoinedRow {
  const r: Record<string, unknown> = {};
  for (let i = 0; i < JOINED_COLUMNS.length; i++) r[JOINED_COLUMNS[i] as string] = a[i];
  return r as unknown as JoinedRow;
}

const JOINED = `SELECT l.seq, l.kind, l.ref, l.payload_hash, l.prev_hash, l.entry_hash, l.sig,
  e.seq, e.id, e.lane_id, e.worker_id, e.direction, e.occurred_at, e.time_zone, e.local_date, e.decision,
  e.reasons_json, e.scores_json, e.photo_sha256, e.is_makeup, e.makeup_confirmed_by, e.makeup_document_no, e.makeup_reason,
  e.makeup_confirmed_at, e.created_at, e.worker_identity, e.photo_enc,
  a.id, a.at, a.actor, a.action, a.target, a.details_json
FROM ledger l
LEFT JOIN attendance_events e ON l.kind = 'attendance' AND e.id = l.ref
LEFT JOIN audit_log a ON l.kind = 'audit' AND a.id = CAST(l.ref AS INTEGER)
WHERE l.seq BETWEEN ? AND ?
ORDER BY l.seq`;

interface Facts {
  identities: IdentityHistory;
  retention: RetentionCoverage;
}

type Finding = { problem: LedgerProblem; detail: string } | null;

/** An attendance event must carry the identity its worker had when it was recorded. */
function checkAttribution(r: JoinedRow, f: Facts): Finding {
  if (r.worker_id === null) return null;
  const inForce = identityBefore(f.identities, r.worker_id, r.seq);
  if (r.worker_identity === null) {
    return inForce ? { problem: 'identity_mismatch', detail: `the event of worker ${r.worker_id} does not bind their signed identity` } : null;
  }
  if (!inForce) return { problem: 'identity_missing', detail: `worker ${r.worker_id} had no signed identity when this event was recorded` };
  if (!inForce.digest.equals(r.worker_identity)) {
    return { problem: 'identity_mismatch', detail: `the event is bound to another identity than the one signed for worker ${r.worker_id} at entry ${inForce.seq}` };
  }
  return null;
}

/** A photo may be missing only when a signed retention entry removed it after its period. */
function checkPhotoRemoval(r: JoinedRow, f: Facts): Finding {
  const run = f.retention.covers(r.seq);
  if (!run || run.retentionSeq <= r.seq) return { problem: 'photo_removed', detail: 'the photo was removed without a signed retention entry' };
  const ageDays = (run.at - r.occurred_at) / DAY_MS;
  if (run.decision !== r.decision || run.days < MIN_RETENTION_DAYS || ageDays < run.days) {
    const age = ageDays >= 1 ? `${Math.floor(ageDays)} d` : `${Math.max(0, Math.round(ageDays * 1440))} min`;
    return { problem: 'photo_removed', detail: `the photo was removed ${age} after the event, before its retention period (entry ${run.retentionSeq})` };
  }
  return null;
}

function checkRecord(r: JoinedRow, f: Facts): Finding {
  if (r.kind === 'attendance') {
    if (r.e_present === null)
      return { problem: 'record_missing', detail: 'the attendance event of this entry is gone' };
    if (!attendancePayloadHash(r).equals(r.payload_hash)) {
      return { problem: 'record_altered', detail: 'the attendance event no longer matches its signed hash' };
    }
    const attribution = checkAttribution(r, f);
    if (attribution) return attribution;
    if (r.photo_enc !== null) {
      if (r.photo_sha256 === null || !sha256(r.photo_enc).equals(r.photo_sha256)) {
        return { problem: 'photo_altered', detail: 'the stored photo differs from the one recorded' };
      }
    } else if (r.photo_sha256 !== null) {
      return checkPhotoRemoval(r, f);
    }
    return null;
  }
  if (r.a_id === null)
    return { problem: 'record_missing', detail: 'the audit entry of this ledger entry is gone' };
  const h = auditPayloadHash({
    id: r.a_id,
    at: r.a_at,
    actor: r.a_actor,
    action: r.a_action,
    target: r.a_target,
    details_json: r.a_details,
  });
  if (!h.equals(r.payload_hash))
    return { problem: 'record_altered', detail: 'the audit entry no longer matches its signed hash' };
  return null;
}

export function verifyLedger(db: Database.Database, opts: LedgerVerifyOptions): LedgerVerifyReport {
  const started = performance.now();
  const every = Math.max(1, Math.floor(opts.signatureEvery ?? 1024));
  const sigOf = db.prepare(
    'SELECT seq, kind, ref, entry_hash, sig FROM ledger WHERE seq > ? AND seq <= ? ORDER BY seq',
  );
  let entries = 0;
  let attendance = 0;
  let audit = 0;
  let purged = 0;
  let signaturesChecked = 0;
  const range = opts.range ?? { fromSeq: 1, toSeq: Number.MAX_SAFE_INTEGER };
  const before =
    range.fromSeq > 1
      ? (db.prepare('SELECT entry_hash FROM ledger WHERE seq = ?').get(range.fromSeq - 1) as
          { entry_hash: Buffer } | undefined)
      : undefined;
  let prevHash: Buffer = before?.entry_hash ?? GENESIS_HASH;
  let prevSeq = range.fromSeq - 1;
  let lastGoodSig = range.fromSeq - 1;
  if (range.fromSeq > 1 && !before) {
    const gap = { seq: range.fromSeq - 1, kind: 'attendance' as const, ref: '', problem: 'entry_missing' as const, detail: `entry ${range.fromSeq - 1} was deleted` };
    return { ok: false, entries: 0, attendance: 0, audit: 0, photosRemovedByRetention: 0, identities: 0, signaturesChecked: 0, head: null, firstBroken: gap, ms: 0 };
  }
  const facts = loadLedgerFacts(db, opts.range);
  let last: JoinedRow | null = null;
  let firstBroken: BrokenLink | null = null;

  const broken = (
    r: { seq: number; kind: LedgerKind; ref: string },
    problem: LedgerProblem,
    detail: string,
  ): BrokenLink => ({
    seq: r.seq,
    kind: r.kind,
    ref: r.ref,
    problem,
    detail,
  });

  // A failed signature at `seq` means something at or before it was rewritten: find the first.
  const firstBadSignature = (upTo: number): BrokenLink | null => {
    for (const s of sigOf.iterate(lastGoodSig, upTo) as IterableIterator<{
      seq: number;
      kind: LedgerKind;
      ref: string;
      entry_hash: Buffer;
      sig: Buffer;
    }>) {
      signaturesChecked++;
      if (!verifySignature(opts.publicKey, s.entry_hash, s.sig)) {
        return broken(
          s,
          'signature_invalid',
          'the entry was not signed by this device (rewritten or forged)',
        );
      }
    }
    return null;
  };

  const checkSignature = (r: JoinedRow): BrokenLink | null => {
    signaturesChecked++;
    if (verifySignature(opts.publicKey, r.entry_hash, r.sig)) {
      lastGoodSig = r.seq;
      return null;
    }
    return (
      firstBadSignature(r.seq) ?? broken(r, 'signature_invalid', 'the entry was not signed by this device')
    );
  };

  for (const raw of db.prepare(JOINED).raw(true).iterate(range.fromSeq, range.toSeq) as IterableIterator<
    unknown[]
  >) {
    const r = toJoined(raw);
    if (r.seq !== prevSeq + 1) {
      firstBroken = {
        seq: prevSeq + 1,
        kind: r.kind,
        ref: '',
        problem: 'entry_missing',
        detail: `entries ${prevSeq + 1}..${r.seq - 1} were deleted`,
      };
      break;
    }
    if (!r.prev_hash.equals(prevHash)) {
      firstBroken = broken(r, 'link_broken', 'the entry does not point at the entry before it');
      break;
    }
    if (!entryHash(r.seq, r.kind, r.ref, r.payload_hash, r.prev_hash).equals(r.entry_hash)) {
      firstBroken = broken(r, 'entry_altered', 'the entry hash does not match its contents');
      break;
    }
    const rec = checkRecord(r, facts);
    if (rec) {
      firstBroken = broken(r, rec.problem, rec.detail);
      break;
    }
    if (r.seq % every === 0) {
      firstBroken = checkSignature(r);
      if (firstBroken) break;
    }
    entries++;
    if (r.kind === 'attendance') {
      attendance++;
      if (r.photo_enc === null && r.photo_sha256 !== null) purged++;
    } else audit++;
    prevHash = r.entry_hash;
    prevSeq = r.seq;
    last = r;
  }
  if (!firstBroken && last && lastGoodSig !== last.seq) firstBroken = checkSignature(last);

  if (!firstBroken && opts.range && prevSeq < opts.range.toSeq) {
    firstBroken = { seq: prevSeq + 1, kind: 'attendance', ref: '', problem: 'entry_missing', detail: `entries ${prevSeq + 1}..${opts.range.toSeq} were deleted` };
  }
  let identities = 0;
  if (!firstBroken && !opts.range) firstBroken = findStrayRecord(db);
  if (!firstBroken && !opts.range) ({ checked: identities, broken: firstBroken } = checkWorkerIdentities(db, facts.identities));
  return {
    ok: firstBroken === null,
    entries,
    attendance,
    audit,
    photosRemovedByRetention: purged,
    identities,
    signaturesChecked,
    head: last ? { seq: last.seq, entryHash: last.entry_hash.toString('hex') } : null,
    firstBroken,
    ms: Math.round(performance.now() - started),
  };
}

/** A record that exists without a ledger entry was added outside the ledger. */
export function findStrayRecord(db: Database.Database): BrokenLink | null {
  const strayEvent = db
    .prepare(
      `SELECT id FROM attendance_events e WHERE NOT EXISTS (SELECT 1 FROM ledger l WHERE l.kind = 'attendance' AND l.ref = e.id) ORDER BY seq LIMIT 1`,
    )
    .get() as { id: string } | undefined;
  if (strayEvent) {
    return {
      seq: null,
      kind: 'attendance',
      ref: strayEvent.id,
      problem: 'record_not_in_ledger',
      detail: 'an attendance event was added outside the ledger',
    };
  }
  const strayAudit = db
    .prepare(
      `SELECT id FROM audit_log a WHERE NOT EXISTS (SELECT 1 FROM ledger l WHERE l.kind = 'audit' AND l.ref = CAST(a.id AS TEXT)) ORDER BY id LIMIT 1`,
    )
    .get() as { id: number } | undefined;
  if (strayAudit) {
    return {
      seq: null,
      kind: 'audit',
      ref: String(strayAudit.id),
      problem: 'record_not_in_ledger',
      detail: 'an audit entry was added outside the ledger',
    };
  }
  return null;
}

/**
 * Every worker row must still hold the identity last signed for it: a name or ID number edited
 * by hand, or swapped between two workers, moves their attendance to another person in the
 * API, the monthly sheet and the platform.
 */
export function checkWorkerIdentities(db: Database.Database, identities: IdentityHistory): { checked: number; broken: BrokenLink | null } {
  let checked = 0;
  const seen = new Set<number>();
  for (const w of db.prepare(`SELECT ${WORKER_IDENTITY_COLUMNS} FROM workers ORDER BY id`).iterate() as IterableIterator<WorkerIdentityRow>) {
    seen.add(w.id);
    const list = identities.get(w.id);
    const signed = list?.[list.length - 1];
    const ref = workerTarget(w.id);
    if (!signed) return { checked, broken: { seq: null, kind: 'worker', ref, problem: 'identity_missing', detail: 'a worker exists whose identity was never signed (added outside SiteGate)' } };
    if (!workerIdentityHash(w).equals(signed.digest)) {
      return { checked, broken: { seq: signed.seq, kind: 'worker', ref, problem: 'identity_altered', detail: `the worker's name or ID number differs from the identity signed at entry ${signed.seq}` } };
    }
    checked++;
  }
  for (const [id, list] of identities) {
    if (!seen.has(id)) return { checked, broken: { seq: list[0]?.seq ?? null, kind: 'worker', ref: workerTarget(id), problem: 'record_missing', detail: 'a worker with a signed identity was deleted' } };
  }
  return { checked, broken: null };
}
