// A core in simulated-device mode killed with SIGKILL (a crash, a power-cut-like stop of the
// process) leaves nothing running and nothing it cannot clean: its four socat pseudo-terminal
// pairs end with it (parent-death signal), and the next start removes the simulators' temp
// directory of the dead process and the unfinished files of the killed run
// (reserve.bin.partial, a backup's .partial). The real core process (core.main.ts), real socat.
import { afterAll, describe, expect, it } from 'vitest';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startCoreProcess } from './core-process.js';
import { killOwnedProcesses } from '../../build/test-support/owned-process.js';
import { findProcesses, running } from '../../build/test-support/proc.js';
import { until } from '../../build/test-support/until.js';

const dir = mkdtempSync(join(tmpdir(), 'sg-crash-leftovers-'));
afterAll(async () => {
  await killOwnedProcesses();
  rmSync(dir, { recursive: true, force: true });
});

/** Live child processes of `pid` named `comm`. */
function children(pid: number, comm: string): number[] {
  return findProcesses({ parent: pid, comm });
}

/** The simulators' temp directory a process made (its owner file names it). */
function simDirOf(pid: number): string | null {
  for (const name of readdirSync(tmpdir()).filter((n) => n.startsWith('sitegate-sim-'))) {
    try {
      if (readFileSync(join(tmpdir(), name, 'owner.pid'), 'utf8').trim() === String(pid)) return join(tmpdir(), name);
    } catch {
      // another process's directory, or one being removed
    }
  }
  return null;
}

describe('a crash in simulated-device mode', () => {
  it('leaves no socat running; the next start removes the dead run’s temp directory and unfinished files', async () => {
    const dataDir = join(dir, 'data');
    const configFile = join(dir, 'config.yaml');
    writeFileSync(configFile, JSON.stringify({ demo: true, server: { port: 0 }, storage: { reserveMb: 1, warnFreeMb: 1, criticalFreeMb: 1 } }));
    const first = await startCoreProcess({ configFile, dataDir });
    await until('four socat pairs', () => children(first.pid, 'socat').length === 4);
    const socats = children(first.pid, 'socat');
    const simDir = simDirOf(first.pid);
    expect(simDir).not.toBeNull();

    // SIGKILL to the core alone, as a crash: it gets no chance to stop its simulators.
    process.kill(first.pid, 'SIGKILL');
    expect(await first.exited).toBe('SIGKILL');
    await until('every socat of the dead core gone', () => socats.every((p) => !running(p)));
    expect(existsSync(simDir as string)).toBe(true); // nobody cleaned it up: the next start does
    // What a SIGKILL in the middle of writing leaves behind (in the demo's own folder, where it writes).
    const written = join(dataDir, 'demo');
    expect(existsSync(join(written, 'sitegate.db'))).toBe(true);
    writeFileSync(join(written, 'reserve.bin.partial'), Buffer.alloc(64 * 1024));
    mkdirSync(join(written, 'backups'), { recursive: true });
    writeFileSync(join(written, 'backups', 'sitegate-2026-12-01T00-00-00-000Z.db.partial'), Buffer.alloc(4096));

    const second = await startCoreProcess({ configFile, dataDir });
    expect(existsSync(simDir as string)).toBe(false);
    // The planted partial file is gone; the core may then write its own reserve through a
    // .partial of its own, so the check waits for the finished reserve.
    await until('the reserve written', () => existsSync(join(written, 'reserve.bin')));
    expect(existsSync(join(written, 'reserve.bin.partial'))).toBe(false);
    expect(readdirSync(join(written, 'backups')).filter((f) => f.endsWith('.partial'))).toEqual([]);
    const log = readdirSync(join(written, 'logs'))
      .map((f) => readFileSync(join(written, 'logs', f), 'utf8'))
      .join('')
      .split('\n');
    expect(log.some((l) => l.includes('unfinished file of an interrupted run removed') && l.includes('reserve.bin.partial'))).toBe(true);
    await until('its own socat pairs', () => children(second.pid, 'socat').length === 4);
    const secondSocats = children(second.pid, 'socat');
    const secondSimDir = simDirOf(second.pid);

    // A clean stop takes its socat and its temp directory with it.
    expect(await second.stop()).toBe(0);
    await until('its socat gone', () => secondSocats.every((p) => !running(p)));
    expect(secondSimDir !== null && existsSync(secondSimDir)).toBe(false);
  }, 300_000);
});
