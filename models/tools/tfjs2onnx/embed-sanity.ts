// Sanity check (NOT an accuracy measurement) of the converted mobilefacenet-192 next to the
// current embedder: cosine of the astronaut fixture against degraded versions of itself and
// against other people's faces cropped from the face-api group-photo fixtures.
// Alignment comes from the current face engine (detector + 68 landmarks → ArcFace 5-point
// similarity); both embedders get the same aligned 112x112 crop.
//   npx tsx models/tools/tfjs2onnx/embed-sanity.ts
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import * as ort from 'onnxruntime-node';
import sharp from 'sharp';
import {
  createFaceEngine,
  decodeImage,
  ID_PHOTO_QUALITY,
  type RgbImage,
} from '../../../edge-core/src/index.js';
import { degradeToIdPhoto } from '../degrade.js';

const FIX = 'edge-core/test/face/fixtures';

/** Bilinear sample of the aligned 112x112 face (aligned pixel → image pixel map m). */
function warp(
  img: RgbImage,
  m: { a: number; b: number; c: number; d: number; e: number; f: number },
): Uint8Array {
  const out = new Uint8Array(112 * 112 * 3);
  for (let y = 0; y < 112; y++)
    for (let x = 0; x < 112; x++) {
      const fx = m.a * (x + 0.5) + m.b * (y + 0.5) + m.c - 0.5;
      const fy = m.d * (x + 0.5) + m.e * (y + 0.5) + m.f - 0.5;
      const x0 = Math.floor(fx);
      const y0 = Math.floor(fy);
      const ax = fx - x0;
      const ay = fy - y0;
      const px = (xx: number, yy: number, c: number): number => {
        const cx = Math.min(img.width - 1, Math.max(0, xx));
        const cy = Math.min(img.height - 1, Math.max(0, yy));
        return img.data[(cy * img.width + cx) * 3 + c] as number;
      };
      for (let c = 0; c < 3; c++) {
        const v =
          px(x0, y0, c) * (1 - ax) * (1 - ay) +
          px(x0 + 1, y0, c) * ax * (1 - ay) +
          px(x0, y0 + 1, c) * (1 - ax) * ay +
          px(x0 + 1, y0 + 1, c) * ax * ay;
        out[(y * 112 + x) * 3 + c] = Math.round(v);
      }
    }
  return out;
}

const cos = (a: Float32Array, b: Float32Array): number => {
  let d = 0;
  let na = 0;
  let nb = 0;
  for (let i = 0; i < a.length; i++) {
    d += (a[i] as number) * (b[i] as number);
    na += (a[i] as number) ** 2;
    nb += (b[i] as number) ** 2;
  }
  return d / Math.sqrt(na * nb);
};

async function main(): Promise<void> {
  // Defaults: mobilefacenet-192 with its documented input; --model/--input/--output/--mean/--scale
  // run another 112x112 NHWC embedder the same way (e.g. a conversion of human-models' mobileface).
  const { values } = parseArgs({
    options: {
      model: { type: 'string', default: 'models/converted/mobilefacenet-192.onnx' },
      input: { type: 'string', default: 'img_inputs' },
      output: { type: 'string', default: 'embeddings' },
      mean: { type: 'string', default: '127.5' },
      scale: { type: 'string', default: '0.0078125' },
      bgr: { type: 'boolean', default: false },
    },
  });
  const engine = await createFaceEngine({ modelsDir: 'models' });
  const mfn = await ort.InferenceSession.create(values.model);
  const astronaut = readFileSync(`${FIX}/astronaut.jpg`);
  const s1 = readFileSync(`${FIX}/s1.jpg`);
  const s3 = readFileSync(`${FIX}/s3.jpg`);
  const crop = (b: Buffer, left: number, top: number, size: number): Promise<Buffer> =>
    sharp(b).extract({ left, top, width: size, height: size }).jpeg({ quality: 95 }).toBuffer();
  const base = await engine.analyze(astronaut, { quality: ID_PHOTO_QUALITY, embedDespiteQuality: true });
  const box = base.face?.box;
  if (!box) throw new Error('no face in astronaut');
  const images: [string, Buffer, boolean][] = [
    ['astronaut (reference)', astronaut, true],
    ['astronaut blur sigma 2', await sharp(astronaut).blur(2).jpeg({ quality: 90 }).toBuffer(), true],
    ['astronaut JPEG q10', await sharp(astronaut).jpeg({ quality: 10 }).toBuffer(), true],
    [
      'astronaut 128px then up',
      await sharp(await sharp(astronaut).resize(128).toBuffer())
        .resize(512)
        .jpeg({ quality: 90 })
        .toBuffer(),
      true,
    ],
    ['astronaut dark (x0.35)', await sharp(astronaut).linear(0.35, 0).jpeg({ quality: 90 }).toBuffer(), true],
    ['astronaut mirrored', await sharp(astronaut).flop().jpeg({ quality: 90 }).toBuffer(), true],
    ['astronaut ID-card 102x126', await degradeToIdPhoto(astronaut, box), true],
    ['s1 left person', await crop(s1, 60, 40, 220), false],
    ['s1 middle person', await crop(s1, 210, 80, 210), false],
    ['s1 right person', await crop(s1, 410, 20, 220), false],
    ['s3 left person', await crop(s3, 120, 40, 220), false],
    ['s3 middle person', await crop(s3, 290, 10, 220), false],
    ['s3 right person', await crop(s3, 420, 30, 220), false],
  ];
  let ref192: Float32Array | undefined;
  let ref512: Float32Array | undefined;
  for (const [label, bytes, same] of images) {
    const a = await engine.analyze(bytes, { quality: ID_PHOTO_QUALITY, embedDespiteQuality: true });
    const decoded = await decodeImage(bytes);
    if (!a.face || !a.embedding || !decoded.ok) {
      console.log(JSON.stringify({ label, error: a.reasons.map((r) => r.code) }));
      continue;
    }
    // The engine may have downscaled the decoded image identically (same limits), so its
    // alignment map applies to `decoded.image`.
    const aligned = warp(decoded.image, a.face.alignedToImage);
    const mean = Number(values.mean);
    const scale = Number(values.scale);
    const src = values.bgr
      ? Uint8Array.from(aligned, (_, i) => aligned[i - (i % 3) + 2 - (i % 3)] as number)
      : aligned;
    const input = Float32Array.from(src, (v) => (v - mean) * scale);
    const res = await mfn.run({ [values.input]: new ort.Tensor('float32', input, [1, 112, 112, 3]) });
    const e192 = Float32Array.from(res[values.output]?.data as Float32Array);
    ref192 ??= e192;
    ref512 ??= a.embedding;
    console.log(
      JSON.stringify({
        label,
        samePerson: same,
        cosConverted: Number(cos(ref192, e192).toFixed(3)),
        cosCurrent512: Number(cos(ref512, a.embedding).toFixed(3)),
      }),
    );
  }
}

await main();
