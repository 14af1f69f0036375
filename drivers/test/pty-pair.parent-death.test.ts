// socat of a simulator's pty pair ends with the process that started it, even when that
// process is SIGKILLed and gets no chance to stop it: under setpriv's parent-death signal
// (Linux), and under the shell watchdog used where setpriv is missing (stdin reaches its end).
// Real socat, a real owner process killed for real.
import { afterAll, describe, expect, it } from 'vitest';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { scratchDir } from './helpers.js';
import { findProcesses } from '../../build/test-support/proc.js';
import { until } from '../../build/test-support/until.js';

const owners: ChildProcess[] = [];
afterAll(() => {
  for (const o of owners) if (o.exitCode === null && o.signalCode === null) o.kill('SIGKILL');
});

/** socat processes whose command line names `dir`. */
function socatsFor(dir: string): number[] {
  return findProcesses({ cmdline: (args) => (args[0] ?? '').endsWith('socat') && args.some((a) => a.includes(dir)) });
}

describe('a simulator pty pair outlives nobody', () => {
  for (const mode of ['pdeathsig', 'watchdog'] as const) {
    it(`socat ends when its owner is SIGKILLed (${mode === 'pdeathsig' ? 'setpriv --pdeathsig' : 'shell watchdog on stdin'})`, async () => {
      const dir = scratchDir(`pty-owner-${mode}`);
      const owner = spawn(process.execPath, ['--import', 'tsx', join(import.meta.dirname, 'pty-owner.fixture.ts'), dir, mode], { stdio: ['ignore', 'pipe', 'pipe'] });
      owners.push(owner);
      let err = '';
      owner.stderr?.on('data', (d: Buffer) => (err += d.toString()));
      await new Promise<void>((resolve, reject) => {
        owner.stdout?.on('data', (d: Buffer) => d.toString().includes('"ready":true') && resolve());
        owner.once('exit', (code) => reject(new Error(`owner exited (${String(code)}): ${err}`)));
      });
      const socats = socatsFor(dir);
      expect(socats).toHaveLength(1);
      expect(existsSync(join(dir, 'dev'))).toBe(true);

      owner.kill('SIGKILL');
      await until('socat gone', () => socatsFor(dir).length === 0);
      // It ended by a signal it handles (TERM), so it removed its links too.
      await until('links removed', () => !existsSync(join(dir, 'dev')) && !existsSync(join(dir, 'sim')));
    }, 60_000);
  }
});
