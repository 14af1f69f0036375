// The face tone curve (issue 12 item 6): a badly exposed face's own levels stretched to the full
// range before landmarks, quality and embedding; a well exposed face left alone. The effect on
// real photos under dim, back-lit and over-exposed light is measured in models/test and README.
import { describe, expect, it } from 'vitest';
import { applyLut, faceToneCurve, type RgbImage } from '../../src/face/image.js';

describe('faceToneCurve', () => {
  it('leaves a well-exposed face alone and stretches a dim one to the full range', () => {
    const img = (lo: number, hi: number): RgbImage => {
      const data = new Uint8Array(40 * 40 * 3);
      for (let i = 0; i < 40 * 40; i++) data.fill(lo + ((i * 7) % (hi - lo + 1)), i * 3, i * 3 + 3);
      return { width: 40, height: 40, data };
    };
    const box = { x: 0, y: 0, w: 40, h: 40 };
    expect(faceToneCurve(img(60, 200), box)).toBeNull();
    const dim = img(10, 80);
    const tone = faceToneCurve(dim, box);
    expect(tone).not.toBeNull();
    const out = applyLut(dim, tone!.lut);
    expect(Math.min(...out.data)).toBeLessThan(10);
    expect(Math.max(...out.data)).toBeGreaterThan(240);
    // A nearly flat dark patch is not amplified past 4x (noise, not a face).
    expect(faceToneCurve(img(5, 9), box)!.gain).toBe(4);
  });
});
