// The platform's record of the chain anchors devices send with their heartbeats (edge-core
// ledger-anchor.ts): each one whose signature holds under the device's registered key is
// kept. The furthest one (greatest chain length) is what `verify --anchor-url` compares a
// device's database with; a later anchor with a shorter chain, or another head at a length
// already anchored, is noted as a regression — the platform's own view of a cut-off chain.
import type Database from 'better-sqlite3';
import { anchorSignatureValid, parseAnchor, type ChainAnchor } from '../../edge-core/src/index.js';

export interface AnchorRegression {
  receivedAt: number;
  seq: number;
  previousSeq: number;
  detail: string;
}

export interface DeviceAnchors {
  deviceSn: string;
  /** The anchor with the longest chain (the most recent of equals). */
  anchor: ChainAnchor | null;
  /** The most recently received one. */
  newest: ChainAnchor | null;
  count: number;
  regressions: AnchorRegression[];
}

const SCHEMA = `
CREATE TABLE IF NOT EXISTS device_anchors (
  id INTEGER PRIMARY KEY, device_sn TEXT NOT NULL, seq INTEGER NOT NULL, head_hash TEXT NOT NULL,
  received_at INTEGER NOT NULL, anchor_json TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS device_anchors_by_length ON device_anchors(device_sn, seq, id);
CREATE TABLE IF NOT EXISTS anchor_regressions (
  id INTEGER PRIMARY KEY, device_sn TEXT NOT NULL, received_at INTEGER NOT NULL, seq INTEGER NOT NULL,
  previous_seq INTEGER NOT NULL, detail TEXT NOT NULL);
`;

export class AnchorRecord {
  constructor(private readonly db: Database.Database) {
    db.exec(SCHEMA);
  }

  /** Records a heartbeat's anchor; returns why it was not kept, or null. */
  receive(deviceSn: string, value: unknown, registeredKeyHex: string | null, receivedAt: number): string | null {
    let a: ChainAnchor;
    try {
      a = parseAnchor(value, 'ledgerHead');
    } catch (err) {
      return (err as Error).message;
    }
    if (registeredKeyHex === null || a.publicKey !== registeredKeyHex) return 'the anchor is not signed by the key registered for this device';
    if (!anchorSignatureValid(a)) return 'the anchor signature is invalid';
    const furthest = this.db.prepare('SELECT seq, head_hash FROM device_anchors WHERE device_sn = ? ORDER BY seq DESC, id DESC LIMIT 1').get(deviceSn) as
      | { seq: number; head_hash: string }
      | undefined;
    const same = this.db.prepare('SELECT head_hash FROM device_anchors WHERE device_sn = ? AND seq = ? LIMIT 1').get(deviceSn, a.seq) as { head_hash: string } | undefined;
    const note = (detail: string): void => {
      this.db.prepare('INSERT INTO anchor_regressions (device_sn, received_at, seq, previous_seq, detail) VALUES (?, ?, ?, ?, ?)').run(deviceSn, receivedAt, a.seq, furthest?.seq ?? 0, detail);
    };
    if (furthest && a.seq < furthest.seq) note(`chain length ${a.seq} is shorter than the ${furthest.seq} reported before`);
    else if (same && same.head_hash !== a.headHash) note(`entry ${a.seq} has another hash than the one reported before`);
    this.db.prepare('INSERT INTO device_anchors (device_sn, seq, head_hash, received_at, anchor_json) VALUES (?, ?, ?, ?, ?)').run(deviceSn, a.seq, a.headHash, receivedAt, JSON.stringify(a));
    return null;
  }

  of(deviceSn: string): DeviceAnchors {
    const one = (sql: string): ChainAnchor | null => {
      const row = this.db.prepare(sql).get(deviceSn) as { anchor_json: string } | undefined;
      return row ? (JSON.parse(row.anchor_json) as ChainAnchor) : null;
    };
    return {
      deviceSn,
      anchor: one('SELECT anchor_json FROM device_anchors WHERE device_sn = ? ORDER BY seq DESC, id DESC LIMIT 1'),
      newest: one('SELECT anchor_json FROM device_anchors WHERE device_sn = ? ORDER BY id DESC LIMIT 1'),
      count: (this.db.prepare('SELECT COUNT(*) AS n FROM device_anchors WHERE device_sn = ?').get(deviceSn) as { n: number }).n,
      regressions: this.db
        .prepare('SELECT received_at AS receivedAt, seq, previous_seq AS previousSeq, detail FROM anchor_regressions WHERE device_sn = ? ORDER BY id')
        .all(deviceSn) as AnchorRegression[],
    };
  }
}
