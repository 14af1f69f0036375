// Splits ffmpeg's `-f image2pipe -c:v ppm` output into RGB frames. Each frame is a binary PPM:
// "P6" <ws> width <ws> height <ws> 255 <one ws> width*height*3 bytes. The header names the size,
// so a camera whose resolution changes after a reconnection is followed without configuration.
import type { RgbRaster } from '../../../edge-core/src/ports/devices.js';

const MAX_SIDE = 8192;

export class PpmSplitter {
  private chunks: Buffer[] = [];
  private length = 0;
  /** Header of the frame being collected: its byte length and the total frame length. */
  private header: { headerBytes: number; width: number; height: number } | null = null;
  /** Bytes that were not a PPM header (resynchronised on the next "P6"). */
  garbage = 0;

  push(chunk: Uint8Array): RgbRaster[] {
    this.chunks.push(Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength));
    this.length += chunk.byteLength;
    const out: RgbRaster[] = [];
    for (;;) {
      if (!this.header) {
        const head = this.peek(Math.min(this.length, 64));
        const parsed = parseHeader(head);
        if (parsed === 'more') break;
        if (parsed === 'bad') {
          const next = head.indexOf('P6', 1);
          const skip = next > 0 ? next : Math.max(1, head.length - 1);
          this.garbage += skip;
          this.consume(skip);
          continue;
        }
        this.header = parsed;
      }
      const { headerBytes, width, height } = this.header;
      const total = headerBytes + width * height * 3;
      if (this.length < total) break;
      const all = this.chunks.length === 1 ? (this.chunks[0] as Buffer) : Buffer.concat(this.chunks, this.length);
      // A copy of exactly the pixels: the frame outlives the pipe's chunk buffers.
      const data = new Uint8Array(width * height * 3);
      data.set(all.subarray(headerBytes, total));
      out.push({ width, height, data });
      this.chunks = all.length > total ? [all.subarray(total)] : [];
      this.length = all.length - total;
      this.header = null;
    }
    return out;
  }

  get pending(): number {
    return this.length;
  }

  private peek(n: number): Buffer {
    const first = this.chunks[0];
    if (first && first.length >= n) return first.subarray(0, n);
    return Buffer.concat(this.chunks, this.length).subarray(0, n);
  }

  private consume(n: number): void {
    const all = Buffer.concat(this.chunks, this.length);
    this.chunks = [all.subarray(n)];
    this.length = all.length - n;
  }
}

function isSpace(b: number | undefined): boolean {
  return b === 0x20 || b === 0x0a || b === 0x0d || b === 0x09;
}

/** Parses "P6 W H 255" followed by one whitespace byte; 'more' when the header is incomplete. */
export function parseHeader(b: Uint8Array): { headerBytes: number; width: number; height: number } | 'more' | 'bad' {
  if (b.length < 2) return 'more';
  if (b[0] !== 0x50 || b[1] !== 0x36) return 'bad';
  let i = 2;
  const fields: number[] = [];
  while (fields.length < 3) {
    while (i < b.length && isSpace(b[i])) i++;
    if (i >= b.length) return b.length >= 64 ? 'bad' : 'more';
    let v = 0;
    let digits = 0;
    while (i < b.length && (b[i] as number) >= 0x30 && (b[i] as number) <= 0x39) {
      v = v * 10 + ((b[i] as number) - 0x30);
      i++;
      digits++;
      if (digits > 5) return 'bad';
    }
    if (i >= b.length) return b.length >= 64 ? 'bad' : 'more';
    if (digits === 0 || !isSpace(b[i])) return 'bad';
    fields.push(v);
  }
  const [width, height, maxval] = fields as [number, number, number];
  if (maxval !== 255 || width < 1 || height < 1 || width > MAX_SIDE || height > MAX_SIDE) return 'bad';
  return { headerBytes: i + 1, width, height };
}
