// Property/fuzz tests of every codec: random and mutated frames, at least 100,000 per run.
// Each input must give either a value or a typed CodecError (code + zh/en message): no throw,
// no hang (every decoder is loop-bounded; the suite's timeout would catch one).
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { FrameAssembler, decodeFrame, encodeReadData, encodeReply, parseReadData, parseReply } from '../src/idcard/frame-codec.js';
import { encodeCardText, parseCardText } from '../src/idcard/text-codec.js';
import { deck } from '../src/simulators/card-deck.js';
import { ConverterFrameSplitter, decodeConverterFrame, encodeConverterFrame } from '../src/wiegand/converter-codec.js';
import { decodeWiegand, encodeWiegand } from '../src/wiegand/wiegand-codec.js';
import { decodeRequest, decodeResponse, encodeReadCoilsResponse, encodeWriteSingleCoil } from '../src/modbus/modbus-codec.js';
import { decodeLcus, parseLcusStatus } from '../src/lcus/lcus-codec.js';
import { decodeHidPosReport, decodeKeyboardReports } from '../src/scanner/hid-codec.js';
import { MjpegSplitter } from '../src/frames/mjpeg-splitter.js';

let frames = 0;
const seed = Number(process.env.FUZZ_SEED ?? Date.now() % 2 ** 31);

function typed(r: { ok: boolean; code?: unknown; message?: unknown }): boolean {
  frames++;
  if (r.ok) return true;
  const m = r.message as { zh?: unknown; en?: unknown } | undefined;
  return typeof r.code === 'string' && typeof m?.zh === 'string' && typeof m.en === 'string';
}

/** A valid frame with a few bytes flipped, inserted, removed or truncated. */
function mutated(valid: fc.Arbitrary<Uint8Array>): fc.Arbitrary<Uint8Array> {
  return fc
    .tuple(valid, fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 }), fc.integer({ min: 0, max: 3 })), { minLength: 1, maxLength: 4 }))
    .map(([bytes, muts]) => {
      let b = Array.from(bytes);
      for (const [pos, val, op] of muts) {
        const i = b.length === 0 ? 0 : pos % b.length;
        if (op === 0) b[i] = val;
        else if (op === 1) b.splice(i, 0, val);
        else if (op === 2) b.splice(i, 1);
        else b = b.slice(0, i);
      }
      return Uint8Array.from(b);
    });
}

const bytes = (max: number): fc.Arbitrary<Uint8Array> => fc.uint8Array({ maxLength: max });
const run = <T>(arb: fc.Arbitrary<T>, numRuns: number, pred: (v: T) => boolean): void =>
  fc.assert(fc.property(arb, pred), { numRuns, seed });

const idReply = fc.constantFrom(...deck).map((c) => encodeReply(0x90, encodeReadData(encodeCardText(c.identity), new Uint8Array(1024).fill(0x57))));

describe(`codec fuzzing (seed ${seed})`, () => {
  afterAll(() => {
    expect(frames).toBeGreaterThanOrEqual(100_000);
  });

  it('GA/T 467 frames: random and mutated frames decode to a value or a typed error', () => {
    run(bytes(64), 15_000, (b) => typed(decodeFrame(b)));
    run(mutated(idReply), 15_000, (b) => {
      const f = decodeFrame(b);
      if (!typed(f) || !f.ok) return true;
      const r = parseReply(f.value);
      if (!typed(r) || !r.ok) return true;
      const d = parseReadData(r.value.data, false);
      if (!typed(d) || !d.ok) return true;
      return typed(parseCardText(d.value.text));
    });
  });

  it('GA/T 467 stream assembler: random chunked streams never throw and keep a bounded buffer', () => {
    run(fc.array(fc.oneof(bytes(40), mutated(idReply)), { maxLength: 4 }), 5_000, (chunks) => {
      const asm = new FrameAssembler();
      for (const c of chunks) for (const e of asm.push(c)) if (e.kind === 'error' && !typed(e.error)) return false;
      frames++;
      return asm.pending <= 7 + 65534;
    });
  });

  it('ID text blocks: random and mutated 256-byte blocks parse or fail typed, and a parsed number always fits its card type', () => {
    run(fc.uint8Array({ minLength: 256, maxLength: 256 }), 10_000, (b) => typed(parseCardText(b)));
    const validText = fc.constantFrom(...deck).map((c) => encodeCardText(c.identity));
    run(
      fc.tuple(validText, fc.nat(255), fc.integer({ min: 0, max: 255 })).map(([t, i, v]) => {
        const m = t.slice();
        m[i] = v;
        return m;
      }),
      15_000,
      (b) => {
        const r = parseCardText(b);
        if (!typed(r)) return false;
        if (!r.ok) return true;
        const id = r.value.idNumber;
        switch (r.value.cardType) {
          case 'resident':
            return /^[1-8]/.test(id) && !/^8[123]/.test(id);
          case 'hmt_residence_permit':
            return /^8[123]/.test(id);
          case 'foreign_permanent_2023':
            return id.startsWith('9');
          case 'foreign_permanent_2017':
            return /^[A-Z]{3}\d{12}$/.test(id);
        }
      },
    );
  });

  it('Wiegand bits and converter frames', () => {
    run(fc.array(fc.integer({ min: 0, max: 2 }), { maxLength: 40 }), 5_000, (bits) => typed(decodeWiegand(bits)));
    run(fc.record({ format: fc.constantFrom(26 as const, 34 as const), facility: fc.nat(65535), card: fc.nat(65535) }), 5_000, (c) => {
      const f = encodeConverterFrame(c);
      if (!typed(f)) return false;
      if (!f.ok) return c.format === 26 && c.facility > 255;
      const d = decodeConverterFrame(f.value);
      return d.ok && d.value.facility === c.facility && d.value.card === c.card && encodeWiegand(c).ok;
    });
    const valid = fc.record({ facility: fc.nat(255), card: fc.nat(65535) }).map((c) => {
      const f = encodeConverterFrame({ format: 26, ...c });
      return f.ok ? f.value : new Uint8Array(0);
    });
    run(mutated(valid), 10_000, (b) => typed(decodeConverterFrame(b)));
    run(fc.array(bytes(16), { maxLength: 5 }), 3_000, (chunks) => {
      const s = new ConverterFrameSplitter();
      return chunks.every((c) => s.push(c).every(typed));
    });
  });

  it('Modbus RTU responses and requests', () => {
    run(bytes(24), 8_000, (b) => typed(decodeResponse(b)) && typed(decodeRequest(b)));
    const valid = fc.oneof(
      fc.tuple(fc.nat(247), fc.nat(65535), fc.boolean()).map(([u, c, on]) => encodeWriteSingleCoil(u, c, on)),
      fc.tuple(fc.nat(247), fc.array(fc.boolean(), { minLength: 1, maxLength: 32 })).map(([u, bits]) => encodeReadCoilsResponse(u, bits)),
    );
    run(mutated(valid), 10_000, (b) => typed(decodeResponse(b)));
  });

  it('LCUS commands and status text', () => {
    run(bytes(6), 5_000, (b) => typed(decodeLcus(b)));
    run(fc.string({ maxLength: 30 }), 3_000, (s) => typed(parseLcusStatus(s)));
  });

  it('HID scanner reports and MJPEG splitting', () => {
    run(bytes(64), 5_000, (b) => typed(decodeHidPosReport(b)));
    run(fc.array(fc.uint8Array({ minLength: 8, maxLength: 8 }), { maxLength: 10 }), 3_000, (reports) =>
      typed(decodeKeyboardReports(reports)),
    );
    run(fc.array(bytes(64), { maxLength: 6 }), 3_000, (chunks) => {
      const s = new MjpegSplitter(1024);
      for (const c of chunks) s.push(c);
      frames++;
      return s.pending <= 1024 + 64;
    });
  });
});
