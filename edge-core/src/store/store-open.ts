// Opening the store: the integrity check and the recovery from the newest good backup, the
// durability pragmas, the device keys, migrations and the upgrades that write through
// repositories (named accounts, the ledger backfill). Apart from store.ts so that the Store
// class needs none of the repositories that use it.
import Database from 'better-sqlite3';
import { chmodSync, existsSync, mkdirSync, renameSync, statSync, copyFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Clock } from '../ports/clock.js';
import { migrate } from './migration.js';
import { migrations as allMigrations } from './migrations/index.js';
import { StoreError, classifySqliteError } from './errors.js';
import { upgradeLedger } from './ledger-backfill.js';
import { auditUpgradedAccounts } from './accounts-repo.js';
import { migration0008 } from './migrations/0008-named-accounts.js';
import { openStoreKeys, type StoreKeyOptions } from './store-keys.js';
import { assessLoss, type LossReport } from './loss-report.js';
import { AuditLog } from './audit-log.js';
import { encodeOutboxError, outboxError } from '../domain/outbox-errors.js';
import { DB_FILE, Store, createPrivateFile, listBackups } from './store.js';

/** dataDir, and where the device key is: keyDir (outside the data directory), protector, deviceKeys (store-keys.ts). */
export interface StoreOptions extends StoreKeyOptions {
  clock: Clock;
  /** Keep this many automatic backups (default 7). */
  keepBackups?: number;
  /** Run the integrity check at open (default true). */
  integrityCheck?: boolean;
}

export interface RecoveryReport {
  /** What was found wrong. */
  problem: string;
  /** Where the broken file was moved. */
  quarantinedTo: string;
  /** Backup used for the restore, or null when none existed and the store starts empty. */
  restoredFrom: string | null;
  /** Time the backup was made (ms), null when no backup. */
  backupTakenAt: number | null;
  /** What the broken file held beyond the backup (null when no backup was restored). */
  loss: LossReport | null;
}

export interface StoreOpenResult {
  store: Store;
  recovered: RecoveryReport | null;
  keyCreated: boolean;
  migrationsRun: number[];
  /** Where the device key is, and whether an older version's key was moved out of the data directory. */
  keyDir: string;
  keyMoved: { from: string; to: string } | null;
}


/** The database and its -wal/-shm readable by the owner only (files of older installs were 0644). */
function makeStoreFilesPrivate(path: string): void {
  if (process.platform === 'win32') return;
  for (const f of [path, `${path}-wal`, `${path}-shm`]) {
    try {
      if ((statSync(f).mode & 0o077) !== 0) chmodSync(f, 0o600);
    } catch {
      // absent (no WAL yet) or not ours: SQLite reports a real problem when it opens the file
    }
  }
}

function applyPragmas(db: Database.Database): void {
  db.pragma('journal_mode = WAL');
  // FULL: every commit fsyncs the WAL, so a committed passage survives power loss.
  db.pragma('synchronous = FULL');
  db.pragma('foreign_keys = ON');
  db.pragma('busy_timeout = 5000');
  db.pragma('wal_autocheckpoint = 4000');
}

/**
 * A full disk leaves no room for the shared WAL index (the -shm file SQLite maps): the file
 * cannot even be read then, unless it is opened in exclusive locking mode, where SQLite keeps
 * that index in memory.
 */
function noRoomForWalIndex(err: unknown): boolean {
  const code = (err as { code?: string }).code ?? '';
  return code === 'SQLITE_FULL' || code === 'SQLITE_IOERR_SHMSIZE' || code === 'SQLITE_IOERR_SHMMAP';
}

/** Opens the database with the appliance's pragmas; `exclusive` before any WAL access. */
function openDatabase(path: string, exclusive: boolean): Database.Database {
  const db = new Database(path);
  try {
    if (exclusive) db.pragma('locking_mode = EXCLUSIVE');
    applyPragmas(db);
    return db;
  } catch (err) {
    db.close();
    throw err;
  }
}

/** Returns null when the file is healthy, else a description of the problem. */
function checkIntegrity(path: string, exclusive = false): string | null {
  let db: Database.Database | undefined;
  try {
    db = new Database(path, { fileMustExist: true });
    if (exclusive) db.pragma('locking_mode = EXCLUSIVE');
    const rows = db.pragma('integrity_check') as Array<{ integrity_check: string }>;
    const first = rows[0]?.integrity_check;
    if (first === 'ok') return null;
    return `integrity_check reported: ${rows
      .slice(0, 3)
      .map((r) => r.integrity_check)
      .join('; ')}`;
  } catch (err) {
    const e = err as { code?: string; message?: string };
    if (e.code?.startsWith('SQLITE_CORRUPT') || e.code === 'SQLITE_NOTADB') return `${e.code}: ${e.message ?? ''}`;
    if (!exclusive && noRoomForWalIndex(err)) {
      db?.close();
      db = undefined;
      return checkIntegrity(path, true);
    }
    throw classifySqliteError(err, path);
  } finally {
    db?.close();
  }
}

function moveAside(path: string, quarantineDir: string, now: number): string {
  mkdirSync(quarantineDir, { recursive: true, mode: 0o700 });
  const stamp = new Date(now).toISOString().replace(/[:.]/g, '-');
  const dest = join(quarantineDir, `sitegate-corrupt-${stamp}.db`);
  renameSync(path, dest);
  for (const suffix of ['-wal', '-shm']) {
    if (existsSync(path + suffix)) renameSync(path + suffix, dest + suffix);
  }
  return dest;
}

function recover(path: string, dataDir: string, backupDir: string, problem: string, now: number): RecoveryReport {
  const quarantinedTo = moveAside(path, join(dataDir, 'corrupt'), now);
  for (const backup of listBackups(backupDir)) {
    if (checkIntegrity(backup.path) === null) {
      copyFileSync(backup.path, path);
      return { problem, quarantinedTo, restoredFrom: backup.path, backupTakenAt: backup.mtimeMs, loss: null };
    }
  }
  return { problem, quarantinedTo, restoredFrom: null, backupTakenAt: null, loss: null };
}

/**
 * After a restore from backup: report exactly what was lost, and make every undelivered item
 * "ambiguous" — it may have reached the platform after the backup was taken, so the sync
 * checks the platform before sending it again instead of sending a duplicate.
 */
function afterRestore(store: Store, recovered: RecoveryReport): void {
  recovered.loss = assessLoss(recovered.quarantinedTo, store.db);
  store.tx(() => {
    store.db
      .prepare(
        `UPDATE outbox SET state = 'ambiguous', last_error = ?, next_attempt_at = ?
         WHERE state IN ('pending', 'inflight')`,
      )
      .run(encodeOutboxError(outboxError('restored_from_backup')), store.clock.now());
    new AuditLog(store).append('system', 'store.restored_from_backup', null, {
      problem: recovered.problem,
      backup: recovered.restoredFrom?.split(/[\\/]/).pop() ?? null,
      backupTakenAt: recovered.backupTakenAt,
      loss: recovered.loss,
    });
  });
}

export function openStore(opts: StoreOptions): StoreOpenResult {
  const { dataDir, clock } = opts;
  const path = join(dataDir, DB_FILE);
  const backupDir = join(dataDir, 'backups');
  try {
    mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  } catch (err) {
    throw new StoreError(`cannot create the data directory ${dataDir}: ${(err as Error).message}`, 'read_only', 'create it and give the SiteGate user write access');
  }

  let recovered: RecoveryReport | null = null;
  if (existsSync(path) && opts.integrityCheck !== false) {
    const problem = checkIntegrity(path);
    if (problem) recovered = recover(path, dataDir, backupDir, problem, clock.now());
  }

  let db: Database.Database;
  let exclusive = false;
  try {
    if (!existsSync(path)) createPrivateFile(path);
    makeStoreFilesPrivate(path);
    try {
      db = openDatabase(path, false);
    } catch (err) {
      if (!noRoomForWalIndex(err)) throw err;
      exclusive = true;
      db = openDatabase(path, true);
    }
  } catch (err) {
    throw classifySqliteError(err, path);
  }

  try {
    const migrationsRun = migrate(db, allMigrations, () => clock.now());
    const { cipher, signer, created, keyDir, keyMoved } = openStoreKeys(db, { ...opts, path, clock });
    const store = new Store(db, cipher, clock, path, backupDir, opts.keepBackups ?? 7, signer, exclusive);
    // What older versions wrote is chained once, when the migration that needs it runs.
    upgradeLedger(store, migrationsRun);
    // The shared role PINs that just became accounts: their creation is audited once.
    if (migrationsRun.includes(migration0008.version)) store.tx(() => auditUpgradedAccounts(store));
    if (recovered?.restoredFrom) afterRestore(store, recovered);
    const storedKey = db.prepare("SELECT value_json FROM settings WHERE key = 'ledger_public_key'").get() as
      | { value_json: string }
      | undefined;
    if (storedKey === undefined) {
      db.prepare("INSERT INTO settings (key, value_json, updated_at) VALUES ('ledger_public_key', ?, ?)").run(
        JSON.stringify(signer.publicKey.toString('hex')),
        clock.now(),
      );
    }
    return { store, recovered, keyCreated: created, migrationsRun, keyDir, keyMoved };
  } catch (err) {
    db.close();
    throw classifySqliteError(err, path);
  }
}
