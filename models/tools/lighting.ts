// Lighting variants of an evaluation photo, for issue 12 item 6 (strong light and backlight):
// what a gate camera sees at noon in the sun, against a bright sky or open gate, and at dusk.
// Each is a deterministic sharp pipeline on the photo's own pixels (no new image content):
// - overexposed: gain 1.9 with an offset, highlights clip to white (sun on the face);
// - backlit: the subject darkened to ~35 % while a bright halo fills the border of the frame
//   (a face against the sky: the auto-exposure of the camera follows the bright background);
// - dim: ~22 % of the light with JPEG noise at quality 70 (dusk, no lamp at the gate).
import sharp from 'sharp';

export const LIGHTINGS = ['normal', 'overexposed', 'backlit', 'dim'] as const;
export type Lighting = (typeof LIGHTINGS)[number];

export function isLighting(v: unknown): v is Lighting {
  return typeof v === 'string' && (LIGHTINGS as readonly string[]).includes(v);
}

/** The photo as the camera would give it under that light (JPEG). 'normal' returns the input. */
export async function relight(bytes: Buffer, lighting: Lighting): Promise<Buffer> {
  if (lighting === 'normal') return bytes;
  const img = sharp(bytes).rotate().removeAlpha();
  if (lighting === 'overexposed') return img.linear(1.9, 45).jpeg({ quality: 90 }).toBuffer();
  if (lighting === 'dim') return img.linear(0.22, 0).jpeg({ quality: 70 }).toBuffer();
  const { width, height } = await img.metadata();
  if (!width || !height) throw new Error('image without dimensions');
  // Bright border, transparent centre: an ellipse around the middle ~60 % of the frame.
  const halo = Buffer.from(
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}">` +
      '<defs><radialGradient id="g" cx="50%" cy="45%" r="70%">' +
      '<stop offset="45%" stop-color="#fff" stop-opacity="0"/>' +
      '<stop offset="85%" stop-color="#fff" stop-opacity="0.95"/>' +
      '<stop offset="100%" stop-color="#fff" stop-opacity="1"/></radialGradient></defs>' +
      `<rect width="${width}" height="${height}" fill="url(#g)"/></svg>`,
  );
  const dark = await img.linear(0.35, 0).toBuffer();
  return sharp(dark).composite([{ input: halo, blend: 'screen' }]).jpeg({ quality: 90 }).toBuffer();
}
