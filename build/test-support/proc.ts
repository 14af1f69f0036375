// Processes as Linux's /proc sees them, for tests that check what a crash leaves running.
import { readdirSync, readFileSync } from 'node:fs';

/** True while `pid` exists and is not a zombie. */
export function running(pid: number): boolean {
  try {
    return /^\d+ \(.*\) (\S)/.exec(readFileSync(`/proc/${pid}/stat`, 'utf8'))?.[1] !== 'Z';
  } catch {
    return false;
  }
}

/** Live processes that match: by parent pid and command name, or by a test on their command line. */
export function findProcesses(match: { parent?: number; comm?: string; cmdline?: (args: string[]) => boolean }): number[] {
  const found: number[] = [];
  for (const e of readdirSync('/proc')) {
    if (!/^\d+$/.test(e)) continue;
    try {
      // pid (comm) state ppid …
      const m = /^\d+ \((.*)\) (\S) (\d+)/.exec(readFileSync(`/proc/${e}/stat`, 'utf8'));
      if (!m || m[2] === 'Z') continue;
      if (match.comm !== undefined && m[1] !== match.comm) continue;
      if (match.parent !== undefined && Number(m[3]) !== match.parent) continue;
      if (match.cmdline && !match.cmdline(readFileSync(`/proc/${e}/cmdline`, 'utf8').split('\0'))) continue;
      found.push(Number(e));
    } catch {
      // exited meanwhile
    }
  }
  return found;
}
