// Runs a TFJS graph model (tfjs-converter on the tfjs CPU backend) and its ONNX conversion
// (onnxruntime-node) on the same input. Build-time/test helper: it needs the dev-only
// @tensorflow packages, the product never imports it.
import '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
import { loadGraphModel } from '@tensorflow/tfjs-converter';
import * as ort from 'onnxruntime-node';
import type { RawModelJson, WeightSpec } from './tfjs-model.js';

let backendReady: Promise<boolean> | undefined;

export async function cpuBackend(): Promise<void> {
  backendReady ??= tf.setBackend('cpu');
  await backendReady;
}

export interface NamedOutput {
  name: string;
  shape: number[];
  data: Float32Array;
}

/** Runs the TFJS model held in memory; `outputs` are TF node names. NHWC inputs. */
export async function runTfjs(
  json: RawModelJson,
  weightBytes: Uint8Array,
  inputs: Record<string, { shape: number[]; data: Float32Array }>,
  outputs: string[],
): Promise<NamedOutput[]> {
  await cpuBackend();
  const weightSpecs: WeightSpec[] = (json.weightsManifest ?? []).flatMap((g) => g.weights);
  const buffer = weightBytes.buffer.slice(
    weightBytes.byteOffset,
    weightBytes.byteOffset + weightBytes.byteLength,
  ) as ArrayBuffer;
  const model = await loadGraphModel(
    tf.io.fromMemory({
      modelTopology: json.modelTopology as unknown as object,
      weightSpecs: weightSpecs as tf.io.WeightsManifestEntry[],
      weightData: buffer,
      format: 'graph-model',
    }),
  );
  const feeds: Record<string, tf.Tensor> = {};
  for (const [name, v] of Object.entries(inputs)) feeds[name] = tf.tensor(v.data, v.shape, 'float32');
  const result = model.execute(feeds, outputs);
  const list = Array.isArray(result) ? result : [result];
  const out = await Promise.all(
    list.map(async (t, k) => ({
      name: outputs[k] as string,
      shape: t.shape.slice(),
      data: Float32Array.from(await t.data()),
    })),
  );
  list.forEach((t) => t.dispose());
  Object.values(feeds).forEach((t) => t.dispose());
  model.dispose();
  return out;
}

export async function runOnnx(
  onnx: Uint8Array | string,
  inputs: Record<string, { shape: number[]; data: Float32Array }>,
  threads = 1,
): Promise<NamedOutput[]> {
  const session = await ort.InferenceSession.create(onnx as Uint8Array, {
    intraOpNumThreads: threads,
    interOpNumThreads: 1,
  });
  try {
    const feeds: Record<string, ort.Tensor> = {};
    for (const [name, v] of Object.entries(inputs)) feeds[name] = new ort.Tensor('float32', v.data, v.shape);
    const res = await session.run(feeds);
    return session.outputNames.map((name) => {
      const t = res[name] as ort.Tensor;
      return { name, shape: t.dims.slice(), data: Float32Array.from(t.data as Float32Array) };
    });
  } finally {
    await session.release();
  }
}

export function maxAbsDiff(a: Float32Array, b: Float32Array): number {
  if (a.length !== b.length) return Number.POSITIVE_INFINITY;
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs((a[i] as number) - (b[i] as number)));
  return m;
}

/** Deterministic pseudo-random floats in [lo, hi) (mulberry32). */
export function seededFloats(n: number, seed: number, lo = -1, hi = 1): Float32Array {
  let s = seed >>> 0;
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    const r = ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    out[i] = lo + (hi - lo) * r;
  }
  return out;
}
