import { describe, expect, it, afterEach } from 'vitest';
import { existsSync, openSync, writeSync, closeSync, statSync, writeFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { AttendanceRepo, DB_FILE, listBackups } from '../../src/index.js';
import { fixedClock, openTestStore, tempDir } from './helpers.js';

let cleanup: () => void = () => {};
afterEach(() => cleanup());

function scribble(path: string): void {
  // Overwrite pages in the middle of the file (b-tree pages), keeping the header intact.
  const size = statSync(path).size;
  const fd = openSync(path, 'r+');
  for (let off = 4096; off < size; off += 4096 * 3) writeSync(fd, Buffer.alloc(512, 0xa5), 0, 512, off + 100);
  closeSync(fd);
}

describe('store: corruption at start', () => {
  it('a corrupted database is set aside and the last backup restored, with a report of what happened', async () => {
    const t = tempDir();
    cleanup = t.cleanup;
    const first = openTestStore(t.dir);
    const repo = new AttendanceRepo(first.store);
    const before = Array.from({ length: 200 }, (_, i) => repo.record({ laneId: 'l1', workerId: null, direction: 'in', decision: 'refuse', reasons: [`r${i}`] }).id);
    const backup = await first.store.autoBackup();
    repo.record({ laneId: 'l1', workerId: null, direction: 'in', decision: 'refuse', reasons: ['after-backup'] });
    first.store.close();
    scribble(join(t.dir, DB_FILE));

    const { store, recovered } = openTestStore(t.dir);
    expect(recovered).not.toBeNull();
    expect(recovered?.restoredFrom).toBe(backup);
    expect(recovered?.problem).toMatch(/integrity_check|SQLITE_CORRUPT|SQLITE_NOTADB/);
    expect(existsSync(recovered?.quarantinedTo ?? '')).toBe(true);
    const ids = new Set(new AttendanceRepo(store).list({ limit: 1000 }).map((e) => e.id));
    expect(before.every((id) => ids.has(id))).toBe(true);
    expect(store.db.pragma('integrity_check', { simple: true })).toBe('ok');
    store.close();
  });

  it('a file that is not a database at all, with no backup, is kept aside and a fresh store starts', () => {
    const t = tempDir();
    cleanup = t.cleanup;
    openTestStore(t.dir).store.close();
    writeFileSync(join(t.dir, DB_FILE), Buffer.alloc(8192, 0x41));
    // the key check row is gone with the database, so the existing key is reused for the fresh store
    const { store, recovered } = openTestStore(t.dir);
    expect(recovered?.restoredFrom).toBeNull();
    expect(readdirSync(join(t.dir, 'corrupt')).some((f) => f.startsWith('sitegate-corrupt-'))).toBe(true);
    expect(new AttendanceRepo(store).count()).toBe(0);
    store.close();
  });

  it('automatic backups keep only the newest N', async () => {
    const t = tempDir();
    cleanup = t.cleanup;
    const clock = fixedClock();
    const { store } = openTestStore(t.dir, clock);
    for (let i = 0; i < 9; i++) {
      await store.autoBackup();
      clock.advance(3_600_000);
      await new Promise((r) => setTimeout(r, 5));
    }
    expect(listBackups(store.backupDir)).toHaveLength(7);
    store.close();
  });
});
