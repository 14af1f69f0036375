// `npm run verify -- DB`: checks the signed ledger of a database file (read-only, no database
// key needed) and names the first broken link, then compares it with the anchors given — the
// supervisor's receipts (--receipt FILE), a (seq, hash) typed from a printed one (--anchor) or
// the platform's record (--anchor-url) — which show a cut-off tail or a re-signed chain.
// The public key is taken, in this order, from --public-key, from the key directory
// (--key-dir, $SITEGATE_KEY_DIR or the platform's place; DATA-DIR/keys of an install not yet
// upgraded), from a signed receipt, or — with a warning, because whoever can edit the file can
// replace it — from the file itself.
import Database from 'better-sqlite3';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import {
  AnchorFormatError,
  DB_FILE,
  anchorRef,
  anchorSignatureValid,
  defaultKeyDir,
  legacyKeyDir,
  loadDeviceKey,
  parseAnchor,
  publicKeyFingerprint,
  readDevicePublicKey,
  verifyLedgerFile,
  type AnchorRef,
  type VerifyFileReport,
} from '../../edge-core/src/index.js';

export interface VerifyCommandOptions {
  target: string;
  publicKeyHex?: string;
  keyDir?: string;
  /** Receipt files (JSON) exported by the supervisor. */
  receipts?: string[];
  /** "SEQ:HEADHASH" typed from a printed receipt. */
  anchors?: string[];
  /** The platform's record of the device's last anchor (JSON). */
  anchorUrl?: string;
  allSignatures: boolean;
  json: boolean;
  out: (line: string) => void;
}

export const VERIFY_EXIT = { ok: 0, broken: 3, unusable: 4 } as const;

class Unusable extends Error {}

function resolveDbFile(target: string): string {
  if (existsSync(target) && statSync(target).isDirectory()) return join(target, DB_FILE);
  return target;
}

function keyFromDir(keyDir: string): Buffer | null {
  const pub = readDevicePublicKey(keyDir);
  if (pub) return pub;
  if (!existsSync(join(keyDir, 'device.key'))) return null;
  try {
    return loadDeviceKey({ keyDir, allowCreate: false }).signer.publicKey;
  } catch {
    return null; // wrapped by a protector this process does not have, or unreadable
  }
}

function publicKeyFrom(opts: VerifyCommandOptions, dbFile: string, db: Database.Database, anchors: AnchorRef[]): { key: Buffer; source: string } {
  if (opts.publicKeyHex) {
    const key = Buffer.from(opts.publicKeyHex.replace(/[^0-9a-fA-F]/g, ''), 'hex');
    return { key, source: 'given on the command line' };
  }
  for (const keyDir of opts.keyDir ? [opts.keyDir] : [defaultKeyDir(), legacyKeyDir(dirname(dbFile))]) {
    const key = keyFromDir(keyDir);
    if (key) return { key, source: `the device key in ${keyDir}` };
  }
  const signed = anchors.find((a) => a.signed)?.signed;
  if (signed) return { key: Buffer.from(signed.publicKey, 'hex'), source: `the key that signed the ${signed.purpose} of ${signed.date}` };
  const row = db.prepare("SELECT value_json FROM settings WHERE key = 'ledger_public_key'").get() as { value_json: string } | undefined;
  if (!row) throw new Unusable('no public key: pass --public-key HEX (the key registered on the platform), --key-dir DIR or --receipt FILE');
  return {
    key: Buffer.from(JSON.parse(row.value_json) as string, 'hex'),
    source: 'read from the database file itself — compare the fingerprint with the one registered on the platform',
  };
}

function signedAnchor(value: unknown, source: string): AnchorRef {
  const a = parseAnchor(value, source);
  if (!anchorSignatureValid(a)) throw new Unusable(`${source}: the receipt's signature does not verify (it was altered, or is not from a SiteGate device)`);
  return anchorRef(a, source);
}

async function loadAnchors(opts: VerifyCommandOptions): Promise<AnchorRef[]> {
  const refs: AnchorRef[] = [];
  for (const file of opts.receipts ?? []) {
    let value: unknown;
    try {
      value = JSON.parse(readFileSync(file, 'utf8'));
    } catch (err) {
      throw new Unusable(`cannot read the receipt ${file}: ${(err as Error).message}`);
    }
    refs.push(signedAnchor(value, file));
  }
  for (const text of opts.anchors ?? []) {
    const m = /^(\d+):([0-9a-fA-F]{64})$/.exec(text.trim());
    if (!m) throw new Unusable(`--anchor ${text}: expected SEQ:HEADHASH (the chain length and the 64-digit head hash printed on the receipt)`);
    refs.push({ seq: Number(m[1]), headHash: (m[2] as string).toLowerCase(), label: `anchor typed on the command line (entry ${m[1]})`, signed: null });
  }
  if (opts.anchorUrl) {
    let value: unknown;
    try {
      const r = await fetch(opts.anchorUrl, { signal: AbortSignal.timeout(15_000) });
      if (!r.ok) throw new Error(`HTTP ${r.status}`);
      value = await r.json();
    } catch (err) {
      throw new Unusable(`cannot fetch the platform's anchor from ${opts.anchorUrl}: ${(err as Error).message}`);
    }
    refs.push(signedAnchor(value, opts.anchorUrl));
  }
  return refs;
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
  identity_altered: '人员身份被改动',
  identity_mismatch: '考勤记录与人员身份不符',
  identity_missing: '人员身份未签名（被添加）',
  truncated: '账本末尾被截断',
  anchor_mismatch: '账本与外部锚点不符（被重写）',
  anchor_key_mismatch: '签名密钥与锚点不符（被重新签名）',
  anchor_invalid: '锚点无效',
};

export function formatReport(r: VerifyFileReport, fingerprint: string, source: string): string[] {
  const lines = [
    `device public key ${fingerprint} (${source})`,
    `entries ${r.entries} (attendance ${r.attendance}, audit ${r.audit}), signatures checked ${r.signaturesChecked}, photos removed by retention ${r.photosRemovedByRetention}, worker identities ${r.identities}, ${r.ms} ms`,
  ];
  if (r.head) lines.push(`head: entry ${r.head.seq} ${r.head.entryHash}`);
  for (const a of r.anchors) lines.push(`anchor: entry ${a.seq} of the ${a.label}: ${a.ok ? '一致 / matches' : '不符 / does not match'}`);
  if (r.ok && r.anchors.length === 0) {
    lines.push(
      '注意：未提供锚点，无法发现末尾被截断或用设备密钥重新签名 / note: no anchor given — a cut-off tail or a chain re-signed with the device key cannot be seen from the file alone; pass --receipt FILE (the daily receipt) or --anchor-url URL (the platform\'s record)',
    );
  }
  if (r.ok) {
    lines.push('结果：完整，未发现篡改 / OK: the chain is intact');
  } else if (r.firstBroken) {
    const b = r.firstBroken;
    const where = b.kind === 'anchor' ? 'the anchor' : b.kind === 'worker' ? `worker ${b.ref.slice('worker:'.length)}` : b.seq === null ? 'a record outside the ledger' : `entry ${b.seq}`;
    lines.push(`结果：发现篡改 / BROKEN: first broken link at ${where} — ${b.kind} ${b.ref}: ${PROBLEM_ZH[b.problem] ?? b.problem} / ${b.problem} (${b.detail})`);
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
    const anchors = await loadAnchors(opts);
    const { key, source } = publicKeyFrom(opts, dbFile, db, anchors);
    if (key.length !== 32) {
      opts.out('the public key must be 32 bytes (64 hex digits)');
      return VERIFY_EXIT.unusable;
    }
    const report = await verifyLedgerFile(dbFile, { publicKey: key, signatureEvery: opts.allSignatures ? 1 : 1024, anchors });
    const fingerprint = publicKeyFingerprint(key);
    if (opts.json) opts.out(JSON.stringify({ ...report, publicKeyFingerprint: fingerprint, publicKeySource: source }));
    else for (const line of formatReport(report, fingerprint, source)) opts.out(line);
    return report.ok ? VERIFY_EXIT.ok : VERIFY_EXIT.broken;
  } catch (err) {
    if (!(err instanceof Unusable) && !(err instanceof AnchorFormatError)) throw err;
    opts.out(err.message);
    return VERIFY_EXIT.unusable;
  } finally {
    db.close();
  }
}
