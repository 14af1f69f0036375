// The soak's face stand-in (a TEST PATH, named as such everywhere it is used).
//
// The full face pipeline costs ~320 ms of CPU per passage on this machine (6 frames ×
// detection, landmarks, anti-spoof CNN, embedding): 5,000 passages would take ~27 minutes.
// So only a fixed sample of passages (the one real face, see day-plan.ts `realEvery`) runs
// the ONNX models; for every other passage the lane's frames carry a small black/white
// block marker (lane + frame index) in the bottom-right corner, and the engine's
// `analyzeImage` answers them with the real analysis of the same frame computed once at
// start (face box, landmarks, quality, CNN liveness score) but with the embedding of the
// synthetic worker the test put in front of that lane. Everything after the analysis is the
// real code: JPEG decode, helmet/mask detectors, liveness fusion, 1:N gallery search, gate
// policy, the durable record, the turnstile command and the outbox/sync.
import type { FaceAnalysis, FaceEngine, RgbImage } from '../../../edge-core/src/index.js';
import { seededRandom } from '../../../sync/simulator/faults.js';

export const FRAME_W = 320;
export const FRAME_H = 240;
export const FRAMES_PER_PASSAGE = 6;
const BLOCK = 16;
const BLOCKS = 8;
const X0 = FRAME_W - BLOCKS * BLOCK;
const Y0 = FRAME_H - BLOCK;

/** Marker bits: white, black (sentinel), lane (2 bits), frame (3 bits), white (sentinel). */
function markerBits(lane: number, frame: number): boolean[] {
  return [true, false, (lane & 2) !== 0, (lane & 1) !== 0, (frame & 4) !== 0, (frame & 2) !== 0, (frame & 1) !== 0, true];
}

/** Paints the marker into raw RGB pixels (FRAME_W × FRAME_H × 3), in place. */
export function paintMarker(rgb: Uint8Array, lane: number, frame: number): void {
  const bits = markerBits(lane, frame);
  for (let b = 0; b < BLOCKS; b++) {
    const v = bits[b] ? 255 : 0;
    for (let y = Y0; y < Y0 + BLOCK; y++) for (let x = X0 + b * BLOCK; x < X0 + (b + 1) * BLOCK; x++) rgb.set([v, v, v], (y * FRAME_W + x) * 3);
  }
}

/** Reads the marker back from a decoded frame; null when the frame carries none. */
export function readMarker(img: RgbImage): { lane: number; frame: number } | null {
  if (img.width !== FRAME_W || img.height !== FRAME_H) return null;
  const bits: boolean[] = [];
  for (let b = 0; b < BLOCKS; b++) {
    let sum = 0;
    for (let y = Y0 + 4; y < Y0 + 12; y++)
      for (let x = X0 + b * BLOCK + 4; x < X0 + b * BLOCK + 12; x++) {
        const i = (y * FRAME_W + x) * 3;
        sum += ((img.data[i] ?? 0) + (img.data[i + 1] ?? 0) + (img.data[i + 2] ?? 0)) / 3;
      }
    const mean = sum / 64;
    if (mean > 200) bits.push(true);
    else if (mean < 55) bits.push(false);
    else return null;
  }
  if (!bits[0] || bits[1] || !bits[7]) return null;
  const lane = (bits[2] ? 2 : 0) + (bits[3] ? 1 : 0);
  const frame = (bits[4] ? 4 : 0) + (bits[5] ? 2 : 0) + (bits[6] ? 1 : 0);
  return { lane, frame };
}

/** A unit vector drawn from a seed: synthetic face embeddings (enrolled workers and strangers). */
export function syntheticVector(seed: number, dim: number): Float32Array {
  const rand = seededRandom(seed);
  const v = new Float32Array(dim);
  let n = 0;
  for (let i = 0; i < dim; i++) {
    const u = Math.max(rand(), 1e-12);
    const g = Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rand());
    v[i] = g;
    n += g * g;
  }
  n = Math.sqrt(n);
  for (let i = 0; i < dim; i++) v[i] = (v[i] as number) / n;
  return v;
}

/** The template of synthetic worker k. */
export const workerTemplate = (k: number, dim: number): Float32Array => syntheticVector(1_000_003 + k, dim);
/** A stranger's face: drawn from a seed space no template uses. */
export const strangerFace = (k: number, dim: number): Float32Array => syntheticVector(9_000_001 + k, dim);

/**
 * The template plus per-frame noise, renormalised, at about `cosine` to the template (the noise
 * is drawn independently, so it is near-orthogonal to the template: cos = 1/sqrt(1 + w^2)).
 */
export function probeOf(template: Float32Array, noiseSeed: number, cosine: number): Float32Array {
  const w = Math.sqrt(1 / (cosine * cosine) - 1);
  const noise = syntheticVector(noiseSeed, template.length);
  const out = new Float32Array(template.length);
  let n = 0;
  for (let i = 0; i < out.length; i++) {
    const v = (template[i] as number) + w * (noise[i] as number);
    out[i] = v;
    n += v * v;
  }
  n = Math.sqrt(n);
  for (let i = 0; i < out.length; i++) out[i] = (out[i] as number) / n;
  return out;
}

/**
 * Where a genuine stand-in probe sits: halfway between the model set's 1:N match threshold and 1
 * (0.75 under a 0.5 threshold, 0.98 under the default set's 0.957), so the stand-in stays a
 * clear genuine match whatever the embedder's calibrated scale.
 */
export const genuineCosine = (matchThreshold: number): number => (1 + matchThreshold) / 2;

/** Who stands in front of each lane for the stand-in path (set by the test before each passage). */
export type LaneFace = { kind: 'enrolled' | 'stranger'; k: number };

/**
 * TEST PATH: wraps `engine.analyzeImage` so marked frames are answered by the stand-in, and
 * unmarked frames (the real face sample) by the real models. `cached[frame]` is the real
 * analysis of the unmarked frame. Returns counters of both paths.
 */
export function installFaceStandIn(engine: FaceEngine, cached: FaceAnalysis[], laneOf: (laneIndex: number) => LaneFace | undefined): { real: number; standIn: number } {
  const counts = { real: 0, standIn: 0 };
  const realAnalyze = engine.analyzeImage.bind(engine);
  let noise = 0;
  const cosine = genuineCosine(engine.thresholds.match);
  engine.analyzeImage = async (img, opts) => {
    const m = readMarker(img);
    const who = m ? laneOf(m.lane) : undefined;
    const base = m ? cached[m.frame] : undefined;
    if (!m || !who || !base?.embedding) {
      counts.real++;
      return realAnalyze(img, opts);
    }
    counts.standIn++;
    const template = who.kind === 'enrolled' ? workerTemplate(who.k, engine.embeddingDim) : strangerFace(who.k, engine.embeddingDim);
    return { ...base, embedding: probeOf(template, 77_000_000 + noise++, cosine) };
  };
  return counts;
}
