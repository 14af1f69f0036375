// The visitor pass code: round trip, any changed character or key refused (property-tested),
// only QR-alphanumeric characters, and the QR the UI draws (uqr) decodes back to the code with
// an independent decoder (jsQR) after rasterising the SVG with sharp.
import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import sharp from 'sharp';
import jsqrModule from 'jsqr';
import { renderSVG } from 'uqr';
import { base32Decode, base32Encode, decodeVisitorCode, encodeVisitorCode, type MacFn } from '../../src/index.js';

const macWith =
  (key: string): MacFn =>
  (purpose, data) =>
    createHmac('sha256', key).update(`${purpose}\u0000`).update(data).digest();
const mac = macWith('device-key-a');
// jsQR is CommonJS whose typings declare an ES default export: the function is either shape.
const jsqrLoaded = jsqrModule as unknown as typeof jsqrModule.default | { default: typeof jsqrModule.default };
const jsQR = typeof jsqrLoaded === 'function' ? jsqrLoaded : jsqrLoaded.default;
const claims = { passId: '01a1f677-b925-7360-8950-d0bb32db4f00', validFrom: Date.UTC(2026, 10, 20, 1), validTo: Date.UTC(2026, 10, 20, 9) };

describe('visitor pass code', () => {
  it('round-trips the pass id and validity and uses only QR alphanumeric characters', () => {
    const code = encodeVisitorCode(claims, mac);
    expect(code).toMatch(/^SGV1-[A-Z2-7]{66}$/);
    expect(decodeVisitorCode(code, mac)).toEqual({ ok: true, claims });
    expect(decodeVisitorCode(code.toLowerCase(), mac)).toEqual({ ok: true, claims }); // a scanner in lower-case mode
  });

  it('refuses every single-character change, and a code signed with another key', () => {
    const code = encodeVisitorCode(claims, mac);
    expect(decodeVisitorCode(code, macWith('device-key-b'))).toEqual({ ok: false, reason: 'signature' });
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
    fc.assert(
      fc.property(fc.integer({ min: 5, max: code.length - 1 }), fc.integer({ min: 1, max: 31 }), (i, step) => {
        const ch = code[i] as string;
        const changed = code.slice(0, i) + alphabet[(alphabet.indexOf(ch) + step) % 32] + code.slice(i + 1);
        const r = decodeVisitorCode(changed, mac);
        expect(r.ok).toBe(false);
        if (!r.ok) expect(['signature', 'format']).toContain(r.reason);
      }),
      { numRuns: 2000 },
    );
    for (const junk of ['', 'SGV1-', 'SGV1-1', 'HC1:xyz', `SGV2-${code.slice(5)}`, code.slice(0, -8), `${code}AAAAAAAA`]) expect(decodeVisitorCode(junk, mac).ok).toBe(false);
  });

  it('Base32 is RFC 4648 (no padding)', () => {
    expect(base32Encode(Buffer.from('foobar'))).toBe('MZXW6YTBOI');
    expect(Buffer.from(base32Decode('MZXW6YTBOI') ?? []).toString()).toBe('foobar');
    expect(base32Decode('MZ1')).toBeNull();
  });

  it('the QR drawn for the screen and the print decodes back to the code', async () => {
    const code = encodeVisitorCode(claims, mac);
    const svg = renderSVG(code, { ecc: 'M', border: 4 });
    const { data, info } = await sharp(Buffer.from(svg), { density: 300 }).resize(400, 400, { kernel: 'nearest' }).ensureAlpha().raw().toBuffer({ resolveWithObject: true });
    const decoded = jsQR(new Uint8ClampedArray(data.buffer, data.byteOffset, data.length), info.width, info.height);
    expect(decoded?.data).toBe(code);
  });
});
