// The test harness's child processes cannot outlive their test: a process group killed as one
// (its own children with it), the kernel's parent-death signal when the test process itself is
// SIGKILLed, and the run's mark that the global guard uses to find survivors. Real processes.
import { afterAll, describe, expect, it, onTestFinished } from 'vitest';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { killOwnedProcesses, ownedProcessCount, RUN_MARK, spawnOwned } from '../test-support/owned-process.js';
import { markedProcesses } from '../test-support/global-guard.js';
import { running as alive } from '../test-support/proc.js';
import { until } from '../test-support/until.js';

afterAll(() => killOwnedProcesses());

describe('owned test processes', () => {
  it('carry the run mark, and a kill takes the whole group (children of the child too)', async () => {
    const run = process.env[RUN_MARK];
    expect(run).toBeTruthy();
    const p = spawnOwned('sh', ['-c', 'sleep 600 & echo $!; wait']);
    await until('the grandchild pid', () => /\d+/.test(p.output()));
    const grandchild = Number(/\d+/.exec(p.output())?.[0]);
    const marked = markedProcesses(run as string).map((m) => m.pid);
    expect(marked).toContain(p.pid);
    expect(marked).toContain(grandchild); // inherited by what it starts
    expect(await p.kill()).toBe('SIGKILL');
    await until('the grandchild gone', () => !alive(grandchild));
    expect(ownedProcessCount()).toBe(0);
  });

  it('die with the test process even when it is SIGKILLed (parent-death signal)', async () => {
    // A stand-in for a test process: it starts an owned `sleep`, prints its pid, waits.
    const script = `import { spawnOwned } from ${JSON.stringify(join(import.meta.dirname, '../test-support/owned-process.ts'))};
      const p = spawnOwned('sleep', ['600']); console.log(p.pid); setInterval(() => {}, 1000);`;
    const host = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { stdio: ['ignore', 'pipe', 'inherit'] });
    onTestFinished(() => void host.kill('SIGKILL'));
    let out = '';
    host.stdout?.on('data', (d: Buffer) => (out += d.toString()));
    await until('the owned sleep', () => /\d+/.test(out));
    const sleeper = Number(/\d+/.exec(out)?.[0]);
    expect(alive(sleeper)).toBe(true);
    host.kill('SIGKILL');
    await until('the owned sleep ended with its test process', () => !alive(sleeper));
  });
});
