// core.cold_start.ms: process start (as `npm start` runs it, under tsx) to /health answering,
// models excluded. Median of several starts with a fresh data dir each.
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { distribution, elapsedMs, type BenchSuite } from '../../build/bench/harness.js';

const startScript = fileURLToPath(new URL('../server/start.ts', import.meta.url));

async function coldStart(dataDir: string): Promise<number> {
  const t0 = process.hrtime.bigint();
  const child = spawn(process.execPath, ['--import', 'tsx', startScript, '--no-open', '--port', '0', '--data-dir', dataDir], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, SITEGATE_CONFIG: '' },
  });
  try {
    const url = await new Promise<string>((resolve, reject) => {
      let out = '';
      child.stdout.on('data', (c: Buffer) => {
        out += c.toString();
        const m = /Health:\s+(\S+)/.exec(out);
        if (m?.[1]) resolve(m[1]);
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
    return [{ ...distribution('core.cold_start.ms', 'ms', samples, 'p50', '<= 2000'), note: 'first start of a fresh data dir (demo seed, key creation), under tsx' }];
  },
};

export default suite;
