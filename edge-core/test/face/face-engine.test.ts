import { beforeAll, describe, expect, it } from 'vitest';
import sharp from 'sharp';
import { createFaceEngine, type FaceEngine } from '../../src/face/engine.js';
import { MODELS_DIR, cosine, fixture } from './helpers.js';

let engine: FaceEngine;
let astronaut: Buffer;
let reference: Float32Array;

beforeAll(async () => {
  engine = await createFaceEngine({ modelsDir: MODELS_DIR });
  astronaut = fixture('astronaut.jpg');
  const a = await engine.analyze(astronaut);
  if (!a.embedding) throw new Error('reference face failed');
  reference = a.embedding;
});

describe('face engine on the committed ONNX models', () => {
  it('analyses a single frontal portrait: one face, quality passed, unit-length embedding of the manifest dimension, all stages timed', async () => {
    const a = await engine.analyze(astronaut);
    expect(a.ok).toBe(true);
    expect(a.reasons).toEqual([]);
    expect(a.facesFound).toBe(1);
    expect(a.embedding).toHaveLength(engine.embeddingDim);
    expect(engine.embeddingDim).toBe(128);
    expect(Math.hypot(...(a.embedding ?? []))).toBeCloseTo(1, 4);
    const q = a.face?.quality;
    expect(Math.abs(q?.pose.yaw ?? 99)).toBeLessThan(15);
    expect(Math.abs(q?.pose.roll ?? 99)).toBeLessThan(10);
    expect(q?.eyeDistance).toBeGreaterThan(30);
    expect(a.face?.landmarks).toHaveLength(68);
    // Eye centres fall inside the face box, left of right.
    const f = a.face;
    expect(f && f.five.leftEye[0] < f.five.rightEye[0]).toBe(true);
    expect(Object.keys(a.timings)).toEqual(expect.arrayContaining(['decode', 'detect', 'landmarks', 'quality', 'liveness_cnn+embed']));
    expect(engine.modelId).toMatch(/^dlib-resnet-128\.onnx@[0-9a-f]{12}$/);
    // The default set is clearly licensed throughout; both anti-spoof scales ran.
    expect(engine.unclearRoles).toEqual([]);
    expect(a.face?.livenessCnnParts).toHaveLength(2);
  });

  it('is robust to identity-preserving changes (grey, CMYK, JPEG quality, dark exposure)', async () => {
    const variants: Record<string, Buffer> = {
      grey: await sharp(astronaut).greyscale().jpeg().toBuffer(),
      cmyk: await sharp(astronaut).toColourspace('cmyk').jpeg().toBuffer(),
      lowJpeg: await sharp(astronaut).jpeg({ quality: 30 }).toBuffer(),
      dark: await sharp(astronaut).linear(0.2, 0).jpeg().toBuffer(),
    };
    expect((await sharp(variants.cmyk as Buffer).metadata()).space).toBe('cmyk');
    for (const [name, bytes] of Object.entries(variants)) {
      const a = await engine.analyze(bytes);
      expect(a.ok, name).toBe(true);
      expect(cosine(a.embedding as Float32Array, reference), name).toBeGreaterThan(engine.thresholds.match);
    }
    const dark = await engine.analyze(variants.dark as Buffer);
    expect(dark.image?.gamma).toBeGreaterThan(1.5);
  });

  it('picks the largest centred face of a group photo and says several faces were present', async () => {
    const a = await engine.analyze(fixture('s1.jpg'), { embedDespiteQuality: true });
    expect(a.facesFound).toBeGreaterThan(1);
    expect(a.notes.map((n) => n.code)).toContain('face.multiple');
    const box = a.face?.box;
    expect(box).toBeDefined();
    // The chosen face is at least as large as every other detected face weighted by centrality.
    expect((box?.w ?? 0) * (box?.h ?? 0)).toBeGreaterThan(3000);
  });

  it('gives different people low similarity and the same person high similarity', async () => {
    const others = [await engine.analyze(fixture('s1.jpg'), { embedDespiteQuality: true }), await engine.analyze(fixture('s3.jpg'), { embedDespiteQuality: true })];
    for (const o of others) expect(cosine(o.embedding as Float32Array, reference)).toBeLessThan(engine.thresholds.match);
    const shifted = await sharp(astronaut).extend({ top: 40, left: 60, bottom: 0, right: 0, background: '#404040' }).resize(512, 512).jpeg().toBuffer();
    const s = await engine.analyze(shifted);
    expect(cosine(s.embedding as Float32Array, reference)).toBeGreaterThan(engine.thresholds.match);
  });

  it('matches the live face against a degraded 102x126 ID-card-style photo of the same person, not of another', async () => {
    const idPhoto = await sharp(astronaut).extract({ left: 134, top: 20, width: 180, height: 222 }).resize(102, 126).blur(0.8).jpeg({ quality: 55 }).toBuffer();
    const same = await engine.matchIdPhoto(idPhoto, reference);
    expect(same.decision).toBe('match');
    expect(same.score).toBeGreaterThan(same.threshold);
    const other = await engine.analyze(fixture('s3.jpg'), { embedDespiteQuality: true });
    const diff = await engine.matchIdPhoto(idPhoto, other.embedding as Float32Array);
    expect(diff.decision).toBe('no_match');
    expect(diff.reasons.map((r) => r.code)).toEqual(['match.id_photo_mismatch']);
    const blank = await sharp({ create: { width: 102, height: 126, channels: 3, background: '#e0e0e0' } }).jpeg().toBuffer();
    const none = await engine.matchIdPhoto(blank, reference);
    expect(none.decision).toBe('unusable');
    expect(none.reasons[0]?.code).toBe('face.none');
  });

  it('rejects blur and strong roll with the reason, value and limit, and gives no embedding', async () => {
    const blurred = await engine.analyze(await sharp(astronaut).blur(4).jpeg().toBuffer());
    expect(blurred.ok).toBe(false);
    expect(blurred.reasons.map((r) => r.code)).toContain('quality.blur');
    expect(blurred.embedding).toBeUndefined();
    const rolled = await engine.analyze(await sharp(astronaut).rotate(35, { background: '#808080' }).jpeg().toBuffer());
    const roll = rolled.reasons.find((r) => r.code === 'quality.roll');
    expect(roll?.limit).toBe(20);
    expect(Math.abs(roll?.value ?? 0)).toBeGreaterThan(25);
    expect(roll?.message.zh).toMatch(/歪头/);
  });
});
