// Calls a vendor's WLT→BMP function through FFI (koffi). Runs only inside the decoder child
// process (decoder-host.ts): a library that crashes takes that process down, never the core.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import koffi from 'koffi';
import { bmpDeclaredSize, bmpFromBgr } from './bmp.js';
import { BGR_BYTES, BMP_BYTES, PHOTO_HEIGHT, PHOTO_WIDTH, type LibraryDecoderConfig } from './decoder-config.js';

export class DecodeError extends Error {
  constructor(
    readonly code: 'library_load_failed' | 'function_missing' | 'decode_failed' | 'bad_output',
    message: string,
  ) {
    super(message);
  }
}

type Call = (wlt: Uint8Array) => Uint8Array;

/** Loads the library and returns the decode call (throws DecodeError when it cannot be loaded). */
export function bindVendorDecoder(cfg: LibraryDecoderConfig): Call {
  let lib: ReturnType<typeof koffi.load>;
  try {
    lib = koffi.load(cfg.library);
  } catch (err) {
    throw new DecodeError('library_load_failed', `cannot load ${cfg.library}: ${(err as Error).message}`);
  }
  const conv = cfg.stdcall ? '__stdcall' : '';
  const proto: Record<LibraryDecoderConfig['signature'], string> = {
    buffer_int: `int ${conv} ${cfg.function}(const uint8_t *wlt, _Out_ uint8_t *out, int arg)`,
    buffer: `int ${conv} ${cfg.function}(const uint8_t *wlt, _Out_ uint8_t *out)`,
    file_int: `int ${conv} ${cfg.function}(const char *wltPath, int arg)`,
    file_file: `int ${conv} ${cfg.function}(const char *wltPath, const char *bmpPath)`,
  };
  // koffi's function handle: its argument types are given by the prototype string above.
  let fn: (...args: unknown[]) => number;
  try {
    fn = lib.func(proto[cfg.signature].replace(/\s+/g, ' ')) as (...args: unknown[]) => number;
  } catch (err) {
    throw new DecodeError('function_missing', `${cfg.function} not found in ${cfg.library}: ${(err as Error).message}`);
  }
  const success = cfg.successCode ?? 1;
  const arg = cfg.arg ?? 1;
  const checked = (rc: number): void => {
    if (rc !== success) throw new DecodeError('decode_failed', `${cfg.function} returned ${rc} (success is ${success})`);
  };
  if (cfg.signature === 'buffer_int' || cfg.signature === 'buffer') {
    const raw = cfg.output === 'bgr';
    const size = cfg.outputBytes ?? (raw ? BGR_BYTES : BMP_BYTES);
    return (wlt) => {
      const out = Buffer.alloc(size);
      checked(cfg.signature === 'buffer_int' ? fn(Buffer.from(wlt), out, arg) : fn(Buffer.from(wlt), out));
      if (raw) return bmpFromBgr(out, PHOTO_WIDTH, PHOTO_HEIGHT);
      const declared = bmpDeclaredSize(out);
      if (declared === null || declared > out.length) throw new DecodeError('bad_output', `${cfg.function} did not write a BMP into its ${size}-byte buffer`);
      return new Uint8Array(out.subarray(0, declared));
    };
  }
  return (wlt) => {
    const dir = mkdtempSync(join(tmpdir(), 'sitegate-wlt-'));
    try {
      const wltPath = join(dir, 'zp.wlt');
      // file_int decoders write the BMP next to the input, with the same base name.
      const bmpPath = join(dir, 'zp.bmp');
      writeFileSync(wltPath, wlt);
      checked(cfg.signature === 'file_int' ? fn(wltPath, arg) : fn(wltPath, bmpPath));
      let bytes: Buffer;
      try {
        bytes = readFileSync(bmpPath);
      } catch {
        throw new DecodeError('bad_output', `${cfg.function} reported success but wrote no ${bmpPath}`);
      }
      if (bmpDeclaredSize(bytes) === null) throw new DecodeError('bad_output', `${cfg.function} wrote something that is not a BMP`);
      return new Uint8Array(bytes);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  };
}
