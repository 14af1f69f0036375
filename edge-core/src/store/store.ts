// The appliance's SQLite store: opening with integrity check and recovery, pragmas for
// durability, migrations, scheduled WAL checkpoints and online backups.
import Database from 'better-sqlite3';
import { existsSync, mkdirSync, readdirSync, renameSync, rmSync, statSync, statfsSync, unlinkSync, copyFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Clock } from '../ports/clock.js';
import type { FieldCipher } from '../crypto/field-cipher.js';
import { migrate } from './migration.js';
import { migrations as allMigrations } from './migrations/index.js';
import { StoreError, classifySqliteError } from './errors.js';
import type { EventSigner } from '../crypto/signing-key.js';
import { Ledger } from './ledger.js';
import { upgradeLedger } from './ledger-backfill.js';
import { openStoreKeys, type StoreKeyOptions } from './store-keys.js';
import { assessLoss, type LossReport } from './loss-report.js';
import { AuditLog } from './audit-log.js';

export const DB_FILE = 'sitegate.db';

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

export class Store {
  readonly #checkpointTimers: NodeJS.Timeout[] = [];
  #closed = false;
  readonly ledger: Ledger;

  constructor(
    readonly db: Database.Database,
    readonly cipher: FieldCipher,
    readonly clock: Clock,
    readonly path: string,
    readonly backupDir: string,
    readonly keepBackups: number,
    signer: EventSigner,
  ) {
    this.ledger = new Ledger(db, signer);
  }

  /** Runs `fn` in an IMMEDIATE transaction; errors are mapped to StoreError where known. */
  tx<T>(fn: () => T): T {
    try {
      return this.db.transaction(fn).immediate();
    } catch (err) {
      throw classifySqliteError(err, this.path);
    }
  }

  /** Passive checkpoint every `passiveMs`, a truncating one every `truncateMs`. */
  scheduleCheckpoints(passiveMs = 30_000, truncateMs = 15 * 60_000): void {
    const passive = setInterval(() => this.checkpoint('PASSIVE'), passiveMs);
    const truncate = setInterval(() => this.checkpoint('TRUNCATE'), truncateMs);
    passive.unref();
    truncate.unref();
    this.#checkpointTimers.push(passive, truncate);
  }

  checkpoint(mode: 'PASSIVE' | 'FULL' | 'TRUNCATE'): { busy: number; log: number; checkpointed: number } {
    const row = this.db.pragma(`wal_checkpoint(${mode})`) as Array<{ busy: number; log: number; checkpointed: number }>;
    return row[0] ?? { busy: 0, log: 0, checkpointed: 0 };
  }

  /** Online backup to `dest` (a consistent snapshot while the gate keeps writing). */
  async backupTo(dest: string): Promise<string> {
    await this.db.backup(dest);
    return dest;
  }

  /**
   * Automatic backup into the backup directory, keeping the newest `keepBackups`. A backup
   * never takes the space the gate's own records need: it must leave `reserveBytes` free. When
   * it would not, the oldest backups are removed first (the newest always stays, `onPruned`
   * hears of each); if it still would not fit it is skipped with a `disk_full` StoreError. A
   * backup that fails midway leaves no partial file behind.
   */
  async autoBackup(opts: { reserveBytes?: number; onPruned?: (path: string) => void } = {}): Promise<string> {
    mkdirSync(this.backupDir, { recursive: true });
    const need = this.sizeBytes();
    const room = (): number => {
      const s = statfsSync(this.backupDir);
      return s.bavail * s.bsize - (opts.reserveBytes ?? 0);
    };
    const backups = listBackups(this.backupDir);
    while (room() < need && backups.length > 1) {
      const oldest = backups.pop() as { path: string };
      unlinkSync(oldest.path);
      opts.onPruned?.(oldest.path);
    }
    if (room() < need) {
      const mb = (n: number): number => Math.ceil(n / (1024 * 1024));
      throw new StoreError(
        `no room for a backup of ${this.path}: it needs ${mb(need)} MB and ${mb(opts.reserveBytes ?? 0)} MB must stay free for attendance records`,
        'disk_full',
        'free disk space or copy a backup elsewhere (npm run backup -- --out FILE); the newest backup was kept',
      );
    }
    const stamp = new Date(this.clock.now()).toISOString().replace(/[:.]/g, '-');
    let dest = join(this.backupDir, `sitegate-${stamp}.db`);
    for (let i = 1; existsSync(dest); i++) dest = join(this.backupDir, `sitegate-${stamp}-${i}.db`);
    const tmp = `${dest}.partial`;
    try {
      await this.db.backup(tmp);
    } catch (err) {
      rmSync(tmp, { force: true });
      throw classifySqliteError(err, tmp);
    }
    renameSync(tmp, dest);
    for (const old of listBackups(this.backupDir).slice(this.keepBackups)) unlinkSync(old.path);
    return dest;
  }

  /** Bytes of the database's pages: what a backup of it takes on disk. */
  sizeBytes(): number {
    const pages = this.db.pragma('page_count', { simple: true }) as number;
    const pageSize = this.db.pragma('page_size', { simple: true }) as number;
    return pages * pageSize;
  }

  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    for (const t of this.#checkpointTimers) clearInterval(t);
    try {
      this.checkpoint('TRUNCATE');
    } catch {
      // closing anyway; the WAL is replayed at next open
    }
    this.db.close();
  }
}

export function listBackups(backupDir: string): Array<{ path: string; mtimeMs: number }> {
  if (!existsSync(backupDir)) return [];
  return readdirSync(backupDir)
    .filter((f) => f.startsWith('sitegate-') && f.endsWith('.db'))
    .map((f) => ({ path: join(backupDir, f), mtimeMs: statSync(join(backupDir, f)).mtimeMs }))
    .sort((a, b) => b.mtimeMs - a.mtimeMs);
}

function applyPragmas(db: Database.Database): void {
  db.pragma('journal_mode = WAL');
  // FULL: every commit fsyncs the WAL, so a committed passage survives power loss.
  db.pragma('synchronous = FULL');
  db.pragma('foreign_keys = ON');
  db.pragma('busy_timeout = 5000');
  db.pragma('wal_autocheckpoint = 4000');
}

/** Returns null when the file is healthy, else a description of the problem. */
function checkIntegrity(path: string): string | null {
  let db: Database.Database | undefined;
  try {
    db = new Database(path, { fileMustExist: true });
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
    throw classifySqliteError(err, path);
  } finally {
    db?.close();
  }
}

function moveAside(path: string, quarantineDir: string, now: number): string {
  mkdirSync(quarantineDir, { recursive: true });
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
        `UPDATE outbox SET state = 'ambiguous', last_error = 'restored from backup: check the platform before sending again', next_attempt_at = ?
         WHERE state IN ('pending', 'inflight')`,
      )
      .run(store.clock.now());
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
    mkdirSync(dataDir, { recursive: true });
  } catch (err) {
    throw new StoreError(`cannot create the data directory ${dataDir}: ${(err as Error).message}`, 'read_only', 'create it and give the SiteGate user write access');
  }

  let recovered: RecoveryReport | null = null;
  if (existsSync(path) && opts.integrityCheck !== false) {
    const problem = checkIntegrity(path);
    if (problem) recovered = recover(path, dataDir, backupDir, problem, clock.now());
  }

  let db: Database.Database;
  try {
    db = new Database(path);
    applyPragmas(db);
  } catch (err) {
    throw classifySqliteError(err, path);
  }

  try {
    const migrationsRun = migrate(db, allMigrations, () => clock.now());
    const { cipher, signer, created, keyDir, keyMoved } = openStoreKeys(db, { ...opts, path, clock });
    const store = new Store(db, cipher, clock, path, backupDir, opts.keepBackups ?? 7, signer);
    // What older versions wrote is chained once, when the migration that needs it runs.
    upgradeLedger(store, migrationsRun);
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
