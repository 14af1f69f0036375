// hardening.* ledger benchmarks: verify the signed chain of 1,000,000 events (attendance with
// one audit entry per 50) as `npm run verify` does — links, record hashes, photo hashes (a 2 KB
// photo on every 10th event), stray rows, and every 1,024th signature plus the last — and, on a
// 20,000-event chain, with every signature checked.
import Database from 'better-sqlite3';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { DB_FILE, createEventSigner, importPublicKey, openStore, verifyLedger, verifyLedgerFile, uuidv7 } from '../src/index.js';
import { attendancePayloadHash, auditPayloadHash, entryHash, GENESIS_HASH, sha256 } from '../src/store/ledger-codec.js';
import { type BenchSuite } from '../../build/bench/harness.js';

function buildChain(dataDir: string, total: number): Buffer {
  const { store } = openStore({ dataDir, clock: { now: () => Date.UTC(2026, 10, 24) } });
  store.close();
  const signer = createEventSigner(randomBytes(32));
  const raw = new Database(join(dataDir, DB_FILE));
  raw.pragma('synchronous = OFF'); // bulk load for the benchmark only
  const last = raw.prepare('SELECT seq, entry_hash FROM ledger ORDER BY seq DESC LIMIT 1').get() as { seq: number; entry_hash: Buffer } | undefined;
  if (last) throw new Error('bench expects an empty ledger');
  const insEvent = raw.prepare(
    `INSERT INTO attendance_events (id, lane_id, worker_id, direction, occurred_at, time_zone, local_date, decision, reasons_json, scores_json,
       photo_enc, photo_sha256, is_makeup, created_at) VALUES (?, 'lane-1', NULL, 'in', ?, 'Asia/Shanghai', '2026-11-24', 'pass', '[]', '{}', ?, ?, 0, ?)`,
  );
  const insAudit = raw.prepare("INSERT INTO audit_log (id, at, actor, action, target, details_json) VALUES (?, ?, 'system', 'bench.mark', NULL, '{}')");
  const insLedger = raw.prepare('INSERT INTO ledger (seq, kind, ref, payload_hash, prev_hash, entry_hash, sig) VALUES (?, ?, ?, ?, ?, ?, ?)');
  const photo = randomBytes(2048);
  const photoHash = sha256(photo);
  let prev: Buffer = GENESIS_HASH;
  let seq = 0;
  let auditId = (raw.prepare('SELECT COALESCE(MAX(id), 0) AS m FROM audit_log').get() as { m: number }).m;
  const append = (kind: 'attendance' | 'audit', ref: string, payload: Buffer): void => {
    seq++;
    const h = entryHash(seq, kind, ref, payload, prev);
    insLedger.run(seq, kind, ref, payload, prev, h, signer.sign(h));
    prev = h;
  };
  const batch = raw.transaction((from: number, to: number) => {
    for (let i = from; i < to; i++) {
      const at = Date.UTC(2026, 10, 24) + i * 1000;
      const id = uuidv7(at);
      const withPhoto = i % 10 === 0;
      insEvent.run(id, at, withPhoto ? photo : null, withPhoto ? photoHash : null, at);
      append('attendance', id, attendancePayloadHash({
        id, lane_id: 'lane-1', worker_id: null, direction: 'in', occurred_at: at, time_zone: 'Asia/Shanghai', local_date: '2026-11-24',
        decision: 'pass', reasons_json: '[]', scores_json: '{}', photo_sha256: withPhoto ? photoHash : null, is_makeup: 0,
        makeup_confirmed_by: null, makeup_document_no: null, makeup_reason: null, makeup_confirmed_at: null, created_at: at, worker_identity: null,
      }));
      if (i % 50 === 49) {
        auditId++;
        insAudit.run(auditId, at);
        append('audit', String(auditId), auditPayloadHash({ id: auditId, at, actor: 'system', action: 'bench.mark', target: null, details_json: '{}' }));
      }
    }
  });
  for (let i = 0; i < total; i += 10_000) batch(i, Math.min(total, i + 10_000));
  raw.close();
  return signer.publicKey;
}

const suite: BenchSuite = {
  prefix: 'hardening.',
  async run(ctx) {
    const results = [];
    const total = ctx.quick ? 50_000 : 1_000_000;
    const dataDir = join(ctx.tmpDir, 'ledger');
    const publicKey = buildChain(dataDir, total);
    const single = new Database(join(dataDir, DB_FILE), { readonly: true });
    const one = verifyLedger(single, { publicKey: importPublicKey(publicKey) });
    single.close();
    const report = await verifyLedgerFile(join(dataDir, DB_FILE), { publicKey });
    if (!report.ok || !one.ok) throw new Error(`bench chain does not verify: ${JSON.stringify(report.firstBroken ?? one.firstBroken)}`);
    results.push({
      name: 'hardening.verify_chain_1m.ms',
      unit: 'ms',
      value: report.ms * (1_000_000 / total),
      n: report.entries,
      target: '<= 30000',
      note: `${report.entries} entries verified in ${report.ms} ms by worker threads, one per core (scaled to 1M when --quick), ${report.signaturesChecked} signatures`,
    });
    results.push({
      name: 'hardening.verify_chain_1m_one_thread.ms',
      unit: 'ms',
      value: one.ms * (1_000_000 / total),
      n: one.entries,
      note: 'the same check in one thread',
    });
    // Every signature, on a smaller chain (the verifier's --all-signatures mode).
    const small = join(ctx.tmpDir, 'ledger-all');
    const smallKey = importPublicKey(buildChain(small, 20_000));
    const sdb = new Database(join(small, DB_FILE), { readonly: true });
    const all = verifyLedger(sdb, { publicKey: smallKey, signatureEvery: 1 });
    sdb.close();
    results.push({
      name: 'hardening.verify_all_signatures.per_s',
      unit: 'entries/s',
      value: (all.entries / Math.max(1, all.ms)) * 1000,
      n: all.entries,
      note: `every signature checked (npm run verify -- --all-signatures), ${all.signaturesChecked} signatures in ${all.ms} ms`,
    });
    return results;
  },
};

export default suite;
