// The visitor pass code (访客码) printed as a QR code: the pass id and its validity, signed with
// an HMAC under a key derived from the device key, so a code cannot be forged, altered or
// extended, and a copied code is only good while the pass is (the store still decides on
// revocation and entries). Pure: the MAC function is passed in.
//
// Text: `SGV1-` + Base32 (RFC 4648, no padding) of
//   [1 byte version = 1][16 bytes pass UUID][4 bytes valid from, s][4 bytes valid to, s][16 bytes MAC]
// MAC = first 16 bytes of HMAC-SHA256(key, 'sitegate visitor pass v1' ‖ first 25 bytes).
// Upper-case letters, digits and '-' only: QR alphanumeric mode (a small code, version 4) and
// typeable by a keyboard-wedge scanner on any layout.
import { timingSafeEqual } from 'node:crypto';

export const VISITOR_CODE_PREFIX = 'SGV1-';
export const VISITOR_MAC_PURPOSE = 'sitegate visitor pass v1';
const VERSION = 1;
const BODY = 25;
const TAG = 16;
const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

export type MacFn = (purpose: string, data: Uint8Array) => Uint8Array;

export interface VisitorCodeClaims {
  passId: string;
  /** UTC ms, whole seconds. */
  validFrom: number;
  validTo: number;
}

export type VisitorCodeCheck = { ok: true; claims: VisitorCodeClaims } | { ok: false; reason: 'format' | 'signature' };

export function base32Encode(bytes: Uint8Array): string {
  let out = '';
  let bits = 0;
  let value = 0;
  for (const b of bytes) {
    value = (value << 8) | b;
    bits += 8;
    while (bits >= 5) {
      out += ALPHABET[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  if (bits > 0) out += ALPHABET[(value << (5 - bits)) & 31];
  return out;
}

export function base32Decode(text: string): Uint8Array | null {
  const out: number[] = [];
  let bits = 0;
  let value = 0;
  for (const ch of text) {
    const v = ALPHABET.indexOf(ch);
    if (v < 0) return null;
    value = ((value << 5) | v) & 0xffff;
    bits += 5;
    if (bits >= 8) {
      out.push((value >>> (bits - 8)) & 0xff);
      bits -= 8;
    }
  }
  return Uint8Array.from(out);
}

const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

function uuidBytes(id: string): Buffer {
  if (!UUID_RE.test(id)) throw new RangeError(`not a lower-case UUID: ${id}`);
  return Buffer.from(id.replace(/-/g, ''), 'hex');
}

function uuidText(b: Uint8Array): string {
  const h = Buffer.from(b).toString('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

/** The code for a pass. Validity is carried in whole seconds (the store keeps the same values). */
export function encodeVisitorCode(claims: VisitorCodeClaims, mac: MacFn): string {
  const body = Buffer.alloc(BODY);
  body[0] = VERSION;
  uuidBytes(claims.passId).copy(body, 1);
  body.writeUInt32BE(Math.floor(claims.validFrom / 1000), 17);
  body.writeUInt32BE(Math.floor(claims.validTo / 1000), 21);
  const tag = Buffer.from(mac(VISITOR_MAC_PURPOSE, body)).subarray(0, TAG);
  return VISITOR_CODE_PREFIX + base32Encode(Buffer.concat([body, tag]));
}

/** Checks a scanned code: its shape, then its MAC (constant time). Never throws. */
export function decodeVisitorCode(text: string, mac: MacFn): VisitorCodeCheck {
  const t = text.trim().toUpperCase();
  if (!t.startsWith(VISITOR_CODE_PREFIX) || t.length > 200) return { ok: false, reason: 'format' };
  const encoded = t.slice(VISITOR_CODE_PREFIX.length);
  const raw = base32Decode(encoded);
  // Canonical only: the unused low bits of the last character must be zero (one code per pass).
  if (!raw || raw.length !== BODY + TAG || raw[0] !== VERSION || base32Encode(raw) !== encoded) return { ok: false, reason: 'format' };
  const body = raw.subarray(0, BODY);
  const expected = Buffer.from(mac(VISITOR_MAC_PURPOSE, body)).subarray(0, TAG);
  if (!timingSafeEqual(expected, Buffer.from(raw.subarray(BODY)))) return { ok: false, reason: 'signature' };
  const view = Buffer.from(body);
  return {
    ok: true,
    claims: { passId: uuidText(body.subarray(1, 17)), validFrom: view.readUInt32BE(17) * 1000, validTo: view.readUInt32BE(21) * 1000 },
  };
}
