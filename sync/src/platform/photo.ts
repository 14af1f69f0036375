// Photos for the platform: JPEG whose Base64 text is at most `maxBase64Bytes` (50 KB by
// default). The limit is applied to the Base64 text, the stricter of the two readings of
// "image at most 50 KB", so either platform interpretation accepts it.
import sharp from 'sharp';

const QUALITIES = [80, 65, 50, 38, 28];

export function base64Length(bytes: number): number {
  return Math.ceil(bytes / 3) * 4;
}

/** Re-encodes as baseline JPEG, lowering quality then size until it fits. */
export async function fitJpegForPlatform(input: Buffer, maxBase64Bytes = 50 * 1024): Promise<Buffer> {
  const isJpeg = input.length > 3 && input[0] === 0xff && input[1] === 0xd8 && input[2] === 0xff;
  if (isJpeg && base64Length(input.length) <= maxBase64Bytes) return input;
  const meta = await sharp(input).metadata();
  let width = meta.width ?? 640;
  for (let round = 0; round < 8; round++) {
    for (const quality of QUALITIES) {
      const out = await sharp(input)
        .rotate()
        .resize({ width, withoutEnlargement: true })
        .jpeg({ quality, mozjpeg: false, chromaSubsampling: '4:2:0' })
        .toBuffer();
      if (base64Length(out.length) <= maxBase64Bytes) return out;
    }
    width = Math.max(32, Math.floor(width * 0.7));
  }
  throw new Error(`cannot fit the photo into ${maxBase64Bytes} bytes of Base64`);
}
