// Inference time of every model of a manifest set under onnxruntime-node (CPU, 1 intra-op thread
// as on the gate), on inputs of the manifest's size: median and p95 of N runs after 5 warm-ups.
//   npx tsx models/tools/time-manifest.ts [--models DIR] [--runs 100]
// The machine's load average is printed with the figures: they only compare on a quiet host.
import { readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import ort from 'onnxruntime-node';
import { readManifest } from '../../edge-core/src/index.js';

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { models: { type: 'string' }, runs: { type: 'string', default: '100' } } });
  const dir = values.models ?? resolve(dirname(fileURLToPath(import.meta.url)), '..');
  const runs = Number(values.runs);
  const m = await readManifest(dir);
  const rows: Record<string, unknown>[] = [];
  for (const [role, e] of Object.entries(m.models)) {
    if (!e) continue;
    const s = e.input;
    const dims = s.layout === 'NCHW' ? [1, s.channels, s.height, s.width] : [1, s.height, s.width, s.channels];
    const data = Float32Array.from({ length: dims.reduce((a, b) => a * b, 1) }, (_, i) => ((i * 7919) % 255 - s.mean) * s.scale);
    const session = await ort.InferenceSession.create(readFileSync(join(dir, e.file)), { intraOpNumThreads: 1, interOpNumThreads: 1, graphOptimizationLevel: 'all', logSeverityLevel: 3 });
    const feeds = { [s.name]: new ort.Tensor('float32', data, dims) };
    for (let i = 0; i < 5; i++) await session.run(feeds);
    const ms: number[] = [];
    for (let i = 0; i < runs; i++) {
      const t = performance.now();
      await session.run(feeds);
      ms.push(performance.now() - t);
    }
    ms.sort((a, b) => a - b);
    rows.push({ role, file: e.file, input: `${s.width}x${s.height}`, p50: +(ms[runs >> 1] as number).toFixed(2), p95: +(ms[Math.floor(runs * 0.95)] as number).toFixed(2) });
    await session.release();
  }
  console.log(JSON.stringify({ set: m.set ?? dir, runs, threads: 1, loadavg: loadavg().map((x) => +x.toFixed(2)), models: rows }, null, 2));
}

void main();
