// The card photo. The 1024-byte WLT block needs the reader vendor's decoder (no open decoder
// exists), so SiteGate runs a configured external command; readers that return a decoded
// BMP/JPEG are used as is. Otherwise the result is "no photo" with the reason, never a made-up image.
import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CardPhoto } from '../../../edge-core/src/ports/devices.js';

export interface ExternalDecoderConfig {
  /** Executable, e.g. '/opt/vendor/wltdecode'. */
  command: string;
  /** Arguments; '{wlt}' is replaced by the input file path and '{out}' by the output path. */
  args: string[];
  /** Output file name inside the scratch directory. Default 'photo.bmp'. */
  outputName?: string;
  timeoutMs?: number;
}

export type PhotoDecoderConfig = ExternalDecoderConfig;

export function sniffImage(bytes: Uint8Array): 'image/bmp' | 'image/jpeg' | null {
  if (bytes.length > 54 && bytes[0] === 0x42 && bytes[1] === 0x4d) return 'image/bmp';
  if (bytes.length > 4 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return 'image/jpeg';
  return null;
}

const noDecoder = { zh: '未配置照片解码程序，需人工核对照片', en: 'No WLT photo decoder configured; the clerk must check the photo' };

/** Turns the photo block of a read into a CardPhoto. */
export async function resolvePhoto(block: Uint8Array, decoder: ExternalDecoderConfig | undefined): Promise<CardPhoto> {
  if (block.length === 0) return { kind: 'none', reason: { zh: '证件未返回照片', en: 'The card returned no photo' } };
  const mime = sniffImage(block);
  if (mime) return { kind: 'decoded', mime, bytes: block };
  if (!decoder) return { kind: 'none', reason: noDecoder, wlt: block };
  return runDecoder(block, decoder);
}

async function runDecoder(wlt: Uint8Array, cfg: ExternalDecoderConfig): Promise<CardPhoto> {
  const dir = await mkdtemp(join(tmpdir(), 'sitegate-wlt-'));
  const wltPath = join(dir, 'photo.wlt');
  const outPath = join(dir, cfg.outputName ?? 'photo.bmp');
  const failed = (en: string): CardPhoto => ({
    kind: 'none',
    reason: { zh: '照片解码失败，需人工核对照片', en: `WLT photo decoding failed: ${en}` },
    wlt,
  });
  try {
    await writeFile(wltPath, wlt);
    const args = cfg.args.map((a) => a.replaceAll('{wlt}', wltPath).replaceAll('{out}', outPath));
    const code = await new Promise<number | string>((resolve) => {
      const child = spawn(cfg.command, args, { stdio: 'ignore' });
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
    if (code !== 0) return failed(`decoder exited with ${code}`);
    const bytes = new Uint8Array(await readFile(outPath).catch(() => Buffer.alloc(0)));
    const mime = sniffImage(bytes);
    if (!mime) return failed('decoder output is not a BMP or JPEG');
    return { kind: 'decoded', mime, bytes };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
