import { beforeAll, describe, expect, it } from 'vitest';
import sharp from 'sharp';
import { createFaceEngine, type FaceEngine } from '../../src/face/engine.js';
import { decodeImage } from '../../src/face/image.js';
import { HeuristicHelmetDetector, HeuristicMaskDetector, type AttributeResult } from '../../src/face/attributes.js';
import { MODELS_DIR, fixture } from './helpers.js';

// Synthetic overlays drawn on the public-domain astronaut portrait (face box about x 179..269, y 63..173).
const HELMET = (fill: string) =>
  Buffer.from(`<svg width="512" height="512"><ellipse cx="224" cy="45" rx="68" ry="38" fill="${fill}"/><rect x="150" y="70" width="150" height="9" fill="${fill}"/></svg>`);
const MASK = (fill: string) => Buffer.from(`<svg width="512" height="512"><path d="M185 125 Q224 115 265 125 L262 165 Q224 185 188 165 Z" fill="${fill}"/></svg>`);

let engine: FaceEngine;
const helmet = new HeuristicHelmetDetector();
const mask = new HeuristicMaskDetector();

beforeAll(async () => {
  engine = await createFaceEngine({ modelsDir: MODELS_DIR });
});

async function attrs(bytes: Buffer): Promise<{ helmet: AttributeResult; mask: AttributeResult }> {
  const a = await engine.analyze(bytes, { embedDespiteQuality: true });
  const d = await decodeImage(bytes);
  if (!a.face || !d.ok) throw new Error('no face');
  return { helmet: helmet.detect(d.image, a.face), mask: mask.detect(d.image, a.face) };
}

describe('helmet and mask heuristics (synthetic overlays; limits in models/README.md)', () => {
  it('bare head: no helmet, no mask, and results name the heuristic that decided', async () => {
    const r = await attrs(fixture('astronaut.jpg'));
    expect(r.helmet).toMatchObject({ present: false, detector: 'heuristic:helmet-colour-v1' });
    expect(r.mask).toMatchObject({ present: false, detector: 'heuristic:mask-lowerface-v1' });
  });

  it('detects yellow and white hard-hat shapes above the face', async () => {
    const img = fixture('astronaut.jpg');
    for (const fill of ['#f5c400', '#f4f4f0', '#e05a00']) {
      const r = await attrs(await sharp(img).composite([{ input: HELMET(fill) }]).jpeg().toBuffer());
      expect(r.helmet.present, fill).toBe(true);
      expect(r.mask.present, fill).toBe(false);
    }
  });

  it('detects blue and black masks over the lower face; a white mask is a known miss', async () => {
    const img = fixture('astronaut.jpg');
    for (const fill of ['#9ec9e6', '#202020']) {
      const r = await attrs(await sharp(img).composite([{ input: MASK(fill) }]).jpeg().toBuffer());
      expect(r.mask.present, fill).toBe(true);
      expect(r.helmet.present, fill).toBe(false);
    }
    const white = await attrs(await sharp(img).composite([{ input: MASK('#f0f0f0') }]).jpeg().toBuffer());
    expect(white.mask.present).toBe(false);
    expect(white.mask.score).toBeGreaterThan(0.3);
  });

  it('returns present=null when the band above the face is outside the frame', async () => {
    const img = await decodeImage(fixture('astronaut.jpg'));
    if (!img.ok) throw new Error('decode');
    const r = helmet.detect(img.image, { box: { x: 100, y: 0, w: 90, h: 110 }, alignedToImage: { a: 1, b: 0, c: 0, d: 0, e: 1, f: 0 } });
    expect(r.present).toBeNull();
  });
});
