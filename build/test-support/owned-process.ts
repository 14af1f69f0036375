// Child processes of a test that cannot outlive it. Each runs in its own process group (so its
// own children — socat, a platform simulator — go with it) and, on Linux, under
// `setpriv --pdeathsig KILL`: the kernel kills it when the test process dies, even by SIGKILL
// or a vitest timeout that tears the worker down. Every one still running is killed at
// `killOwnedProcesses()` (call it from afterAll) and at the test process's exit. Each carries
// the test run's mark in its environment (SITEGATE_OWNED_BY, inherited by its own children),
// so the run's global guard (global-guard.ts) finds and ends any that survived all of that.
import { spawn, spawnSync, type ChildProcess, type SpawnOptions } from 'node:child_process';

/** Set by the global guard for the whole test run; copied into every owned process as OWNED_MARK. */
export const RUN_MARK = 'SITEGATE_TEST_RUN';
export const OWNED_MARK = 'SITEGATE_OWNED_BY';

const owned = new Set<ChildProcess>();
let exitHook = false;
let setpriv: boolean | null = null;

function hasSetpriv(): boolean {
  setpriv ??=
    process.platform === 'linux' &&
    spawnSync('setpriv', ['--pdeathsig', 'KILL', '--', 'true'], { stdio: 'ignore' }).status === 0;
  return setpriv;
}

function killGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    try {
      child.kill(signal);
    } catch {
      // already gone
    }
  }
}

/** What is left of a group whose leader exited (the group id stays while members live). */
function killLeftovers(pgid: number): void {
  try {
    process.kill(-pgid, 'SIGKILL');
  } catch {
    // no member left
  }
}

export interface OwnedProcess {
  proc: ChildProcess;
  pid: number;
  /** Resolves with the exit code (or the signal's name) once the process has exited. */
  exited: Promise<number | string>;
  alive(): boolean;
  /** The last 16 KB of stdout and stderr. */
  output(): string;
  /** SIGTERM to the group, SIGKILL after `graceMs`; resolves with how it exited. */
  stop(graceMs?: number): Promise<number | string>;
  /** SIGKILL to the group. */
  kill(): Promise<number | string>;
}

export function spawnOwned(
  command: string,
  args: string[],
  options: Omit<SpawnOptions, 'detached'> = {},
): OwnedProcess {
  const [cmd, argv] = hasSetpriv()
    ? ['setpriv', ['--pdeathsig', 'KILL', '--', command, ...args]]
    : [command, args];
  const mark = process.env[RUN_MARK];
  const env = { ...(options.env ?? process.env), ...(mark ? { [OWNED_MARK]: mark } : {}) };
  const proc = spawn(cmd as string, argv as string[], {
    stdio: ['ignore', 'pipe', 'pipe'],
    ...options,
    env,
    detached: true,
  });
  if (proc.pid === undefined) throw new Error(`${command} did not start`);
  owned.add(proc);
  if (!exitHook) {
    exitHook = true;
    process.once('exit', () => {
      for (const c of owned) killGroup(c, 'SIGKILL');
    });
  }
  let out = '';
  const keep = (d: Buffer) => {
    out = (out + d.toString()).slice(-16_384);
  };
  proc.stdout?.on('data', keep);
  proc.stderr?.on('data', keep);
  const exited = new Promise<number | string>((resolve) =>
    proc.once('exit', (code, signal) => {
      owned.delete(proc);
      resolve(code ?? signal ?? 'unknown');
    }),
  );
  const alive = () => proc.exitCode === null && proc.signalCode === null;
  return {
    proc,
    pid: proc.pid,
    exited,
    alive,
    output: () => out,
    async stop(graceMs = 20_000) {
      if (!alive()) return exited;
      killGroup(proc, 'SIGTERM');
      const timer = setTimeout(() => killGroup(proc, 'SIGKILL'), graceMs);
      const how = await exited;
      clearTimeout(timer);
      killLeftovers(proc.pid as number);
      return how;
    },
    async kill() {
      killGroup(proc, 'SIGKILL');
      const how = await exited;
      killLeftovers(proc.pid as number);
      return how;
    },
  };
}

/** Kills every owned process still running (and its group) and waits for them. */
export async function killOwnedProcesses(): Promise<void> {
  const all = [...owned];
  for (const c of all) killGroup(c, 'SIGKILL');
  await Promise.all(
    all.map((c) =>
      c.exitCode !== null || c.signalCode !== null ? null : new Promise((r) => c.once('exit', r)),
    ),
  );
}

/** Every owned process still running (for a guard that asserts none is left). */
export function ownedProcessCount(): number {
  return owned.size;
}
