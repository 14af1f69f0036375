import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import sharp from 'sharp';
import { createFaceEngine, type FaceEngine } from '../../src/face/engine.js';
import { decodeImage } from '../../src/face/image.js';
import { HeuristicMaskDetector, ModelMaskDetector, type AttributeResult } from '../../src/face/attributes.js';
import { maskAnchors } from '../../src/face/runners.js';
import { MODELS_DIR, fixture } from './helpers.js';

// The default set's mask model (AIZOOTech SSD, models/manifest.json role "mask") run by the engine
// on the real astronaut portrait with masks drawn over the lower face (as in
// helmet-mask-heuristics.test.ts), and on the bare group photos.
const MASK = (fill: string) => Buffer.from(`<svg width="512" height="512"><path d="M185 125 Q224 115 265 125 L262 165 Q224 185 188 165 Z" fill="${fill}"/></svg>`);

let engine: FaceEngine;
const heuristic = new HeuristicMaskDetector();
const model = new ModelMaskDetector(heuristic);

beforeAll(async () => {
  engine = await createFaceEngine({ modelsDir: MODELS_DIR });
});
afterAll(async () => {
  await engine.close();
});

async function both(bytes: Buffer): Promise<{ model: AttributeResult; heuristic: AttributeResult; raw: unknown }> {
  const a = await engine.analyze(bytes, { embedDespiteQuality: true });
  const d = await decodeImage(bytes);
  if (!a.face || !d.ok) throw new Error('no face');
  const region = { box: a.face.box, alignedToImage: a.face.alignedToImage, mask: a.face.mask ?? null };
  return { model: model.detect(d.image, region), heuristic: heuristic.detect(d.image, region), raw: a.face.mask };
}

describe('mask model of the default set (AIZOOTech SSD on a head crop)', () => {
  it('anchor layout at 160x160: maps 20, 10, 5, 3, 1 with 4 anchors per cell', () => {
    expect(maskAnchors(160).length / 4).toBe((400 + 100 + 25 + 9 + 1) * 4);
    // the training size gives AIZOO's published 33, 17, 9, 5, 3 maps (5972 anchors)
    expect(maskAnchors(260).length / 4).toBe(5972);
  });

  it('finds a white mask that the colour heuristic misses', async () => {
    const img = fixture('astronaut.jpg');
    for (const fill of ['#f0f0f0', '#ffffff']) {
      const r = await both(await sharp(img).composite([{ input: MASK(fill) }]).jpeg().toBuffer());
      expect(r.heuristic.present, fill).toBe(false);
      expect(r.model, fill).toMatchObject({ present: true, detector: 'onnx:aizoo-mask-ssd' });
      expect(r.model.score, fill).toBeGreaterThan(0.9);
    }
  });

  it('finds blue and black masks too, and no mask on bare faces', async () => {
    const img = fixture('astronaut.jpg');
    for (const fill of ['#9ec9e6', '#202020']) {
      const r = await both(await sharp(img).composite([{ input: MASK(fill) }]).jpeg().toBuffer());
      expect(r.model.present, fill).toBe(true);
    }
    for (const f of ['astronaut.jpg', 's1.jpg', 's3.jpg']) {
      const r = await both(fixture(f));
      expect(r.model, f).toMatchObject({ present: false, detector: 'onnx:aizoo-mask-ssd' });
      expect(r.model.score, f).toBeLessThan(0.1);
    }
  });

  it('without a model answer for the face the heuristic decides, and the result says so', async () => {
    const d = await decodeImage(fixture('astronaut.jpg'));
    if (!d.ok) throw new Error('decode');
    const a = await engine.analyze(fixture('astronaut.jpg'));
    if (!a.face) throw new Error('no face');
    const r = model.detect(d.image, { box: a.face.box, alignedToImage: a.face.alignedToImage, mask: null });
    expect(r.detector).toBe('heuristic:mask-lowerface-v1');
  });
});
