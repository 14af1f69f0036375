// The data disk, watched: its free space is checked every minute so the supervisor sees a
// filling disk on the dashboard long before the gate has to refuse passages it cannot record,
// and a failed attendance write is named in plain words (full, read-only, I/O error).
import { statfs } from 'node:fs/promises';
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
 * Plain words for why an attendance record could not be written: the store's typed errors
 * (StoreError codes), raw SQLite codes (extended ones included) and errno codes.
 */
export function describeWriteFailure(err: unknown): { code: 'disk_full' | 'disk_read_only' | 'disk_io' | 'database_corrupt' | 'write_failed'; zh: string; en: string } {
  const code = typeof err === 'object' && err !== null && 'code' in err ? String((err as { code: unknown }).code) : '';
  if (code === 'disk_full' || code === 'SQLITE_FULL' || code === 'ENOSPC') return { code: 'disk_full', zh: '数据盘已满', en: 'data disk full' };
  if (code === 'read_only' || code.startsWith('SQLITE_READONLY') || code === 'EROFS') return { code: 'disk_read_only', zh: '数据盘只读（可能已损坏）', en: 'data disk is read-only (it may be failing)' };
  if (code === 'io' || code.startsWith('SQLITE_IOERR') || code === 'EIO') return { code: 'disk_io', zh: '数据盘读写错误', en: 'data disk I/O error' };
  if (code === 'corrupt' || code.startsWith('SQLITE_CORRUPT') || code === 'SQLITE_NOTADB')
    return { code: 'database_corrupt', zh: '数据库已损坏，请重启（将从备份恢复）', en: 'database corrupted; restart to restore it from the backup' };
  const message = err instanceof Error ? err.message : String(err);
  return { code: 'write_failed', zh: '考勤记录写入失败', en: `attendance record not written: ${message}` };
}

export class DiskWatch {
  #level: DiskLevel | null = null;
  #timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly dir: string,
    private readonly thresholds: DiskThresholds,
    private readonly health: HealthRegistry,
    private readonly logger: Logger,
  ) {}

  /** Measures now, updates the `storage` health component and logs a change of level. */
  async check(): Promise<DiskLevel | null> {
    let space: DiskSpace;
    try {
      const s = await statfs(this.dir);
      space = { freeBytes: s.bavail * s.bsize, totalBytes: s.blocks * s.bsize };
    } catch (err) {
      this.health.set('storage', { ok: false, detail: `无法读取数据盘空间 — cannot read the data disk's free space: ${(err as Error).message}` });
      return null;
    }
    const level = diskLevel(space, this.thresholds);
    this.health.set('storage', diskHealth(space, level));
    if (level !== this.#level) {
      const at = { freeMb: Math.floor(space.freeBytes / MB), totalMb: Math.floor(space.totalBytes / MB), disk: level };
      if (level === 'ok') this.logger.info(at, 'data disk space ok');
      else if (level === 'low') this.logger.warn(at, 'data disk space low');
      else this.logger.error(at, 'data disk almost full');
      this.#level = level;
    }
    return level;
  }

  start(everyMs = 60_000): void {
    void this.check();
    this.#timer = setInterval(() => void this.check(), everyMs);
    this.#timer.unref();
  }

  stop(): void {
    if (this.#timer) clearInterval(this.#timer);
    this.#timer = null;
  }
}
