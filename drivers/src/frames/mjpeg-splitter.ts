// Splits a concatenated MJPEG byte stream (ffmpeg `-f mjpeg`) into JPEG frames: SOI FF D8 …
// EOI FF D9. Bounded: a frame larger than maxFrameBytes is dropped and counted.

export class MjpegSplitter {
  private buf: Buffer = Buffer.alloc(0);
  private inFrame = false;
  dropped = 0;

  constructor(private readonly maxFrameBytes = 8 * 1024 * 1024) {}

  push(chunk: Uint8Array): Uint8Array[] {
    this.buf = this.buf.length === 0 ? Buffer.from(chunk) : Buffer.concat([this.buf, chunk]);
    const frames: Uint8Array[] = [];
    for (;;) {
      if (!this.inFrame) {
        const soi = this.buf.indexOf(SOI);
        if (soi < 0) {
          // keep a trailing FF that may start an SOI
          this.buf = this.buf.length > 0 && this.buf[this.buf.length - 1] === 0xff ? this.buf.subarray(this.buf.length - 1) : Buffer.alloc(0);
          break;
        }
        this.buf = this.buf.subarray(soi);
        this.inFrame = true;
      }
      const eoi = this.buf.indexOf(EOI, 2);
      if (eoi < 0) {
        if (this.buf.length > this.maxFrameBytes) {
          this.dropped++;
          this.buf = Buffer.alloc(0);
          this.inFrame = false;
        }
        break;
      }
      const frame = this.buf.subarray(0, eoi + 2);
      if (frame.length <= this.maxFrameBytes) frames.push(Uint8Array.from(frame));
      else this.dropped++;
      this.buf = this.buf.subarray(eoi + 2);
      this.inFrame = false;
    }
    return frames;
  }

  get pending(): number {
    return this.buf.length;
  }
}

const SOI = Buffer.from([0xff, 0xd8]);
const EOI = Buffer.from([0xff, 0xd9]);
