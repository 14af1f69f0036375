// Verifies a database file's ledger using every core: the chain is cut into contiguous slices,
// each verified in a worker thread from the entry before it (links across the cut are checked
// by the later slice), while this thread looks for records outside the ledger. The first
// broken link of the lowest slice that has one is the first broken link of the chain. When
// the chain holds, it is compared with the anchors given (ledger-anchor.ts).
import { Worker } from 'node:worker_threads';
import { availableParallelism } from 'node:os';
import Database from 'better-sqlite3';
import { importPublicKey } from '../crypto/signing-key.js';
import { checkWorkerIdentities, findStrayRecord, verifyLedger, type BrokenLink, type LedgerVerifyReport } from './ledger-verify.js';
import { IDENTITIES_ONLY, loadLedgerFacts } from './ledger-facts.js';
import { checkAnchor, type AnchorRef } from './ledger-anchor.js';

export interface VerifyFileOptions {
  publicKey: Buffer;
  signatureEvery?: number;
  /** Reference points from outside the file: receipts, the platform's record. */
  anchors?: AnchorRef[];
  /**
   * Worker threads (default: one per core, at most 4, one per 20,000 entries); 1 verifies in
   * this thread. On the 2-core build machine two workers took 22.5 s for 1M entries when it was
   * quiet (one thread: 28.9 s), but 31.9 s when other jobs held the cores (one thread: 27.3 s).
   */
  threads?: number;
}

/** Below this many entries one thread is faster than starting workers. */
const PARALLEL_FROM = 20_000;

function startWorker(data: unknown): Worker {
  if (!import.meta.url.endsWith('.ts')) return new Worker(new URL('./ledger-verify-worker.js', import.meta.url), { workerData: data });
  // Running from TypeScript sources (tests, `npm run dev`): load the worker through tsx.
  const src = new URL('./ledger-verify-worker.ts', import.meta.url).href;
  const boot = `(async () => { const { register } = await import('tsx/esm/api'); register(); await import(${JSON.stringify(src)}); })().catch((e) => { throw e; });`;
  return new Worker(boot, { eval: true, workerData: data });
}

function runSlice(dbPath: string, publicKey: Buffer, signatureEvery: number, range: { fromSeq: number; toSeq: number }): Promise<LedgerVerifyReport> {
  return new Promise((resolve, reject) => {
    const w = startWorker({ dbPath, publicKey: new Uint8Array(publicKey), signatureEvery, range });
    w.once('message', (r: LedgerVerifyReport) => resolve(r));
    w.once('error', reject);
    w.once('exit', (code) => {
      if (code !== 0) reject(new Error(`ledger verify worker exited with code ${code}`));
    });
  });
}

export interface VerifyFileReport extends LedgerVerifyReport {
  /** The anchors compared (when the chain itself held), each with whether it matched. */
  anchors: Array<{ label: string; seq: number; headHash: string; ok: boolean }>;
}

async function verifyChain(db: Database.Database, dbPath: string, opts: VerifyFileOptions): Promise<LedgerVerifyReport> {
  const signatureEvery = opts.signatureEvery ?? 1024;
  const maxSeq = (db.prepare('SELECT COALESCE(MAX(seq), 0) AS m FROM ledger').get() as { m: number }).m;
  const threads = Math.max(1, Math.min(maxSeq, opts.threads ?? Math.min(4, availableParallelism(), Math.ceil(maxSeq / PARALLEL_FROM))));
  if (threads === 1) return verifyLedger(db, { publicKey: importPublicKey(opts.publicKey), signatureEvery });
  const per = Math.ceil(maxSeq / threads);
  const slices = Array.from({ length: threads }, (_, i) => ({ fromSeq: i * per + 1, toSeq: Math.min(maxSeq, (i + 1) * per) }));
  const pending = slices.map((r) => runSlice(dbPath, opts.publicKey, signatureEvery, r));
  const stray = findStrayRecord(db);
  const workers = checkWorkerIdentities(db, loadLedgerFacts(db, IDENTITIES_ONLY).identities);
  const reports = await Promise.all(pending);
  const firstBroken = reports.find((r) => r.firstBroken)?.firstBroken ?? stray ?? workers.broken;
  const sum = (k: 'entries' | 'attendance' | 'audit' | 'photosRemovedByRetention' | 'signaturesChecked'): number => reports.reduce((n, r) => n + r[k], 0);
  return {
    ok: firstBroken === null,
    entries: sum('entries'),
    attendance: sum('attendance'),
    audit: sum('audit'),
    photosRemovedByRetention: sum('photosRemovedByRetention'),
    identities: workers.checked,
    signaturesChecked: sum('signaturesChecked'),
    head: reports[reports.length - 1]?.head ?? null,
    firstBroken,
    ms: 0,
  };
}

export async function verifyLedgerFile(dbPath: string, opts: VerifyFileOptions): Promise<VerifyFileReport> {
  const started = performance.now();
  const db = new Database(dbPath, { readonly: true, fileMustExist: true });
  try {
    const chain = await verifyChain(db, dbPath, opts);
    const anchors: VerifyFileReport['anchors'] = [];
    let firstBroken: BrokenLink | null = chain.firstBroken;
    // A broken chain is reported at its first broken link; the anchors add what the file alone cannot show.
    for (const a of chain.firstBroken ? [] : (opts.anchors ?? [])) {
      const finding = checkAnchor(db, a, opts.publicKey);
      anchors.push({ label: a.label, seq: a.seq, headHash: a.headHash, ok: finding === null });
      firstBroken ??= finding;
    }
    return { ...chain, ok: firstBroken === null, firstBroken, anchors, ms: Math.round(performance.now() - started) };
  } finally {
    db.close();
  }
}
