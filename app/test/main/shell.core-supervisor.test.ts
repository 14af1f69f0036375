// The core service's supervisor with real child processes (node's child_process.fork stands in
// for Electron's utilityProcess.fork, which needs the Electron binary): a crashing core is
// restarted with growing back-off and flagged as a crash loop; a healthy one is left alone and
// stopped cleanly on quit. Back-off values are shrunk so the test runs in a moment.
import { describe, expect, it } from 'vitest';
import { fork } from 'node:child_process';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CoreSupervisor, type CoreChild, type SupervisorState } from '../../shared/core-supervisor.js';

const fixtures = join(dirname(fileURLToPath(import.meta.url)), 'fixtures');

function forkChild(script: string, args: string[] = []): () => CoreChild {
  return () => {
    const c = fork(join(fixtures, script), args, { stdio: 'ignore' });
    return { pid: c.pid, onExit: (cb) => c.on('exit', (code) => cb(code)), kill: () => void c.kill() };
  };
}

function until(pred: () => boolean): Promise<void> {
  return new Promise((resolve) => {
    const i = setInterval(() => {
      if (pred()) {
        clearInterval(i);
        resolve();
      }
    }, 5);
  });
}

describe('core supervisor with real child processes', () => {
  it('restarts a crashing core with doubling delays and reports a crash loop', async () => {
    const states: SupervisorState[] = [];
    const sup = new CoreSupervisor(forkChild('core-crashes.mjs', ['3']), (s) => states.push(s), {
      backoff: { baseMs: 10, maxMs: 40, stableMs: 60_000, loopAfter: 3 },
    });
    sup.start();
    await until(() => sup.starts >= 5);
    await sup.stop();
    const waits = states.filter(
      (s): s is Extract<SupervisorState, { kind: 'waiting' }> => s.kind === 'waiting',
    );
    expect(waits.slice(0, 4).map((w) => w.delayMs)).toEqual([10, 20, 40, 40]);
    expect(waits.slice(0, 4).map((w) => w.crashLoop)).toEqual([false, false, true, true]);
    expect(waits.every((w) => w.exitCode === 3)).toBe(true);
    expect(
      states
        .filter((s) => s.kind === 'running')
        .every((s) => s.kind === 'running' && typeof s.pid === 'number'),
    ).toBe(true);
    expect(states.at(-1)?.kind).toBe('stopped');
    const startsAtStop = sup.starts;
    await new Promise((r) => setTimeout(r, 100));
    expect(sup.starts).toBe(startsAtStop); // no restart after stop
  });

  it('leaves a healthy core running and kills it on stop', async () => {
    const states: SupervisorState[] = [];
    const sup = new CoreSupervisor(forkChild('core-stays-up.mjs'), (s) => states.push(s));
    sup.start();
    expect(sup.running).toBe(true);
    const pid = (states.find((s) => s.kind === 'running') as { pid: number }).pid;
    await sup.stop();
    expect(sup.running).toBe(false);
    expect(sup.starts).toBe(1);
    expect(() => process.kill(pid, 0)).toThrow(); // the process is gone
    expect(states.map((s) => s.kind)).toEqual(['starting', 'running', 'stopped']);
  });

  it('restartNow skips the back-off wait', async () => {
    const states: SupervisorState[] = [];
    const sup = new CoreSupervisor(forkChild('core-crashes.mjs', ['1']), (s) => states.push(s), {
      backoff: { baseMs: 60_000, maxMs: 60_000, stableMs: 60_000, loopAfter: 5 },
    });
    sup.start();
    await until(() => states.some((s) => s.kind === 'waiting'));
    expect(sup.starts).toBe(1);
    sup.restartNow();
    expect(sup.starts).toBe(2);
    await sup.stop();
  });
});
