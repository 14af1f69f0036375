// The signed, hash-chained ledger over attendance events and audit entries. Each entry
// holds the hash of its record's canonical payload, the previous entry's hash and an
// Ed25519 signature of its own hash by the device. Appends run inside the caller's
// transaction, so a record and its ledger entry commit together or not at all.
import type Database from 'better-sqlite3';
import type { EventSigner } from '../crypto/signing-key.js';
import { GENESIS_HASH, entryHash, type LedgerKind } from './ledger-codec.js';

export interface LedgerHead {
  seq: number;
  entryHash: string;
}

export class Ledger {
  readonly #last;
  readonly #insert;

  constructor(
    db: Database.Database,
    readonly signer: EventSigner,
  ) {
    this.#last = db.prepare('SELECT seq, entry_hash FROM ledger ORDER BY seq DESC LIMIT 1');
    this.#insert = db.prepare(
      'INSERT INTO ledger (seq, kind, ref, payload_hash, prev_hash, entry_hash, sig) VALUES (?, ?, ?, ?, ?, ?, ?)',
    );
  }

  /** Appends one entry. Call inside the transaction that writes the record. */
  append(kind: LedgerKind, ref: string, payloadHash: Buffer): number {
    const last = this.#last.get() as { seq: number; entry_hash: Buffer } | undefined;
    const seq = (last?.seq ?? 0) + 1;
    const prev = last?.entry_hash ?? GENESIS_HASH;
    const hash = entryHash(seq, kind, ref, payloadHash, prev);
    this.#insert.run(seq, kind, ref, payloadHash, prev, hash, this.signer.sign(hash));
    return seq;
  }

  head(): LedgerHead | null {
    const last = this.#last.get() as { seq: number; entry_hash: Buffer } | undefined;
    return last ? { seq: last.seq, entryHash: last.entry_hash.toString('hex') } : null;
  }
}
