// Golden-output tests of the committed converted models: each .onnx in models/converted runs
// under onnxruntime-node on its stored input crop and must reproduce the outputs that the
// original TFJS model (tfjs-converter, CPU backend) gave at conversion time. Needs neither the
// human-models package nor TensorFlow.js.
import { createHash } from 'node:crypto';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import * as ort from 'onnxruntime-node';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import type { GoldenRecord } from '../../tools/tfjs2onnx/converted-models.js';

const DIR = 'models/converted';
const GOLDEN = join(DIR, 'golden');
const records = readdirSync(GOLDEN)
  .filter((f) => f.endsWith('.json'))
  .sort()
  .map((f) => JSON.parse(readFileSync(join(GOLDEN, f), 'utf8')) as GoldenRecord);

async function runGolden(
  rec: GoldenRecord,
): Promise<{ name: string; got: Float32Array; want: Float32Array; maxAbs: number }[]> {
  const rgb = await sharp(join(GOLDEN, rec.input.png)).removeAlpha().raw().toBuffer();
  expect(rgb.length).toBe(rec.input.width * rec.input.height * 3);
  const data = new Float32Array(rgb.length);
  for (let i = 0; i < rgb.length; i++) data[i] = ((rgb[i] as number) - rec.input.mean) * rec.input.scale;
  const session = await ort.InferenceSession.create(join(DIR, rec.onnx), { intraOpNumThreads: 1 });
  try {
    const res = await session.run({
      [rec.input.name]: new ort.Tensor('float32', data, [1, rec.input.height, rec.input.width, 3]),
    });
    const bin = readFileSync(join(GOLDEN, rec.bin));
    const all = new Float32Array(bin.buffer.slice(bin.byteOffset, bin.byteOffset + bin.byteLength));
    return rec.outputs.map((o) => {
      const t = res[o.name];
      if (!t) throw new Error(`${rec.id}: ONNX output ${o.name} missing`);
      expect(t.dims).toEqual(o.shape);
      return {
        name: o.name,
        got: t.data as Float32Array,
        want: all.subarray(o.offset, o.offset + o.length),
        maxAbs: o.maxAbs,
      };
    });
  } finally {
    await session.release();
  }
}

function maxAbsDiff(a: Float32Array, b: Float32Array): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs((a[i] as number) - (b[i] as number)));
  return m;
}

describe('converted models reproduce their TFJS golden outputs', () => {
  it('every committed converted .onnx has a golden record, and every record a model', () => {
    const onnx = readdirSync(DIR)
      .filter((f) => f.endsWith('.onnx'))
      .sort();
    expect(records.map((r) => r.onnx).sort()).toEqual(onnx);
    expect(onnx.length).toBeGreaterThan(0);
  });

  for (const rec of records) {
    it(`${rec.id}: file hash matches and outputs match TFJS within 5e-4 of their scale`, async () => {
      const sha = createHash('sha256')
        .update(readFileSync(join(DIR, rec.onnx)))
        .digest('hex');
      expect(sha).toBe(rec.onnxSha256);
      for (const o of await runGolden(rec)) {
        const err = maxAbsDiff(o.got, o.want);
        expect(err, `${rec.id}/${o.name}`).toBeLessThanOrEqual(Math.max(5e-4 * o.maxAbs, 1e-6));
      }
    });
  }

  for (const rec of records.filter((r) => r.id.startsWith('mobileface'))) {
    it(`${rec.id}: the embedding points the same way as the TFJS one (cosine > 0.99999)`, async () => {
      const [o] = await runGolden(rec);
      if (!o) throw new Error('no output');
      let dot = 0;
      let ng = 0;
      let nw = 0;
      for (let i = 0; i < o.got.length; i++) {
        dot += (o.got[i] as number) * (o.want[i] as number);
        ng += (o.got[i] as number) ** 2;
        nw += (o.want[i] as number) ** 2;
      }
      expect(o.got.length).toBe(rec.outputs[0]?.length);
      expect(ng).toBeGreaterThan(0);
      expect(dot / Math.sqrt(ng * nw)).toBeGreaterThan(0.99999);
    });
  }

  for (const rec of records.filter((r) => r.id === 'facemesh-468'))
    it('facemesh-468: the astronaut crop is a face (flag > 0.9) and the 468 points lie inside the 192x192 crop', async () => {
      const outs = await runGolden(rec);
      const flag = outs.find((o) => o.name === 'Identity_1')?.got[0] ?? 0;
      const mesh = outs.find((o) => o.name === 'Identity_2')?.got ?? new Float32Array();
      expect(flag).toBeGreaterThan(0.9);
      expect(mesh.length).toBe(468 * 3);
      for (let i = 0; i < 468; i++) {
        expect(mesh[i * 3]).toBeGreaterThan(0);
        expect(mesh[i * 3]).toBeLessThan(192);
        expect(mesh[i * 3 + 1]).toBeGreaterThan(0);
        expect(mesh[i * 3 + 1]).toBeLessThan(192);
      }
    });

  for (const rec of records.filter((r) => r.id.startsWith('blazeface'))) {
    it(`${rec.id}: decoding the best anchor as README.md describes finds the astronaut's face`, async () => {
      const outs = await runGolden(rec);
      const size = rec.input.width;
      const strides = size === 256 ? [16, 32] : [8, 16];
      let best = { logit: -Infinity, cx: 0, cy: 0, w: 0 };
      for (const [k, [scores, regs]] of [
        ['Identity', 'Identity_2'],
        ['Identity_1', 'Identity_3'],
      ].entries()) {
        const s = outs.find((o) => o.name === scores)?.got ?? new Float32Array();
        const r = outs.find((o) => o.name === regs)?.got ?? new Float32Array();
        const stride = strides[k] as number;
        const per = k === 0 ? 2 : 6;
        const grid = size / stride;
        for (let i = 0; i < s.length; i++) {
          if ((s[i] as number) <= best.logit) continue;
          const cell = Math.floor(i / per);
          const ax = ((cell % grid) + 0.5) * stride;
          const ay = (Math.floor(cell / grid) + 0.5) * stride;
          best = {
            logit: s[i] as number,
            cx: ax + (r[i * 16] as number),
            cy: ay + (r[i * 16 + 1] as number),
            w: r[i * 16 + 2] as number,
          };
        }
      }
      const k = 512 / size; // golden input is the whole 512x512 fixture
      expect(1 / (1 + Math.exp(-best.logit))).toBeGreaterThan(0.75);
      expect(Math.abs(best.cx * k - 225)).toBeLessThan(15);
      expect(Math.abs(best.cy * k - 127)).toBeLessThan(15);
      expect(best.w * k).toBeGreaterThan(70);
      expect(best.w * k).toBeLessThan(140);
    });
  }
});
