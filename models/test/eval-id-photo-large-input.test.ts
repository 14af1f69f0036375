// Regression (issue 12): the engine analyses images over 1280 px on a downscaled copy, so its face
// box is in the copy's pixels; the ID-style chip must be cut from the matching place of the
// original. Before the fix the box was applied to the original as is and the chip showed
// background or half a face (25 of 61 images of a public test set).
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFaceEngine, type FaceEngine } from '../../edge-core/src/index.js';
import { boxInImage, degradeToIdPhoto } from '../tools/degrade.js';

const here = dirname(fileURLToPath(import.meta.url));
const ROOT = join(here, '../..');
let engine: FaceEngine;

beforeAll(async () => {
  engine = await createFaceEngine({ modelsDir: join(ROOT, 'models') });
});
afterAll(async () => engine.close());

describe('ID-style chips from inputs larger than the 1280 px decode limit', () => {
  it('maps a box from the analysed frame onto the original pixels', () => {
    expect(boxInImage({ x: 100, y: 50, w: 80, h: 100 }, { width: 1280, height: 960 }, 2560, 1920)).toEqual({ x: 200, y: 100, w: 160, h: 200 });
  });

  it('a 2560 px photo: the chip cut with the frame size holds the face (the same person matches), the chip cut without it does not', async () => {
    const astronaut = readFileSync(join(ROOT, 'edge-core/test/face/fixtures/astronaut.jpg'));
    // The portrait in the right half of a wide 2560x1600 canvas.
    const face = await sharp(astronaut).resize(1200).toBuffer();
    const big = await sharp({ create: { width: 2560, height: 1600, channels: 3, background: '#6a7480' } })
      .composite([{ input: face, left: 1300, top: 200 }])
      .jpeg({ quality: 90 })
      .toBuffer();
    const a = await engine.analyze(big);
    expect(a.ok).toBe(true);
    expect(a.image?.width).toBe(1280);
    const box = a.face?.box as { x: number; y: number; w: number; h: number };
    const frame = { width: a.image?.width as number, height: a.image?.height as number };
    const right = await engine.matchIdPhoto(await degradeToIdPhoto(big, box, undefined, frame), a.embedding as Float32Array);
    expect(right.decision).toBe('match');
    const wrong = await engine.matchIdPhoto(await degradeToIdPhoto(big, box), a.embedding as Float32Array);
    expect(wrong.decision).not.toBe('match');
  });
});
