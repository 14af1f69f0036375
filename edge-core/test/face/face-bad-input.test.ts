import { beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import sharp from 'sharp';
import { createFaceEngine, type FaceEngine } from '../../src/face/engine.js';
import { MODELS_DIR, fixture } from './helpers.js';

let engine: FaceEngine;
beforeAll(async () => {
  engine = await createFaceEngine({ modelsDir: MODELS_DIR });
});

async function codes(bytes: Uint8Array): Promise<string[]> {
  const a = await engine.analyze(bytes);
  expect(a.ok).toBe(false);
  expect(a.embedding).toBeUndefined();
  return a.reasons.map((r) => r.code);
}

describe('bad input never throws and never yields a usable face', () => {
  it('truncated JPEG, text, empty bytes and an HTML page are undecodable', async () => {
    const jpeg = fixture('astronaut.jpg');
    expect(await codes(jpeg.subarray(0, Math.floor(jpeg.length / 3)))).toEqual(['input.undecodable']);
    expect(await codes(Buffer.from('这不是图片 not an image at all'))).toEqual(['input.undecodable']);
    expect(await codes(new Uint8Array(0))).toEqual(['input.undecodable']);
    expect(await codes(Buffer.from('<!doctype html><html><body>502 Bad Gateway</body></html>'))).toEqual(['input.undecodable']);
  });

  it('a 1x1 image is too small and a 10000x10000 image is too large (refused from the header, before decoding)', async () => {
    const tiny = await sharp({ create: { width: 1, height: 1, channels: 3, background: '#808080' } }).jpeg().toBuffer();
    expect(await codes(tiny)).toEqual(['input.too_small']);
    const huge = await sharp({ create: { width: 10000, height: 10000, channels: 3, background: '#808080' } }).jpeg({ quality: 10 }).toBuffer();
    const a = await engine.analyze(huge);
    expect(a.reasons[0]).toMatchObject({ code: 'input.too_large', value: 100_000_000 });
    expect(a.timings['decode']).toBeDefined();
  });

  it('an image without a face gives face.none', async () => {
    const noise = Buffer.alloc(320 * 240 * 3);
    for (let i = 0; i < noise.length; i++) noise[i] = (i * 2654435761) >>> 24;
    const img = await sharp(noise, { raw: { width: 320, height: 240, channels: 3 } }).jpeg().toBuffer();
    expect(await codes(img)).toEqual(['face.none']);
    const grey = await sharp({ create: { width: 640, height: 480, channels: 3, background: '#7f7f7f' } }).png().toBuffer();
    expect(await codes(grey)).toEqual(['face.none']);
  });

  it('a face cut by the frame edge gives face.cut_by_edge', async () => {
    const cut = await sharp(fixture('astronaut.jpg')).extract({ left: 225, top: 0, width: 287, height: 512 }).jpeg().toBuffer();
    expect(await codes(cut)).toEqual(['face.cut_by_edge']);
  });

  it('random bytes and randomly corrupted JPEGs never throw and never give a face (property)', async () => {
    const jpeg = fixture('astronaut.jpg');
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ minLength: 0, maxLength: 2048 }), async (bytes) => {
        const a = await engine.analyze(bytes);
        return !a.ok && a.embedding === undefined && a.reasons.length > 0;
      }),
      { numRuns: 40 },
    );
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 2, max: jpeg.length - 1 }), fc.integer({ min: 0, max: 255 }), async (at, value) => {
        const broken = Buffer.from(jpeg.subarray(0, at));
        broken[Math.floor(at / 2)] = value;
        const a = await engine.analyze(broken);
        // A cut JPEG is either refused or (rarely, if libjpeg tolerates it) analysed normally; never an exception.
        return a.reasons.length > 0 || a.ok;
      }),
      { numRuns: 15 },
    );
  });
});
