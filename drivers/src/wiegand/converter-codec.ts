// Serial → Wiegand converter framing, pure functions.
// Serial/USB-to-Wiegand converters each have a vendor framing; SiteGate speaks this generic
// one (and its simulator decodes it):
//   STX 0x02 | BITS (26 or 34) | DATA (bits MSB-first, left-aligned, ceil(BITS/8) bytes) | BCC | ETX 0x03
// BCC is the XOR of BITS and DATA. The converter answers ACK 0x06 once the pulses are out,
// or NAK 0x15 when the frame was bad. Adapting to another vendor framing is a new codec here.
import { codecError, ok, type CodecResult } from '../errors.js';
import { decodeWiegand, encodeWiegand, packBits, unpackBits, type WiegandCredential } from './wiegand-codec.js';

export const STX = 0x02;
export const ETX = 0x03;
export const ACK = 0x06;
export const NAK = 0x15;

export function encodeConverterFrame(c: WiegandCredential): CodecResult<Uint8Array> {
  const bits = encodeWiegand(c);
  if (!bits.ok) return bits;
  const data = packBits(bits.value);
  const out = new Uint8Array(data.length + 4);
  out[0] = STX;
  out[1] = c.format;
  out.set(data, 2);
  let bcc = c.format;
  for (const b of data) bcc ^= b;
  out[out.length - 2] = bcc;
  out[out.length - 1] = ETX;
  return ok(out);
}

export function frameLengthFor(bitsByte: number): number | null {
  if (bitsByte === 26) return 4 + 4;
  if (bitsByte === 34) return 5 + 4;
  return null;
}

export function decodeConverterFrame(frame: Uint8Array): CodecResult<WiegandCredential> {
  if (frame.length < 2) return codecError('truncated', '帧不完整', 'Frame too short');
  if (frame[0] !== STX) return codecError('bad_start', '帧头错误', 'Frame does not start with STX');
  const len = frameLengthFor(frame[1] as number);
  if (len === null) return codecError('bad_bit_count', '韦根位数错误', `Unsupported bit count ${frame[1]}`);
  if (frame.length !== len) return codecError('bad_length', '帧长度错误', `Expected ${len} bytes, got ${frame.length}`);
  if (frame[len - 1] !== ETX) return codecError('bad_end', '帧尾错误', 'Frame does not end with ETX');
  let bcc = 0;
  for (let i = 1; i < len - 2; i++) bcc ^= frame[i] as number;
  if (bcc !== frame[len - 2]) return codecError('bad_checksum', '校验错误', 'BCC mismatch');
  return decodeWiegand(unpackBits(frame.slice(2, len - 2), frame[1] as number));
}

/** Streaming splitter for the converter side: yields whole frames or errors, resyncs on STX. */
export class ConverterFrameSplitter {
  private buf: number[] = [];

  push(chunk: Uint8Array): CodecResult<WiegandCredential>[] {
    this.buf.push(...chunk);
    const out: CodecResult<WiegandCredential>[] = [];
    for (;;) {
      const start = this.buf.indexOf(STX);
      if (start < 0) {
        this.buf = [];
        break;
      }
      if (start > 0) this.buf.splice(0, start);
      if (this.buf.length < 2) break;
      const len = frameLengthFor(this.buf[1] as number);
      if (len === null) {
        out.push(codecError('bad_bit_count', '韦根位数错误', `Unsupported bit count ${this.buf[1]}`));
        this.buf.splice(0, 1);
        continue;
      }
      if (this.buf.length < len) break;
      const decoded = decodeConverterFrame(Uint8Array.from(this.buf.slice(0, len)));
      out.push(decoded);
      this.buf.splice(0, decoded.ok ? len : 1);
    }
    return out;
  }
}
