// A pair of connected pseudo-terminals made by socat, for simulators, tests and the demo:
//   socat -d -d pty,raw,echo=0,link=A pty,raw,echo=0,link=B
// The driver opens A, the simulator opens B. stop() kills this socat (both links vanish: an
// unplug); start a new pair with the same links to plug the device back.
// socat dies with the process that started it, even a SIGKILLed one: on Linux it runs under
// `setpriv --pdeathsig TERM` (the kernel's parent-death signal, prctl PR_SET_PDEATHSIG);
// without setpriv a shell ends it when its stdin (a pipe from this process) reaches its end.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';

let setprivWorks: boolean | null = null;
/** setpriv (util-linux) with --pdeathsig, checked once. */
function hasSetpriv(): boolean {
  setprivWorks ??= process.platform === 'linux' && spawnSync('setpriv', ['--pdeathsig', 'TERM', '--', 'true'], { stdio: 'ignore' }).status === 0;
  return setprivWorks;
}

/** The command that runs socat so that it ends with this process (see the head of this file). */
export function socatUnderWatch(args: string[], parentDeathSignal = hasSetpriv()): { command: string; args: string[]; stdin: 'ignore' | 'pipe' } {
  if (parentDeathSignal) return { command: 'setpriv', args: ['--pdeathsig', 'TERM', '--', 'socat', ...args], stdin: 'ignore' };
  // fd 3 keeps the pipe: a background job's own stdin is /dev/null in a non-interactive shell.
  const script = 'exec 3<&0; socat "$@" </dev/null 3<&- & s=$!; trap \'kill $s 2>/dev/null; exit 0\' TERM INT; (cat <&3 >/dev/null; kill $s 2>/dev/null) & wait $s';
  return { command: 'sh', args: ['-c', script, 'sh', ...args], stdin: 'pipe' };
}

export interface PtyPair {
  /** Path the driver opens. */
  devicePath: string;
  /** Path the simulator opens. */
  simulatorPath: string;
  pid: number;
  stop(): Promise<void>;
}

export async function startPtyPair(devicePath: string, simulatorPath: string, timeoutMs = 15_000, parentDeathSignal = hasSetpriv()): Promise<PtyPair> {
  mkdirSync(dirname(devicePath), { recursive: true });
  mkdirSync(dirname(simulatorPath), { recursive: true });
  const run = socatUnderWatch(['-d', '-d', `pty,raw,echo=0,link=${devicePath}`, `pty,raw,echo=0,link=${simulatorPath}`], parentDeathSignal);
  const child: ChildProcess = spawn(run.command, run.args, { stdio: [run.stdin, 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => {
    if (stderr.length < 4000) stderr += d.toString();
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const deadline = Date.now() + timeoutMs;
  while (!(existsSync(devicePath) && existsSync(simulatorPath) && /starting data transfer loop/.test(stderr))) {
    if (child.exitCode !== null || Date.now() > deadline) {
      child.kill('SIGKILL');
      child.stdin?.destroy();
      throw new Error(`socat did not create the pty pair: ${stderr.slice(0, 500)}`);
    }
    await new Promise((r) => setTimeout(r, 20));
  }
  if (child.pid === undefined) throw new Error('socat has no pid');
  const pid = child.pid;
  return {
    devicePath,
    simulatorPath,
    pid,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), 2000);
        await exited;
        clearTimeout(timer);
      }
      child.stdin?.destroy();
    },
  };
}
