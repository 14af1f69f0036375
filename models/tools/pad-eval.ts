// Presentation-attack evaluation of the fused gate liveness (issue 12) on what can be made
// honestly without a lab: attack stand-ins rendered from the evaluation photos and from a real
// video (pad-render.ts), scored by the real engine and the gate's liveness policy over 8-frame
// windows, per attack species (ISO/IEC 30107-3 style APCER), and bona fide presentations
// (BPCER): the evaluation photos (anti-spoof CNN only: a still photo has no motion to judge)
// and continuous shots of a real video (the fused decision).
//   npx tsx models/tools/pad-eval.ts --photos DIR --video DIR --windows 19-26,24-31,32-39 [--samples DIR] [--per-species 30] [--out report.json] [--keep DIR]
// DIR for --photos is a person-folder tree (eval-data's small set); --video holds a real clip's
// frames at 5 fps (f001.jpg ...); --samples holds single images named *F*.jpg (fake) / *T*.jpg (real).
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { parseArgs } from 'node:util';
import sharp from 'sharp';
import { assessLiveness, createFaceEngine, GATE_LIVENESS, type FaceEngine, type LivenessFrame } from '../../edge-core/src/index.js';
import { addMoire, background, drawInQuad, heldQuad, lcg, printLook, screenLook, type Raster } from './pad-render.js';
import { labelledImages } from './eval-face.js';
import { padMetrics, type PadPresentation } from './roc.js';

const W = 640, H = 480, FRAMES = 8;

interface Presentation extends PadPresentation {
  id: string;
  framesWithFace: number;
  cnnMedian: number | null;
  cnnAccepted: boolean;
  refusedBy: string[];
}

async function raster(bytes: Uint8Array): Promise<Raster> {
  const { data, info } = await sharp(bytes).rotate().removeAlpha().toColourspace('srgb').raw().toBuffer({ resolveWithObject: true });
  return { width: info.width, height: info.height, data: new Uint8Array(data.buffer, data.byteOffset, data.length) };
}

async function jpeg(r: Raster): Promise<Buffer> {
  return sharp(Buffer.from(r.data), { raw: { width: r.width, height: r.height, channels: 3 } }).jpeg({ quality: 85 }).toBuffer();
}

/** Eyes painted shut with the skin just below them (a crude blink on a photo), from the engine's landmarks. */
function paintClosedEyes(src: Raster, landmarks: readonly (readonly [number, number])[]): Raster {
  const out = { ...src, data: Uint8Array.from(src.data) };
  for (const from of [36, 42]) {
    const pts = landmarks.slice(from, from + 6);
    const xs = pts.map((p) => p[0]), ys = pts.map((p) => p[1]);
    const x0 = Math.floor(Math.min(...xs)), x1 = Math.ceil(Math.max(...xs));
    const h = Math.max(...ys) - Math.min(...ys);
    const y0 = Math.floor(Math.min(...ys) - h * 0.6), y1 = Math.ceil(Math.max(...ys) + h * 0.4);
    const sy = Math.min(src.height - 1, Math.round(Math.max(...ys) + h * 1.6));
    for (let y = Math.max(0, y0); y <= Math.min(src.height - 1, y1); y++) {
      for (let x = Math.max(0, x0); x <= Math.min(src.width - 1, x1); x++) {
        const s = (sy * src.width + x) * 3, o = (y * src.width + x) * 3;
        for (let c = 0; c < 3; c++) out.data[o + c] = src.data[s + c] as number;
      }
      // A dark lash line across the middle.
      if (Math.abs(y - (y0 + y1) / 2) < Math.max(1, h * 0.15)) for (let x = Math.max(0, x0); x <= Math.min(src.width - 1, x1); x++) for (let c = 0; c < 3; c++) out.data[(y * src.width + x) * 3 + c] = 40;
    }
  }
  return out;
}

type Medium = 'print' | 'screen';

/** 8 camera frames of a sheet or screen showing `pictures[i]` (one per frame), held and moved. */
async function renderHeld(pictures: readonly Raster[], medium: Medium, seed: number): Promise<Buffer[]> {
  const r = lcg(seed);
  const glare = { x: 0.2 + 0.6 * r(), y: 0.2 + 0.5 * r(), strength: 0.25 + 0.3 * r() };
  const out: Buffer[] = [];
  for (let i = 0; i < FRAMES; i++) {
    const pic = pictures[Math.min(i, pictures.length - 1)] as Raster;
    const look = medium === 'print' ? printLook(pic, seed + i) : screenLook(pic, glare);
    const frame = background(W, H, seed);
    const aspect = pic.width / pic.height;
    const quad = heldQuad(i, FRAMES, W, H, aspect, Math.min(400, (0.85 * W) / aspect), seed);
    drawInQuad(frame, look, quad, medium === 'print' ? { frac: 0.04, rgb: [236, 234, 228] } : { frac: 0.05, rgb: [18, 18, 20] });
    if (medium === 'screen') addMoire(frame, quad, 3.1 + r() * 1.2, 0.3 + r() * 0.8 + i * 0.02, 0.07);
    out.push(await jpeg(frame));
  }
  return out;
}

async function judge(engine: FaceEngine, id: string, frames: readonly Buffer[], keep?: string): Promise<Presentation> {
  const window: LivenessFrame[] = [];
  for (const [i, f] of frames.entries()) {
    if (keep) {
      mkdirSync(join(keep, id), { recursive: true });
      writeFileSync(join(keep, id, `f${i}.jpg`), f);
    }
    const a = await engine.analyze(f);
    if (a.face) window.push({ t: i * 200, landmarks: a.face.landmarks, livenessCnn: a.face.livenessCnn, screenCue: a.face.screenCue });
  }
  const cnn = window.map((w) => w.livenessCnn).sort((x, y) => x - y);
  const cnnMedian = cnn.length ? (cnn[cnn.length >> 1] as number) : null;
  const d = window.length ? assessLiveness(window, GATE_LIVENESS) : null;
  return {
    id,
    framesWithFace: window.length,
    cnnMedian,
    cnnAccepted: cnnMedian !== null && cnnMedian >= engine.thresholds.live,
    acceptedAsLive: d?.live ?? false,
    refusedBy: d ? d.reasons.map((x) => x.code) : ['face.none'],
  };
}

function windows(spec: string): [number, number][] {
  return spec.split(',').map((w) => w.split('-').map(Number) as [number, number]);
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      photos: { type: 'string' }, video: { type: 'string' }, windows: { type: 'string', default: '19-26,24-31,32-39' },
      samples: { type: 'string' }, 'per-species': { type: 'string', default: '30' }, out: { type: 'string' }, keep: { type: 'string' }, models: { type: 'string' },
    },
  });
  if (!values.photos || !values.video) throw new Error('usage: pad-eval --photos DIR --video DIR [--windows a-b,...] [--samples DIR] [--per-species N] [--out FILE] [--keep DIR]');
  const engine = await createFaceEngine(values.models ? { modelsDir: values.models } : { modelsDir: join(import.meta.dirname, '..') });
  const perSpecies = Number(values['per-species']);
  const attacks: Record<string, Presentation[]> = {};
  const bonaFide: Record<string, Presentation[]> = {};
  const log = (m: string): void => console.error(m);

  // Source photos: one per person first, then more, with a usable face (for the blink painting).
  const people = labelledImages(values.photos);
  const byPerson = new Map<string, string[]>();
  for (const p of people) byPerson.set(p.person, [...(byPerson.get(p.person) ?? []), p.path]);
  const order: string[] = [];
  for (let k = 0; order.length < people.length; k++) for (const list of byPerson.values()) if (list[k]) order.push(list[k] as string);

  // Bona fide photos: the anti-spoof CNN on each evaluation photo (single frame).
  bonaFide['photo (CNN only)'] = [];
  for (const path of order) {
    const a = await engine.analyze(readFileSync(path));
    if (!a.face) continue;
    const p = a.face.livenessCnn;
    const ok = p >= engine.thresholds.live;
    bonaFide['photo (CNN only)'].push({ id: basename(path), framesWithFace: 1, cnnMedian: p, cnnAccepted: ok, acceptedAsLive: ok, refusedBy: ok ? [] : ['liveness.cnn'] });
  }
  log(`bona fide photos: ${bonaFide['photo (CNN only)'].length}`);

  // Attacks from photos.
  const sources: { path: string; img: Raster; landmarks: readonly (readonly [number, number])[] }[] = [];
  for (const path of order) {
    if (sources.length >= perSpecies) break;
    const bytes = readFileSync(path);
    const a = await engine.analyze(bytes);
    if (!a.ok || !a.face) continue;
    const img = await raster(bytes);
    // The engine analysed a copy no larger than 1280 px: scale its landmarks to the file.
    const k = img.width / (a.image?.width ?? img.width);
    sources.push({ path, img, landmarks: a.face.landmarks.map(([x, y]) => [x * k, y * k] as const) });
  }
  for (const [species, medium, blink] of [['print, moving', 'print', false], ['screen, moving', 'screen', false], ['screen, moving, blinking', 'screen', true]] as const) {
    const list: Presentation[] = [];
    for (const [n, s] of sources.entries()) {
      const closed = blink ? paintClosedEyes(s.img, s.landmarks) : s.img;
      const pictures = Array.from({ length: FRAMES }, (_, i) => (i === 3 || i === 4 ? closed : s.img));
      const frames = await renderHeld(pictures, medium, 1000 + n * 17 + (blink ? 5 : 0));
      list.push(await judge(engine, `${species.replace(/[^a-z]+/g, '-')}${n}`, frames, values.keep));
    }
    attacks[species] = list;
    log(`${species}: ${list.length} presentations, ${list.filter((p) => p.acceptedAsLive).length} accepted`);
  }

  // The real video: bona fide windows as they are; attacks: the same windows replayed on a screen.
  const vframes = readdirSync(values.video).filter((f) => f.endsWith('.jpg')).sort();
  bonaFide['video (fused)'] = [];
  attacks['screen replay of a real video, moving'] = [];
  for (const [a, b] of windows(values.windows)) {
    const files = vframes.slice(a - 1, b).map((f) => readFileSync(join(values.video as string, f)));
    bonaFide['video (fused)'].push(await judge(engine, `video-${a}-${b}`, files));
    const rasters = await Promise.all(files.map((f) => raster(f)));
    for (let v = 0; v < 4; v++) attacks['screen replay of a real video, moving']?.push(await judge(engine, `video-${a}-${b}-screen${v}`, await renderHeld(rasters, 'screen', 7000 + a * 10 + v), values.keep));
  }

  // The anti-spoof repository's own sample images (single frames, CNN only).
  if (values.samples) {
    attacks['sample fakes (CNN only)'] = [];
    bonaFide['sample reals (CNN only)'] = [];
    for (const f of readdirSync(values.samples).filter((x) => /_[FT]\d+\.jpg$/.test(x)).sort()) {
      const a = await engine.analyze(readFileSync(join(values.samples, f)), { embedDespiteQuality: true });
      const p = a.face?.livenessCnn ?? null;
      const ok = p !== null && p >= engine.thresholds.live;
      const pres: Presentation = { id: f, framesWithFace: a.face ? 1 : 0, cnnMedian: p, cnnAccepted: ok, acceptedAsLive: ok, refusedBy: ok ? [] : p === null ? ['face.none'] : ['liveness.cnn'] };
      (/_F\d/.test(f) ? attacks['sample fakes (CNN only)'] : bonaFide['sample reals (CNN only)'])?.push(pres);
    }
  }

  const fused = padMetrics(bonaFide['video (fused)'] ?? [], attacks);
  const cnnOnly = padMetrics(
    Object.values(bonaFide).flat().map((p) => ({ acceptedAsLive: p.cnnAccepted })),
    Object.fromEntries(Object.entries(attacks).map(([k, v]) => [k, v.map((p) => ({ acceptedAsLive: p.cnnAccepted }))])),
  );
  const report = {
    tool: 'pad-eval',
    modelId: engine.modelId,
    policy: GATE_LIVENESS.name,
    liveThreshold: engine.thresholds.live,
    framesPerPresentation: FRAMES,
    fused: { apcerBySpecies: fused.apcerBySpecies, bpcerVideo: fused.bpcer, bonaFideVideo: fused.bonaFide },
    cnnOnly: { apcerBySpecies: cnnOnly.apcerBySpecies, bpcer: cnnOnly.bpcer, bonaFide: cnnOnly.bonaFide },
    bpcerByKind: Object.fromEntries(Object.entries(bonaFide).map(([k, v]) => [k, { total: v.length, rejected: v.filter((p) => !p.acceptedAsLive).length }])),
    refusals: Object.fromEntries(Object.entries(attacks).map(([k, v]) => [k, v.reduce<Record<string, number>>((m, p) => { for (const r of p.refusedBy.length ? p.refusedBy : ['accepted']) m[r] = (m[r] ?? 0) + 1; return m; }, {})])),
    attacks,
    bonaFide,
  };
  console.log(JSON.stringify({ fused: report.fused, cnnOnly: report.cnnOnly, bpcerByKind: report.bpcerByKind, refusals: report.refusals }, null, 2));
  if (values.out) writeFileSync(values.out, JSON.stringify(report, null, 2));
  await engine.close();
}

void main();
