// The supervisor's exit-code contract (shared by the Electron shell and `npm start`): exit 75
// is a requested restart — started again at once, never counted as a crash — and a stop code
// ends supervision; any other exit is a crash with back-off. Real child processes.
import { describe, expect, it } from 'vitest';
import { fork } from 'node:child_process';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CoreSupervisor, type SupervisorState } from '../../main/core-supervisor.js';

const fixtures = join(dirname(fileURLToPath(import.meta.url)), 'fixtures');
const child = (code: number) => () => {
  const c = fork(join(fixtures, 'core-crashes.mjs'), [String(code)], { stdio: 'ignore' });
  return { pid: c.pid, onExit: (cb: (code: number | null) => void) => c.on('exit', (x) => cb(x)), kill: () => void c.kill() };
};
const until = (pred: () => boolean) =>
  new Promise<void>((resolve) => {
    const i = setInterval(() => {
      if (pred()) {
        clearInterval(i);
        resolve();
      }
    }, 5);
  });

describe('supervisor exit codes', () => {
  it('restarts at once on the restart code without back-off or a crash loop', async () => {
    const states: SupervisorState[] = [];
    const sup = new CoreSupervisor(child(75), (s) => states.push(s), { backoff: { baseMs: 60_000, maxMs: 60_000, stableMs: 60_000, loopAfter: 2 }, restartCodes: [75] });
    sup.start();
    await until(() => sup.starts >= 4); // with a crash back-off of a minute this would take minutes
    await sup.stop();
    expect(states.filter((s) => s.kind === 'restarting').length).toBeGreaterThanOrEqual(3);
    expect(states.some((s) => s.kind === 'waiting')).toBe(false);
  });

  it('ends on a stop code and treats other codes as crashes', async () => {
    const ended: SupervisorState[] = [];
    const a = new CoreSupervisor(child(0), (s) => ended.push(s), { stopCodes: [0], restartCodes: [75] });
    a.start();
    await until(() => ended.some((s) => s.kind === 'ended'));
    expect(a.starts).toBe(1);
    const crashed: SupervisorState[] = [];
    const b = new CoreSupervisor(child(3), (s) => crashed.push(s), { backoff: { baseMs: 10, maxMs: 20, stableMs: 60_000, loopAfter: 3 }, stopCodes: [0], restartCodes: [75] });
    b.start();
    await until(() => b.starts >= 2);
    await b.stop();
    expect(crashed.find((s) => s.kind === 'waiting')).toMatchObject({ exitCode: 3 });
  });
});
