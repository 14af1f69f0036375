// The data-disk watch on a real 16 MB tmpfs: free space measured by statfs while a file fills
// it, the reserve written and released.
import { describe, expect, it, afterAll, beforeAll } from 'vitest';
import { execFileSync } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, rmSync, statSync, statfsSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { DiskReserve, DiskWatch, diskHealth, diskLevel } from '../server/disk-watch.js';
import { HealthRegistry } from '../server/services.js';

const MB = 1024 * 1024;
const mnt = mkdtempSync(join(tmpdir(), 'sg-disk-watch-'));
beforeAll(() => execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=16m', 'tmpfs', mnt]));
afterAll(() => {
  execFileSync('umount', [mnt]);
  rmSync(mnt, { recursive: true, force: true });
});

function writeMb(file: string, mb: number): void {
  const fd = openSync(file, 'w');
  try {
    for (let i = 0; i < mb; i++) writeSync(fd, Buffer.alloc(MB, 7));
  } finally {
    closeSync(fd);
  }
}

describe('data disk watch', () => {
  it('grades free space against the thresholds', () => {
    const t = { warnFreeMb: 2048, criticalFreeMb: 512 };
    expect(diskLevel({ freeBytes: 4096 * MB, totalBytes: 100_000 * MB }, t)).toBe('ok');
    expect(diskLevel({ freeBytes: 2047 * MB, totalBytes: 100_000 * MB }, t)).toBe('low');
    expect(diskLevel({ freeBytes: 511 * MB, totalBytes: 100_000 * MB }, t)).toBe('critical');
    const h = diskHealth({ freeBytes: 300 * MB, totalBytes: 1000 * MB }, 'critical');
    expect(h.ok).toBe(false);
    expect(h.detail).toMatch(/^数据盘即将写满.*剩余 300 MB（共 1000 MB）.*300 MB free of 1000 MB/);
  });

  it('reports a filling tmpfs as low, then critical, and ok again once space is freed', async () => {
    const health = new HealthRegistry();
    const lines: string[] = [];
    const logger = pino({ level: 'info' }, { write: (s: string) => void lines.push(s) });
    const watch = new DiskWatch(mnt, { warnFreeMb: 12, criticalFreeMb: 4 }, health, logger);
    expect(await watch.check()).toBe('ok');
    expect(health.snapshot()['storage']?.ok).toBe(true);

    writeMb(join(mnt, 'a'), 6);
    expect(await watch.check()).toBe('low');
    expect(health.snapshot()['storage']).toMatchObject({ ok: false, detail: expect.stringMatching(/数据盘空间不足/) });
    writeMb(join(mnt, 'b'), 8);
    expect(await watch.check()).toBe('critical');
    expect(health.snapshot()['storage']?.detail).toMatch(/almost full/);
    expect(health.allOk()).toBe(false);

    rmSync(join(mnt, 'a'));
    rmSync(join(mnt, 'b'));
    expect(await watch.check()).toBe('ok');
    expect(health.allOk()).toBe(true);
    const logged = lines.map((l) => JSON.parse(l) as { msg: string; level: number });
    expect(logged.map((l) => l.msg)).toEqual(['data disk space ok', 'data disk space low', 'data disk almost full', 'data disk space ok']);
    expect(logged[2]?.level).toBe(50); // error: the supervisor's log viewer shows it red
  });

  it('writes the reserve when there is room, releases it when the disk is almost full, and writes it again', async () => {
    const health = new HealthRegistry();
    const reserve = new DiskReserve(join(mnt, 'reserve.bin'), 3 * MB);
    const watch = new DiskWatch(mnt, { warnFreeMb: 6, criticalFreeMb: 2 }, health, pino({ level: 'silent' }), reserve);
    expect(await watch.check()).toBe('ok');
    expect(reserve.present).toBe(true);
    expect(statSync(reserve.file).size).toBe(3 * MB);

    const fd = openSync(join(mnt, 'fill'), 'w');
    try {
      while (statfsSync(mnt).bavail * statfsSync(mnt).bsize > MB) writeSync(fd, Buffer.alloc(256 * 1024, 1));
    } finally {
      closeSync(fd);
    }
    expect(await watch.check()).toBe('low'); // critical, then 3 MB freed by releasing the reserve
    expect(reserve.present).toBe(false);
    expect(health.snapshot()['storage']?.detail).toMatch(/预留空间已用 — reserve in use/);
    expect(watch.reclaimForRecords()).toBe(false); // nothing left to release

    rmSync(join(mnt, 'fill'));
    expect(await watch.check()).toBe('ok');
    expect(reserve.present).toBe(true);
    expect(health.snapshot()['storage']?.ok).toBe(true);
    await watch.stop();
    reserve.release();
  });

  it('says when the data directory cannot be measured', async () => {
    const health = new HealthRegistry();
    const watch = new DiskWatch(join(mnt, 'no-such-dir'), { warnFreeMb: 1, criticalFreeMb: 1 }, health, pino({ level: 'silent' }));
    expect(await watch.check()).toBeNull();
    expect(health.snapshot()['storage']).toMatchObject({ ok: false, detail: expect.stringMatching(/无法读取数据盘空间/) });
  });
});
