// The real core (`app/server/core.main.ts`, the entry the Electron shell forks) as a child
// process of a test: an unhandled error shows as a dead process, not as a failed assertion
// inside the test's own process. Started from a configuration file and a data directory; it
// is ready when it prints its JSON line. See owned-process.ts for how it is cleaned up.
import { join } from 'node:path';
import { REPO_ROOT } from '../server/paths.js';
import { spawnOwned, type OwnedProcess } from '../../build/test-support/owned-process.js';

export interface CoreProcess extends OwnedProcess {
  url: string;
}

/** Starts the core and waits for its ready line; rejects with its output when it exits first. */
export async function startCoreProcess(o: { configFile: string; dataDir: string }): Promise<CoreProcess> {
  const child = spawnOwned(
    process.execPath,
    [
      '--import',
      import.meta.resolve('tsx'),
      join(REPO_ROOT, 'app', 'server', 'core.main.ts'),
      '--config',
      o.configFile,
      '--data-dir',
      o.dataDir,
      '--no-open',
    ],
    {
      cwd: REPO_ROOT,
    },
  );
  const url = await new Promise<string>((resolve, reject) => {
    let buf = '';
    child.proc.stdout?.on('data', (d: Buffer) => {
      buf += d.toString();
      const line = buf.split('\n').find((l) => l.startsWith('{"ready":true'));
      if (line) resolve((JSON.parse(line) as { url: string }).url);
    });
    void child.exited.then((how) =>
      reject(new Error(`the core exited (${String(how)}) before it was ready:\n${child.output()}`)),
    );
  });
  return Object.assign(child, { url });
}
