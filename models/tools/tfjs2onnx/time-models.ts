// Median/p95 inference time of every converted model under onnxruntime-node (CPU), with 1 and
// 2 intra-op threads, on its golden input.
//   npx tsx models/tools/tfjs2onnx/time-models.ts [--runs 50] [--models DIR]
// Prints JSON lines; the figures are what models/converted/README.md reports.
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import * as ort from 'onnxruntime-node';
import sharp from 'sharp';
import type { GoldenRecord } from './converted-models.js';

function quantile(sorted: number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] as number;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      runs: { type: 'string', default: '50' },
      models: { type: 'string', default: 'models/converted' },
      extra: { type: 'string' },
    },
  });
  const dir = values.models;
  const runs = Number(values.runs);
  const golden = join(dir, 'golden');
  const records = readdirSync(golden)
    .filter((f) => f.endsWith('.json'))
    .map((f) => JSON.parse(readFileSync(join(golden, f), 'utf8')) as GoldenRecord);
  const jobs: { file: string; input: string; shape: number[]; data: Float32Array }[] = [];
  for (const rec of records) {
    const rgb = await sharp(join(golden, rec.input.png)).removeAlpha().raw().toBuffer();
    jobs.push({
      file: join(dir, rec.onnx),
      input: rec.input.name,
      shape: [1, rec.input.height, rec.input.width, 3],
      data: Float32Array.from(rgb, (v) => (v - rec.input.mean) * rec.input.scale),
    });
  }
  // --extra FILE:INPUT:d0xd1xd2xd3 times another model (e.g. the current embedder) under the same load.
  for (const spec of values.extra?.split(',') ?? []) {
    const [file, input, dims] = spec.split(':') as [string, string, string];
    const shape = dims.split('x').map(Number);
    jobs.push({ file, input, shape, data: new Float32Array(shape.reduce((a, b) => a * b, 1)).fill(0.1) });
  }
  for (const job of jobs) {
    const row: Record<string, unknown> = { model: job.file };
    for (const threads of [1, 2]) {
      const session = await ort.InferenceSession.create(job.file, {
        intraOpNumThreads: threads,
        interOpNumThreads: 1,
      });
      const feeds = { [job.input]: new ort.Tensor('float32', job.data, job.shape) };
      for (let i = 0; i < 5; i++) await session.run(feeds);
      const times: number[] = [];
      for (let i = 0; i < runs; i++) {
        const t0 = performance.now();
        await session.run(feeds);
        times.push(performance.now() - t0);
      }
      times.sort((a, b) => a - b);
      row[`t${threads}_p50_ms`] = Number(quantile(times, 0.5).toFixed(2));
      row[`t${threads}_p95_ms`] = Number(quantile(times, 0.95).toFixed(2));
      await session.release();
    }
    console.log(JSON.stringify(row));
  }
}

await main();
