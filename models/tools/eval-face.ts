// Face evaluation tool (issue 3 item 8).
//   npx tsx models/tools/eval-face.ts --pairs pairs.txt --images DIR [--id-photo] [--out report.json]
//   npx tsx models/tools/eval-face.ts --spoof --live DIR --attack DIR [--attack DIR2 ...] [--out report.json]
// Verification: every image of an LFW-format pairs file is embedded once (images without a
// usable face are skipped, counted and listed), pairs are scored by cosine, and the ROC, TAR at
// FAR 1e-2/1e-3/1e-4, EER and the thresholds are printed and written as JSON. --id-photo
// degrades the second image of each pair like an ID-card photo and scores it through the
// engine's 1:1 ID-photo path. --spoof runs the anti-spoof CNN over folders of presentations
// (an image, or a folder of frames of one clip) and reports APCER/BPCER at the manifest threshold.
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { basename, dirname, extname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { createFaceEngine, dot, GATE_QUALITY, ID_PHOTO_QUALITY, type FaceEngine } from '../../edge-core/src/index.js';
import { checkImagesExist, imagePath, parsePairsFile } from './pairs.js';
import { equalErrorRate, mean, padMetrics, rocPoints, tarAtFar, type PadPresentation, type RocPoint, type TarAtFar } from './roc.js';
import { degradeToIdPhoto, ID_CARD_PHOTO } from './degrade.js';
import { AnalysisCache, type ImageAnalysis } from './eval-cache.js';
import { identify, type IdentificationReport } from './identify.js';
import { isLighting, relight, LIGHTINGS, type Lighting } from './lighting.js';

export const DEFAULT_MODELS_DIR = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const TARGET_FARS = [1e-2, 1e-3, 1e-4] as const;

const USAGE = `usage:
  eval-face --pairs FILE --images DIR [--id-photo] [--quality gate|lenient|any] [--lighting normal|overexposed|backlit|dim] [--out report.json] [--models DIR] [--cache FILE]
  eval-face --all-pairs DIR [--id-photo] [--quality ...] [--out report.json] [--models DIR] [--cache FILE]
  eval-face --identify DIR [--max-per-person K] [--quality ...] [--out report.json] [--models DIR] [--cache FILE]
  eval-face --spoof --live DIR --attack DIR [--attack DIR ...] [--out report.json] [--models DIR]`;

export class UsageError extends Error {
  constructor(message: string) {
    super(`${message}\n${USAGE}`);
    this.name = 'UsageError';
  }
}

interface ScoreSummary { n: number; mean: number; min: number; max: number }

export interface VerificationReport {
  tool: 'eval-face';
  mode: 'verification' | 'id-photo';
  modelId: string;
  pairsFile: string;
  imagesDir: string;
  quality: Quality;
  idPhotoStyle?: typeof ID_CARD_PHOTO;
  images: { total: number; usable: number; unusable: { path: string; reasons: string[] }[] };
  pairs: { total: number; same: number; different: number; scoredGenuine: number; scoredImpostor: number; skipped: { line: number; why: string }[] };
  scores: { genuine: ScoreSummary; impostor: ScoreSummary };
  /** Every scored pair: pairs-file line, same person or not, the two image paths and the cosine. */
  pairScores: { line: number; same: boolean; a: string; b: string; score: number }[];
  roc: RocPoint[];
  tarAtFar: TarAtFar[];
  eer: { eer: number; threshold: number };
  engineThreshold: { name: 'match' | 'idPhoto'; value: number; tar: number; far: number };
  /**
   * The live (probe) side relit: the second image of a verification pair, the live image of an
   * ID-photo pair. Refused = the quality mode gave no embedding for that probe image.
   */
  lighting: { probe: Lighting; probeImages: number; probeRefused: number; refusalReasons: Record<string, number> };
  note: string;
}

export interface PresentationResult {
  path: string;
  frames: number;
  framesWithFace: number;
  /** Median anti-spoof CNN "live" probability over frames with a face (null when none had one). */
  score: number | null;
  acceptedAsLive: boolean;
}

export interface SpoofReport {
  tool: 'eval-face';
  mode: 'spoof';
  modelId: string;
  threshold: number;
  bonaFide: PresentationResult[];
  attacks: Record<string, PresentationResult[]>;
  apcer: number;
  apcerBySpecies: Record<string, { apcer: number; accepted: number; total: number }>;
  bpcer: number;
  note: string;
}

export interface IdentifyReport extends Omit<IdentificationReport, 'probes'> {
  tool: 'eval-face';
  mode: 'identify';
  modelId: string;
  imagesDir: string;
  quality: Quality;
  images: { total: number; usable: number; unusable: { path: string; reasons: string[] }[] };
  probes: IdentificationReport['probes'];
  note: string;
}

export type EvalReport = VerificationReport | SpoofReport | IdentifyReport;

/**
 * Which faces are embedded: `gate` = only faces the gate would accept (GATE_QUALITY); `lenient`
 * = the ID-photo policy (smaller, softer faces; same pose limits); `any` = every detected face
 * that is not cut by the frame edge, whatever its quality (the usual way LFW-style benchmarks
 * are run, since they contain large poses).
 */
export type Quality = 'gate' | 'lenient' | 'any';
const isQuality = (q: string | undefined): q is Quality => q === 'gate' || q === 'lenient' || q === 'any';

const NOTE = 'Figures hold only for the images evaluated; TAR@FAR is reported only when the impostor pairs number at least 1/FAR.';

function summary(xs: readonly number[]): ScoreSummary {
  return { n: xs.length, mean: mean(xs), min: xs.length ? Math.min(...xs) : NaN, max: xs.length ? Math.max(...xs) : NaN };
}

const fmt = (x: number, d = 4): string => (Number.isFinite(x) ? x.toFixed(d) : String(x));

/** Runs the tool; `print` receives the human-readable summary lines. Returns the report. */
export async function runEvalFace(argv: readonly string[], print: (line: string) => void = console.log, engine?: FaceEngine): Promise<EvalReport> {
  let values;
  try {
    ({ values } = parseArgs({
      args: [...argv],
      options: {
        pairs: { type: 'string' },
        images: { type: 'string' },
        'id-photo': { type: 'boolean', default: false },
        quality: { type: 'string', default: 'gate' },
        spoof: { type: 'boolean', default: false },
        live: { type: 'string' },
        attack: { type: 'string', multiple: true },
        out: { type: 'string' },
        models: { type: 'string' },
        cache: { type: 'string' },
        'all-pairs': { type: 'string' },
        identify: { type: 'string' },
        'max-per-person': { type: 'string' },
        lighting: { type: 'string', default: 'normal' },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
  const eng = engine ?? (await createFaceEngine({ modelsDir: values.models ?? DEFAULT_MODELS_DIR }));
  let report: EvalReport;
  if (values.spoof) {
    if (!values.live || !values.attack || values.attack.length === 0) throw new UsageError('--spoof needs --live DIR and at least one --attack DIR');
    report = await evaluateSpoof(eng, values.live, values.attack, print);
  } else {
    const quality = values.quality;
    if (!isQuality(quality)) throw new UsageError(`--quality must be gate, lenient or any, got ${quality}`);
    const lighting = values.lighting;
    if (!isLighting(lighting)) throw new UsageError(`--lighting must be one of ${LIGHTINGS.join(', ')}, got ${lighting}`);
    const cache = new AnalysisCache(values.cache);
    try {
      if (values.identify) {
        const k = values['max-per-person'] === undefined ? Infinity : Number(values['max-per-person']);
        if (!(k >= 2)) throw new UsageError(`--max-per-person must be a number >= 2, got ${values['max-per-person']}`);
        report = await evaluateIdentify(eng, values.identify, quality, cache, print, k);
      } else if (values['all-pairs']) {
        const dir = values['all-pairs'];
        report = await evaluatePairs(eng, allPairs(dir), `all pairs of ${dir}`, dir, values['id-photo'] === true, quality, cache, print, lighting);
      } else {
        if (!values.pairs || !values.images) throw new UsageError('--pairs FILE and --images DIR (or --all-pairs DIR, or --identify DIR) are required');
        const pairs = parsePairsFile(readFileSync(values.pairs, 'utf8'));
        checkImagesExist(values.images, pairs, existsSync);
        const dir = values.images;
        const scored = pairs.map((p) => ({ line: p.line, same: p.same, a: imagePath(dir, p.a), b: imagePath(dir, p.b) }));
        report = await evaluatePairs(eng, scored, values.pairs, dir, values['id-photo'] === true, quality, cache, print, lighting);
      }
    } finally {
      cache.save();
    }
  }
  if (values.out) {
    writeFileSync(values.out, JSON.stringify(report, null, 2));
    print(`report written to ${values.out}`);
  }
  return report;
}

interface PairToScore {
  line: number;
  same: boolean;
  a: string;
  b: string;
}

/** Every pair of images in a folder tree (one folder per person): same person when in one folder. */
export function allPairs(dir: string): PairToScore[] {
  const images = labelledImages(dir);
  const out: PairToScore[] = [];
  let n = 0;
  for (let i = 0; i < images.length; i++) {
    for (let j = i + 1; j < images.length; j++) {
      const a = images[i] as { person: string; path: string }, b = images[j] as { person: string; path: string };
      out.push({ line: ++n, same: a.person === b.person, a: a.path, b: b.path });
    }
  }
  return out;
}

/** Images of a folder tree DIR/<person>/<image>, in name order. */
export function labelledImages(dir: string): { person: string; path: string }[] {
  if (!existsSync(dir) || !statSync(dir).isDirectory()) throw new Error(`not a directory: ${dir}`);
  const out: { person: string; path: string }[] = [];
  for (const person of readdirSync(dir).sort()) {
    const pdir = join(dir, person);
    if (!statSync(pdir).isDirectory()) continue;
    for (const f of readdirSync(pdir).sort()) if (IMAGE_EXT.has(extname(f).toLowerCase())) out.push({ person, path: join(pdir, f) });
  }
  if (out.length === 0) throw new Error(`no images in person folders under ${dir}`);
  return out;
}

/** The engine's analysis of one image under a quality mode, through the cache. */
async function analyseImage(engine: FaceEngine, path: string, quality: Quality, cache: AnalysisCache, lighting: Lighting = 'normal'): Promise<ImageAnalysis> {
  const original = readFileSync(path);
  const lit = lighting === 'normal' ? '' : `|${lighting}`;
  const key = AnalysisCache.key(`${engine.modelId}|${engine.manifest.set ?? ''}|${quality}${lit}`, original);
  const hit = cache.get(key);
  if (hit) return hit;
  const bytes = await relight(original, lighting);
  const policy = quality === 'lenient' ? ID_PHOTO_QUALITY : GATE_QUALITY;
  const embedDespiteQuality = quality === 'any';
  const a = await engine.analyze(bytes, { quality: policy, embedDespiteQuality });
  const r: ImageAnalysis = { reasons: a.reasons.map((x) => x.code) };
  if ((a.ok || embedDespiteQuality) && a.embedding && a.face) {
    r.embedding = a.embedding;
    r.box = { x: a.face.box.x, y: a.face.box.y, w: a.face.box.w, h: a.face.box.h };
  } else if (r.reasons.length === 0) r.reasons = ['face.none'];
  if (a.image) r.frame = { width: a.image.width, height: a.image.height };
  if (a.face) r.livenessCnn = a.face.livenessCnn;
  cache.set(key, r);
  return r;
}

async function evaluatePairs(
  engine: FaceEngine,
  pairs: readonly PairToScore[],
  pairsFile: string,
  imagesDir: string,
  idPhoto: boolean,
  quality: Quality,
  cache: AnalysisCache,
  print: (line: string) => void,
  lighting: Lighting = 'normal',
): Promise<VerificationReport> {
  // Embed every image once (under normal light), and every probe once more under the lighting.
  type Usable = Required<Pick<ImageAnalysis, 'embedding' | 'box' | 'frame'>>;
  const embeddings = new Map<string, Usable>();
  const unusable: { path: string; reasons: string[] }[] = [];
  const paths = [...new Set(pairs.flatMap((p) => [p.a, p.b]))];
  for (const path of paths) {
    const a = await analyseImage(engine, path, quality, cache);
    if (a.embedding && a.box && a.frame) embeddings.set(path, { embedding: a.embedding, box: a.box, frame: a.frame });
    else unusable.push({ path, reasons: a.reasons });
  }
  // The live side of a pair: the second image (verification) or the first (ID photo).
  const probeOf = (p: PairToScore) => (idPhoto ? p.a : p.b);
  const probes = lighting === 'normal' ? embeddings : new Map<string, Usable>();
  const refusalReasons: Record<string, number> = {};
  const probePaths = [...new Set(pairs.map(probeOf))];
  let probeRefused = 0;
  for (const path of probePaths) {
    const a = await analyseImage(engine, path, quality, cache, lighting);
    if (a.embedding && a.box && a.frame) probes.set(path, { embedding: a.embedding, box: a.box, frame: a.frame });
    else {
      probeRefused += 1;
      for (const r of a.reasons) refusalReasons[r] = (refusalReasons[r] ?? 0) + 1;
    }
  }

  // --id-photo: the second image of each pair, degraded, analysed once by the 1:1 path.
  const idEmbeddings = new Map<string, Float32Array | { reasons: string[] }>();
  const idEmbedding = async (path: string, live: Float32Array): Promise<Float32Array | { reasons: string[] }> => {
    const cached = idEmbeddings.get(path);
    if (cached) return cached;
    const src = embeddings.get(path);
    let result: Float32Array | { reasons: string[] };
    if (!src) result = { reasons: ['source image unusable'] };
    else {
      // The box is in the analysed frame, which is a downscaled copy of images over 1280 px.
      const degraded = await degradeToIdPhoto(readFileSync(path), src.box, ID_CARD_PHOTO, src.frame);
      const m = await engine.matchIdPhoto(degraded, live);
      result = m.idEmbedding ?? { reasons: m.reasons.map((r) => r.code) };
    }
    idEmbeddings.set(path, result);
    return result;
  };

  const genuine: number[] = [], impostor: number[] = [];
  const skipped: { line: number; why: string }[] = [];
  const pairScores: VerificationReport['pairScores'] = [];
  for (const p of pairs) {
    const pa = p.a, pb = p.b;
    const ea = idPhoto ? probes.get(pa) : embeddings.get(pa);
    if (!ea) { skipped.push({ line: p.line, why: `no usable face in ${pa}` }); continue; }
    let eb: Float32Array;
    if (idPhoto) {
      const r = await idEmbedding(pb, ea.embedding);
      if (!(r instanceof Float32Array)) { skipped.push({ line: p.line, why: `ID-style photo of ${pb} unusable: ${r.reasons.join(', ')}` }); continue; }
      eb = r;
    } else {
      const e = probes.get(pb);
      if (!e) { skipped.push({ line: p.line, why: `no usable face in ${pb}` }); continue; }
      eb = e.embedding;
    }
    const score = cosine(ea.embedding, eb);
    (p.same ? genuine : impostor).push(score);
    pairScores.push({ line: p.line, same: p.same, a: pa, b: pb, score });
  }
  if (genuine.length === 0 || impostor.length === 0) {
    throw new Error(`cannot evaluate: ${genuine.length} genuine and ${impostor.length} impostor pairs were scorable (${skipped.length} skipped)`);
  }

  const roc = rocPoints(genuine, impostor);
  const taf = TARGET_FARS.map((f) => tarAtFar(genuine, impostor, f));
  const eer = equalErrorRate(genuine, impostor);
  const thName = idPhoto ? 'idPhoto' : 'match';
  const thValue = engine.thresholds[thName];
  const engineThreshold = {
    name: thName,
    value: thValue,
    tar: genuine.filter((s) => s >= thValue).length / genuine.length,
    far: impostor.filter((s) => s >= thValue).length / impostor.length,
  } as const;
  const report: VerificationReport = {
    tool: 'eval-face',
    mode: idPhoto ? 'id-photo' : 'verification',
    modelId: engine.modelId,
    pairsFile,
    imagesDir,
    quality,
    images: { total: paths.length, usable: embeddings.size, unusable },
    pairs: {
      total: pairs.length,
      same: pairs.filter((p) => p.same).length,
      different: pairs.filter((p) => !p.same).length,
      scoredGenuine: genuine.length,
      scoredImpostor: impostor.length,
      skipped,
    },
    scores: { genuine: summary(genuine), impostor: summary(impostor) },
    pairScores,
    roc,
    tarAtFar: taf,
    eer,
    engineThreshold,
    lighting: { probe: lighting, probeImages: probePaths.length, probeRefused, refusalReasons },
    note: NOTE,
  };
  if (idPhoto) report.idPhotoStyle = ID_CARD_PHOTO;

  print(`eval-face ${report.mode}  model ${report.modelId}  quality ${quality}`);
  print(`images: ${paths.length} total, ${embeddings.size} usable, ${unusable.length} without a usable face`);
  if (lighting !== 'normal') print(`probes ${lighting}: ${probePaths.length}, refused ${probeRefused} (${Object.entries(refusalReasons).map(([k, v]) => `${k} ${v}`).join(', ') || 'none'})`);
  for (const u of unusable) print(`  skipped image ${u.path}: ${u.reasons.join(', ')}`);
  print(`pairs: ${pairs.length} (${report.pairs.same} same, ${report.pairs.different} different); scored ${genuine.length} genuine, ${impostor.length} impostor; ${skipped.length} skipped`);
  print(`cosine genuine  mean ${fmt(report.scores.genuine.mean)}  min ${fmt(report.scores.genuine.min)}  max ${fmt(report.scores.genuine.max)}`);
  print(`cosine impostor mean ${fmt(report.scores.impostor.mean)}  min ${fmt(report.scores.impostor.min)}  max ${fmt(report.scores.impostor.max)}`);
  const worstImpostor = pairScores.filter((p) => !p.same).reduce((m, p) => (p.score > m.score ? p : m));
  const worstGenuine = pairScores.filter((p) => p.same).reduce((m, p) => (p.score < m.score ? p : m));
  print(`highest impostor pair: line ${worstImpostor.line} (${basename(worstImpostor.a)} / ${basename(worstImpostor.b)}) ${fmt(worstImpostor.score)}`);
  print(`lowest genuine pair: line ${worstGenuine.line} (${basename(worstGenuine.a)} / ${basename(worstGenuine.b)}) ${fmt(worstGenuine.score)}`);
  print(`ROC: ${roc.length} points (full list in the JSON report)`);
  for (const t of taf) {
    print(t.measurable
      ? `TAR@FAR=${t.far}: ${fmt(t.tar)} at threshold ${fmt(t.threshold, 6)} (achieved FAR ${fmt(t.farAchieved, 6)}, ${t.falseAccepts} false accepts)`
      : `TAR@FAR=${t.far}: ${t.reason}`);
  }
  print(`EER: ${fmt(eer.eer)} at threshold ${fmt(eer.threshold, 6)}`);
  print(`engine threshold ${thName}=${thValue}: TAR ${fmt(engineThreshold.tar)}, FAR ${fmt(engineThreshold.far)}`);
  return report;
}

async function evaluateIdentify(engine: FaceEngine, dir: string, quality: Quality, cache: AnalysisCache, print: (line: string) => void, maxPerPerson = Infinity): Promise<IdentifyReport> {
  const seen = new Map<string, number>();
  // The first K images (name order) of each person: one enrolled, up to K-1 probes.
  const images = labelledImages(dir).filter((im) => {
    const n = (seen.get(im.person) ?? 0) + 1;
    seen.set(im.person, n);
    return n <= maxPerPerson;
  });
  const usable: { person: string; path: string; embedding: Float32Array }[] = [];
  const unusable: { path: string; reasons: string[] }[] = [];
  for (const im of images) {
    const a = await analyseImage(engine, im.path, quality, cache);
    if (a.embedding) usable.push({ ...im, embedding: a.embedding });
    else unusable.push({ path: im.path, reasons: a.reasons });
  }
  const { match, margin } = engine.thresholds;
  const r = identify(usable, match, margin, 1e-3);
  const report: IdentifyReport = {
    tool: 'eval-face',
    mode: 'identify',
    modelId: engine.modelId,
    imagesDir: dir,
    quality,
    images: { total: images.length, usable: usable.length, unusable },
    ...r,
    note: 'Open-set 1:N: the first usable image of each person with two or more is enrolled; their other images are mated probes; people with one usable image are non-mated probes. FPIR grows with the gallery size: a figure holds for this gallery size only. ' + NOTE,
  };
  print(`eval-face identify  model ${report.modelId}  quality ${quality}`);
  print(`images: ${images.length} total, ${usable.length} usable; gallery ${r.galleryPeople} people, ${r.matedProbes} mated and ${r.nonMatedProbes} non-mated probes`);
  print(`rank-1 (no threshold): ${fmt(r.rank1)}`);
  const t = r.atThreshold;
  print(`at match=${t.threshold} margin=${t.margin}: FNIR ${fmt(t.fnir)}, FPIR ${fmt(t.fpir)}, ${t.falseMatches} false matches (incl. mated probes matched to someone else)`);
  const c = r.calibrated;
  print(c.threshold === null ? `FPIR<=${c.fpirTarget}: ${c.reason}` : `FPIR<=${c.fpirTarget}: threshold ${fmt(c.threshold, 6)}, FNIR ${fmt(c.fnir)} (FPIR ${fmt(c.fpir, 6)})`);
  return report;
}

function cosine(a: Float32Array, b: Float32Array): number {
  const na = Math.sqrt(dot(a, a)), nb = Math.sqrt(dot(b, b));
  return na > 0 && nb > 0 ? dot(a, b) / (na * nb) : 0;
}

const IMAGE_EXT = new Set(['.jpg', '.jpeg', '.png', '.webp', '.bmp', '.tif', '.tiff']);

/** Presentations of a folder: each image file is one; each sub-folder (frames of a clip) is one. */
export function listPresentations(dir: string): { path: string; frames: string[] }[] {
  if (!existsSync(dir) || !statSync(dir).isDirectory()) throw new Error(`not a directory: ${dir}`);
  const out: { path: string; frames: string[] }[] = [];
  for (const entry of readdirSync(dir).sort()) {
    const full = join(dir, entry);
    if (statSync(full).isDirectory()) {
      const frames = readdirSync(full).sort().filter((f) => IMAGE_EXT.has(extname(f).toLowerCase())).map((f) => join(full, f));
      if (frames.length > 0) out.push({ path: full, frames });
    } else if (IMAGE_EXT.has(extname(entry).toLowerCase())) {
      out.push({ path: full, frames: [full] });
    }
  }
  if (out.length === 0) throw new Error(`no images or frame folders in ${dir}`);
  return out;
}

function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? (s[m] as number) : ((s[m - 1] as number) + (s[m] as number)) / 2;
}

async function scorePresentation(engine: FaceEngine, p: { path: string; frames: string[] }, threshold: number): Promise<PresentationResult> {
  const scores: number[] = [];
  for (const f of p.frames) {
    const a = await engine.analyze(readFileSync(f));
    if (a.face) scores.push(a.face.livenessCnn);
  }
  const score = scores.length ? median(scores) : null;
  // No face in any frame: the presentation is not accepted (a bona fide one counts as rejected).
  return { path: p.path, frames: p.frames.length, framesWithFace: scores.length, score, acceptedAsLive: score !== null && score >= threshold };
}

async function evaluateSpoof(engine: FaceEngine, liveDir: string, attackDirs: readonly string[], print: (line: string) => void): Promise<SpoofReport> {
  const threshold = engine.thresholds.live;
  const bonaFide: PresentationResult[] = [];
  for (const p of listPresentations(liveDir)) bonaFide.push(await scorePresentation(engine, p, threshold));
  const attacks: Record<string, PresentationResult[]> = {};
  for (const dir of attackDirs) {
    let species = basename(resolve(dir));
    while (attacks[species]) species += '+';
    const list: PresentationResult[] = [];
    for (const p of listPresentations(dir)) list.push(await scorePresentation(engine, p, threshold));
    attacks[species] = list;
  }
  const m = padMetrics(bonaFide, attacks as Record<string, PadPresentation[]>);
  const report: SpoofReport = {
    tool: 'eval-face',
    mode: 'spoof',
    modelId: engine.modelId,
    threshold,
    bonaFide,
    attacks,
    apcer: m.apcer,
    apcerBySpecies: m.apcerBySpecies,
    bpcer: m.bpcer,
    note: 'Anti-spoof CNN alone (median over the frames of each presentation), not the fused gate liveness. ' + NOTE,
  };
  print(`eval-face spoof  model ${report.modelId}  live threshold ${threshold} (anti-spoof CNN only)`);
  print(`bona fide: ${bonaFide.length} presentations, ${m.bonaFide.rejected} rejected -> BPCER ${fmt(m.bpcer)}`);
  for (const [species, s] of Object.entries(m.apcerBySpecies)) print(`attack ${species}: ${s.total} presentations, ${s.accepted} accepted -> APCER ${fmt(s.apcer)}`);
  print(`APCER (worst species) ${fmt(m.apcer)}  BPCER ${fmt(m.bpcer)}`);
  const noFace = [...bonaFide, ...Object.values(attacks).flat()].filter((p) => p.framesWithFace === 0);
  for (const p of noFace) print(`  no face in any frame: ${p.path}`);
  return report;
}

const invokedDirectly = process.argv[1] !== undefined && import.meta.url === pathToFileURL(resolve(process.argv[1])).href;
if (invokedDirectly) {
  runEvalFace(process.argv.slice(2)).catch((e: unknown) => {
    console.error(e instanceof Error ? e.message : String(e));
    process.exitCode = e instanceof UsageError ? 2 : 1;
  });
}
