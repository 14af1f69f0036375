// Issue 14.4: tampering by someone with access to the data directory, each done the way the
// outside test did it to a real database file, then `npm run verify` run as the inspector runs
// it. Every case has an anchor from outside the box (the supervisor's signed receipt, or the
// platform's record of the heartbeat anchors) and must end with exit code 3.
import { afterEach, describe, expect, it } from 'vitest';
import { execFile } from 'node:child_process';
import { parseArgs } from 'node:util';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { randomBytes } from 'node:crypto';
import {
  AttendanceRepo,
  DB_FILE,
  WorkersRepo,
  applyRetention,
  createEventSigner,
  entryHash,
  loadDeviceKey,
  localDate,
  openStore,
  signAnchor,
  type ChainAnchor,
  type EventSigner,
  type Store,
} from '../../edge-core/src/index.js';
import { ATTENDANCE_LEDGER_COLUMNS, attendancePayloadHash, type AttendanceLedgerRow } from '../../edge-core/src/store/ledger-codec.js';
import { createPlatformClient, heartbeatOnce, startPlatformSimulator, CorrectedClock, DEFAULT_SIM_APP } from '../../sync/src/index.js';
import { syntheticIdNumber } from './fuzz/route-examples.js';
import { runVerify } from '../server/verify-command.js';

const DAY = 86_400_000;
const roots: string[] = [];
afterEach(() => {
  for (const d of roots.splice(0)) rmSync(d, { recursive: true, force: true });
});

interface Site {
  dataDir: string;
  keyDir: string;
  db: string;
  workers: { a: number; b: number };
  refusals: string[];
  passOfA: string;
  freshPhoto: string;
  receipt: string;
  anchor: ChainAnchor;
}

function clockAt(start: number): { now(): number; set(ms: number): void } {
  let t = start;
  return { now: () => t, set: (ms) => (t = ms) };
}

function receiptOf(store: Store, at: number): ChainAnchor {
  return signAnchor(store.ledger.head(), store.ledger.signer, { purpose: 'receipt', deviceSn: 'sitegate-test', at, date: localDate(at, 'Asia/Shanghai'), timeZone: 'Asia/Shanghai' });
}

/**
 * A site's database of `entries` ledger entries: two workers, a pass of A, refusals with
 * photos, one photo five minutes old; the supervisor's receipt signed at the end.
 */
function writeSite(entries = 120): Site {
  const root = mkdtempSync(join(tmpdir(), 'sitegate-tamper-'));
  roots.push(root);
  const dataDir = join(root, 'data');
  const keyDir = join(root, 'keys');
  const clock = clockAt(Date.UTC(2026, 10, 24, 1, 0));
  const { store } = openStore({ dataDir, keyDir, clock });
  const workers = new WorkersRepo(store);
  const emp = workers.createEmployer({ name: '测试劳务', creditCode: '91999999MA0TAMPER1', corpType: 'labour' }, 'clerk');
  const team = workers.createTeam({ employerId: emp.id, name: '测试班组' }, 'clerk');
  const mk = (n: number, name: string): number => workers.create({ name, idType: '01', idNumber: syntheticIdNumber(n), tradeCode: '010', role: 'worker', employerId: emp.id, teamId: team.id }, 'clerk').id;
  const a = mk(41, '测试甲');
  const b = mk(42, '测试乙');
  const repo = new AttendanceRepo(store);
  const passOfA = repo.record({ laneId: 'lane-1', workerId: a, direction: 'in', decision: 'pass', photoJpeg: Buffer.from('PASS-PHOTO') }).id;
  const refusals: string[] = [];
  // One transaction for the bulk (savepoints inside): the test is about the file, not fsync.
  store.tx(() => {
    while ((store.ledger.head()?.seq ?? 0) < entries - 1) {
      clock.set(clock.now() + 60_000);
      refusals.push(repo.record({ laneId: 'lane-1', workerId: null, direction: 'in', decision: 'refuse', reasons: ['face.unknown'], photoJpeg: Buffer.from(`R${refusals.length}`) }).id);
    }
  });
  clock.set(clock.now() + 60_000);
  const freshPhoto = repo.record({ laneId: 'lane-1', workerId: b, direction: 'out', decision: 'pass', photoJpeg: Buffer.from('FRESH-PHOTO') }).id;
  clock.set(clock.now() + 5 * 60_000);
  const anchor = receiptOf(store, clock.now());
  store.close();
  const receipt = join(root, 'receipt.json');
  writeFileSync(receipt, JSON.stringify(anchor));
  return { dataDir, keyDir, db: join(dataDir, DB_FILE), workers: { a, b }, refusals, passOfA, freshPhoto, receipt, anchor };
}

/** Opens the file as an attacker with the sqlite3 shell would: every trigger dropped first. */
function tamper(site: Site, fn: (db: Database.Database) => void): void {
  const db = new Database(site.db);
  for (const { name } of db.prepare("SELECT name FROM sqlite_master WHERE type = 'trigger'").all() as Array<{ name: string }>) db.exec(`DROP TRIGGER "${name}"`);
  fn(db);
  db.close();
}

interface Verified {
  status: number | null;
  out: string;
  report: { ok: boolean; photosRemovedByRetention: number; firstBroken: { problem: string; kind: string; seq: number | null } | null } | null;
}

/** `npm run verify -- ARGS --json` as the inspector runs it: a child process, its exit code. */
function verifyCli(...args: string[]): Promise<Verified> {
  return new Promise((resolve, reject) => {
    execFile(process.execPath, ['--import', 'tsx', 'app/server/cli.ts', 'verify', ...args, '--json'], { encoding: 'utf8', timeout: 180_000 }, (err, stdout, stderr) => {
      const status = err ? (typeof err.code === 'number' ? err.code : null) : 0;
      if (err && status === null) return reject(err);
      const last = stdout.trim().split('\n').pop() ?? '';
      resolve({ status, out: `${stdout}${stderr}`, report: last.startsWith('{') ? JSON.parse(last) : null });
    });
  });
}

/** The same command run in this process (runVerify is what the CLI calls; its result is the exit code). */
async function verify(...args: string[]): Promise<Verified> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: { 'key-dir': { type: 'string' }, receipt: { type: 'string', multiple: true }, anchor: { type: 'string', multiple: true }, 'anchor-url': { type: 'string' }, 'all-signatures': { type: 'boolean' } },
  });
  const lines: string[] = [];
  const status = await runVerify({
    target: positionals[0] as string,
    keyDir: values['key-dir'],
    receipts: values.receipt,
    anchors: values.anchor,
    anchorUrl: values['anchor-url'],
    allSignatures: values['all-signatures'] ?? false,
    json: true,
    out: (l) => lines.push(l),
  });
  const last = lines[lines.length - 1] ?? '';
  return { status, out: lines.join('\n'), report: last.startsWith('{') ? JSON.parse(last) : null };
}

/** Re-signs the chain from `fromSeq` on, as an attacker who holds `signer` would. */
function resign(db: Database.Database, signer: EventSigner, fromSeq = 1): number {
  const rows = db.prepare('SELECT seq, kind, ref, payload_hash, prev_hash FROM ledger WHERE seq >= ? ORDER BY seq').all(fromSeq) as Array<{ seq: number; kind: 'attendance' | 'audit'; ref: string; payload_hash: Buffer; prev_hash: Buffer }>;
  let prev = rows[0]?.prev_hash as Buffer;
  const upd = db.prepare('UPDATE ledger SET prev_hash = ?, entry_hash = ?, sig = ? WHERE seq = ?');
  for (const row of rows) {
    const h = entryHash(row.seq, row.kind, row.ref, row.payload_hash, prev);
    upd.run(prev, h, signer.sign(h), row.seq);
    prev = h;
  }
  return rows.length;
}

/** Turns refusal `id` into a pass and recomputes its payload hash (the attacker knows the format). */
function refusalToPass(db: Database.Database, id: string): void {
  db.prepare("UPDATE attendance_events SET decision = 'pass', reasons_json = '[]' WHERE id = ?").run(id);
  const row = db.prepare(`SELECT ${ATTENDANCE_LEDGER_COLUMNS} FROM attendance_events WHERE id = ?`).get(id) as AttendanceLedgerRow;
  db.prepare("UPDATE ledger SET payload_hash = ? WHERE kind = 'attendance' AND ref = ?").run(attendancePayloadHash(row), id);
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? filesUnder(join(dir, e.name)) : [join(dir, e.name)]));
}

describe('tampering with file access is reported by verify once an anchor exists (issue 14.4)', { timeout: 300_000 }, () => {
  it('1 · the signing key is not in the data directory: a refusal turned into a pass and the chain re-signed fails (key dir, receipt), and re-signing even with the stolen key fails the anchor', async () => {
    const site = writeSite(2026);
    // Nothing in the data directory can sign: the key is in its own 0700 directory, 0600.
    const keyBytes = readFileSync(join(site.keyDir, 'device.key'));
    const secret = keyBytes.subarray(keyBytes.indexOf(0x0a) + 1);
    for (const f of filesUnder(site.dataDir)) expect(readFileSync(f).includes(secret), f).toBe(false);
    expect(existsSync(join(site.dataDir, 'keys'))).toBe(false);
    expect(statSync(join(site.keyDir, 'device.key')).mode & 0o777).toBe(0o600);
    expect(statSync(site.keyDir).mode & 0o777).toBe(0o700);

    const forge = (signer: EventSigner): void =>
      tamper(site, (db) => {
        refusalToPass(db, site.refusals[500] as string);
        expect(resign(db, signer)).toBe(2026);
        // ...and put the forger's public key where `verify` would otherwise find it in the file.
        db.prepare("UPDATE settings SET value_json = ? WHERE key = 'ledger_public_key'").run(JSON.stringify(signer.publicKey.toString('hex')));
      });

    // An attacker with the data directory only can sign with a key of their own.
    forge(createEventSigner(randomBytes(32)));
    const byKeyDir = await verifyCli(site.dataDir, '--key-dir', site.keyDir, '--all-signatures');
    expect(byKeyDir.status).toBe(3);
    expect(byKeyDir.report?.firstBroken).toMatchObject({ problem: 'signature_invalid', seq: 1 });
    // An inspector holding only the copied file and the supervisor's receipt: the receipt names the key.
    const copy = mkdtempSync(join(tmpdir(), 'sitegate-inspect-'));
    roots.push(copy);
    writeFileSync(join(copy, DB_FILE), readFileSync(site.db));
    const byReceipt = await verify(join(copy, DB_FILE), '--key-dir', join(copy, 'no-keys'), '--receipt', site.receipt);
    expect(byReceipt.status).toBe(3);
    expect(byReceipt.report?.firstBroken?.problem).toBe('signature_invalid');

    // Whoever also stole the device key from its directory signs validly — and the chain no
    // longer reaches the receipt's head.
    const stolen = loadDeviceKey({ keyDir: site.keyDir, allowCreate: false }).signer;
    forge(stolen);
    const anchored = await verifyCli(site.dataDir, '--key-dir', site.keyDir, '--all-signatures', '--receipt', site.receipt);
    expect(anchored.status).toBe(3);
    expect(anchored.report?.firstBroken).toMatchObject({ kind: 'anchor', problem: 'anchor_mismatch', seq: site.anchor.seq });
  });

  it('2 · cutting the chain tail (triggers dropped) is found against the receipt, a typed receipt line and the platform record of the heartbeat anchors', async () => {
    const site = writeSite();
    // The heartbeat carries the same signed head to the platform, which keeps it.
    const sim = await startPlatformSimulator({ port: 0, dbPath: ':memory:', projects: ['TEST-PROJECT-001'] });
    try {
      const { store } = openStore({ dataDir: site.dataDir, keyDir: site.keyDir, clock: { now: () => site.anchor.at } });
      const signer = store.ledger.signer;
      const client = createPlatformClient({ endpoint: sim.url, appid: DEFAULT_SIM_APP.appid, appsecret: DEFAULT_SIM_APP.appsecret, projectCode: 'TEST-PROJECT-001', timeZone: 'Asia/Shanghai', clock: { now: () => Date.now() } });
      const beat = await heartbeatOnce({
        client,
        clock: new CorrectedClock({ now: () => Date.now() }, Number.POSITIVE_INFINITY),
        deviceSn: 'gate-7',
        health: () => ({ status: 'ok' }),
        identity: () => ({ devicePublicKey: signer.publicKey.toString('hex'), ledgerHead: signAnchor(store.ledger.head(), signer, { purpose: 'heartbeat', deviceSn: 'gate-7', at: Date.now(), date: site.anchor.date, timeZone: 'Asia/Shanghai' }) }),
      });
      store.close();
      expect(beat.ok).toBe(true);
      const record = sim.anchors('gate-7');
      expect(record).toMatchObject({ count: 1, anchor: { seq: site.anchor.seq, headHash: site.anchor.headHash, purpose: 'heartbeat' } });

      const intact = await verify(site.dataDir, '--key-dir', site.keyDir, '--receipt', site.receipt, '--anchor-url', `${sim.url.replace(/\/api$/, '')}/admin/anchors?deviceSn=gate-7`);
      expect(intact.status, intact.out).toBe(0);
      expect(intact.report?.ok).toBe(true);

      const cutFrom = site.anchor.seq - 6;
      tamper(site, (db) => {
        const refs = db.prepare("SELECT ref FROM ledger WHERE seq >= ? AND kind = 'attendance'").all(cutFrom) as Array<{ ref: string }>;
        for (const { ref } of refs) {
          db.prepare('DELETE FROM outbox WHERE ref_id = ?').run(ref);
          db.prepare('DELETE FROM attendance_events WHERE id = ?').run(ref);
        }
        db.prepare('DELETE FROM ledger WHERE seq >= ?').run(cutFrom);
      });
      // Without an anchor the shortened file is consistent — which is why the anchors exist.
      expect((await verify(site.dataDir, '--key-dir', site.keyDir)).status).toBe(0);
      for (const anchorArgs of [
        ['--receipt', site.receipt],
        ['--anchor', `${site.anchor.seq}:${site.anchor.headHash}`],
        ['--anchor-url', `${sim.url.replace(/\/api$/, '')}/admin/anchors?deviceSn=gate-7`],
      ]) {
        const r = await verify(site.dataDir, '--key-dir', site.keyDir, ...anchorArgs);
        expect(r.status, `${anchorArgs.join(' ')}\n${r.out}`).toBe(3);
        expect(r.report?.firstBroken).toMatchObject({ kind: 'anchor', problem: 'truncated', seq: site.anchor.seq });
      }
    } finally {
      await sim.close();
    }
  });

  it('3 · a five-minute-old photo removed with a plain UPDATE is not "removed by retention"; one removed by a signed retention run after its period is', async () => {
    const site = writeSite();
    tamper(site, (db) => db.prepare('UPDATE attendance_events SET photo_enc = NULL, photo_purged_at = ? WHERE id = ?').run(site.anchor.at, site.freshPhoto));
    const r = await verify(site.dataDir, '--key-dir', site.keyDir, '--receipt', site.receipt);
    expect(r.status).toBe(3);
    expect(r.report?.firstBroken).toMatchObject({ kind: 'attendance', problem: 'photo_removed' });

    // The genuine path: refusal photos older than 30 days go in a retention run that names them.
    const legit = writeSite();
    const { store } = openStore({ dataDir: legit.dataDir, keyDir: legit.keyDir, clock: { now: () => legit.anchor.at + 31 * DAY } });
    const removed = applyRetention(store, { passPhotoDays: 90, refusalPhotoDays: 30, departedWorkerDays: 180 });
    store.close();
    expect(removed.refusalPhotos).toBe(legit.refusals.length);
    const ok = await verify(legit.dataDir, '--key-dir', legit.keyDir, '--receipt', legit.receipt);
    expect(ok.status, ok.out).toBe(0);
    expect(ok.report).toMatchObject({ ok: true, photosRemovedByRetention: legit.refusals.length });
  });

  it('3b · a retention run that claims a period shorter than the shortest allowed does not cover its removals', async () => {
    const site = writeSite();
    const { store } = openStore({ dataDir: site.dataDir, keyDir: site.keyDir, clock: { now: () => site.anchor.at } });
    // Five minutes after the passage, with a period of a few seconds: signed, but not retention.
    const r = applyRetention(store, { passPhotoDays: 90, refusalPhotoDays: 0.00005, departedWorkerDays: 180 });
    store.close();
    expect(r.refusalPhotos).toBeGreaterThan(0);
    const v = await verify(site.dataDir, '--key-dir', site.keyDir, '--receipt', site.receipt);
    expect(v.status).toBe(3);
    expect(v.report?.firstBroken).toMatchObject({ problem: 'photo_removed' });
    expect(v.out).toMatch(/before its retention period/);
  });

  it('4 · swapping the identity columns of two workers (which moves a pass to the other person) is found', async () => {
    const site = writeSite();
    const cols = ['name', 'id_type', 'id_number_enc', 'id_number_hash', 'id_number_masked'];
    tamper(site, (db) => {
      const get = db.prepare(`SELECT ${cols.join(', ')} FROM workers WHERE id = ?`);
      const a = get.get(site.workers.a) as Record<string, unknown>;
      const b = get.get(site.workers.b) as Record<string, unknown>;
      const put = db.prepare(`UPDATE workers SET ${cols.map((c) => `${c} = @${c}`).join(', ')} WHERE id = @id`);
      put.run({ ...a, id: site.workers.b, id_number_hash: 'swap' });
      put.run({ ...b, id: site.workers.a });
      db.prepare('UPDATE workers SET id_number_hash = ? WHERE id = ?').run(a.id_number_hash, site.workers.b);
    });
    // What the outside test saw: A's pass now shows as B's person.
    const { store } = openStore({ dataDir: site.dataDir, keyDir: site.keyDir, clock: { now: () => site.anchor.at } });
    expect(new AttendanceRepo(store).get(site.passOfA)?.workerName).toBe('测试乙');
    store.close();
    const r = await verify(site.dataDir, '--key-dir', site.keyDir, '--receipt', site.receipt);
    expect(r.status).toBe(3);
    expect(r.report?.firstBroken).toMatchObject({ kind: 'worker', problem: 'identity_altered' });
  });

  it('verify names an unusable receipt (exit 4) instead of judging the chain by it', async () => {
    const site = writeSite(20);
    const forged = { ...site.anchor, seq: site.anchor.seq + 5 };
    const file = join(site.dataDir, '..', 'forged.json');
    writeFileSync(file, JSON.stringify(forged));
    const r = await verify(site.dataDir, '--key-dir', site.keyDir, '--receipt', file);
    expect(r.status).toBe(4);
    expect(r.out).toMatch(/signature does not verify/);
    mkdirSync(join(site.dataDir, '..', 'empty'));
    const missing = await verify(site.dataDir, '--key-dir', site.keyDir, '--receipt', join(site.dataDir, '..', 'empty', 'none.json'));
    expect(missing.status).toBe(4);
  });
});
