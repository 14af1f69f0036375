// A 24-bit BMP from raw bottom-up BGR rows (what WLT decoders that return pixels give), pure.

export function bmpFromBgr(raw: Uint8Array, width: number, height: number): Uint8Array {
  const src = width * 3;
  if (raw.length < src * height) throw new RangeError(`expected ${src * height} bytes of pixels, got ${raw.length}`);
  const row = Math.ceil(src / 4) * 4;
  const size = 54 + row * height;
  const b = Buffer.alloc(size, 0);
  b.write('BM', 0, 'ascii');
  b.writeUInt32LE(size, 2);
  b.writeUInt32LE(54, 10);
  b.writeUInt32LE(40, 14);
  b.writeInt32LE(width, 18);
  b.writeInt32LE(height, 22);
  b.writeUInt16LE(1, 26);
  b.writeUInt16LE(24, 28);
  b.writeUInt32LE(row * height, 34);
  for (let y = 0; y < height; y++) b.set(raw.subarray(y * src, (y + 1) * src), 54 + y * row);
  return new Uint8Array(b);
}

/** The BMP's own size field, when the bytes start like a BMP. */
export function bmpDeclaredSize(bytes: Uint8Array): number | null {
  if (bytes.length < 54 || bytes[0] !== 0x42 || bytes[1] !== 0x4d) return null;
  return (bytes[2] as number) | ((bytes[3] as number) << 8) | ((bytes[4] as number) << 16) | ((bytes[5] as number) << 24);
}

/** The pixels of an uncompressed 24- or 32-bit BMP as top-down RGB; null for any other BMP. */
export function rgbFromBmp(bytes: Uint8Array): { width: number; height: number; rgb: Uint8Array } | null {
  if (bmpDeclaredSize(bytes) === null) return null;
  const b = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const offset = b.readUInt32LE(10);
  const width = b.readInt32LE(18);
  const rawHeight = b.readInt32LE(22);
  const bpp = b.readUInt16LE(28);
  const compression = b.readUInt32LE(30);
  const height = Math.abs(rawHeight);
  if (width <= 0 || width > 4096 || height === 0 || height > 4096 || (bpp !== 24 && bpp !== 32) || (compression !== 0 && compression !== 3)) return null;
  const px = bpp / 8;
  const row = Math.ceil((width * px) / 4) * 4;
  if (offset + row * height > b.length) return null;
  const rgb = new Uint8Array(width * height * 3);
  for (let y = 0; y < height; y++) {
    const src = offset + (rawHeight > 0 ? height - 1 - y : y) * row;
    for (let x = 0; x < width; x++) {
      const s = src + x * px;
      const d = (y * width + x) * 3;
      rgb[d] = b[s + 2] as number;
      rgb[d + 1] = b[s + 1] as number;
      rgb[d + 2] = b[s] as number;
    }
  }
  return { width, height, rgb };
}
