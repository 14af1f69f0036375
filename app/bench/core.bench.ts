// core.cold_start.ms: process start of the compiled core (as `npm start` and the Electron shell
// run it) to /health answering; the face models load after that (reported as `face: loading`).
// Median of several starts, each with a fresh data dir (so key creation and demo seeding count).
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { distribution, elapsedMs, type BenchSuite } from '../../build/bench/harness.js';

const compiled = fileURLToPath(new URL('../../dist/app/server/core.main.js', import.meta.url));

async function coldStart(dataDir: string): Promise<number> {
  const t0 = process.hrtime.bigint();
  if (!existsSync(compiled)) throw new Error('build the core first: npm run build:core');
  const child = spawn(process.execPath, [compiled, '--port=0', `--data-dir=${dataDir}`], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, SITEGATE_CONFIG: '' },
  });
  try {
    const url = await new Promise<string>((resolve, reject) => {
      let out = '';
      child.stdout.on('data', (c: Buffer) => {
        out += c.toString();
        const m = /"url":"([^"]+)"/.exec(out);
        if (m?.[1]) resolve(`${m[1]}/health`);
      });
      child.on('exit', (code) => reject(new Error(`core exited ${code}: ${out}`)));
    });
    for (;;) {
      try {
        const r = await fetch(url);
        if (r.ok) return elapsedMs(t0);
      } catch {
        // not yet listening
      }
      await new Promise((r) => setTimeout(r, 5));
    }
  } finally {
    child.kill('SIGTERM');
    await new Promise((r) => child.once('exit', r));
  }
}

const suite: BenchSuite = {
  prefix: 'core.',
  async run(ctx) {
    const samples: number[] = [];
    const n = ctx.quick ? 3 : 7;
    for (let i = 0; i < n; i++) samples.push(await coldStart(join(ctx.tmpDir, `d${i}`)));
    return [{ ...distribution('core.cold_start.ms', 'ms', samples, 'p50', '<= 2000'), note: 'compiled core, fresh data dir (key creation, demo seed, simulators); models load afterwards' }];
  },
};

export default suite;
