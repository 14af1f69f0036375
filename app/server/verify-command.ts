// `npm run verify -- DB`: checks the signed ledger of a database file (read-only, no database
// key needed) and names the first broken link. The public key is taken, in this order, from
// --public-key, from the device key in the key directory beside the database, or — with a
// warning, because whoever can edit the file can replace it — from the file itself.
import Database from 'better-sqlite3';
import { existsSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import {
  DB_FILE,
  loadDeviceKey,
  publicKeyFingerprint,
  verifyLedgerFile,
  type LedgerVerifyReport,
} from '../../edge-core/src/index.js';

export interface VerifyCommandOptions {
  target: string;
  publicKeyHex?: string;
  keyDir?: string;
  allSignatures: boolean;
  json: boolean;
  out: (line: string) => void;
}

export const VERIFY_EXIT = { ok: 0, broken: 3, unusable: 4 } as const;

function resolveDbFile(target: string): string {
  if (existsSync(target) && statSync(target).isDirectory()) return join(target, DB_FILE);
  return target;
}

function publicKeyFrom(opts: VerifyCommandOptions, dbFile: string, db: Database.Database): { key: Buffer; source: string } {
  if (opts.publicKeyHex) {
    const key = Buffer.from(opts.publicKeyHex.replace(/[^0-9a-fA-F]/g, ''), 'hex');
    return { key, source: 'given on the command line' };
  }
  const keyDir = opts.keyDir ?? join(dirname(dbFile), 'keys');
  if (existsSync(join(keyDir, 'device.key'))) {
    return { key: loadDeviceKey({ keyDir, allowCreate: false }).signer.publicKey, source: `derived from the device key in ${keyDir}` };
  }
  const row = db.prepare("SELECT value_json FROM settings WHERE key = 'ledger_public_key'").get() as { value_json: string } | undefined;
  if (!row) throw new Error('no public key: pass --public-key HEX (the key registered on the platform) or --key-dir DIR');
  return {
    key: Buffer.from(JSON.parse(row.value_json) as string, 'hex'),
    source: 'read from the database file itself — compare the fingerprint with the one registered on the platform',
  };
}

const PROBLEM_ZH: Record<string, string> = {
  entry_missing: '账本条目被删除',
  link_broken: '链接断裂',
  entry_altered: '账本条目被改动',
  record_missing: '记录被删除',
  record_altered: '记录被改动',
  photo_altered: '照片被替换',
  photo_removed: '照片被非正常删除',
  signature_invalid: '签名无效（被重写或伪造）',
  record_not_in_ledger: '记录未入账（被添加）',
};

export function formatReport(r: LedgerVerifyReport, fingerprint: string, source: string): string[] {
  const lines = [
    `device public key ${fingerprint} (${source})`,
    `entries ${r.entries} (attendance ${r.attendance}, audit ${r.audit}), signatures checked ${r.signaturesChecked}, photos removed by retention ${r.photosRemovedByRetention}, ${r.ms} ms`,
  ];
  if (r.head) lines.push(`head: entry ${r.head.seq} ${r.head.entryHash}`);
  if (r.ok) {
    lines.push('结果：完整，未发现篡改 / OK: the chain is intact');
  } else if (r.firstBroken) {
    const b = r.firstBroken;
    lines.push(
      `结果：发现篡改 / BROKEN: first broken link at ${b.seq === null ? 'a record outside the ledger' : `entry ${b.seq}`} — ${b.kind} ${b.ref}: ${PROBLEM_ZH[b.problem] ?? b.problem} / ${b.problem} (${b.detail})`,
    );
  }
  return lines;
}

export async function runVerify(opts: VerifyCommandOptions): Promise<number> {
  const dbFile = resolveDbFile(opts.target);
  if (!existsSync(dbFile)) {
    opts.out(`no database at ${dbFile}`);
    return VERIFY_EXIT.unusable;
  }
  const db = new Database(dbFile, { readonly: true, fileMustExist: true });
  try {
    const hasLedger = db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'ledger'").get();
    if (!hasLedger) {
      opts.out(`${dbFile} has no ledger (written by a version before 0.2); start the appliance once to upgrade it`);
      return VERIFY_EXIT.unusable;
    }
    const { key, source } = publicKeyFrom(opts, dbFile, db);
    if (key.length !== 32) {
      opts.out('the public key must be 32 bytes (64 hex digits)');
      return VERIFY_EXIT.unusable;
    }
    const report = await verifyLedgerFile(dbFile, { publicKey: key, signatureEvery: opts.allSignatures ? 1 : 1024 });
    const fingerprint = publicKeyFingerprint(key);
    if (opts.json) opts.out(JSON.stringify({ ...report, publicKeyFingerprint: fingerprint, publicKeySource: source }));
    else for (const line of formatReport(report, fingerprint, source)) opts.out(line);
    return report.ok ? VERIFY_EXIT.ok : VERIFY_EXIT.broken;
  } finally {
    db.close();
  }
}
