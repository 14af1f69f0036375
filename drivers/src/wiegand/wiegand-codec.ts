// Wiegand 26 (H10301) and Wiegand 34 bit frames, pure functions.
// W26: [even parity over bits 1–12] [8-bit facility] [16-bit card] [odd parity over bits 13–24]
// W34: [even parity over bits 1–16] [16-bit facility] [16-bit card] [odd parity over bits 17–32]
import { codecError, ok, type CodecResult } from '../errors.js';

export type WiegandFormat = 26 | 34;

export interface WiegandCredential {
  format: WiegandFormat;
  facility: number;
  card: number;
}

const FACILITY_BITS: Record<WiegandFormat, number> = { 26: 8, 34: 16 };

function toBits(value: number, width: number): number[] {
  const bits: number[] = [];
  for (let i = width - 1; i >= 0; i--) bits.push(Math.floor(value / 2 ** i) % 2);
  return bits;
}

function fromBits(bits: readonly number[]): number {
  let v = 0;
  for (const b of bits) v = v * 2 + b;
  return v;
}

const ones = (bits: readonly number[]): number => bits.reduce((a, b) => a + b, 0);

export function encodeWiegand(c: WiegandCredential): CodecResult<number[]> {
  const fBits = FACILITY_BITS[c.format];
  if (!Number.isInteger(c.facility) || c.facility < 0 || c.facility >= 2 ** fBits) {
    return codecError('out_of_range', '设施码超出范围', `Facility code must fit in ${fBits} bits`);
  }
  if (!Number.isInteger(c.card) || c.card < 0 || c.card > 0xffff) {
    return codecError('out_of_range', '卡号超出范围', 'Card number must fit in 16 bits');
  }
  const data = [...toBits(c.facility, fBits), ...toBits(c.card, 16)];
  const half = data.length / 2;
  const even = ones(data.slice(0, half)) % 2; // makes the first half + parity even
  const odd = 1 - (ones(data.slice(half)) % 2); // makes the second half + parity odd
  return ok([even, ...data, odd]);
}

export function decodeWiegand(bits: readonly number[]): CodecResult<WiegandCredential> {
  if (bits.length !== 26 && bits.length !== 34) {
    return codecError('bad_bit_count', '韦根位数错误', `Expected 26 or 34 bits, got ${bits.length}`);
  }
  if (bits.some((b) => b !== 0 && b !== 1)) return codecError('bad_bits', '韦根数据非法', 'Bits must be 0 or 1');
  const format = bits.length as WiegandFormat;
  const data = bits.slice(1, -1);
  const half = data.length / 2;
  if ((ones(data.slice(0, half)) + (bits[0] as number)) % 2 !== 0) {
    return codecError('bad_even_parity', '韦根偶校验错误', 'Leading even parity bit is wrong');
  }
  if ((ones(data.slice(half)) + (bits[bits.length - 1] as number)) % 2 !== 1) {
    return codecError('bad_odd_parity', '韦根奇校验错误', 'Trailing odd parity bit is wrong');
  }
  const fBits = FACILITY_BITS[format];
  return ok({ format, facility: fromBits(data.slice(0, fBits)), card: fromBits(data.slice(fBits)) });
}

/** Packs bits MSB-first into bytes, left-aligned, zero padded. */
export function packBits(bits: readonly number[]): Uint8Array {
  const out = new Uint8Array(Math.ceil(bits.length / 8));
  bits.forEach((b, i) => {
    if (b) out[i >> 3]! |= 0x80 >> (i & 7);
  });
  return out;
}

export function unpackBits(bytes: Uint8Array, count: number): number[] {
  const bits: number[] = [];
  for (let i = 0; i < count; i++) bits.push(((bytes[i >> 3] ?? 0) >> (7 - (i & 7))) & 1);
  return bits;
}
