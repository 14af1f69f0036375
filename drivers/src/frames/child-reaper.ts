// Every camera child process dies with the core. A normal exit (process.exit, the end of the
// event loop, an uncaught exception) runs the 'exit' hook below, which kills what is still
// running. A parent killed outright (SIGKILL, power cut of the process) cannot run anything:
// then ffmpeg's stdout pipe breaks on its next write and its socket I/O timeout ends a stream
// that stopped, so the child exits by itself.
import type { ChildProcess } from 'node:child_process';

const live = new Set<ChildProcess>();
let hooked = false;

export function adopt(child: ChildProcess): void {
  live.add(child);
  child.once('exit', () => live.delete(child));
  if (hooked) return;
  hooked = true;
  process.once('exit', () => {
    for (const c of live) c.kill('SIGKILL');
  });
}

/** SIGTERM, then SIGKILL after `graceMs`; resolves when the child has exited. */
export async function terminate(child: ChildProcess, graceMs = 2000): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  child.kill('SIGTERM');
  const t = setTimeout(() => child.kill('SIGKILL'), graceMs);
  await exited;
  clearTimeout(t);
}

/** Children still running (for tests). */
export function liveChildren(): number {
  return live.size;
}
