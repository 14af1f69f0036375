// Anchors of the chain head outside the box. A file alone cannot show that its newest entries
// were cut off, nor a chain rewritten and re-signed by someone who holds the device key; a
// record of (chain length, head hash) kept elsewhere can. The device signs such a record
// ("anchor") in two places: every heartbeat carries one to the platform, which keeps them, and
// the supervisor exports or prints a daily receipt. `verify` then checks that the file still
// has that many entries and that the entry at that length is the one anchored.
import type Database from 'better-sqlite3';
import { importPublicKey, publicKeyFingerprint, verifySignature, type EventSigner } from '../crypto/signing-key.js';
import { canonicalBytes, GENESIS_HASH } from './ledger-codec.js';
import type { LedgerHead } from './ledger.js';
import type { BrokenLink } from './ledger-verify.js';

export const ANCHOR_FORMAT = 'sitegate-chain-anchor/v1';

export interface ChainAnchor {
  format: typeof ANCHOR_FORMAT;
  /** 'heartbeat': sent to the platform; 'receipt': exported or printed by the supervisor. */
  purpose: 'heartbeat' | 'receipt';
  deviceSn: string | null;
  /** The device's Ed25519 public key (hex) and its fingerprint as `verify` prints it. */
  publicKey: string;
  fingerprint: string;
  /** Chain length: the seq of the newest entry (0 for an empty chain). */
  seq: number;
  /** That entry's hash (hex). */
  headHash: string;
  /** When it was signed (ms) and the site-local date. */
  at: number;
  date: string;
  timeZone: string;
  /** Ed25519 signature (hex) over anchorMessage(). */
  sig: string;
}

export class AnchorFormatError extends Error {
  override name = 'AnchorFormatError';
}

function anchorMessage(a: Omit<ChainAnchor, 'sig' | 'fingerprint'>): Buffer {
  return canonicalBytes([a.format, a.purpose, a.deviceSn, a.publicKey, a.seq, a.headHash, a.at, a.date, a.timeZone]);
}

export function signAnchor(
  head: LedgerHead | null,
  signer: EventSigner,
  o: { purpose: ChainAnchor['purpose']; deviceSn: string | null; at: number; date: string; timeZone: string },
): ChainAnchor {
  const body = {
    format: ANCHOR_FORMAT,
    purpose: o.purpose,
    deviceSn: o.deviceSn,
    publicKey: signer.publicKey.toString('hex'),
    seq: head?.seq ?? 0,
    headHash: head?.entryHash ?? GENESIS_HASH.toString('hex'),
    at: o.at,
    date: o.date,
    timeZone: o.timeZone,
  } as const;
  return { ...body, fingerprint: signer.fingerprint, sig: signer.sign(anchorMessage(body)).toString('hex') };
}

const HEX32 = /^[0-9a-f]{64}$/;

/** Reads an anchor from parsed JSON: a receipt file, or the platform's record of one (`{ anchor: … }`). */
export function parseAnchor(value: unknown, where: string): ChainAnchor {
  const v = (value && typeof value === 'object' && 'anchor' in value ? (value as { anchor: unknown }).anchor : value) as Record<string, unknown> | null;
  const bad = (what: string): never => {
    throw new AnchorFormatError(`${where} is not a SiteGate chain receipt: ${what}`);
  };
  if (!v || typeof v !== 'object') return bad('not a JSON object');
  if (v.format !== ANCHOR_FORMAT) bad(`format must be "${ANCHOR_FORMAT}"`);
  if (v.purpose !== 'heartbeat' && v.purpose !== 'receipt') bad('purpose must be heartbeat or receipt');
  if (v.deviceSn !== null && typeof v.deviceSn !== 'string') bad('deviceSn must be a string or null');
  for (const k of ['publicKey', 'headHash'] as const) if (typeof v[k] !== 'string' || !HEX32.test(v[k] as string)) bad(`${k} must be 64 hex digits`);
  if (typeof v.sig !== 'string' || !/^[0-9a-f]{128}$/.test(v.sig)) bad('sig must be 128 hex digits');
  if (!Number.isSafeInteger(v.seq) || (v.seq as number) < 0) bad('seq must be an integer ≥ 0');
  if (!Number.isSafeInteger(v.at)) bad('at must be a time in ms');
  if (typeof v.date !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(v.date)) bad('date must be YYYY-MM-DD');
  if (typeof v.timeZone !== 'string') bad('timeZone must be a string');
  const publicKey = v.publicKey as string;
  return {
    format: ANCHOR_FORMAT,
    purpose: v.purpose as ChainAnchor['purpose'],
    deviceSn: (v.deviceSn as string | null) ?? null,
    publicKey,
    fingerprint: publicKeyFingerprint(Buffer.from(publicKey, 'hex')),
    seq: v.seq as number,
    headHash: v.headHash as string,
    at: v.at as number,
    date: v.date as string,
    timeZone: v.timeZone as string,
    sig: v.sig as string,
  };
}

/** True when the anchor was signed by the key it names. */
export function anchorSignatureValid(a: ChainAnchor): boolean {
  try {
    return verifySignature(importPublicKey(Buffer.from(a.publicKey, 'hex')), anchorMessage(a), Buffer.from(a.sig, 'hex'));
  } catch {
    return false;
  }
}

/**
 * A reference point to compare the file with: a signed anchor, or only (seq, head hash) typed
 * from a printed receipt (`--anchor SEQ:HASH`), which the person running `verify` vouches for.
 */
export interface AnchorRef {
  seq: number;
  headHash: string;
  /** Where it came from, for the report: "receipt of 2026-11-24 (FILE)". */
  label: string;
  signed: ChainAnchor | null;
}

export function anchorRef(a: ChainAnchor, source: string): AnchorRef {
  return { seq: a.seq, headHash: a.headHash, label: `${a.purpose} of ${a.date} (${source})`, signed: a };
}

/** Compares the file's chain with an anchor; the public key is the one the chain is verified with. */
export function checkAnchor(db: Database.Database, ref: AnchorRef, publicKey: Buffer): BrokenLink | null {
  const broken = (problem: BrokenLink['problem'], detail: string): BrokenLink => ({ seq: ref.seq, kind: 'anchor', ref: ref.label, problem, detail });
  if (ref.signed && ref.signed.publicKey !== publicKey.toString('hex')) {
    return broken(
      'anchor_key_mismatch',
      `the ${ref.label} was signed by device key ${ref.signed.fingerprint}, but this chain is checked with ${publicKeyFingerprint(publicKey)}: the chain was re-signed with another key, or the wrong key was given`,
    );
  }
  if (ref.seq === 0) return null;
  const maxSeq = (db.prepare('SELECT COALESCE(MAX(seq), 0) AS m FROM ledger').get() as { m: number }).m;
  if (maxSeq < ref.seq) {
    return broken('truncated', `the chain ends at entry ${maxSeq}, but it had ${ref.seq} entries at the ${ref.label}: entries ${maxSeq + 1}..${ref.seq} were cut off`);
  }
  const row = db.prepare('SELECT entry_hash FROM ledger WHERE seq = ?').get(ref.seq) as { entry_hash: Buffer } | undefined;
  if (!row || row.entry_hash.toString('hex') !== ref.headHash) {
    return broken('anchor_mismatch', `entry ${ref.seq} is not the one anchored at the ${ref.label}: the chain up to it was rewritten`);
  }
  return null;
}
