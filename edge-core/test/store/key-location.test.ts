import { afterEach, describe, expect, it } from 'vitest';
import Database from 'better-sqlite3';
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import {
  AttendanceRepo,
  DB_FILE,
  GENESIS_HASH,
  DeviceKeyError,
  createEventSigner,
  defaultKeyDir,
  entryHash,
  signingSeedFromDeviceKey,
  importPublicKey,
  loadDeviceKey,
  loadDeviceKeyAsync,
  migrate,
  openStore,
  readDevicePublicKey,
  verifyLedger,
  type KeyProtector,
} from '../../src/index.js';
import { migrations } from '../../src/store/migrations/index.js';
import { ATTENDANCE_LEDGER_COLUMNS, attendancePayloadHash, sha256, type AttendanceLedgerRow } from '../../src/store/ledger-codec.js';
import { fixedClock, tempDir } from './helpers.js';

let cleanup: () => void = () => undefined;
afterEach(() => cleanup());

const host = (over: Partial<Parameters<typeof defaultKeyDir>[0]> = {}) => ({ env: {}, platform: 'linux' as NodeJS.Platform, uid: 0, home: '/home/site', ...over });

/** A stand-in for a platform protector (DPAPI, safeStorage): AES-GCM under a key only it knows. */
function standInProtector(): KeyProtector {
  const k = randomBytes(32);
  return {
    name: 'test-sealer',
    protect(raw) {
      const iv = randomBytes(12);
      const c = createCipheriv('aes-256-gcm', k, iv);
      const body = Buffer.concat([c.update(raw), c.final()]);
      return Buffer.concat([iv, c.getAuthTag(), body]);
    },
    unprotect(sealed) {
      const d = createDecipheriv('aes-256-gcm', k, sealed.subarray(0, 12));
      d.setAuthTag(sealed.subarray(12, 28));
      return Buffer.concat([d.update(sealed.subarray(28)), d.final()]);
    },
  };
}

describe('the device key lives apart from the data directory', () => {
  it('defaults: $SITEGATE_KEY_DIR, else /etc/sitegate/keys for root on Linux, the user config dir otherwise, LOCALAPPDATA on Windows', () => {
    expect(defaultKeyDir(host({ env: { SITEGATE_KEY_DIR: '/srv/keys' } }))).toBe('/srv/keys');
    expect(defaultKeyDir(host())).toBe('/etc/sitegate/keys');
    expect(defaultKeyDir(host({ uid: 1000 }))).toBe('/home/site/.config/sitegate/keys');
    expect(defaultKeyDir(host({ uid: 1000, env: { XDG_CONFIG_HOME: '/cfg' } }))).toBe('/cfg/sitegate/keys');
    expect(defaultKeyDir(host({ platform: 'win32', env: { LOCALAPPDATA: 'C:\\Users\\site\\AppData\\Local' } }))).toContain(join('SiteGate', 'keys'));
  });

  it('refuses a key directory inside the data directory, before touching anything', () => {
    const t = tempDir();
    cleanup = t.cleanup;
    expect(() => openStore({ dataDir: t.dir, keyDir: join(t.dir, 'keys'), clock: fixedClock() })).toThrow(DeviceKeyError);
    expect(() => openStore({ dataDir: t.dir, keyDir: t.dir, clock: fixedClock() })).toThrow(/outside the data directory/);
    expect(existsSync(join(t.dir, 'keys'))).toBe(false);
  });

  it('upgrade: a key kept in DATA-DIR/keys by an older version is moved out (0600, 0700), the same key signs on, and the old place is gone', () => {
    const t = tempDir();
    cleanup = t.cleanup;
    const legacy = join(t.dir, 'keys');
    // An install of the previous version: its key where it used to be, its data written with it.
    const first = openStore({ dataDir: t.dir, keyDir: join(t.dir, '..', 'old-layout-staging'), clock: fixedClock() });
    new AttendanceRepo(first.store).record({ laneId: 'l1', workerId: null, direction: 'in', decision: 'refuse' });
    const fingerprint = first.store.ledger.signer.fingerprint;
    first.store.close();
    mkdirSync(legacy, { mode: 0o700 });
    writeFileSync(join(legacy, 'device.key'), readFileSync(join(t.dir, '..', 'old-layout-staging', 'device.key')), { mode: 0o600 });

    const { store, keyMoved } = openStore({ dataDir: t.dir, keyDir: t.keyDir, clock: fixedClock() });
    expect(keyMoved).toEqual({ from: join(legacy, 'device.key'), to: join(t.keyDir, 'device.key') });
    expect(store.ledger.signer.fingerprint).toBe(fingerprint);
    store.close();
    expect(existsSync(legacy)).toBe(false);
    expect(statSync(join(t.keyDir, 'device.key')).mode & 0o777).toBe(0o600);
    expect(statSync(t.keyDir).mode & 0o777).toBe(0o700);
    expect(readDevicePublicKey(t.keyDir)?.length).toBe(32);
    // A second start finds nothing to move.
    const again = openStore({ dataDir: t.dir, keyDir: t.keyDir, clock: fixedClock() });
    expect(again.keyMoved).toBeNull();
    again.store.close();
  });

  it('upgrade: two different keys (old place and new) stop the start rather than pick one', () => {
    const t = tempDir();
    cleanup = t.cleanup;
    openStore({ dataDir: t.dir, keyDir: t.keyDir, clock: fixedClock() }).store.close();
    mkdirSync(join(t.dir, 'keys'));
    writeFileSync(join(t.dir, 'keys', 'device.key'), Buffer.concat([Buffer.from('SGK1:file-0600\n'), randomBytes(32)]), { mode: 0o600 });
    expect(() => openStore({ dataDir: t.dir, keyDir: t.keyDir, clock: fixedClock() })).toThrow(/two different device keys/);
    expect(existsSync(join(t.dir, 'keys', 'device.key'))).toBe(true);
  });

  it('a protector seals the key file; a plain key found on a host that offers one is sealed in place', async () => {
    const t = tempDir();
    cleanup = t.cleanup;
    const plain = loadDeviceKey({ keyDir: t.keyDir, allowCreate: true });
    const rawFile = readFileSync(join(t.keyDir, 'device.key'));
    expect(rawFile.subarray(0, 15).toString()).toBe('SGK1:file-0600\n');
    const sealer = standInProtector();
    const sealed = loadDeviceKey({ keyDir: t.keyDir, protector: sealer, allowCreate: false });
    expect(sealed.signer.fingerprint).toBe(plain.signer.fingerprint);
    const sealedFile = readFileSync(join(t.keyDir, 'device.key'));
    expect(sealedFile.subarray(0, 17).toString()).toBe('SGK1:test-sealer\n');
    expect(sealedFile.includes(rawFile.subarray(15))).toBe(false);
    // The asynchronous path (the shell's safeStorage over IPC) opens the same file.
    const asyncSealer = { name: sealer.name, protect: async (b: Buffer) => sealer.protect(b), unprotect: async (b: Buffer) => sealer.unprotect(b) };
    expect((await loadDeviceKeyAsync({ keyDir: t.keyDir, protector: asyncSealer, allowCreate: false })).signer.fingerprint).toBe(plain.signer.fingerprint);
    // Without the protector the key cannot be used, and says why.
    expect(() => loadDeviceKey({ keyDir: t.keyDir, allowCreate: false })).toThrow(/protected with "test-sealer"/);
  });
});

/**
 * What version 0.2 left behind: schema 0003, its key in DATA-DIR/keys, a worker, and three
 * events chained with the 0.2 codec — one whose photo retention removed (photo_purged_at set),
 * one whose photo was nulled by hand, one pass of the worker.
 */
function writeV02(dataDir: string): { publicKey: Buffer; purged: string; nulled: string } {
  const raw = randomBytes(32);
  mkdirSync(join(dataDir, 'keys'), { recursive: true, mode: 0o700 });
  writeFileSync(join(dataDir, 'keys', 'device.key'), Buffer.concat([Buffer.from('SGK1:file-0600\n'), raw]), { mode: 0o600 });
  const signer = createEventSigner(signingSeedFromDeviceKey(raw));
  const db = new Database(join(dataDir, DB_FILE));
  db.pragma('journal_mode = WAL');
  migrate(db, migrations.slice(0, 3), () => 1);
  db.prepare(
    `INSERT INTO workers (id, name, id_type, id_number_enc, id_number_hash, id_number_masked, trade_code, role, created_at, updated_at)
     VALUES (1, '测试丙', '01', ?, 'h-1', '9999**********0001', '010', 'worker', 1, 1)`,
  ).run(randomBytes(40));
  const ins = db.prepare(
    `INSERT INTO attendance_events (id, lane_id, worker_id, direction, occurred_at, time_zone, local_date, decision, photo_enc, photo_sha256, photo_purged_at, created_at)
     VALUES (@id, 'lane-1', @worker, 'in', @at, 'Asia/Shanghai', '2026-06-01', @decision, @photo, @hash, @purgedAt, @at)`,
  );
  const events = [
    { id: 'v02-purged', worker: null, decision: 'refuse', photo: null, hash: sha256(Buffer.from('P1')), purgedAt: 5 },
    { id: 'v02-nulled', worker: null, decision: 'refuse', photo: null, hash: sha256(Buffer.from('P2')), purgedAt: null },
    { id: 'v02-pass', worker: 1, decision: 'pass', photo: null, hash: null, purgedAt: null },
  ];
  let prev: Buffer = GENESIS_HASH;
  events.forEach((e, i) => {
    const at = Date.UTC(2026, 5, 1) + i * 1000;
    ins.run({ ...e, at });
    const row = db.prepare(`SELECT ${ATTENDANCE_LEDGER_COLUMNS.replace(', worker_identity', '')} FROM attendance_events WHERE id = ?`).get(e.id) as Omit<AttendanceLedgerRow, 'worker_identity'>;
    const payload = attendancePayloadHash({ ...row, worker_identity: null });
    const h = entryHash(i + 1, 'attendance', e.id, payload, prev);
    db.prepare('INSERT INTO ledger (seq, kind, ref, payload_hash, prev_hash, entry_hash, sig) VALUES (?, ?, ?, ?, ?, ?, ?)').run(i + 1, 'attendance', e.id, payload, prev, h, signer.sign(h));
    prev = h;
  });
  db.close();
  return { publicKey: signer.publicKey, purged: 'v02-purged', nulled: 'v02-nulled' };
}

describe('upgrading a database written by 0.2 (before identities and retention were signed)', () => {
  it('moves the key out, signs each worker identity and adopts the photos retention had removed; a photo nulled without that mark stays a finding', () => {
    const t = tempDir();
    cleanup = t.cleanup;
    const v02 = writeV02(t.dir);
    const { store, migrationsRun, keyMoved } = openStore({ dataDir: t.dir, keyDir: t.keyDir, clock: fixedClock() });
    expect(migrationsRun).toEqual(migrations.map((m) => m.version).filter((v) => v > 3));
    expect(keyMoved?.to).toBe(join(t.keyDir, 'device.key'));
    expect(store.ledger.signer.publicKey).toEqual(v02.publicKey);
    // The worker passes again after the upgrade: the event binds their now signed identity.
    new AttendanceRepo(store).record({ laneId: 'lane-1', workerId: 1, direction: 'out', decision: 'pass' });
    store.close();

    const db = new Database(join(t.dir, DB_FILE), { readonly: true });
    const actions = db.prepare('SELECT action, details_json FROM audit_log ORDER BY id').all() as Array<{ action: string; details_json: string }>;
    const report = verifyLedger(db, { publicKey: importPublicKey(v02.publicKey), signatureEvery: 1 });
    db.close();
    expect(actions.map((a) => a.action)).toEqual(['worker.identity', 'retention.photos']);
    expect(JSON.parse(actions[1]?.details_json ?? '{}')).toMatchObject({ decision: 'refuse', upgrade: true, seqs: [1] });
    // The photo nulled without retention's mark was never retention: still reported, at its entry.
    expect(report.firstBroken).toMatchObject({ seq: 2, ref: v02.nulled, problem: 'photo_removed' });
  });
});
