// The card photo. The 1024-byte WLT block needs the reader vendor's decoder (no open decoder
// exists): its shared library through FFI (wlt/library-decoder.ts), or its decoder program run
// as a command. Readers that return a decoded BMP/JPEG are used as is. Otherwise — no decoder,
// or the decoder failed — the result is "no photo" with the reason, never a made-up image, and
// the clerk photographs the card's portrait side for the 1:1 instead.
import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CardPhoto, Bilingual } from '../../../edge-core/src/ports/devices.js';
import sharp from 'sharp';
import { rgbFromBmp } from './wlt/bmp.js';
import type { CommandDecoderConfig, PhotoDecoderConfig } from './wlt/decoder-config.js';
import { LibraryWltDecoder, WltDecodeFailure } from './wlt/library-decoder.js';

export type { PhotoDecoderConfig } from './wlt/decoder-config.js';
/** The command decoder's configuration (kept under its old name). */
export type ExternalDecoderConfig = CommandDecoderConfig;

export function sniffImage(bytes: Uint8Array): 'image/bmp' | 'image/jpeg' | null {
  if (bytes.length > 54 && bytes[0] === 0x42 && bytes[1] === 0x4d) return 'image/bmp';
  if (bytes.length > 4 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return 'image/jpeg';
  return null;
}

const noDecoder = { zh: '未配置照片解码程序，需人工核对照片', en: 'No WLT photo decoder configured; the clerk must check the photo' };
const photographInstead = { zh: '请用摄像头拍摄身份证人像面进行人证比对', en: "photograph the card's portrait side with the camera for the 1:1 instead" };

/** A WLT decoder the reader keeps for its lifetime. */
export interface WltDecoder {
  /** The decoded photo, or rejects with WltDecodeFailure. */
  decode(wlt: Uint8Array): Promise<Uint8Array>;
  /** Gets ready ahead of the first card (loads the library), where that applies. */
  warm?(): void;
  close(): Promise<void>;
}

export function createPhotoDecoder(cfg: PhotoDecoderConfig | undefined): WltDecoder | null {
  if (!cfg) return null;
  if (cfg.type === 'library') return new LibraryWltDecoder(cfg);
  return { decode: (wlt) => runCommand(wlt, cfg), close: async () => undefined };
}

/** Turns the photo block of a read into a CardPhoto. */
export async function resolvePhoto(block: Uint8Array, decoder: WltDecoder | null): Promise<CardPhoto> {
  if (block.length === 0) return { kind: 'none', reason: { zh: '证件未返回照片', en: 'The card returned no photo' } };
  const mime = sniffImage(block);
  if (mime) return asJpeg(block, mime, block);
  if (!decoder) return { kind: 'none', reason: noDecoder, wlt: block };
  try {
    const bytes = await decoder.decode(block);
    const got = sniffImage(bytes);
    if (!got) return decodeFailed(block, { zh: '照片解码输出的不是图片', en: 'the decoder output is not a BMP or JPEG' });
    return await asJpeg(bytes, got, block);
  } catch (err) {
    const why = err instanceof WltDecodeFailure ? { zh: err.reason.zh, en: err.reason.en } : { zh: '照片解码失败', en: (err as Error).message };
    return decodeFailed(block, why);
  }
}

/**
 * The photo as JPEG: decoders and readers give BMPs, which the image pipeline (sharp/libvips)
 * does not read, so a BMP is converted here (quality 95) and the 1:1 can use it.
 */
async function asJpeg(bytes: Uint8Array, mime: 'image/bmp' | 'image/jpeg', wlt: Uint8Array): Promise<CardPhoto> {
  if (mime === 'image/jpeg') return { kind: 'decoded', mime, bytes };
  const px = rgbFromBmp(bytes);
  if (!px) return decodeFailed(wlt, { zh: '照片格式不支持（BMP）', en: 'the BMP is not an uncompressed 24/32-bit bitmap' });
  const jpeg = await sharp(px.rgb, { raw: { width: px.width, height: px.height, channels: 3 } }).jpeg({ quality: 95 }).toBuffer();
  return { kind: 'decoded', mime: 'image/jpeg', bytes: new Uint8Array(jpeg) };
}

function decodeFailed(wlt: Uint8Array, why: Bilingual): CardPhoto {
  return {
    kind: 'none',
    reason: { zh: `${why.zh}，${photographInstead.zh}`, en: `WLT photo decoding failed: ${why.en}; ${photographInstead.en}` },
    wlt,
  };
}

async function runCommand(wlt: Uint8Array, cfg: CommandDecoderConfig): Promise<Uint8Array> {
  const dir = await mkdtemp(join(tmpdir(), 'sitegate-wlt-'));
  const wltPath = join(dir, 'photo.wlt');
  const outPath = join(dir, cfg.outputName ?? 'photo.bmp');
  try {
    await writeFile(wltPath, wlt);
    const args = cfg.args.map((a) => a.replaceAll('{wlt}', wltPath).replaceAll('{out}', outPath));
    const code = await new Promise<number | string>((resolve) => {
      const child = spawn(cfg.command, args, { stdio: 'ignore', windowsHide: true });
      const timer = setTimeout(() => child.kill('SIGKILL'), cfg.timeoutMs ?? 5000);
      child.once('error', (err) => {
        clearTimeout(timer);
        resolve(err.message);
      });
      child.once('exit', (c, sig) => {
        clearTimeout(timer);
        resolve(c ?? `signal ${sig}`);
      });
    });
    if (code !== 0) throw new WltDecodeFailure('decode_failed', { zh: '照片解码程序运行失败', en: `decoder exited with ${code}` });
    return new Uint8Array(await readFile(outPath).catch(() => Buffer.alloc(0)));
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
