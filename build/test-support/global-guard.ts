// Vitest global setup: marks the test run (SITEGATE_TEST_RUN, inherited by every worker) and,
// when the run ends, ends every process a test started through spawnOwned — and everything
// those started — that is still alive (found by the mark in /proc/PID/environ), saying which.
// Normal cleanup (afterAll, parent-death signals) should leave nothing for it to do.
import { readdirSync, readFileSync } from 'node:fs';
import { OWNED_MARK, RUN_MARK } from './owned-process.js';

/** Processes whose environment carries `OWNED_MARK=run` (Linux /proc; elsewhere none are found). */
export function markedProcesses(run: string): Array<{ pid: number; cmd: string }> {
  const found: Array<{ pid: number; cmd: string }> = [];
  let entries: string[];
  try {
    entries = readdirSync('/proc').filter((e) => /^\d+$/.test(e));
  } catch {
    return found;
  }
  for (const e of entries) {
    try {
      if (!readFileSync(`/proc/${e}/environ`, 'utf8').split('\0').includes(`${OWNED_MARK}=${run}`)) continue;
      found.push({ pid: Number(e), cmd: readFileSync(`/proc/${e}/cmdline`, 'utf8').split('\0').join(' ').slice(0, 160) });
    } catch {
      // exited meanwhile, or not readable
    }
  }
  return found;
}

export default function setup(): () => void {
  const run = `${process.pid}-${Date.now()}`;
  process.env[RUN_MARK] = run;
  return () => {
    const left = markedProcesses(run);
    for (const p of left) {
      try {
        process.kill(p.pid, 'SIGKILL');
      } catch {
        // gone
      }
    }
    if (left.length) console.error(`test run guard: ${left.length} process(es) started by tests were still running and were killed:\n${left.map((p) => `  ${p.pid} ${p.cmd}`).join('\n')}`);
  };
}
