// A full disk, for real: the store lives on a 4 MB tmpfs. Writes fail with a typed
// 'disk_full' StoreError naming the fix; nothing committed before is lost; after space is
// freed the store writes again and integrity_check passes.
import { describe, expect, it, afterAll, beforeAll } from 'vitest';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync, unlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AttendanceRepo, StoreError, type CheckpointState } from '../../src/index.js';
import { openTestStore } from './helpers.js';
import { fillDisk } from '../../../build/test-support/fill-disk.js';

const mnt = mkdtempSync(join(tmpdir(), 'sg-full-'));
const mnt2 = mkdtempSync(join(tmpdir(), 'sg-full-ckpt-'));
beforeAll(() => {
  // Needs root (CI and the build machines run as root); a failure here fails the test.
  for (const m of [mnt, mnt2]) execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=4m', 'tmpfs', m]);
});
afterAll(() => {
  for (const m of [mnt, mnt2]) {
    execFileSync('umount', [m]);
    rmSync(m, { recursive: true, force: true });
  }
});

describe('store: disk full', () => {
  it('refuses new records with disk_full, keeps every committed one, and recovers when space returns', () => {
    // Something else on the disk takes 1 MB (old logs, say); deleting it frees space later.
    writeFileSync(join(mnt, 'filler'), Buffer.alloc(1024 * 1024));
    const { store } = openTestStore(join(mnt, 'data'));
    try {
      const repo = new AttendanceRepo(store);
      const photo = Buffer.alloc(60_000, 3);
      const committed: string[] = [];
      let failure: unknown = null;
      for (let i = 0; i < 200 && !failure; i++) {
        try {
          committed.push(
            repo.record({
              laneId: 'l1',
              workerId: null,
              direction: 'in',
              decision: 'refuse',
              photoJpeg: photo,
            }).id,
          );
        } catch (err) {
          failure = err;
        }
      }
      expect(failure).toBeInstanceOf(StoreError);
      expect((failure as StoreError).code).toBe('disk_full');
      expect((failure as StoreError).message).toMatch(/disk .* is full/);
      expect(committed.length).toBeGreaterThan(5);
      for (const id of committed) expect(repo.get(id)).not.toBeNull();

      // The operator frees space; the very next record is written.
      unlinkSync(join(mnt, 'filler'));
      const after = repo.record({ laneId: 'l1', workerId: null, direction: 'in', decision: 'refuse' });
      expect(repo.get(after.id)).not.toBeNull();
      expect(store.db.pragma('integrity_check', { simple: true })).toBe('ok');
      expect(repo.count()).toBe(committed.length + 1);
    } finally {
      store.close();
    }
  });

  it('scheduled checkpoints on a full disk are counted, reported and retried — never thrown out of their timer', async () => {
    const { store } = openTestStore(join(mnt2, 'data-checkpoint'));
    try {
      // Records in the WAL that the database file has no pages for yet: a checkpoint must grow it.
      const repo = new AttendanceRepo(store);
      store.checkpoint('TRUNCATE');
      for (let i = 0; i < 8; i++)
        repo.record({
          laneId: 'l1',
          workerId: null,
          direction: 'in',
          decision: 'refuse',
          photoJpeg: Buffer.alloc(40_000, i),
        });
      fillDisk(join(mnt2, 'filler'));
      const heard: CheckpointState[] = [];
      const waitFor = async (pred: () => boolean) => {
        for (let i = 0; i < 500 && !pred(); i++) await new Promise((r) => setTimeout(r, 20));
        expect(pred()).toBe(true);
      };
      store.scheduleCheckpoints(20, 50, (s) => heard.push(s));
      await waitFor(() => (heard.at(-1)?.failures ?? 0) >= 3);
      expect(heard.at(-1)).toMatchObject({ failing: true, lastError: 'disk_full', truncateOwed: true });

      unlinkSync(join(mnt2, 'filler'));
      await waitFor(() => heard.at(-1)?.failing === false);
      expect(store.checkpointState()).toMatchObject({ failing: false, lastError: null, truncateOwed: false });
      expect(store.checkpointState().failures).toBeGreaterThanOrEqual(3);
      expect(repo.count()).toBe(8);
      expect(store.db.pragma('integrity_check', { simple: true })).toBe('ok');
    } finally {
      rmSync(join(mnt2, 'filler'), { force: true });
      store.close();
    }
  });
});
