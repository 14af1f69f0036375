// Placeholder photo bytes for the simulator. The WLT block is opaque filler (it is not an image
// of anyone and no decoder would make one); the "decoded" variants are a flat grey 102×126
// image, marking readers that return BMP/JPEG themselves.

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
  const rowBytes = Math.ceil((width * 3) / 4) * 4;
  const size = 54 + rowBytes * height;
  const b = Buffer.alloc(size, 0);
  b.write('BM', 0, 'ascii');
  b.writeUInt32LE(size, 2);
  b.writeUInt32LE(54, 10);
  b.writeUInt32LE(40, 14);
  b.writeInt32LE(width, 18);
  b.writeInt32LE(height, 22);
  b.writeUInt16LE(1, 26);
  b.writeUInt16LE(24, 28);
  b.writeUInt32LE(rowBytes * height, 34);
  for (let y = 0; y < height; y++) b.fill(0xb0, 54 + y * rowBytes, 54 + y * rowBytes + width * 3);
  return new Uint8Array(b);
}

export async function placeholderJpeg(): Promise<Uint8Array> {
  const { default: sharp } = await import('sharp');
  const buf = await sharp({ create: { width: PHOTO_WIDTH, height: PHOTO_HEIGHT, channels: 3, background: { r: 176, g: 176, b: 176 } } })
    .jpeg({ quality: 80 })
    .toBuffer();
  return new Uint8Array(buf);
}
