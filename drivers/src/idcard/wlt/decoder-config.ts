// How a reader model's WLT photo decoder is called, as configuration data (zod). Two kinds:
//  - `library`: the vendor's shared library (.so / .dll) loaded through FFI (koffi) in a child
//    process, with one of the call signatures the common reader SDKs use;
//  - `command`: the vendor's decoder program, run once per photo (the older path).
import { z } from 'zod';

/**
 * Call signatures of the WLT→BMP entry points shipped with common reader SDKs (names differ per
 * vendor, the shapes do not):
 *  - `buffer_int`  int fn(const char *wlt, char *out, int arg)      e.g. Linux libwlt `unpack`
 *  - `buffer`      int fn(const char *wlt, char *out)               e.g. `wlt2Bmp`
 *  - `file_int`    int fn(const char *wltPath, int arg)             e.g. Windows WltRS.dll `GetBmp`: writes the BMP next to the .wlt file
 *  - `file_file`   int fn(const char *wltPath, const char *bmpPath) e.g. `Wlt2Bmp`
 */
export const WLT_SIGNATURES = ['buffer_int', 'buffer', 'file_int', 'file_file'] as const;
export type WltSignature = (typeof WLT_SIGNATURES)[number];

export const commandDecoderSchema = z.strictObject({
  type: z.literal('command').optional(),
  /** Executable, e.g. '/opt/vendor/wltdecode'. */
  command: z.string().min(1),
  /** '{wlt}' is replaced by the input file path and '{out}' by the output path. */
  args: z.array(z.string()),
  /** Output file name inside the scratch directory. Default 'photo.bmp'. */
  outputName: z.string().optional(),
  timeoutMs: z.number().int().positive().optional(),
});

export const libraryDecoderSchema = z.strictObject({
  type: z.literal('library'),
  /** Path of the vendor's shared library, e.g. /opt/vendor/libwlt.so or C:\\Vendor\\WltRS.dll. */
  library: z.string().min(1),
  /** Exported function name, e.g. 'unpack' or 'GetBmp'. */
  function: z.string().regex(/^[A-Za-z_][A-Za-z0-9_@]{0,63}$/, 'a C function name'),
  signature: z.enum(WLT_SIGNATURES),
  /** The int argument of buffer_int / file_int (e.g. 1 "with BMP header", or the port kind 1 serial / 2 USB). Default 1. */
  arg: z.number().int().optional(),
  /** buffer variants: what the function writes — a whole BMP file (default) or the raw 102×126 pixels (BGR rows, bottom-up, as in a BMP). */
  output: z.enum(['bmp', 'bgr']).optional(),
  /** buffer variants: size of the output buffer. Default 38,862 (bmp) or 38,556 (bgr). */
  outputBytes: z.number().int().min(1024).max(4 * 1024 * 1024).optional(),
  /** Return value meaning success. Default 1. */
  successCode: z.number().int().optional(),
  /** 32-bit Windows DLLs exported as __stdcall (WINAPI). Ignored elsewhere. */
  stdcall: z.boolean().optional(),
  /** A decode that takes longer is abandoned (the decoder process is killed). Default 5000 ms. */
  timeoutMs: z.number().int().positive().max(60_000).optional(),
});

export const photoDecoderSchema = z.union([libraryDecoderSchema, commandDecoderSchema]);

export type CommandDecoderConfig = z.infer<typeof commandDecoderSchema>;
export type LibraryDecoderConfig = z.infer<typeof libraryDecoderSchema>;
export type PhotoDecoderConfig = z.infer<typeof photoDecoderSchema>;

export const PHOTO_WIDTH = 102;
export const PHOTO_HEIGHT = 126;
/** A 24-bit 102×126 BMP: 54-byte header + 126 rows of 308 bytes (306 padded to 4). */
export const BMP_BYTES = 54 + Math.ceil((PHOTO_WIDTH * 3) / 4) * 4 * PHOTO_HEIGHT;
/** The raw pixels alone, unpadded. */
export const BGR_BYTES = PHOTO_WIDTH * PHOTO_HEIGHT * 3;
