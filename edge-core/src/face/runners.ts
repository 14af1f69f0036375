// ONNX model runners, one per pipeline role, each driven by its manifest entry (input size,
// layout, normalisation, output decoder). A role's decoder is chosen by name so that another
// model with the same contract can be swapped in by editing the manifest.
import ort from 'onnxruntime-node';
import type { RgbImage } from './image.js';
import { boxToAffine, warpToTensor, type Affine, type Point } from './geometry.js';
import type { ModelEntry } from './manifest.js';
import type { ModelSession } from './onnx-worker.js';

export interface Box {
  x: number;
  y: number;
  w: number;
  h: number;
  score: number;
}

export async function createSession(bytes: Uint8Array, threads: number): Promise<ort.InferenceSession> {
  return ort.InferenceSession.create(bytes, {
    intraOpNumThreads: threads,
    interOpNumThreads: 1,
    graphOptimizationLevel: 'all',
    logSeverityLevel: 3,
  });
}

function dims(entry: ModelEntry): number[] {
  const s = entry.input;
  return s.layout === 'NCHW' ? [1, s.channels, s.height, s.width] : [1, s.height, s.width, s.channels];
}

function outName(entry: ModelEntry, key: string, fallback: string): string {
  const v = entry.output[key];
  return typeof v === 'string' ? v : fallback;
}

async function runOne(session: ModelSession, entry: ModelEntry, input: Float32Array): Promise<Record<string, { readonly data: unknown }>> {
  return session.run({ [entry.input.name]: new ort.Tensor('float32', input, dims(entry)) });
}

function iou(a: Box, b: Box): number {
  const x1 = Math.max(a.x, b.x), y1 = Math.max(a.y, b.y);
  const x2 = Math.min(a.x + a.w, b.x + b.w), y2 = Math.min(a.y + a.h, b.y + b.h);
  const inter = Math.max(0, x2 - x1) * Math.max(0, y2 - y1);
  return inter / (a.w * a.h + b.w * b.h - inter);
}

export function nms(boxes: Box[], iouLimit: number): Box[] {
  const sorted = [...boxes].sort((a, b) => b.score - a.score);
  const kept: Box[] = [];
  for (const b of sorted) if (kept.every((k) => iou(k, b) < iouLimit)) kept.push(b);
  return kept;
}

/** Face detector. Decoder 'ultraface': outputs scores [1,N,2] and decoded boxes [1,N,4] (x1,y1,x2,y2 in 0..1). */
export class FaceDetector {
  constructor(
    private readonly session: ModelSession,
    private readonly entry: ModelEntry,
  ) {
    if (entry.output.decoder !== 'ultraface') throw new Error(`unknown detector decoder ${String(entry.output.decoder)}`);
  }

  async detect(img: RgbImage): Promise<Box[]> {
    const s = this.entry.input;
    const input = warpToTensor(img, boxToAffine({ x: 0, y: 0, w: img.width, h: img.height }, s.width, s.height), s);
    const out = await runOne(this.session, this.entry, input);
    const scores = out[outName(this.entry, 'scores', 'scores')]?.data as Float32Array;
    const boxes = out[outName(this.entry, 'boxes', 'boxes')]?.data as Float32Array;
    const minScore = this.entry.thresholds['score'] ?? 0.7;
    const found: Box[] = [];
    const n = scores.length / 2;
    for (let i = 0; i < n; i++) {
      const sc = scores[i * 2 + 1] as number;
      if (sc < minScore) continue;
      const x1 = (boxes[i * 4] as number) * img.width, y1 = (boxes[i * 4 + 1] as number) * img.height;
      const x2 = (boxes[i * 4 + 2] as number) * img.width, y2 = (boxes[i * 4 + 3] as number) * img.height;
      if (x2 <= x1 || y2 <= y1) continue;
      found.push({ x: x1, y: y1, w: x2 - x1, h: y2 - y1, score: sc });
    }
    return nms(found, this.entry.thresholds['nms'] ?? 0.3);
  }
}

/** 68-point landmarks. Decoder 'box-normalised-68': grey crop of the detector box, output 136 values in 0..1 of the box. */
export class LandmarkModel {
  constructor(
    private readonly session: ModelSession,
    private readonly entry: ModelEntry,
  ) {
    if (entry.output.decoder !== 'box-normalised-68') throw new Error(`unknown landmark decoder ${String(entry.output.decoder)}`);
  }

  async landmarks(img: RgbImage, box: Box): Promise<Point[]> {
    const s = this.entry.input;
    const input = warpToTensor(img, boxToAffine(box, s.width, s.height), s);
    const out = await runOne(this.session, this.entry, input);
    const v = out[outName(this.entry, 'name', 'output')]?.data as Float32Array;
    const pts: Point[] = [];
    for (let i = 0; i + 1 < v.length; i += 2) pts.push([box.x + (v[i] as number) * box.w, box.y + (v[i + 1] as number) * box.h]);
    return pts;
  }
}

export function l2normalise(v: Float32Array): Float32Array {
  let s = 0;
  for (let i = 0; i < v.length; i++) s += (v[i] as number) * (v[i] as number);
  const inv = s > 0 ? 1 / Math.sqrt(s) : 0;
  const out = new Float32Array(v.length);
  for (let i = 0; i < v.length; i++) out[i] = (v[i] as number) * inv;
  return out;
}

/** Embedding model. Decoder 'embedding': aligned crop in, vector out (L2-normalised here). */
export class Embedder {
  constructor(
    private readonly session: ModelSession,
    readonly entry: ModelEntry,
  ) {
    if (entry.output.decoder !== 'embedding') throw new Error(`unknown embedder decoder ${String(entry.output.decoder)}`);
  }

  get dim(): number {
    const d = this.entry.output['dim'];
    return typeof d === 'number' ? d : 512;
  }

  /** `alignedToSrc` maps the model's input pixels onto the image (from the similarity alignment). */
  async embed(img: RgbImage, alignedToSrc: Affine): Promise<Float32Array> {
    const input = warpToTensor(img, alignedToSrc, this.entry.input);
    const out = await runOne(this.session, this.entry, input);
    return l2normalise(out[outName(this.entry, 'name', 'output')]?.data as Float32Array);
  }
}

function softmax(v: ArrayLike<number>): number[] {
  let m = -Infinity;
  for (let i = 0; i < v.length; i++) m = Math.max(m, v[i] as number);
  const e = Array.from({ length: v.length }, (_, i) => Math.exp((v[i] as number) - m));
  const s = e.reduce((a, b) => a + b, 0);
  return e.map((x) => x / s);
}

/**
 * Classifier over a crop. Decoder 'softmax-class': output logits, `positiveClass` names the
 * index whose probability is reported; `cropScale` enlarges the detector box around its centre.
 */
export class CropClassifier {
  constructor(
    private readonly session: ModelSession,
    readonly entry: ModelEntry,
  ) {
    if (entry.output.decoder !== 'softmax-class') throw new Error(`unknown classifier decoder ${String(entry.output.decoder)}`);
  }

  /** Probability of the positive class for the given box (enlarged by cropScale, kept inside the image). */
  async score(img: RgbImage, box: { x: number; y: number; w: number; h: number }): Promise<{ p: number; probs: number[] }> {
    const s = this.entry.input;
    const k = typeof this.entry.output['cropScale'] === 'number' ? (this.entry.output['cropScale'] as number) : 1;
    const crop = enlargeInside(box, k, img.width, img.height);
    const input = warpToTensor(img, boxToAffine(crop, s.width, s.height), s);
    const out = await runOne(this.session, this.entry, input);
    const probs = softmax(out[outName(this.entry, 'name', 'output')]?.data as Float32Array);
    const idx = typeof this.entry.output['positiveClass'] === 'number' ? (this.entry.output['positiveClass'] as number) : 0;
    return { p: probs[idx] ?? 0, probs };
  }
}

/** Box scaled by k about its centre, shrunk to fit the image and shifted inside it. */
export function enlargeInside(box: { x: number; y: number; w: number; h: number }, k: number, W: number, H: number): { x: number; y: number; w: number; h: number } {
  const scale = Math.min(k, (W - 1) / box.w, (H - 1) / box.h);
  const w = box.w * scale, h = box.h * scale;
  let x = box.x + box.w / 2 - w / 2, y = box.y + box.h / 2 - h / 2;
  x = Math.min(Math.max(0, x), W - w);
  y = Math.min(Math.max(0, y), H - h);
  return { x, y, w, h };
}
