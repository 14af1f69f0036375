import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { degradeToIdPhoto, ID_CARD_PHOTO, idPhotoCrop } from '../tools/degrade.js';

describe('ID-card photo degradation (102x126, JPEG q55, slight blur)', () => {
  it('crops with the ID photo aspect ratio around the face, about 1.9 face heights tall', () => {
    const r = idPhotoCrop({ x: 200, y: 100, w: 80, h: 100 }, 640, 480);
    expect(r.height).toBe(190);
    expect(r.width / r.height).toBeCloseTo(102 / 126, 2);
    expect(r.left).toBeLessThanOrEqual(200);
    expect(r.left + r.width).toBeGreaterThanOrEqual(280);
    expect(r.top).toBeLessThanOrEqual(100);
    expect(r.top + r.height).toBeGreaterThanOrEqual(200);
  });

  it('shrinks and shifts the crop to stay inside the image for faces at the edge or filling the frame', () => {
    for (const [box, W, H] of [
      [{ x: 0, y: 0, w: 60, h: 70 }, 320, 240],
      [{ x: 280, y: 200, w: 40, h: 40 }, 320, 240],
      [{ x: 10, y: 10, w: 300, h: 400 }, 320, 420],
    ] as const) {
      const r = idPhotoCrop(box, W, H);
      expect(r.left).toBeGreaterThanOrEqual(0);
      expect(r.top).toBeGreaterThanOrEqual(0);
      expect(r.left + r.width).toBeLessThanOrEqual(W);
      expect(r.top + r.height).toBeLessThanOrEqual(H);
      expect(r.width).toBeGreaterThan(0);
      expect(r.height).toBeGreaterThan(0);
    }
  });

  it('produces a 102x126 JPEG that is softer than the source crop', async () => {
    const W = 320, H = 240;
    const raw = Buffer.alloc(W * H * 3);
    for (let i = 0; i < W * H; i++) raw.fill(((i % W) >> 2) % 2 ? 255 : 0, i * 3, i * 3 + 3); // 4-px stripes
    const src = await sharp(raw, { raw: { width: W, height: H, channels: 3 } }).png().toBuffer();
    const out = await degradeToIdPhoto(src, { x: 120, y: 60, w: 80, h: 100 });
    const meta = await sharp(out).metadata();
    expect([meta.format, meta.width, meta.height]).toEqual(['jpeg', ID_CARD_PHOTO.width, ID_CARD_PHOTO.height]);
    const { data } = await sharp(out).greyscale().raw().toBuffer({ resolveWithObject: true });
    // Sharp black/white stripes no longer reach both extremes after resize, blur and JPEG.
    const extremes = [...data].filter((v) => v < 5 || v > 250).length / data.length;
    expect(extremes).toBeLessThan(0.5);
  });
});
