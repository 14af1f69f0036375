// The face engine: decode -> exposure normalisation -> detection -> landmarks -> five-point
// similarity alignment to 112x112 -> quality -> anti-spoof CNN -> embedding. Everything is
// driven by models/manifest.json. analyze() never throws on bad input: it returns a typed
// result whose reasons say why there is no usable face (and then there is no embedding).
import { applyGamma, applyLut, decodeImage, exposureGamma, faceToneCurve, lumaStats, DEFAULT_DECODE_LIMITS, type DecodeLimits, type RgbImage } from './image.js';
import { invertAffine, similarityTransform, warpToGrey, type Affine, type Point } from './geometry.js';
import { loadVerifiedModels, readManifest, unclearRoles, ModelIntegrityError, type ModelManifest, type ModelRole } from './manifest.js';
import { CropClassifier, Embedder, FaceDetector, LandmarkModel, MaskModel, createSession, type Box, type MaskScores } from './runners.js';
import { OffThreadSession, type ModelSession } from './onnx-worker.js';
import {
  ARCFACE_112,
  GATE_QUALITY,
  ID_PHOTO_QUALITY,
  assessQuality,
  fivePointsFrom68,
  fiveToArray,
  type FivePoints,
  type QualityPolicy,
  type QualityReport,
} from './quality.js';
import { screenCue } from './screen-cue.js';
import { reason, type FaceReason } from './reasons.js';

export interface FaceEngineOptions {
  modelsDir: string;
  /** onnxruntime intra-op threads per model session (default 1: the gate has other work). */
  threads?: number;
  decodeLimits?: DecodeLimits;
  /**
   * Run the anti-spoof CNN on its own worker thread (default true), in parallel with
   * landmarks, quality and the embedder: onnxruntime-node runs sessions synchronously on the
   * calling thread, so without this the models of one frame run one after the other.
   */
  livenessOffThread?: boolean;
}

export interface AnalyzeOptions {
  quality?: QualityPolicy;
  /** Compute the embedding even when quality fails (enrollment review); default false. */
  embedDespiteQuality?: boolean;
}

export interface FaceObservation {
  box: Box;
  /** 68 landmarks in image pixels. */
  landmarks: Point[];
  five: FivePoints;
  /** Maps the 112x112 aligned face onto the image. */
  alignedToImage: Affine;
  quality: QualityReport;
  /**
   * Probability of "live" from the anti-spoof CNN: with two models (two crop scales) the mean of
   * their "live" probabilities, each also in `livenessCnnParts`.
   */
  livenessCnn: number;
  livenessCnnParts?: number[];
  /** The mask model's answer for this face (set with a `mask` model; null when no anchor covered the face). */
  mask?: MaskScores | null;
  /** High-frequency energy ratio of the face crop; reported, see screen-cue.ts. */
  screenCue: number;
}

export interface FaceAnalysis {
  /** True when a single usable face passed quality and has an embedding. */
  ok: boolean;
  /** Why the face is not usable (empty when ok). */
  reasons: FaceReason[];
  /** Facts that do not reject, e.g. several faces were present. */
  notes: FaceReason[];
  /** gamma: the frame's; faceGamma/faceGain: the face's tone curve (faceGain only when its levels were stretched). */
  image?: { width: number; height: number; gamma: number; faceGamma: number; faceGain?: number };
  facesFound: number;
  face?: FaceObservation;
  embedding?: Float32Array;
  timings: Record<string, number>;
}

export interface IdPhotoMatch {
  decision: 'match' | 'no_match' | 'unusable';
  score?: number;
  /** Embedding of the ID-card photo, kept as an extra template when the enrollment is saved. */
  idEmbedding?: Float32Array;
  threshold: number;
  reasons: FaceReason[];
}

/** Picks the largest face, weighted towards the image centre. */
export function chooseFace(boxes: readonly Box[], W: number, H: number): Box | undefined {
  let best: Box | undefined;
  let bestValue = -Infinity;
  for (const b of boxes) {
    const cx = (b.x + b.w / 2) / W - 0.5, cy = (b.y + b.h / 2) / H - 0.5;
    const off = Math.min(1, Math.hypot(cx, cy) / Math.SQRT1_2);
    const value = b.w * b.h * (1 - 0.5 * off);
    if (value > bestValue) { bestValue = value; best = b; }
  }
  return best;
}

/**
 * True when the face is cut by the frame: the box sticks out by more than `tolerance` of its
 * size, or it touches an edge with a shape no whole face has (the detector shrinks boxes to the
 * visible part), or landmarks fall outside the frame.
 */
export function cutByEdge(b: Box, W: number, H: number, landmarks: readonly Point[] = [], tolerance = 0.08): boolean {
  if (b.x < -tolerance * b.w || b.y < -tolerance * b.h || b.x + b.w > W + tolerance * b.w || b.y + b.h > H + tolerance * b.h) return true;
  const mx = 0.01 * W, my = 0.01 * H;
  const touchesSide = b.x <= mx || b.x + b.w >= W - mx;
  const touchesTopBottom = b.y <= my || b.y + b.h >= H - my;
  if (touchesSide && b.w / b.h < 0.65) return true;
  if (touchesTopBottom && b.h / b.w < 0.9) return true;
  const slack = 0.02 * Math.max(b.w, b.h);
  return landmarks.some(([x, y]) => x < -slack || y < -slack || x > W + slack || y > H + slack);
}

export class FaceEngine {
  readonly manifest: ModelManifest;
  readonly embeddingDim: number;
  readonly #detector: FaceDetector;
  readonly #landmarks: LandmarkModel;
  readonly #embedder: Embedder;
  readonly #liveness: CropClassifier;
  readonly #livenessAux: CropClassifier | undefined;
  readonly #mask: MaskModel | undefined;
  readonly #eyes: CropClassifier | undefined;
  readonly #limits: DecodeLimits;
  readonly #close: () => Promise<void>;

  constructor(parts: {
    manifest: ModelManifest;
    detector: FaceDetector;
    landmarks: LandmarkModel;
    embedder: Embedder;
    liveness: CropClassifier;
    livenessAux?: CropClassifier;
    mask?: MaskModel;
    eyes?: CropClassifier;
    limits: DecodeLimits;
    /** Releases resources the parts hold (e.g. a worker thread). */
    close?: () => Promise<void>;
  }) {
    this.manifest = parts.manifest;
    this.#detector = parts.detector;
    this.#landmarks = parts.landmarks;
    this.#embedder = parts.embedder;
    this.#liveness = parts.liveness;
    this.#livenessAux = parts.livenessAux;
    this.#mask = parts.mask;
    this.#eyes = parts.eyes;
    this.#limits = parts.limits;
    this.#close = parts.close ?? (() => Promise.resolve());
    this.embeddingDim = parts.embedder.dim;
  }

  /** Stops the engine's worker thread, if any (it does not keep the process alive either way). */
  close(): Promise<void> {
    return this.#close();
  }

  /** Roles filled by a model of unclear provenance (a legacy set); empty for the default set. */
  get unclearRoles(): string[] {
    return unclearRoles(this.manifest);
  }

  /** Model id recorded with stored templates (face_templates.model_id): file and hash prefix. */
  get modelId(): string {
    const e = this.manifest.models.embedder;
    return `${e.file}@${e.sha256.slice(0, 12)}`;
  }

  get thresholds(): { match: number; margin: number; idPhoto: number; live: number } {
    const t = this.manifest.models.embedder.thresholds;
    return {
      match: t['match'] ?? 0.5,
      margin: t['margin'] ?? 0.05,
      idPhoto: t['idPhoto'] ?? 0.45,
      live: this.manifest.models.liveness.thresholds['live'] ?? 0.5,
    };
  }

  /** Encoded image bytes (JPEG, PNG, ...) in; never throws for bad bytes. */
  async analyze(bytes: Uint8Array, opts: AnalyzeOptions = {}): Promise<FaceAnalysis> {
    const t0 = performance.now();
    const decoded = await decodeImage(bytes, this.#limits);
    const tDecode = performance.now() - t0;
    if (!decoded.ok) return { ok: false, reasons: [decoded.reason], notes: [], facesFound: 0, timings: { decode: tDecode } };
    const a = await this.analyzeImage(decoded.image, opts);
    a.timings['decode'] = tDecode;
    return a;
  }

  /** An already decoded RGB frame (e.g. from a camera driver) in. */
  async analyzeImage(original: RgbImage, opts: AnalyzeOptions = {}): Promise<FaceAnalysis> {
    const policy = opts.quality ?? GATE_QUALITY;
    const timings: Record<string, number> = {};
    const notes: FaceReason[] = [];
    let t = performance.now();
    const lap = (name: string): void => {
      const now = performance.now();
      timings[name] = now - t;
      t = now;
    };
    if (Math.min(original.width, original.height) < this.#limits.minSide) {
      return { ok: false, reasons: [reason('input.too_small', Math.min(original.width, original.height), this.#limits.minSide)], notes, facesFound: 0, timings };
    }
    const gamma = exposureGamma(lumaStats(original).mean);
    const img = applyGamma(original, gamma);
    lap('exposure');
    const boxes = await this.#detector.detect(img);
    lap('detect');
    const W = img.width, H = img.height;
    const image: NonNullable<FaceAnalysis['image']> = { width: W, height: H, gamma, faceGamma: 1 };
    const box = chooseFace(boxes, W, H);
    if (!box) return { ok: false, reasons: [reason('face.none')], notes, image, facesFound: 0, timings };
    if (boxes.length > 1) notes.push(reason('face.multiple', boxes.length));
    if (cutByEdge(box, W, H)) {
      return { ok: false, reasons: [reason('face.cut_by_edge')], notes, image, facesFound: boxes.length, timings };
    }
    // The anti-spoof CNN needs only the frame and the box: start it now. With its session on a
    // worker thread it runs while landmarks, quality and the embedder run here. Its failure is
    // observed where it is awaited (the no-op catch only keeps an early return from leaving
    // an unhandled rejection behind).
    const livePending = this.#livenessScores(original, box);
    livePending.catch(() => undefined);
    const maskPending = this.#mask?.score(original, box);
    maskPending?.catch(() => undefined);
    // Face-region exposure: back light leaves a dark face in a bright frame.
    // A stretch of the face's own levels, then a gamma (faceToneCurve); none when it is well exposed.
    const tone = faceToneCurve(original, box);
    const faceImg = tone ? applyLut(original, tone.lut) : original;
    image.faceGamma = tone ? tone.gamma : 1;
    if (tone) image.faceGain = tone.gain;
    lap('face_exposure');
    const marks = await this.#landmarks.landmarks(faceImg, box);
    const landmarks = marks.points;
    lap('landmarks');
    if (cutByEdge(box, W, H, landmarks)) {
      return { ok: false, reasons: [reason('face.cut_by_edge')], notes, image, facesFound: boxes.length, timings };
    }
    const five = fivePointsFrom68(landmarks);
    const alignedToImage = invertAffine(similarityTransform(fiveToArray(five), ARCFACE_112));
    const grey = warpToGrey(faceImg, alignedToImage, 112, 112);
    const eyesOpen = this.#eyes ? await this.#eyeState(faceImg, landmarks) : undefined;
    const quality = assessQuality(five, grey, policy, eyesOpen, marks.pose);
    lap('quality');
    const wantEmbedding = quality.reasons.length === 0 || opts.embedDespiteQuality === true;
    const embedToImage = this.#embedAlignment(five, landmarks) ?? alignedToImage;
    const embedding = wantEmbedding ? await this.#embedder.embed(faceImg, embedToImage) : undefined;
    const parts = await livePending;
    const livenessCnn = parts.reduce((a, b) => a + b, 0) / parts.length;
    const cue = screenCue(original, box);
    lap(wantEmbedding ? 'liveness_cnn+embed' : 'liveness_cnn');
    const face: FaceObservation = { box, landmarks, five, alignedToImage, quality, livenessCnn, screenCue: cue };
    if (parts.length > 1) face.livenessCnnParts = parts;
    if (maskPending) face.mask = await maskPending;
    const result: FaceAnalysis = { ok: quality.reasons.length === 0, reasons: [...quality.reasons], notes, image, facesFound: boxes.length, face, timings };
    if (embedding) result.embedding = embedding;
    return result;
  }

  /** Model input -> image affine for the embedder's own template (undefined: the ArcFace 112 one). */
  #embedAlignment(five: FivePoints, landmarks: readonly Point[]): Affine | undefined {
    const many = this.#embedder.templateIbug;
    if (many && landmarks.length >= 68) return invertAffine(similarityTransform(many.indices.map((i) => landmarks[i] as Point), many.points));
    const t = this.#embedder.template;
    return t ? invertAffine(similarityTransform(fiveToArray(five), t)) : undefined;
  }

  /** "Live" probability of each anti-spoof model (one or two crop scales). */
  async #livenessScores(img: RgbImage, box: Box): Promise<number[]> {
    const main = this.#liveness.score(img, box);
    if (!this.#livenessAux) return [(await main).p];
    const aux = this.#livenessAux.score(img, box);
    return [(await main).p, (await aux).p];
  }

  async #eyeState(img: RgbImage, p: readonly Point[]): Promise<{ left: number; right: number }> {
    const eye = (from: number, to: number, cornerA: number, cornerB: number) => {
      let x = 0, y = 0;
      for (let i = from; i <= to; i++) { x += (p[i] as Point)[0]; y += (p[i] as Point)[1]; }
      x /= to - from + 1; y /= to - from + 1;
      const size = Math.max(4, Math.hypot((p[cornerB] as Point)[0] - (p[cornerA] as Point)[0], (p[cornerB] as Point)[1] - (p[cornerA] as Point)[1]) * 1.6);
      return { x: x - size / 2, y: y - size / 2, w: size, h: size };
    };
    const eyes = this.#eyes as CropClassifier;
    const left = (await eyes.score(img, eye(36, 41, 36, 39))).p;
    const right = (await eyes.score(img, eye(42, 47, 42, 45))).p;
    return { left, right };
  }

  /** Embedding of the best face of an image, or the reasons there is none. */
  async embed(bytes: Uint8Array, opts: AnalyzeOptions = {}): Promise<{ embedding: Float32Array } | { embedding?: undefined; reasons: FaceReason[] }> {
    const a = await this.analyze(bytes, opts);
    return a.embedding && a.ok ? { embedding: a.embedding } : { reasons: a.reasons.length > 0 ? a.reasons : [reason('face.none')] };
  }

  /**
   * 1:1 match of a live embedding against the ID-card photo (typically 102x126, soft JPEG).
   * The photo is analysed with the lenient ID-photo quality policy and upscaled first.
   */
  async matchIdPhoto(idPhoto: Uint8Array, live: Float32Array): Promise<IdPhotoMatch> {
    const threshold = this.thresholds.idPhoto;
    const decoded = await decodeImage(idPhoto, { ...this.#limits, minSide: 32 });
    if (!decoded.ok) return { decision: 'unusable', threshold, reasons: [decoded.reason] };
    const img = upscaleSmall(decoded.image, 320);
    const a = await this.analyzeImage(img, { quality: ID_PHOTO_QUALITY });
    if (!a.ok || !a.embedding) return { decision: 'unusable', threshold, reasons: a.reasons.length ? a.reasons : [reason('face.none')] };
    const score = dot(a.embedding, live);
    return score >= threshold
      ? { decision: 'match', score, threshold, reasons: [], idEmbedding: a.embedding }
      : { decision: 'no_match', score, threshold, reasons: [reason('match.id_photo_mismatch', score, threshold)], idEmbedding: a.embedding };
  }
}

export function dot(a: Float32Array, b: Float32Array): number {
  let s = 0;
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) s += (a[i] as number) * (b[i] as number);
  return s;
}

/** Nearest-integer-factor bilinear upscale so the detector sees a small ID photo at a usable size. */
function upscaleSmall(img: RgbImage, minSide: number): RgbImage {
  const side = Math.min(img.width, img.height);
  if (side >= minSide) return img;
  const k = minSide / side;
  const W = Math.round(img.width * k), H = Math.round(img.height * k);
  const out = new Uint8Array(W * H * 3);
  for (let y = 0; y < H; y++) {
    const fy = Math.min(img.height - 1, Math.max(0, (y + 0.5) / k - 0.5));
    const y0 = Math.floor(fy), y1 = Math.min(img.height - 1, y0 + 1), ay = fy - y0;
    for (let x = 0; x < W; x++) {
      const fx = Math.min(img.width - 1, Math.max(0, (x + 0.5) / k - 0.5));
      const x0 = Math.floor(fx), x1 = Math.min(img.width - 1, x0 + 1), ax = fx - x0;
      for (let c = 0; c < 3; c++) {
        const v00 = img.data[(y0 * img.width + x0) * 3 + c] as number, v01 = img.data[(y0 * img.width + x1) * 3 + c] as number;
        const v10 = img.data[(y1 * img.width + x0) * 3 + c] as number, v11 = img.data[(y1 * img.width + x1) * 3 + c] as number;
        out[(y * W + x) * 3 + c] = Math.round((v00 * (1 - ax) + v01 * ax) * (1 - ay) + (v10 * (1 - ax) + v11 * ax) * ay);
      }
    }
  }
  return { width: W, height: H, data: out };
}

/** Loads and verifies the models; throws ModelIntegrityError when any file is missing or altered. */
export async function createFaceEngine(opts: FaceEngineOptions): Promise<FaceEngine> {
  const manifest = await readManifest(opts.modelsDir);
  const bytes = await loadVerifiedModels(opts.modelsDir, manifest);
  const threads = opts.threads ?? 1;
  const get = (role: ModelRole): Uint8Array => {
    const b = bytes.get(role);
    if (!b) throw new ModelIntegrityError([{ role, file: role, kind: 'missing' }]);
    return b;
  };
  const m = manifest.models;
  // The anti-spoof model(s) share one worker thread (see onnx-worker.ts).
  // The mask model (when present) needs only the frame and the box too: same worker.
  const liveBytes = m.livenessAux ? [get('liveness'), get('livenessAux')] : [get('liveness')];
  const workerBytes = m.mask ? [...liveBytes, get('mask')] : liveBytes;
  const offThread = opts.livenessOffThread === false ? null : await OffThreadSession.createGroup(workerBytes, { intraOpNumThreads: threads });
  const liveSessions = offThread ?? (await Promise.all(workerBytes.map((b) => createSession(b, threads))));
  const parts: ConstructorParameters<typeof FaceEngine>[0] = {
    manifest,
    detector: new FaceDetector(await createSession(get('detector'), threads), m.detector),
    landmarks: new LandmarkModel(await createSession(get('landmarks'), threads), m.landmarks),
    embedder: new Embedder(await createSession(get('embedder'), threads), m.embedder),
    liveness: new CropClassifier(liveSessions[0] as ModelSession, m.liveness),
    limits: opts.decodeLimits ?? DEFAULT_DECODE_LIMITS,
    close: async () => {
      for (const s of offThread ?? []) await s.close();
    },
  };
  if (m.livenessAux) parts.livenessAux = new CropClassifier(liveSessions[1] as ModelSession, m.livenessAux);
  if (m.mask) parts.mask = new MaskModel(liveSessions[liveBytes.length] as ModelSession, m.mask);
  if (m.eyeState) parts.eyes = new CropClassifier(await createSession(get('eyeState'), threads), m.eyeState);
  return new FaceEngine(parts);
}

export type FaceEngineStatus =
  | { state: 'ready'; engine: FaceEngine; modelId: string }
  | { state: 'unavailable'; error: ModelIntegrityError; reason: FaceReason };

/**
 * Like createFaceEngine but never throws for model problems: the gate shows the status and
 * stops admitting by face; enrollment of records and sync keep running.
 */
export async function loadFaceEngine(opts: FaceEngineOptions): Promise<FaceEngineStatus> {
  try {
    const engine = await createFaceEngine(opts);
    return { state: 'ready', engine, modelId: engine.modelId };
  } catch (e) {
    if (e instanceof ModelIntegrityError) return { state: 'unavailable', error: e, reason: reason('engine.models_unavailable') };
    const err = new ModelIntegrityError([{ role: 'runtime', file: opts.modelsDir, kind: 'invalid_manifest', detail: String(e) }]);
    return { state: 'unavailable', error: err, reason: reason('engine.models_unavailable') };
  }
}
