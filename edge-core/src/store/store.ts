// The appliance's SQLite store: the open database, its transactions, scheduled WAL checkpoints
// and online backups. Opening it (integrity check, recovery, keys, migrations, upgrades) is in
// store-open.ts, which is the only part that needs the repositories.
import Database from 'better-sqlite3';
import { chmodSync, closeSync, existsSync, mkdirSync, openSync, readdirSync, renameSync, rmSync, statSync, statfsSync, unlinkSync } from 'node:fs';
import { join } from 'node:path';
import type { Clock } from '../ports/clock.js';
import type { FieldCipher } from '../crypto/field-cipher.js';
import { StoreError, classifySqliteError } from './errors.js';
import type { EventSigner } from '../crypto/signing-key.js';
import { Ledger } from './ledger.js';

export const DB_FILE = 'sitegate.db';

/** The scheduled WAL checkpoints: how many failed and whether the last one did. */
export interface CheckpointState {
  /** Failed checkpoints since the start. */
  failures: number;
  /** The last checkpoint failed. */
  failing: boolean;
  /** StoreError code (disk_full, read_only, io…) or message of the last failure. */
  lastError: string | null;
  lastOkAt: number | null;
  /** A truncating checkpoint failed and is tried again at the next tick. */
  truncateOwed: boolean;
}

export class Store {
  readonly #checkpointTimers: NodeJS.Timeout[] = [];
  readonly #checkpoints: CheckpointState = { failures: 0, failing: false, lastError: null, lastOkAt: null, truncateOwed: false };
  #onCheckpoint: ((s: CheckpointState) => void) | undefined;
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
    /**
     * Opened in exclusive locking mode because the disk had no room for SQLite's shared WAL
     * index (-shm) at start: this process works as usual, other processes (the backup and
     * verify commands) wait until the next start.
     */
    readonly exclusive = false,
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

  /**
   * Passive checkpoint every `passiveMs`, a truncating one every `truncateMs`. A checkpoint
   * that fails (a full or failing disk) never throws out of its timer: it is counted, reported
   * to `onChange`, and tried again at the next tick (a truncating one that failed is owed and
   * tried at each passive tick until it succeeds).
   */
  scheduleCheckpoints(passiveMs = 30_000, truncateMs = 15 * 60_000, onChange?: (s: CheckpointState) => void): void {
    if (onChange) this.#onCheckpoint = onChange;
    const passive = setInterval(() => this.#scheduledCheckpoint(this.#checkpoints.truncateOwed ? 'TRUNCATE' : 'PASSIVE'), passiveMs);
    const truncate = setInterval(() => this.#scheduledCheckpoint('TRUNCATE'), truncateMs);
    passive.unref();
    truncate.unref();
    this.#checkpointTimers.push(passive, truncate);
  }

  /** How the scheduled checkpoints went. */
  checkpointState(): CheckpointState {
    return { ...this.#checkpoints };
  }

  #scheduledCheckpoint(mode: 'PASSIVE' | 'TRUNCATE'): void {
    if (this.#closed) return;
    const c = this.#checkpoints;
    const wasFailing = c.failing;
    try {
      this.checkpoint(mode);
      c.lastOkAt = this.clock.now();
      c.failing = false;
      c.lastError = null;
      if (mode === 'TRUNCATE') c.truncateOwed = false;
    } catch (err) {
      const e = classifySqliteError(err, this.path);
      c.failures++;
      c.failing = true;
      c.lastError = e instanceof StoreError ? e.code : (e as Error).message;
      if (mode === 'TRUNCATE') c.truncateOwed = true;
    }
    if (c.failing || wasFailing) {
      try {
        this.#onCheckpoint?.(this.checkpointState());
      } catch {
        // the listener's problem; the timer goes on
      }
    }
  }

  checkpoint(mode: 'PASSIVE' | 'FULL' | 'TRUNCATE'): { busy: number; log: number; checkpointed: number } {
    const row = this.db.pragma(`wal_checkpoint(${mode})`) as Array<{ busy: number; log: number; checkpointed: number }>;
    return row[0] ?? { busy: 0, log: 0, checkpointed: 0 };
  }

  /** Online backup to `dest` (a consistent snapshot while the gate keeps writing). */
  async backupTo(dest: string): Promise<string> {
    createPrivateFile(dest);
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
    mkdirSync(this.backupDir, { recursive: true, mode: 0o700 });
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
      createPrivateFile(tmp);
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

/**
 * Creates `path` empty and readable by the owner only (0600) unless it exists: SQLite creates
 * database files 0644, and its -wal and -shm files take the database file's mode.
 */
export function createPrivateFile(path: string): void {
  closeSync(openSync(path, 'a', 0o600));
  if (process.platform !== 'win32') chmodSync(path, 0o600);
}

export function listBackups(backupDir: string): Array<{ path: string; mtimeMs: number }> {
  if (!existsSync(backupDir)) return [];
  return readdirSync(backupDir)
    .filter((f) => f.startsWith('sitegate-') && f.endsWith('.db'))
    .map((f) => ({ path: join(backupDir, f), mtimeMs: statSync(join(backupDir, f)).mtimeMs }))
    .sort((a, b) => b.mtimeMs - a.mtimeMs);
}
