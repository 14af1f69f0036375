// The rotating log file on a real 2 MB tmpfs, through the core's own pino logger: rotation by
// size keeps the newest files; a full disk never throws out of a log call — lines are kept in
// memory (bounded) and the overflow is dropped and counted — and once space returns the file
// gets a notice of the outage and the kept lines, in order, each once.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RotatingLogFile } from '../server/log-file.js';
import { createLogger, logFileOf } from '../server/logger.js';
import { fillDisk } from '../../build/test-support/fill-disk.js';

const mnt = mkdtempSync(join(tmpdir(), 'sg-log-file-'));
beforeAll(() => execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=2m', 'tmpfs', mnt]));
afterAll(() => {
  execFileSync('umount', [mnt]);
  rmSync(mnt, { recursive: true, force: true });
});

function fill(name: string): void {
  fillDisk(join(mnt, name));
}

const settle = (ms = 30) => new Promise((r) => setTimeout(r, ms));

function lines(dir: string): string[] {
  return readdirSync(dir)
    .filter((f) => /^sitegate\.\d+\.log$/.test(f))
    .sort((a, b) => Number(a.split('.')[1]) - Number(b.split('.')[1]))
    .flatMap((f) => readFileSync(join(dir, f), 'utf8').split('\n'))
    .filter(Boolean);
}

describe('rotating log file', () => {
  it('rotates by size and keeps the newest files, owner-readable only', async () => {
    const dir = join(mnt, 'rotate');
    const file = new RotatingLogFile({ dir, maxBytes: 4096, keepFiles: 3 });
    for (let i = 0; i < 200; i++) {
      file.write(`${JSON.stringify({ i, msg: 'x'.repeat(80) })}\n`);
      if (i % 20 === 0) await settle(5);
    }
    file.end();
    const names = readdirSync(dir).sort((a, b) => Number(a.split('.')[1]) - Number(b.split('.')[1]));
    expect(names.length).toBe(3);
    expect(Number(names[0]?.split('.')[1])).toBeGreaterThan(1);
    for (const n of names) {
      expect(statSync(join(dir, n)).size).toBeLessThanOrEqual(4096 + 200);
      expect(statSync(join(dir, n)).mode & 0o777).toBe(0o600);
    }
    // The newest lines are all there, in order.
    const kept = lines(dir).map((l) => (JSON.parse(l) as { i: number }).i);
    expect(kept.at(-1)).toBe(199);
    expect(kept).toEqual([...kept].sort((a, b) => a - b));
    rmSync(dir, { recursive: true });
  });

  it('on a full disk keeps lines in memory and counts the overflow; writes them after a notice once space returns', async () => {
    const dir = join(mnt, 'full');
    const logger = createLogger({ level: 'info', dir, maxFileMb: 1, keepFiles: 5 });
    const file = logFileOf(logger) as RotatingLogFile;
    const states: Array<ReturnType<RotatingLogFile['state']>> = [];
    file.onState((s) => states.push(s));
    logger.info({ n: 0 }, 'before the disk filled');
    await settle();
    fill('filler');
    // Well over the 1 MB spool: the oldest lines kept are dropped, and counted.
    for (let n = 1; n <= 6000; n++) expect(() => logger.info({ n, pad: 'p'.repeat(200) }, 'while full')).not.toThrow();
    await settle();
    const full = file.state();
    expect(full).toMatchObject({ ok: false, error: 'ENOSPC' });
    expect(full.dropped).toBeGreaterThan(0);
    expect(full.spooled).toBeGreaterThan(100);
    expect(states[0]).toMatchObject({ ok: false });

    rmSync(join(mnt, 'filler'));
    for (let i = 0; i < 200 && !file.state().ok; i++) await settle(50);
    logger.info({ n: 6001 }, 'after space returned');
    file.flushSync();
    expect(file.state()).toMatchObject({ ok: true, spooled: 0, error: null });
    expect(states.at(-1)).toMatchObject({ ok: true });

    const all = lines(dir);
    const notice = all.findIndex((l) => l.includes('log file could not be written (ENOSPC)'));
    expect(notice).toBeGreaterThan(0);
    const noticeJson = JSON.parse(all[notice] as string) as { logFile: { dropped: number; spooled: number } };
    expect(noticeJson.logFile.dropped).toBe(full.dropped);
    // After the notice: the kept lines, in order, each once, then the new line.
    const after = all.slice(notice + 1).map((l) => JSON.parse(l) as { n: number });
    const ns = after.map((l) => l.n);
    expect(ns.at(-1)).toBe(6001);
    expect(ns).toEqual([...new Set(ns)].sort((a, b) => a - b));
    expect(ns.at(-2)).toBe(6000);
    expect(ns.length - 1).toBe(noticeJson.logFile.spooled);
    // Before the notice: what was written before the disk filled (at most one line cut short).
    const before = all.slice(0, notice);
    expect(before.filter((l) => !l.startsWith('{') || !l.endsWith('}')).length).toBeLessThanOrEqual(1);
    expect(before.some((l) => l.includes('before the disk filled'))).toBe(true);
    // Every line logged while full is accounted for: written into the last page of the file
    // before the disk said no, kept and written now, or dropped and counted.
    const writtenBefore = before.filter((l) => l.includes('while full') && l.endsWith('}')).length;
    expect(writtenBefore + noticeJson.logFile.spooled + noticeJson.logFile.dropped).toBe(6000);
    file.end();
  });
});
