import { describe, expect, it, afterEach } from 'vitest';
import { existsSync, openSync, writeSync, closeSync, statSync, writeFileSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { AttendanceRepo, AuditLog, DB_FILE, WorkersRepo, listBackups } from '../../src/index.js';
import { fakeIdNumber, fixedClock, openTestStore, tempDir } from './helpers.js';

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

describe('store: what a restore from backup lost, reported exactly', () => {
  it('lists the events written after the backup, says which had reached the platform, and re-checks undelivered items', async () => {
    const t = tempDir();
    cleanup = t.cleanup;
    const clock = fixedClock();
    const first = openTestStore(t.dir, clock);
    const repo = new AttendanceRepo(first.store);
    for (let i = 0; i < 19; i++) repo.record({ laneId: 'l1', workerId: null, direction: 'in', decision: 'refuse' });
    const workers = new WorkersRepo(first.store);
    const emp = workers.createEmployer({ name: '测试劳务', creditCode: '91999999MA0RESTOR1', corpType: 'labour' }, 'test');
    const team = workers.createTeam({ employerId: emp.id, name: '测试班组' }, 'test');
    const w = workers.create({ name: '测试乙', idType: '01', idNumber: fakeIdNumber(7), tradeCode: '010', role: 'worker', employerId: emp.id, teamId: team.id }, 'test');
    const pass = repo.record({ laneId: 'l1', workerId: w.id, direction: 'in', decision: 'pass' });
    await first.store.autoBackup();
    const lostIds = [0, 1, 2].map(() => repo.record({ laneId: 'l2', workerId: null, direction: 'out', decision: 'refuse' }).id);
    const pageSize = first.store.db.pragma('page_size', { simple: true }) as number;
    const root = (first.store.db.prepare("SELECT rootpage FROM sqlite_master WHERE name = 'attendance_day'").get() as { rootpage: number }).rootpage;
    first.store.close();
    // Corrupt one index page: integrity_check fails, the table pages stay readable.
    const fd = openSync(join(t.dir, DB_FILE), 'r+');
    writeSync(fd, Buffer.alloc(64, 0xa5), 0, 64, (root - 1) * pageSize + 8);
    closeSync(fd);

    const { store, recovered } = openTestStore(t.dir, clock);
    expect(recovered?.restoredFrom).not.toBeNull();
    expect(recovered?.loss).toMatchObject({ complete: true, attendanceLost: 3, attendanceOnPlatform: 0 });
    const list = JSON.parse(readFileSync(recovered?.loss?.listFile ?? '', 'utf8')) as { events: Array<{ id: string; laneId: string }> };
    expect(list.events.map((e) => e.id)).toEqual(lostIds);
    expect(JSON.stringify(list)).not.toMatch(/idNumber|name/);
    const audit = new AuditLog(store).list({ action: 'store.restored_from_backup' })[0];
    expect(audit?.details).toMatchObject({ loss: { attendanceLost: 3 } });
    expect(new AttendanceRepo(store).count()).toBe(20);
    // The pass was undelivered in the backup; it may have reached the platform since: check first.
    const state = store.db.prepare("SELECT state FROM outbox WHERE ref_id = ?").get(pass.id) as { state: string };
    expect(state.state).toBe('ambiguous');
    store.close();
  });
});
