// The data disk, watched: its free space is checked every minute so the supervisor sees a
// filling disk on the dashboard long before the gate has to refuse passages it cannot record;
// space held in reserve lets the gate keep recording when something else fills the disk
// anyway.
import { existsSync, statSync, statfsSync, unlinkSync } from 'node:fs';
import { open, rename, rm, statfs } from 'node:fs/promises';
import type { Logger } from 'pino';
import type { ComponentHealth } from '../shared/api-types.js';
import type { HealthRegistry } from './services.js';

export interface DiskThresholds {
  /** Below this many MB free the disk is reported as low (a warning on the dashboard). */
  warnFreeMb: number;
  /** Below this many MB free it is critical: a few hours of passages at most. */
  criticalFreeMb: number;
}

export type DiskLevel = 'ok' | 'low' | 'critical';

export interface DiskSpace {
  freeBytes: number;
  totalBytes: number;
}

const MB = 1024 * 1024;

export function diskLevel(space: DiskSpace, t: DiskThresholds): DiskLevel {
  const freeMb = space.freeBytes / MB;
  if (freeMb < t.criticalFreeMb) return 'critical';
  if (freeMb < t.warnFreeMb) return 'low';
  return 'ok';
}

/** The `storage` health component for a level: not ok when low or critical, in zh then en. */
export function diskHealth(space: DiskSpace, level: DiskLevel): ComponentHealth {
  const free = Math.floor(space.freeBytes / MB);
  const total = Math.floor(space.totalBytes / MB);
  if (level === 'ok') return { ok: true, detail: `剩余 ${free} MB / ${total} MB free` };
  const urgent = level === 'critical' ? '数据盘即将写满，考勤将无法保存' : '数据盘空间不足';
  const urgentEn = level === 'critical' ? 'data disk almost full: attendance will soon not be saved' : 'data disk space low';
  return { ok: false, detail: `${urgent}：剩余 ${free} MB（共 ${total} MB），请清理或更换硬盘 — ${urgentEn}: ${free} MB free of ${total} MB; free space or replace the disk` };
}

/**
 * Space held in reserve for attendance records: a file of zeros in the data directory
 * (written, not sparse, so the space is really taken). When the disk fills up it is deleted
 * and the gate records on the space it frees while the supervisor is told; it is written
 * again once the disk has room.
 */
export class DiskReserve {
  constructor(
    readonly file: string,
    readonly bytes: number,
  ) {}

  get present(): boolean {
    return existsSync(this.file) && statSync(this.file).size >= this.bytes;
  }

  /** Writes the reserve (a no-op when present). */
  async create(): Promise<void> {
    if (this.present) return;
    const tmp = `${this.file}.partial`;
    try {
      const fh = await open(tmp, 'w', 0o600);
      try {
        const chunk = Buffer.alloc(MB);
        for (let left = this.bytes; left > 0; left -= chunk.length) await fh.write(chunk, 0, Math.min(chunk.length, left));
        await fh.sync();
      } finally {
        await fh.close();
      }
      await rename(tmp, this.file);
    } catch (err) {
      await rm(tmp, { force: true });
      throw err;
    }
  }

  /** Deletes the reserve at once (the gate is waiting); true when it freed space. */
  release(): boolean {
    if (!existsSync(this.file)) return false;
    try {
      unlinkSync(this.file);
    } catch {
      return false; // a read-only disk: nothing to free
    }
    return true;
  }
}

export class DiskWatch {
  #level: DiskLevel | null = null;
  #timer: NodeJS.Timeout | null = null;
  #checking: Promise<DiskLevel | null> | null = null;
  readonly #afterCheck = new Set<(level: DiskLevel | null) => void>();

  constructor(
    private readonly dir: string,
    private readonly thresholds: DiskThresholds,
    private readonly health: HealthRegistry,
    private readonly logger: Logger,
    /** Space kept for attendance records; null when configured as 0. */
    private readonly reserve: DiskReserve | null = null,
  ) {}

  /** Measures now, updates the `storage` health component and logs a change of level. Never rejects. */
  check(): Promise<DiskLevel | null> {
    this.#checking ??= this.#check()
      .catch((err: unknown) => {
        this.logger.error({ err }, 'data disk check failed; tried again at the next check');
        return null;
      })
      .then((level) => {
        for (const fn of this.#afterCheck) {
          try {
            fn(level);
          } catch (err) {
            this.logger.error({ err }, 'a task after the data disk check failed');
          }
        }
        return level;
      })
      .finally(() => {
        this.#checking = null;
      });
    return this.#checking;
  }

  /** Runs `fn` after every check (tasks that wait for space: writes deferred at start). */
  afterCheck(fn: (level: DiskLevel | null) => void): void {
    this.#afterCheck.add(fn);
  }

  /**
   * At start, before the store opens: when the disk is already almost full, the reserve is
   * released at once so the start-up (and the first passages) have room. True when it was.
   */
  releaseIfCritical(): boolean {
    if (!this.reserve) return false;
    let s;
    try {
      s = statfsSync(this.dir);
    } catch {
      return false;
    }
    if (diskLevel({ freeBytes: s.bavail * s.bsize, totalBytes: s.blocks * s.bsize }, this.thresholds) !== 'critical') return false;
    return this.reclaimForRecords();
  }

  /**
   * A record could not be written for a full disk: releases the reserve so the gate can go
   * on recording, and says so. True when space was freed.
   */
  reclaimForRecords(): boolean {
    if (!this.reserve?.release()) return false;
    this.logger.error({ freedMb: Math.floor(this.reserve.bytes / MB) }, 'data disk full: space in reserve released for attendance records');
    this.health.set('storage', {
      ok: false,
      detail: '数据盘已满，正在使用预留空间记录考勤，请立即清理或更换硬盘 — data disk full: attendance is recorded on the reserve; free space or replace the disk now',
    });
    this.#level = 'critical';
    return true;
  }

  async #check(): Promise<DiskLevel | null> {
    let space = await this.#measure();
    if (!space) return null;
    let level = diskLevel(space, this.thresholds);
    if (this.reserve) {
      if (level === 'critical' && this.reclaimForRecords()) {
        space = (await this.#measure()) ?? space;
      } else if (!this.reserve.present && (space.freeBytes - this.reserve.bytes) / MB >= this.thresholds.warnFreeMb) {
        try {
          await this.reserve.create();
          this.logger.info({ file: this.reserve.file, mb: Math.floor(this.reserve.bytes / MB) }, 'space in reserve for attendance records written');
        } catch (err) {
          this.logger.warn({ err }, 'space in reserve could not be written; retried at the next check');
        }
        space = (await this.#measure()) ?? space;
      }
      level = diskLevel(space, this.thresholds);
    }
    const h = diskHealth(space, level);
    const reserveUsed = this.reserve !== null && !this.reserve.present;
    this.health.set('storage', reserveUsed && !h.ok ? { ok: false, detail: `${h.detail ?? ''}（预留空间已用 — reserve in use）` } : h);
    if (level !== this.#level) {
      const at = { freeMb: Math.floor(space.freeBytes / MB), totalMb: Math.floor(space.totalBytes / MB), disk: level };
      if (level === 'ok') this.logger.info(at, 'data disk space ok');
      else if (level === 'low') this.logger.warn(at, 'data disk space low');
      else this.logger.error(at, 'data disk almost full');
      this.#level = level;
    }
    return level;
  }

  async #measure(): Promise<DiskSpace | null> {
    try {
      const s = await statfs(this.dir);
      return { freeBytes: s.bavail * s.bsize, totalBytes: s.blocks * s.bsize };
    } catch (err) {
      this.health.set('storage', { ok: false, detail: `无法读取数据盘空间 — cannot read the data disk's free space: ${(err as Error).message}` });
      return null;
    }
  }

  start(everyMs = 60_000): void {
    void this.check();
    this.#timer = setInterval(() => void this.check(), everyMs);
    this.#timer.unref();
  }

  /** Stops the checks and waits for one in progress (it may be writing the reserve). */
  async stop(): Promise<void> {
    if (this.#timer) clearInterval(this.#timer);
    this.#timer = null;
    await this.#checking;
  }
}
