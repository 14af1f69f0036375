// The anti-spoof CNN on a worker thread gives exactly the in-thread results, the engine's
// analysis is unchanged by it, and a worker that cannot start or is gone falls back in-thread.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import ort from 'onnxruntime-node';
import { createFaceEngine, type FaceEngine } from '../../src/face/engine.js';
import { OffThreadSession, WorkerSession } from '../../src/face/onnx-worker.js';
import { readManifest } from '../../src/face/manifest.js';

const here = dirname(fileURLToPath(import.meta.url));
const MODELS_DIR = join(here, '../../../models');
const FIXTURE = readFileSync(join(here, 'fixtures/astronaut.jpg'));

let offThread: FaceEngine;
let inThread: FaceEngine;
let livenessBytes: Uint8Array;

beforeAll(async () => {
  offThread = await createFaceEngine({ modelsDir: MODELS_DIR });
  inThread = await createFaceEngine({ modelsDir: MODELS_DIR, livenessOffThread: false });
  const manifest = await readManifest(MODELS_DIR);
  livenessBytes = readFileSync(join(MODELS_DIR, manifest.models.liveness.file));
  side = manifest.models.liveness.input.width;
});

afterAll(async () => {
  await offThread.close();
  await inThread.close();
});

let side = 0;

/** A random input of the liveness model's size (from the manifest). */
function input(seed: number): ort.Tensor {
  let s = seed;
  const data = Float32Array.from({ length: 3 * side * side }, () => ((s = (s * 1103515245 + 12345) % 2147483648) / 2147483648) * 255);
  return new ort.Tensor('float32', data, [1, 3, side, side]);
}

describe('onnxruntime session on a worker thread', () => {
  it('the engine gives the same liveness score, landmarks and embedding with the CNN off-thread as in-thread', async () => {
    const a = await offThread.analyze(FIXTURE);
    const b = await inThread.analyze(FIXTURE);
    expect(a.ok).toBe(true);
    expect(a.face?.livenessCnn).toBe(b.face?.livenessCnn);
    expect(a.face?.landmarks).toEqual(b.face?.landmarks);
    expect(Array.from(a.embedding ?? [])).toEqual(Array.from(b.embedding ?? []));
    // Several frames in flight at once come back to their own callers.
    const many = await Promise.all([0, 1, 2].map(() => offThread.analyze(FIXTURE)));
    for (const m of many) expect(m.face?.livenessCnn).toBe(b.face?.livenessCnn);
  });

  it('a worker session returns the same outputs as an in-thread session, and rejects after close', async () => {
    const local = await ort.InferenceSession.create(livenessBytes, { intraOpNumThreads: 1, interOpNumThreads: 1, graphOptimizationLevel: 'all', logSeverityLevel: 3 });
    const worker = await WorkerSession.start(livenessBytes, { intraOpNumThreads: 1 });
    const feeds = { [local.inputNames[0] as string]: input(7) };
    const want = await local.run(feeds);
    const got = await worker.run({ [local.inputNames[0] as string]: input(7) });
    const name = local.outputNames[0] as string;
    expect(Array.from(got[name]?.data as Float32Array)).toEqual(Array.from(want[name]?.data as Float32Array));
    // A wrong input shape is the model's error, reported, and the worker keeps serving.
    await expect(worker.run({ [local.inputNames[0] as string]: new ort.Tensor('float32', new Float32Array(12), [1, 3, 2, 2]) })).rejects.toThrow(/onnxruntime worker/);
    expect(worker.failed).toBeNull();
    await worker.close();
    await expect(worker.run(feeds)).rejects.toThrow(/closed|exited/);
  });

  it('bytes that are not a model fail to start the worker, and the off-thread session then fails to create too', async () => {
    const junk = new TextEncoder().encode('not an onnx model');
    await expect(WorkerSession.start(junk, { intraOpNumThreads: 1 })).rejects.toThrow(/did not start/);
    await expect(OffThreadSession.create(junk, { intraOpNumThreads: 1 })).rejects.toThrow();
  });

  it('falls back to an in-thread session once its worker is gone, with the same outputs', async () => {
    const s = await OffThreadSession.create(livenessBytes, { intraOpNumThreads: 1 });
    expect(s.offThread).toBe(true);
    const name = (await ort.InferenceSession.create(livenessBytes)).inputNames[0] as string;
    const before = await s.run({ [name]: input(3) });
    await s.close();
    expect(s.offThread).toBe(false);
    const after = await s.run({ [name]: input(3) });
    const out = Object.keys(before)[0] as string;
    expect(Array.from(after[out]?.data as Float32Array)).toEqual(Array.from(before[out]?.data as Float32Array));
  });
});
