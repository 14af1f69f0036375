// The vendor-library path of the WLT photo: a stand-in shared library compiled here with g++
// (same call shapes as the vendors' libraries; NOT a WLT decoder) loaded through koffi in the
// decoder child process; crashes, hangs and failures of the library are clear errors and the
// core process (this one) survives them. Last: reader simulator → FFI decode over a pty.
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CardRead } from '../../edge-core/src/ports/devices.js';
import { devicesConfigSchema } from '../src/config.js';
import { SerialIdCardReader } from '../src/idcard/idcard-reader.js';
import { resolvePhoto } from '../src/idcard/photo-decoder.js';
import { BMP_BYTES, type LibraryDecoderConfig } from '../src/idcard/wlt/decoder-config.js';
import { LibraryWltDecoder, WltDecodeFailure } from '../src/idcard/wlt/library-decoder.js';
import { IdCardReaderSimulator } from '../src/simulators/idcard-reader-sim.js';
import { startPtyPair } from '../src/simulators/pty-pair.js';
import { buildStandinLibrary, standinWlt } from './fixtures/wlt-standin.js';
import { nextEvent, scratchDir } from './helpers.js';

let library = '';
let picture: Buffer;
const decoders: LibraryWltDecoder[] = [];
const decoder = (cfg: Omit<LibraryDecoderConfig, 'type' | 'library'>): LibraryWltDecoder => {
  const d = new LibraryWltDecoder({ type: 'library', library, ...cfg });
  decoders.push(d);
  return d;
};

beforeAll(async () => {
  library = buildStandinLibrary(scratchDir('wlt-lib'));
  // A picture with structure (a dark disc on a light ground) so the decoded image can be compared.
  picture = await sharp({ create: { width: 102, height: 126, channels: 3, background: '#e0e0e0' } })
    .composite([{ input: Buffer.from('<svg width="102" height="126"><circle cx="51" cy="55" r="30" fill="#202020"/></svg>'), left: 0, top: 0 }])
    .png()
    .toBuffer();
});
afterAll(async () => {
  for (const d of decoders) await d.close();
});

async function greyOf(bmpBytes: Uint8Array): Promise<Buffer> {
  // sharp reads no BMP: take the pixels from the 24-bit bottom-up rows ourselves.
  const b = Buffer.from(bmpBytes);
  const w = b.readInt32LE(18);
  const h = b.readInt32LE(22);
  const row = Math.ceil((w * 3) / 4) * 4;
  const out = Buffer.alloc(w * h);
  for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) out[y * w + x] = b[54 + (h - 1 - y) * row + 3 * x] as number;
  return out;
}

describe('WLT decoding through the vendor library (stand-in library compiled with g++, loaded through koffi)', () => {
  it('stand-in library, unpack(src, dst, int) shape: a 102×126 BMP made from the 1024 bytes, deterministically', async () => {
    const d = decoder({ function: 'unpack', signature: 'buffer_int', arg: 1 });
    const wlt = await standinWlt(picture);
    const a = await d.decode(wlt);
    const b = await d.decode(wlt);
    expect(a.length).toBe(BMP_BYTES);
    expect(Buffer.from(a).subarray(0, 2).toString('latin1')).toBe('BM');
    expect(Buffer.compare(Buffer.from(a), Buffer.from(b))).toBe(0);
    // The picture survives the toy codec: centre dark, corner light.
    const g = await greyOf(a);
    expect(g[55 * 102 + 51]).toBeLessThan(80);
    expect(g[5 * 102 + 5]).toBeGreaterThan(180);
    expect(d.started).toBe(1); // one decoder process for both cards
    expect(d.pid).not.toBe(process.pid);
  });

  it('stand-in library, raw-pixel variant (output bgr) is wrapped into the same BMP', async () => {
    const wlt = await standinWlt(picture);
    const bmp = await decoder({ function: 'unpack', signature: 'buffer_int', arg: 0, output: 'bgr' }).decode(wlt);
    const ref = await decoder({ function: 'unpack', signature: 'buffer_int', arg: 1 }).decode(wlt);
    expect(Buffer.compare(Buffer.from(bmp), Buffer.from(ref))).toBe(0);
  });

  it('stand-in library, GetBmp(file, int) shape: the BMP written next to the .wlt file', async () => {
    const wlt = await standinWlt(picture);
    const viaFile = await decoder({ function: 'GetBmp', signature: 'file_int', arg: 2 }).decode(wlt);
    const viaBuffer = await decoder({ function: 'unpack', signature: 'buffer_int' }).decode(wlt);
    expect(Buffer.compare(Buffer.from(viaFile), Buffer.from(viaBuffer))).toBe(0);
  });

  it('a library that crashes (SIGSEGV) gives decoder_crashed; this process lives on and the next card decodes', async () => {
    const d = decoder({ function: 'unpack', signature: 'buffer_int' });
    const crash = await d.decode(await standinWlt(picture, 'CRSH')).then(
      () => null,
      (e: unknown) => e,
    );
    expect(crash).toBeInstanceOf(WltDecodeFailure);
    expect((crash as WltDecodeFailure).code).toBe('decoder_crashed');
    expect((crash as WltDecodeFailure).reason.zh).toBe('照片解码库崩溃');
    expect((crash as WltDecodeFailure).reason.en).toMatch(/SIGSEGV|signal/);
    const next = await d.decode(await standinWlt(picture));
    expect(next.length).toBe(BMP_BYTES);
    expect(d.started).toBe(2);
  });

  it('a library that hangs is abandoned after timeoutMs (decoder_timeout) and its process killed', async () => {
    const d = decoder({ function: 'unpack', signature: 'buffer_int', timeoutMs: 800 });
    await d.decode(await standinWlt(picture)); // warm: the process is up
    const pid = d.pid as number;
    const e = await d.decode(await standinWlt(picture, 'HANG')).catch((x: unknown) => x);
    expect((e as WltDecodeFailure).code).toBe('decoder_timeout');
    const gone = await new Promise<boolean>((resolve) => {
      const t = setInterval(() => {
        try {
          process.kill(pid, 0);
        } catch {
          clearInterval(t);
          resolve(true);
        }
      }, 50);
    });
    expect(gone).toBe(true);
  });

  it('a failure code, a missing function and a missing library are clear errors; resolvePhoto tells the clerk to photograph the card', async () => {
    const failed = await decoder({ function: 'unpack', signature: 'buffer_int' })
      .decode(await standinWlt(picture, 'FAIL'))
      .catch((e: unknown) => e as WltDecodeFailure);
    expect(failed).toMatchObject({ code: 'decode_failed' });
    const missing = await decoder({ function: 'NoSuchCall', signature: 'buffer' })
      .decode(new Uint8Array(1024))
      .catch((e: unknown) => e as WltDecodeFailure);
    expect(missing).toMatchObject({ code: 'function_missing' });
    const noLib = new LibraryWltDecoder({ type: 'library', library: '/nonexistent/libwlt.so', function: 'unpack', signature: 'buffer_int' });
    decoders.push(noLib);
    const photo = await resolvePhoto(await standinWlt(picture), noLib);
    expect(photo.kind).toBe('none');
    if (photo.kind === 'none') {
      expect(photo.reason.zh).toContain('照片解码库无法加载');
      expect(photo.reason.zh).toContain('请用摄像头拍摄身份证人像面');
      expect(photo.wlt?.length).toBe(1024);
    }
  });

  it('is configured per reader model and validated (signature, function name)', () => {
    const base = { path: '/dev/ttyUSB0' };
    const ok = devicesConfigSchema.safeParse({ idCardReader: { ...base, photoDecoder: { type: 'library', library: '/opt/vendor/libwlt.so', function: 'unpack', signature: 'buffer_int', arg: 1 } } });
    expect(ok.success).toBe(true);
    const legacy = devicesConfigSchema.safeParse({ idCardReader: { ...base, photoDecoder: { command: '/opt/vendor/wltdecode', args: ['{wlt}', '{out}'] } } });
    expect(legacy.success).toBe(true);
    const badSig = devicesConfigSchema.safeParse({ idCardReader: { ...base, photoDecoder: { type: 'library', library: 'x.so', function: 'unpack', signature: 'stdin' } } });
    expect(badSig.success).toBe(false);
    const badName = devicesConfigSchema.safeParse({ idCardReader: { ...base, photoDecoder: { type: 'library', library: 'x.so', function: 'unpack; rm', signature: 'buffer' } } });
    expect(badName.success).toBe(false);
  });

  it('reader simulator → serial driver over a pty → FFI decode (stand-in library): the card read carries the decoded photo', async () => {
    const dir = scratchDir('wlt-pty');
    const pair = await startPtyPair(join(dir, 'reader'), join(dir, 'sim'));
    const wlt = await standinWlt(picture);
    const sim = new IdCardReaderSimulator({ path: pair.simulatorPath, paceToBaud: false, wlt });
    await sim.start();
    const reader = new SerialIdCardReader({ path: pair.devicePath, photoDecoder: { type: 'library', library, function: 'unpack', signature: 'buffer_int', arg: 1 } });
    try {
      await reader.start();
      const read = nextEvent<CardRead>((l) => reader.onCard(l), undefined, 10_000);
      sim.place('resident');
      const r = await read;
      expect(r.photo.kind).toBe('decoded');
      if (r.photo.kind === 'decoded') {
        // The BMP is handed on as a JPEG (the image pipeline reads no BMP), same picture.
        expect(r.photo.mime).toBe('image/jpeg');
        const { data, info } = await sharp(r.photo.bytes).greyscale().raw().toBuffer({ resolveWithObject: true });
        expect([info.width, info.height]).toEqual([102, 126]);
        expect(data[55 * 102 + 51]).toBeLessThan(80);
        expect(data[5 * 102 + 5]).toBeGreaterThan(180);
      }
    } finally {
      await reader.stop();
      await sim.close();
      await pair.stop();
    }
  });
});
