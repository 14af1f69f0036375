// A pair of connected pseudo-terminals made by socat, for simulators, tests and the demo:
//   socat -d -d pty,raw,echo=0,link=A pty,raw,echo=0,link=B
// The driver opens A, the simulator opens B. stop() kills this socat (both links vanish: an
// unplug); start a new pair with the same links to plug the device back.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';

export interface PtyPair {
  /** Path the driver opens. */
  devicePath: string;
  /** Path the simulator opens. */
  simulatorPath: string;
  pid: number;
  stop(): Promise<void>;
}

export async function startPtyPair(devicePath: string, simulatorPath: string, timeoutMs = 5000): Promise<PtyPair> {
  mkdirSync(dirname(devicePath), { recursive: true });
  mkdirSync(dirname(simulatorPath), { recursive: true });
  const child: ChildProcess = spawn(
    'socat',
    ['-d', '-d', `pty,raw,echo=0,link=${devicePath}`, `pty,raw,echo=0,link=${simulatorPath}`],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => {
    if (stderr.length < 4000) stderr += d.toString();
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const deadline = Date.now() + timeoutMs;
  while (!(existsSync(devicePath) && existsSync(simulatorPath) && /starting data transfer loop/.test(stderr))) {
    if (child.exitCode !== null || Date.now() > deadline) {
      child.kill('SIGKILL');
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
    },
  };
}
