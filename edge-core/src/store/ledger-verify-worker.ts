// Worker thread of verifyLedgerFile: verifies one slice of the ledger and posts its report.
import { parentPort, workerData } from 'node:worker_threads';
import Database from 'better-sqlite3';
import { importPublicKey } from '../crypto/signing-key.js';
import { verifyLedger } from './ledger-verify.js';

interface Job {
  dbPath: string;
  publicKey: Uint8Array;
  signatureEvery: number;
  range: { fromSeq: number; toSeq: number };
}

const job = workerData as Job;
const db = new Database(job.dbPath, { readonly: true, fileMustExist: true });
try {
  const report = verifyLedger(db, { publicKey: importPublicKey(Buffer.from(job.publicKey)), signatureEvery: job.signatureEvery, range: job.range });
  parentPort?.postMessage(report);
} finally {
  db.close();
}
