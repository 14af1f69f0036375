// ONNX model runners, one per pipeline role, each driven by its manifest entry (input size,
// layout, normalisation, output decoder). A role's decoder is chosen by name so that another
// model with the same contract can be swapped in by editing the manifest.
import ort from 'onnxruntime-node';
import type { RgbImage } from './image.js';
import { applyAffine, boxToAffine, warpToTensor, type Affine, type Point } from './geometry.js';
import { MESH_TO_IBUG68 } from './mesh68.js';
import type { ModelEntry } from './manifest.js';
import type { ModelSession } from './onnx-worker.js';

export interface Box {
  x: number;
  y: number;
  w: number;
  h: number;
  score: number;
  /**
   * Five points from detectors that give them (YuNet): image-left eye, image-right eye, nose
   * tip, image-left and image-right mouth corner, in image pixels.
   */
  five?: Point[];
}

export async function createSession(bytes: Uint8Array, threads: number): Promise<ort.InferenceSession> {
  return ort.InferenceSession.create(bytes, {
    intraOpNumThreads: threads,
    interOpNumThreads: 1,
    graphOptimizationLevel: 'all',
    logSeverityLevel: 3,
    // No per-session arena: each session's arena kept its peak allocation for good (RSS).
    enableCpuMemArena: false,
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

function clamp01(v: number): number {
  return v < 0 ? 0 : v > 1 ? 1 : v;
}

/**
 * Face detector. Decoders:
 *  - 'ultraface': the whole frame resized to the input; scores [1,N,2] and decoded boxes [1,N,4]
 *    (x1,y1,x2,y2 in 0..1);
 *  - 'yunet': the frame scaled to fit the input (aspect kept, the rest filled by the replicated
 *    border), outputs cls/obj/bbox/kps per stride (8, 16, 32), one anchor per grid cell:
 *    score = sqrt(cls * obj), centre = (cell + offset) * stride, size = exp(log-size) * stride,
 *    five keypoints = (cell + offset) * stride.
 */
export class FaceDetector {
  constructor(
    private readonly session: ModelSession,
    private readonly entry: ModelEntry,
  ) {
    const d = entry.output.decoder;
    if (d !== 'ultraface' && d !== 'yunet') throw new Error(`unknown detector decoder ${String(d)}`);
  }

  async detect(img: RgbImage): Promise<Box[]> {
    const found = this.entry.output.decoder === 'yunet' ? await this.#yunet(img) : await this.#ultraface(img);
    return nms(found, this.entry.thresholds['nms'] ?? 0.3);
  }

  async #ultraface(img: RgbImage): Promise<Box[]> {
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
    return found;
  }

  async #yunet(img: RgbImage): Promise<Box[]> {
    const s = this.entry.input;
    const k = Math.max(img.width / s.width, img.height / s.height);
    const input = warpToTensor(img, { a: k, b: 0, c: 0, d: 0, e: k, f: 0 }, s);
    const out = await runOne(this.session, this.entry, input);
    const minScore = this.entry.thresholds['score'] ?? 0.7;
    const found: Box[] = [];
    for (const stride of [8, 16, 32]) {
      const cls = out[`cls_${stride}`]?.data as Float32Array | undefined;
      const obj = out[`obj_${stride}`]?.data as Float32Array | undefined;
      const bbox = out[`bbox_${stride}`]?.data as Float32Array | undefined;
      const kps = out[`kps_${stride}`]?.data as Float32Array | undefined;
      if (!cls || !obj || !bbox || !kps) throw new Error(`yunet output for stride ${stride} missing`);
      const cols = Math.ceil(s.width / stride);
      for (let i = 0; i < cls.length; i++) {
        const score = Math.sqrt(clamp01(cls[i] as number) * clamp01(obj[i] as number));
        if (score < minScore) continue;
        const col = i % cols, row = Math.floor(i / cols);
        const cx = (col + (bbox[i * 4] as number)) * stride * k, cy = (row + (bbox[i * 4 + 1] as number)) * stride * k;
        const w = Math.exp(bbox[i * 4 + 2] as number) * stride * k, h = Math.exp(bbox[i * 4 + 3] as number) * stride * k;
        // Faces found in the replicated border beyond the frame are not faces of the frame.
        if (cx > img.width || cy > img.height) continue;
        const five: Point[] = [];
        for (let j = 0; j < 5; j++) five.push([(col + (kps[i * 10 + 2 * j] as number)) * stride * k, (row + (kps[i * 10 + 2 * j + 1] as number)) * stride * k]);
        found.push({ x: cx - w / 2, y: cy - h / 2, w, h, score, five });
      }
    }
    return found;
  }
}

export interface LandmarkResult {
  /** 68 points in the iBUG 300-W layout, image pixels (derived from the mesh for FaceMesh). */
  points: Point[];
  /** The model's own points when it has more (FaceMesh: 468), image pixels. */
  mesh?: Point[];
  /** Head pose in degrees from the mesh's depth, when the model gives depth (FaceMesh). */
  pose?: { yaw: number; pitch: number; roll: number };
  /** The model's own face probability for its crop, when it gives one (FaceMesh). */
  score?: number;
}

/**
 * Head pose from FaceMesh's 3-D points (x, y in image pixels, z in the same scale): yaw from
 * the depth difference of the outer eye corners (33, 263), pitch from that of the forehead top
 * and chin (10, 152) less `pitchOffset` (the forehead-chin line leans back on a level head),
 * roll from the eye line. Signs follow estimatePose (quality.ts): yaw > 0 when the nose points
 * to the image right, pitch > 0 when the head is bowed. On 82 photos of the evaluation set the
 * yaw agrees with the legacy five-point estimate (slope 1.04, correlation 0.94).
 */
export function meshPose(p: (i: number) => readonly [number, number, number], pitchOffset: number): { yaw: number; pitch: number; roll: number } {
  const deg = 180 / Math.PI;
  const l = p(33), r = p(263), top = p(10), chin = p(152);
  const ex = r[0] - l[0], ey = r[1] - l[1], ez = r[2] - l[2];
  const ux = chin[0] - top[0], uy = chin[1] - top[1], uz = chin[2] - top[2];
  return {
    yaw: Math.atan2(ez, Math.hypot(ex, ey)) * deg,
    pitch: Math.atan2(uz, Math.hypot(ux, uy)) * deg - pitchOffset,
    roll: Math.atan2(ey, ex) * deg,
  };
}

/**
 * Face landmarks. Decoders:
 *  - 'box-normalised-68': grey crop of the detector box, output 136 values in 0..1 of the box;
 *  - 'facemesh-468': a square crop centred on the detector box, `cropScale` times its longer
 *    side, turned so that the detector's eye line is level; output `mesh` = 468 x (x, y, z) in
 *    crop pixels. The 68 iBUG points are picked from the mesh (mesh68.ts).
 */
export class LandmarkModel {
  constructor(
    private readonly session: ModelSession,
    private readonly entry: ModelEntry,
  ) {
    const d = entry.output.decoder;
    if (d !== 'box-normalised-68' && d !== 'facemesh-468') throw new Error(`unknown landmark decoder ${String(d)}`);
  }

  async #mesh(img: RgbImage, box: Box, scale: number, angle: number): Promise<LandmarkResult> {
    const s = this.entry.input;
    const toImage = meshCrop(box, scale, s.width, angle);
    const out = await runOne(this.session, this.entry, warpToTensor(img, toImage, s));
    const v = out[outName(this.entry, 'mesh', 'mesh')]?.data as Float32Array;
    const mesh: Point[] = [];
    for (let i = 0; i + 2 < v.length; i += 3) mesh.push(applyAffine(toImage, [v[i] as number, v[i + 1] as number]));
    const zScale = Math.hypot(toImage.a, toImage.d);
    const at = (i: number): readonly [number, number, number] => [(mesh[i] as Point)[0], (mesh[i] as Point)[1], (v[i * 3 + 2] as number) * zScale];
    const pitchOffset = typeof this.entry.output['pitchOffset'] === 'number' ? (this.entry.output['pitchOffset'] as number) : 0;
    const r: LandmarkResult = { points: MESH_TO_IBUG68.map((i) => mesh[i] as Point), mesh, pose: meshPose(at, pitchOffset) };
    const flag = out[outName(this.entry, 'faceScore', '')]?.data as Float32Array | undefined;
    if (flag) r.score = flag[0] as number;
    return r;
  }

  async landmarks(img: RgbImage, box: Box): Promise<LandmarkResult> {
    const s = this.entry.input;
    if (this.entry.output.decoder === 'facemesh-468') {
      const scale = typeof this.entry.output['cropScale'] === 'number' ? (this.entry.output['cropScale'] as number) : 1.5;
      // YuNet's eye points barely follow a rolled head, and the mesh itself is reliable only
      // up to ~20 degrees of roll in its crop: when the mesh's own eye line leans more than 8
      // degrees from the crop's, the crop is turned by it and the mesh run once more.
      let angle = detectorEyeAngle(box);
      let r = await this.#mesh(img, box, scale, angle);
      // Past ~40 degrees the mesh no longer finds the face upright in its crop (its face score
      // drops): try the crop turned 30 degrees either way and keep the surer one.
      if ((r.score ?? 1) < 0.9) {
        for (const turn of [Math.PI / 6, -Math.PI / 6]) {
          const t = await this.#mesh(img, box, scale, angle + turn);
          if ((t.score ?? 0) > (r.score ?? 0)) { r = t; angle += turn; }
        }
      }
      const lean = r.pose ? (r.pose.roll * Math.PI) / 180 - angle : 0;
      if (Math.abs(lean) > (8 * Math.PI) / 180) {
        angle += lean;
        r = await this.#mesh(img, box, scale, angle);
      }
      return r;
    }
    const input = warpToTensor(img, boxToAffine(box, s.width, s.height), s);
    const out = await runOne(this.session, this.entry, input);
    const v = out[outName(this.entry, 'name', 'output')]?.data as Float32Array;
    const pts: Point[] = [];
    for (let i = 0; i + 1 < v.length; i += 2) pts.push([box.x + (v[i] as number) * box.w, box.y + (v[i + 1] as number) * box.h]);
    return { points: pts };
  }
}

/** Angle (radians) of the detector's eye line, 0 without five points. */
function detectorEyeAngle(box: Box): number {
  if (!box.five || box.five.length < 2) return 0;
  const [l, r] = box.five as [Point, Point];
  return Math.atan2(r[1] - l[1], r[0] - l[0]);
}

/** Crop -> image affine of a size x size square around the box, turned by `angle` (radians). */
export function meshCrop(box: Box, scale: number, size: number, angle = detectorEyeAngle(box)): Affine {
  const k = (Math.max(box.w, box.h) * scale) / size;
  const c = Math.cos(angle) * k, sn = Math.sin(angle) * k;
  const cx = box.x + box.w / 2, cy = box.y + box.h / 2, h = size / 2;
  return { a: c, b: -sn, c: cx - c * h + sn * h, d: sn, e: c, f: cy - sn * h - c * h };
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

  /**
   * Where the five alignment points go in the model's input (image-left eye, image-right eye,
   * nose tip, mouth corners), from the manifest's `template`; the ArcFace 112x112 positions
   * when absent.
   */
  get template(): readonly Point[] | undefined {
    const t = this.entry.output['template'];
    if (!Array.isArray(t) || t.length !== 5) return undefined;
    return t.map((p) => {
      if (!Array.isArray(p) || typeof p[0] !== 'number' || typeof p[1] !== 'number') throw new Error('embedder template: five [x, y] points expected');
      return [p[0], p[1]] as const;
    });
  }

  /**
   * Alignment on many landmarks instead of five: `templateIbug` lists [iBUG index, x, y] of the
   * model's input (e.g. dlib's mean face on its 150x150 chip); undefined when absent.
   */
  get templateIbug(): { indices: number[]; points: Point[] } | undefined {
    const t = this.entry.output['templateIbug'];
    if (!Array.isArray(t) || t.length < 3) return undefined;
    const indices: number[] = [], points: Point[] = [];
    for (const row of t) {
      if (!Array.isArray(row) || row.length !== 3 || !row.every((v) => typeof v === 'number')) throw new Error('embedder templateIbug: [index, x, y] rows expected');
      indices.push(row[0] as number);
      points.push([row[1] as number, row[2] as number]);
    }
    return { indices, points };
  }

  /**
   * `alignedToSrc` maps the model's input pixels onto the image (from the similarity alignment).
   * With `flip` in the manifest the mirrored crop is embedded too and the two are averaged.
   */
  async embed(img: RgbImage, alignedToSrc: Affine): Promise<Float32Array> {
    const name = outName(this.entry, 'name', 'output');
    const out = (await runOne(this.session, this.entry, warpToTensor(img, alignedToSrc, this.entry.input)))[name]?.data as Float32Array;
    if (this.entry.output['flip'] !== true) return l2normalise(out);
    // Mirror: output column x samples where column (W - x) did.
    const W = this.entry.input.width, m = alignedToSrc;
    const mirrored: Affine = { a: -m.a, b: m.b, c: m.c + m.a * W, d: -m.d, e: m.e, f: m.f + m.d * W };
    const out2 = (await runOne(this.session, this.entry, warpToTensor(img, mirrored, this.entry.input)))[name]?.data as Float32Array;
    const sum = new Float32Array(out.length);
    for (let i = 0; i < out.length; i++) sum[i] = (out[i] as number) + (out2[i] as number);
    return l2normalise(sum);
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

export interface MaskScores {
  /** Probability of "mask" and of "no mask" for the face (sigmoid outputs, not exclusive). */
  mask: number;
  noMask: number;
}

/**
 * Face mask SSD (AIZOOTech FaceMaskDetection, decoder 'aizoo-mask-ssd') run on a square head crop
 * `cropScale` times the face box's longer side, resized to the input: per feature map (sizes
 * from the input: /8, /16, /32, /64 with "same" pooling, then one "valid" 3x3 conv) 4 anchors
 * per cell — the two `anchorSizes` at aspect 1 and the first size at aspects 0.62 and 0.42 —
 * boxes decoded with variances 0.1/0.2. The face's answer is the most confident anchor whose
 * box overlaps the face box (IoU >= 0.3); null when none does.
 */
export class MaskModel {
  readonly #anchors: Float32Array;

  constructor(
    private readonly session: ModelSession,
    private readonly entry: ModelEntry,
  ) {
    if (entry.output.decoder !== 'aizoo-mask-ssd') throw new Error(`unknown mask decoder ${String(entry.output.decoder)}`);
    this.#anchors = maskAnchors(entry.input.width);
  }

  async score(img: RgbImage, box: { x: number; y: number; w: number; h: number }): Promise<MaskScores | null> {
    const s = this.entry.input;
    const k = typeof this.entry.output['cropScale'] === 'number' ? (this.entry.output['cropScale'] as number) : 2.6;
    const side = Math.max(box.w, box.h) * k;
    const x0 = box.x + box.w / 2 - side / 2, y0 = box.y + box.h / 2 - side / 2;
    const out = await runOne(this.session, this.entry, warpToTensor(img, { a: side / s.width, b: 0, c: x0, d: 0, e: side / s.height, f: y0 }, s));
    const cls = out[outName(this.entry, 'cls', 'cls')]?.data as Float32Array;
    const loc = out[outName(this.entry, 'loc', 'loc')]?.data as Float32Array;
    const A = this.#anchors;
    const f0 = (box.x - x0) / side, f1 = (box.y - y0) / side, f2 = (box.x + box.w - x0) / side, f3 = (box.y + box.h - y0) / side;
    const faceArea = (f2 - f0) * (f3 - f1);
    let best: MaskScores | null = null;
    let bestConf = -1;
    for (let i = 0; i * 4 < A.length; i++) {
      const aw = A[i * 4 + 2] as number, ah = A[i * 4 + 3] as number;
      const cx = (loc[i * 4] as number) * 0.1 * aw + (A[i * 4] as number), cy = (loc[i * 4 + 1] as number) * 0.1 * ah + (A[i * 4 + 1] as number);
      const w = Math.exp((loc[i * 4 + 2] as number) * 0.2) * aw, h = Math.exp((loc[i * 4 + 3] as number) * 0.2) * ah;
      const iw = Math.max(0, Math.min(cx + w / 2, f2) - Math.max(cx - w / 2, f0)), ih = Math.max(0, Math.min(cy + h / 2, f3) - Math.max(cy - h / 2, f1));
      const inter = iw * ih;
      if (inter / (w * h + faceArea - inter) < 0.3) continue;
      const m = cls[i * 2] as number, n = cls[i * 2 + 1] as number;
      if (Math.max(m, n) > bestConf) {
        bestConf = Math.max(m, n);
        best = { mask: m, noMask: n };
      }
    }
    return best;
  }
}

/** Anchors (cx, cy, w, h in 0..1 of the input) of the mask SSD for a square input of `size`. */
export function maskAnchors(size: number): Float32Array {
  const sizes = [[0.04, 0.056], [0.08, 0.11], [0.16, 0.22], [0.32, 0.45], [0.64, 0.72]] as const;
  const ratios = [0.62, 0.42];
  let n = size;
  for (let i = 0; i < 3; i++) n = Math.ceil(n / 2);
  const maps: number[] = [n];
  for (let i = 0; i < 3; i++) maps.push((n = Math.ceil(n / 2)));
  maps.push(n - 2);
  const out: number[] = [];
  maps.forEach((m, level) => {
    const [s0, s1] = sizes[level] as readonly [number, number];
    for (let y = 0; y < m; y++) {
      for (let x = 0; x < m; x++) {
        const cx = (x + 0.5) / m, cy = (y + 0.5) / m;
        out.push(cx, cy, s0, s0, cx, cy, s1, s1);
        for (const r of ratios) out.push(cx, cy, s0 * Math.sqrt(r), s0 / Math.sqrt(r));
      }
    }
  });
  return Float32Array.from(out);
}
