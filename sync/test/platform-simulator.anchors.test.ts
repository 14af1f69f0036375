// The platform simulator's record of the chain anchors devices send with their heartbeats.
import { describe, expect, it } from 'vitest';
import Database from 'better-sqlite3';
import { randomBytes } from 'node:crypto';
import { createEventSigner, signAnchor, type EventSigner } from '../../edge-core/src/index.js';
import { AnchorRecord } from '../simulator/anchor-record.js';

function anchor(signer: EventSigner, seq: number, head = 'a'.repeat(64)) {
  return signAnchor({ seq, entryHash: head }, signer, { purpose: 'heartbeat', deviceSn: 'gate-1', at: 1_000 + seq, date: '2026-11-24', timeZone: 'Asia/Shanghai' });
}

describe('platform simulator: chain anchors from heartbeats', () => {
  it('keeps the furthest anchor, notes a chain that got shorter or changed, refuses foreign or forged anchors', () => {
    const db = new Database(':memory:');
    const rec = new AnchorRecord(db);
    const device = createEventSigner(randomBytes(32));
    const key = device.publicKey.toString('hex');
    expect(rec.receive('gate-1', anchor(device, 10), key, 1)).toBeNull();
    expect(rec.receive('gate-1', anchor(device, 12), key, 2)).toBeNull();
    // A shorter chain than reported before (a cut-off tail), and another head at a known length.
    expect(rec.receive('gate-1', anchor(device, 9), key, 3)).toBeNull();
    expect(rec.receive('gate-1', anchor(device, 12, 'b'.repeat(64)), key, 4)).toBeNull();
    const r = rec.of('gate-1');
    expect(r.count).toBe(4);
    expect(r.anchor).toMatchObject({ seq: 12 });
    expect(r.newest).toMatchObject({ seq: 12, headHash: 'b'.repeat(64) });
    expect(r.regressions.map((g) => [g.seq, g.previousSeq])).toEqual([
      [9, 12],
      [12, 12],
    ]);
    // Signed by another key than the registered one, or altered after signing: not kept.
    expect(rec.receive('gate-1', anchor(createEventSigner(randomBytes(32)), 20), key, 5)).toMatch(/not signed by the key registered/);
    expect(rec.receive('gate-1', { ...anchor(device, 30), seq: 31 }, key, 6)).toMatch(/signature is invalid/);
    expect(rec.receive('gate-1', { seq: 40 }, key, 7)).toMatch(/not a SiteGate chain receipt/);
    expect(rec.of('gate-1').count).toBe(4);
    db.close();
  });
});
