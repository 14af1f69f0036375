// Placeholder photo bytes for the simulator. The WLT block is opaque filler (it is not an image
// of anyone and no decoder would make one); the "decoded" variants are a flat grey 102×126
// image, marking readers that return BMP/JPEG themselves.
import { bmpFromBgr } from '../idcard/wlt/bmp.js';

export function placeholderWlt(): Uint8Array {
  const out = new Uint8Array(1024);
  const tag = new TextEncoder().encode('SITEGATE-SIMULATED-WLT-PLACEHOLDER');
  for (let i = 0; i < out.length; i++) out[i] = i < tag.length ? tag[i]! : (i * 31) & 0xff;
  return out;
}

export const PHOTO_WIDTH = 102;
export const PHOTO_HEIGHT = 126;

/** 24-bit bottom-up BMP, flat grey. */
export function placeholderBmp(width = PHOTO_WIDTH, height = PHOTO_HEIGHT): Uint8Array {
  return bmpFromBgr(new Uint8Array(width * height * 3).fill(0xb0), width, height);
}

export async function placeholderJpeg(): Promise<Uint8Array> {
  const { default: sharp } = await import('sharp');
  const buf = await sharp({ create: { width: PHOTO_WIDTH, height: PHOTO_HEIGHT, channels: 3, background: { r: 176, g: 176, b: 176 } } })
    .jpeg({ quality: 80 })
    .toBuffer();
  return new Uint8Array(buf);
}
