// Backups on a disk that is filling up, for real (a 16 MB tmpfs): a backup never eats the
// space kept for attendance records. It removes the oldest backups first and keeps the
// newest; when even that is not enough it is skipped with a disk_full StoreError, leaving no
// partial file; the gate's next record is still written.
import { describe, expect, it, afterAll, beforeAll } from 'vitest';
import { execFileSync } from 'node:child_process';
import { closeSync, existsSync, mkdtempSync, openSync, readdirSync, rmSync, statfsSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AttendanceRepo, StoreError, listBackups } from '../../src/index.js';
import { openTestStore } from './helpers.js';

const MB = 1024 * 1024;
const mnt = mkdtempSync(join(tmpdir(), 'sg-backup-space-'));
beforeAll(() => execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=16m', 'tmpfs', mnt]));
afterAll(() => {
  execFileSync('umount', [mnt]);
  rmSync(mnt, { recursive: true, force: true });
});

const free = (): number => {
  const s = statfsSync(mnt);
  return s.bavail * s.bsize;
};

/** Fills the disk until `leave` bytes are free. */
function fillUntil(file: string, leave: number): void {
  const fd = openSync(file, 'a');
  try {
    while (free() > leave) writeSync(fd, Buffer.alloc(Math.min(256 * 1024, Math.max(4096, free() - leave)), 1));
  } finally {
    closeSync(fd);
  }
}

describe('store: backups when the disk is filling up', () => {
  it('prunes the oldest backups for room, then refuses to back up rather than take the reserve', async () => {
    const { store } = openTestStore(join(mnt, 'data'));
    try {
      const repo = new AttendanceRepo(store);
      for (let i = 0; i < 20; i++) repo.record({ laneId: 'l1', workerId: null, direction: 'in', decision: 'refuse', photoJpeg: Buffer.alloc(60_000, i) });
      store.checkpoint('TRUNCATE');
      const size = store.sizeBytes();
      expect(size).toBeGreaterThan(MB);

      const first = await store.autoBackup();
      const second = await store.autoBackup();
      expect(listBackups(store.backupDir).map((b) => b.path).sort()).toEqual([first, second].sort());

      // Room for the backup only once the oldest one is gone.
      const reserve = 2 * MB;
      fillUntil(join(mnt, 'filler-1'), reserve + size - MB / 2);
      const pruned: string[] = [];
      const third = await store.autoBackup({ reserveBytes: reserve, onPruned: (p) => pruned.push(p) });
      expect(pruned).toHaveLength(1);
      expect(existsSync(third)).toBe(true);
      expect(listBackups(store.backupDir)).toHaveLength(2);
      expect(free()).toBeGreaterThanOrEqual(reserve);

      // The disk fills into the reserve: even with only the newest backup left there is no
      // room, so the backup is skipped and nothing is half-written.
      fillUntil(join(mnt, 'filler-2'), reserve - size / 2);
      const before = free();
      let refused: unknown = null;
      try {
        await store.autoBackup({ reserveBytes: reserve, onPruned: (p) => pruned.push(p) });
      } catch (err) {
        refused = err;
      }
      expect(refused).toBeInstanceOf(StoreError);
      expect((refused as StoreError).code).toBe('disk_full');
      expect((refused as StoreError).message).toMatch(/no room for a backup .* 2 MB must stay free/);
      expect(listBackups(store.backupDir)).toHaveLength(1);
      expect(listBackups(store.backupDir)[0]?.path).toBe(third);
      expect(readdirSync(store.backupDir).filter((f) => f.endsWith('.partial'))).toEqual([]);
      expect(free()).toBeGreaterThanOrEqual(before);

      // The reserve is still there for the gate.
      const next = repo.record({ laneId: 'l1', workerId: null, direction: 'in', decision: 'refuse', photoJpeg: Buffer.alloc(60_000, 99) });
      expect(repo.get(next.id)).not.toBeNull();
    } finally {
      store.close();
    }
  });
});
