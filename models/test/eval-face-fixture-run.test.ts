// End-to-end run of the face evaluation tool on a tiny LFW-style directory built at test time
// from the committed fixture photos (edge-core/test/face/fixtures: astronaut.jpg, public domain;
// s1.jpg/s3.jpg, MIT group photos from @vladmandic/face-api, see the README there).
//
// THIS IS NOT AN ACCURACY MEASUREMENT. The "same-person" pairs are identity-preserving variants
// (crop shift, JPEG quality, brightness) of ONE photo of each face, not independent captures,
// and there are only 6-7 people. No figure from this run may be called FAR, FRR or TAR of the
// models; the test checks that the tool runs end to end and that its report is well formed.
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFaceEngine, type FaceEngine } from '../../edge-core/src/index.js';
import { runEvalFace, type SpoofReport, type VerificationReport } from '../tools/eval-face.js';
import { formatPairsFile, type FaceImageRef } from '../tools/pairs.js';

const here = dirname(fileURLToPath(import.meta.url));
const ROOT = join(here, '../..');
const MODELS_DIR = join(ROOT, 'models');
const FIXTURES = join(ROOT, 'edge-core/test/face/fixtures');

interface Box { x: number; y: number; w: number; h: number }

/** Every face of a photo, using the engine's detector boxes: analyse, grey out the face, repeat. */
async function faceBoxes(engine: FaceEngine, photo: Buffer): Promise<Box[]> {
  const meta = await sharp(photo).metadata();
  const boxes: Box[] = [];
  let bytes = photo;
  for (let i = 0; i < 10; i++) {
    const a = await engine.analyze(bytes);
    if (!a.face) break;
    const b = a.face.box;
    boxes.push({ x: b.x, y: b.y, w: b.w, h: b.h });
    const left = Math.max(0, Math.floor(b.x)), top = Math.max(0, Math.floor(b.y));
    const width = Math.min(meta.width - left, Math.ceil(b.w)), height = Math.min(meta.height - top, Math.ceil(b.h));
    bytes = await sharp(bytes).composite([{ input: { create: { width, height, channels: 3, background: '#808080' } }, left, top }]).jpeg({ quality: 95 }).toBuffer();
  }
  return boxes;
}

/** A head crop around a box (2.2x its size, shifted by dx/dy of the box size), 240 px high. */
async function headCrop(photo: Buffer, b: Box, W: number, H: number, dx = 0, dy = 0): Promise<ReturnType<typeof sharp>> {
  const side = Math.max(b.w, b.h) * 2.2;
  const left = Math.max(0, Math.round(b.x + b.w / 2 - side / 2 + dx * b.w));
  const top = Math.max(0, Math.round(b.y + b.h / 2 - side / 2 + dy * b.h));
  const width = Math.min(W - left, Math.round(side)), height = Math.min(H - top, Math.round(side));
  return sharp(photo).extract({ left, top, width, height }).resize({ height: 240 });
}

let dir: string;
let engine: FaceEngine;
let identities: string[];

beforeAll(async () => {
  engine = await createFaceEngine({ modelsDir: MODELS_DIR });
  dir = mkdtempSync(join(tmpdir(), 'eval-face-'));
  const images = join(dir, 'images');
  identities = [];
  for (const file of ['astronaut.jpg', 's1.jpg', 's3.jpg']) {
    const photo = readFileSync(join(FIXTURES, file));
    const { width: W, height: H } = await sharp(photo).metadata();
    const boxes = await faceBoxes(engine, photo);
    for (const [k, b] of boxes.entries()) {
      const name = `fixture_${file.replace('.jpg', '')}_${k + 1}`;
      mkdirSync(join(images, name), { recursive: true });
      const out = (i: number) => join(images, name, `${name}_${String(i).padStart(4, '0')}.jpg`);
      // Four identity-preserving variants of the same single capture.
      await (await headCrop(photo, b, W, H)).jpeg({ quality: 92 }).toFile(out(1));
      await (await headCrop(photo, b, W, H, 0.12, -0.08)).jpeg({ quality: 92 }).toFile(out(2));
      await (await headCrop(photo, b, W, H)).jpeg({ quality: 35 }).toFile(out(3));
      await (await headCrop(photo, b, W, H)).modulate({ brightness: 0.75 }).jpeg({ quality: 90 }).toFile(out(4));
      identities.push(name);
    }
  }
  // One "identity" whose images hold no face at all (noise): exercises skipping and listing.
  mkdirSync(join(images, 'fixture_noface'), { recursive: true });
  for (const i of [1, 2]) {
    const noise = Buffer.alloc(160 * 200 * 3);
    for (let p = 0; p < noise.length; p++) noise[p] = (p * 7919 * i) % 251;
    await sharp(noise, { raw: { width: 160, height: 200, channels: 3 } }).jpeg().toFile(join(images, 'fixture_noface', `fixture_noface_000${i}.jpg`));
  }
  const same: [FaceImageRef, FaceImageRef][] = [];
  const different: [FaceImageRef, FaceImageRef][] = [];
  for (const name of identities) for (const j of [2, 3, 4]) same.push([{ name, index: 1 }, { name, index: j }]);
  for (let a = 0; a < identities.length; a++) {
    for (let b = a + 1; b < identities.length; b++) different.push([{ name: identities[a] as string, index: 1 }, { name: identities[b] as string, index: 1 + ((a + b) % 4) }]);
  }
  same.push([{ name: 'fixture_noface', index: 1 }, { name: 'fixture_noface', index: 2 }]);
  while (different.length < same.length) different.push([{ name: 'fixture_noface', index: 1 }, { name: identities[different.length % identities.length] as string, index: 1 }]);
  while (same.length < different.length) same.push([{ name: identities[same.length % identities.length] as string, index: 2 }, { name: identities[same.length % identities.length] as string, index: 3 }]);
  writeFileSync(join(dir, 'pairs.txt'), formatPairsFile(same, different));

  // Spoof mode input: a "clip" (frame folder) and single images as bona fide, ID-style
  // re-encodings as the attack folder. NOT real attacks: structural check only.
  const live = join(dir, 'live'), attack = join(dir, 'attack-simulated');
  mkdirSync(join(live, 'clip1'), { recursive: true });
  mkdirSync(attack, { recursive: true });
  for (const i of [1, 2, 3]) writeFileSync(join(live, 'clip1', `f${i}.jpg`), readFileSync(join(images, 'fixture_astronaut_1', `fixture_astronaut_1_000${i}.jpg`)));
  writeFileSync(join(live, 's3_1.jpg'), readFileSync(join(images, 'fixture_s3_1', 'fixture_s3_1_0001.jpg')));
  writeFileSync(join(live, 'noface.jpg'), readFileSync(join(images, 'fixture_noface', 'fixture_noface_0001.jpg')));
  for (const name of identities.slice(0, 3)) {
    await sharp(join(images, name, `${name}_0001.jpg`)).resize(102, 126).blur(1.2).jpeg({ quality: 30 }).toFile(join(attack, `${name}.jpg`));
  }
}, 60_000);

afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

function expectNoNaN(value: unknown, path = 'report'): void {
  if (typeof value === 'number') expect(Number.isNaN(value), `${path} is NaN`).toBe(false);
  else if (Array.isArray(value)) value.forEach((v, i) => expectNoNaN(v, `${path}[${i}]`));
  else if (value && typeof value === 'object') for (const [k, v] of Object.entries(value)) expectNoNaN(v, `${path}.${k}`);
}

describe('eval-face on fixture variants (structural check, NOT an accuracy measurement)', () => {
  it('assembles the fixture faces of the three photos (the astronaut and at least 4 group faces)', () => {
    expect(identities.length).toBeGreaterThanOrEqual(5);
    expect(identities).toContain('fixture_astronaut_1');
  });

  let anyReport: VerificationReport | undefined;

  it('verification mode (--quality any): every image embedded once, no-face images skipped and listed, report well formed', async () => {
    const lines: string[] = [];
    const out = join(dir, 'report-any.json');
    const r = (await runEvalFace(['--pairs', join(dir, 'pairs.txt'), '--images', join(dir, 'images'), '--quality', 'any', '--out', out], (l) => lines.push(l), engine)) as VerificationReport;
    anyReport = r;
    console.log(['[fixture variants, NOT accuracy] verification --quality any', ...lines].join('\n'));
    expect(JSON.parse(readFileSync(out, 'utf8'))).toEqual(JSON.parse(JSON.stringify(r)));
    expect(r.mode).toBe('verification');
    expect(r.images.total).toBe(identities.length * 4 + 2);
    expect(r.images.unusable.map((u) => u.path).filter((p) => p.includes('fixture_noface'))).toHaveLength(2);
    expect(r.images.usable + r.images.unusable.length).toBe(r.images.total);
    expect(r.pairs.same).toBe(r.pairs.different);
    expect(r.pairs.scoredGenuine + r.pairs.scoredImpostor + r.pairs.skipped.length).toBe(r.pairs.total);
    expect(r.pairs.skipped.some((s) => s.why.includes('fixture_noface'))).toBe(true);
    expect(r.pairs.scoredGenuine).toBeGreaterThanOrEqual(15);
    expect(r.pairs.scoredImpostor).toBeGreaterThanOrEqual(15);
    expectNoNaN(r);
    expect(r.scores.genuine.mean).toBeGreaterThan(r.scores.impostor.mean);
    expect(r.pairScores).toHaveLength(r.pairs.scoredGenuine + r.pairs.scoredImpostor);
    expect(r.pairScores.filter((p) => p.same)).toHaveLength(r.scores.genuine.n);
    expect(Math.max(...r.pairScores.filter((p) => !p.same).map((p) => p.score))).toBe(r.scores.impostor.max);
    // Fewer than 100 impostor pairs: every TAR@FAR must say "not measurable".
    expect(r.tarAtFar.map((t) => t.measurable)).toEqual([false, false, false]);
    expect(lines.some((l) => /TAR@FAR=0.01: not measurable/.test(l))).toBe(true);
    expect(r.roc[0]).toMatchObject({ tar: 0, far: 0 });
    expect(r.roc.at(-1)).toMatchObject({ tar: 1, far: 1 });
    expect(r.eer.eer).toBeGreaterThanOrEqual(0);
    expect(r.eer.eer).toBeLessThanOrEqual(1);
    expect(r.engineThreshold.name).toBe('match');
  });

  it('verification mode (default gate quality) skips at least the images --quality any skips and still reports', async () => {
    const lines: string[] = [];
    const r = (await runEvalFace(['--pairs', join(dir, 'pairs.txt'), '--images', join(dir, 'images')], (l) => lines.push(l), engine)) as VerificationReport;
    console.log(['[fixture variants, NOT accuracy] verification --quality gate', ...lines].join('\n'));
    expect(r.quality).toBe('gate');
    expect(r.images.unusable.length).toBeGreaterThanOrEqual(anyReport?.images.unusable.length ?? Infinity);
    expect(r.images.unusable.some((u) => u.reasons.some((c) => c.startsWith('quality.')))).toBe(true);
    expect(r.images.unusable.every((u) => u.reasons.length > 0)).toBe(true);
    expectNoNaN(r);
    expect(r.scores.genuine.mean).toBeGreaterThan(r.scores.impostor.mean);
  });

  it('--id-photo through the real CLI entry (tsx subprocess): scores the 102x126 degraded side with the 1:1 path and writes JSON', async () => {
    const out = join(dir, 'report-id.json');
    const { stdout } = await promisify(execFile)(
      process.execPath,
      ['--import', 'tsx', join(ROOT, 'models/tools/eval-face.ts'), '--pairs', join(dir, 'pairs.txt'), '--images', join(dir, 'images'), '--id-photo', '--quality', 'any', '--out', out],
      { cwd: ROOT, timeout: 60_000 },
    );
    console.log(`[fixture variants, NOT accuracy] --id-photo\n${stdout}`);
    const r = JSON.parse(readFileSync(out, 'utf8')) as VerificationReport;
    expect(r.mode).toBe('id-photo');
    expect(r.idPhotoStyle).toMatchObject({ width: 102, height: 126 });
    expect(r.engineThreshold.name).toBe('idPhoto');
    expect(r.pairs.scoredGenuine).toBeGreaterThan(0);
    expect(r.pairs.scoredImpostor).toBeGreaterThan(0);
    expectNoNaN(r);
    expect(r.scores.genuine.mean).toBeGreaterThan(r.scores.impostor.mean);
    expect(stdout).toMatch(/EER: \d\.\d{4} at threshold/);
  });

  it('--spoof reports APCER/BPCER per presentation (frame folder = one clip; no-face counts as rejected)', async () => {
    const lines: string[] = [];
    const r = (await runEvalFace(['--spoof', '--live', join(dir, 'live'), '--attack', join(dir, 'attack-simulated')], (l) => lines.push(l), engine)) as SpoofReport;
    console.log(['[fixture variants, NOT accuracy; simulated attacks are not real PAIs] --spoof', ...lines].join('\n'));
    expect(r.bonaFide).toHaveLength(3);
    const clip = r.bonaFide.find((p) => p.path.endsWith('clip1'));
    expect(clip).toMatchObject({ frames: 3, framesWithFace: 3 });
    const noFace = r.bonaFide.find((p) => p.path.endsWith('noface.jpg'));
    expect(noFace).toMatchObject({ framesWithFace: 0, score: null, acceptedAsLive: false });
    expect(r.attacks['attack-simulated']).toHaveLength(3);
    expect(r.bpcer).toBeGreaterThanOrEqual(1 / 3);
    expect(r.apcer).toBeGreaterThanOrEqual(0);
    expect(r.apcer).toBeLessThanOrEqual(1);
    expect(r.threshold).toBe(engine.thresholds.live);
  });

  it('fails with a clear error when an image named by the pairs file is missing', async () => {
    const bad = join(dir, 'pairs-missing.txt');
    writeFileSync(bad, '1\nfixture_astronaut_1\t1\t9\nfixture_astronaut_1\t1\tfixture_s3_1\t1\n');
    await expect(runEvalFace(['--pairs', bad, '--images', join(dir, 'images')], () => {}, engine)).rejects.toThrow(/missing .*fixture_astronaut_1_0009\.jpg/s);
    await expect(runEvalFace(['--images', join(dir, 'images')], () => {}, engine)).rejects.toThrow(/--pairs FILE and --images DIR \(or --all-pairs DIR, or --identify DIR\) are required/);
  });
});
