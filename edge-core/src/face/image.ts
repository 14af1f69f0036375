// Decoding any bytes to an 8-bit RGB raster with sharp, without throwing: bad input becomes
// a typed failure with a reason. Also exposure normalisation (gamma from mean luminance)
// for back light and strong light.
import sharp from 'sharp';
import { reason, type FaceReason } from './reasons.js';

export interface RgbImage {
  width: number;
  height: number;
  /** Interleaved RGB, row-major, 3 bytes per pixel. */
  data: Uint8Array;
}

export interface DecodeLimits {
  /** Smallest accepted side in pixels. */
  minSide: number;
  /** Largest accepted pixel count of the encoded image (checked from the header, before decoding). */
  maxInputPixels: number;
  /** Decoded images are shrunk so that the longer side is at most this. */
  maxSide: number;
}

export const DEFAULT_DECODE_LIMITS: DecodeLimits = { minSide: 48, maxInputPixels: 50_000_000, maxSide: 1280 };

export type DecodeResult = { ok: true; image: RgbImage; scaled: number } | { ok: false; reason: FaceReason };

export async function decodeImage(bytes: Uint8Array, limits: DecodeLimits = DEFAULT_DECODE_LIMITS): Promise<DecodeResult> {
  if (bytes.length < 8) return { ok: false, reason: reason('input.undecodable') };
  try {
    const meta = await sharp(bytes, { failOn: 'error', limitInputPixels: false }).metadata();
    const w = meta.width ?? 0;
    const h = meta.height ?? 0;
    if (w === 0 || h === 0) return { ok: false, reason: reason('input.undecodable') };
    if (Math.min(w, h) < limits.minSide) return { ok: false, reason: reason('input.too_small', Math.min(w, h), limits.minSide) };
    if (w * h > limits.maxInputPixels) return { ok: false, reason: reason('input.too_large', w * h, limits.maxInputPixels) };
    let pipeline = sharp(bytes, { failOn: 'error', limitInputPixels: limits.maxInputPixels }).rotate();
    if (Math.max(w, h) > limits.maxSide) {
      pipeline = pipeline.resize({ width: limits.maxSide, height: limits.maxSide, fit: 'inside' });
    }
    const { data, info } = await pipeline.toColourspace('srgb').removeAlpha().raw().toBuffer({ resolveWithObject: true });
    const rgb = info.channels === 3 ? new Uint8Array(data.buffer, data.byteOffset, data.length) : expandToRgb(data, info.channels);
    return { ok: true, image: { width: info.width, height: info.height, data: rgb }, scaled: info.width / w };
  } catch {
    return { ok: false, reason: reason('input.undecodable') };
  }
}

function expandToRgb(data: Uint8Array, channels: number): Uint8Array {
  const n = Math.floor(data.length / channels);
  const out = new Uint8Array(n * 3);
  for (let i = 0; i < n; i++) {
    const v = data[i * channels] as number;
    const g = channels >= 3 ? (data[i * channels + 1] as number) : v;
    const b = channels >= 3 ? (data[i * channels + 2] as number) : v;
    out[i * 3] = v;
    out[i * 3 + 1] = g;
    out[i * 3 + 2] = b;
  }
  return out;
}

export interface Region {
  x: number;
  y: number;
  w: number;
  h: number;
}

/**
 * Luma histogram (256 bins) over a region (default: the whole image), on a grid of at most
 * ~20,000 samples, with the exact sum of the sampled lumas.
 */
function lumaHistogram(img: RgbImage, region?: Region): { hist: Uint32Array; n: number; sum: number } {
  const x0 = Math.max(0, Math.floor(region?.x ?? 0));
  const y0 = Math.max(0, Math.floor(region?.y ?? 0));
  const x1 = Math.min(img.width, Math.ceil(region ? region.x + region.w : img.width));
  const y1 = Math.min(img.height, Math.ceil(region ? region.y + region.h : img.height));
  const step = Math.max(1, Math.floor(Math.sqrt(((x1 - x0) * (y1 - y0)) / 20000)));
  const hist = new Uint32Array(256);
  let n = 0;
  let sum = 0;
  const d = img.data;
  for (let y = y0; y < y1; y += step) {
    for (let x = x0; x < x1; x += step) {
      const i = (y * img.width + x) * 3;
      const l = 0.299 * (d[i] as number) + 0.587 * (d[i + 1] as number) + 0.114 * (d[i + 2] as number);
      hist[Math.round(l)]! += 1;
      sum += l;
      n++;
    }
  }
  return { hist, n, sum };
}

/** Mean luma (0..1) and fractions of clipped dark (< 16) / bright (> 240) pixels over a region (default: whole image). */
export function lumaStats(img: RgbImage, region?: Region): { mean: number; dark: number; bright: number } {
  const { hist, n, sum } = lumaHistogram(img, region);
  if (n === 0) return { mean: 0, dark: 0, bright: 0 };
  let dark = 0;
  let bright = 0;
  for (let v = 0; v < 16; v++) dark += hist[v] as number;
  for (let v = 241; v < 256; v++) bright += hist[v] as number;
  return { mean: sum / n / 255, dark: dark / n, bright: bright / n };
}

/**
 * Gamma that moves a mean luma towards 0.5; 1 when already in [0.35, 0.65]. Clamped (by default
 * to [0.35, 2.5]) so that a black frame is not amplified into noise.
 */
export function exposureGamma(meanLuma: number, bounds: readonly [number, number] = [0.35, 2.5]): number {
  if (meanLuma >= 0.35 && meanLuma <= 0.65) return 1;
  const m = Math.min(0.98, Math.max(0.02, meanLuma));
  return Math.min(bounds[1], Math.max(bounds[0], Math.log(m) / Math.log(0.5)));
}

/** Lookup table of out = 255 * (in/255)^(1/gamma). */
function gammaLut(gamma: number): Uint8Array {
  const lut = new Uint8Array(256);
  for (let v = 0; v < 256; v++) lut[v] = Math.round(255 * Math.pow(v / 255, 1 / gamma));
  return lut;
}

/** Applies a gamma (see gammaLut); returns a new image, or the same when gamma is 1. */
export function applyGamma(img: RgbImage, gamma: number): RgbImage {
  return gamma === 1 ? img : applyLut(img, gammaLut(gamma));
}

/** Upper bound of the stretch gain: more would mostly amplify the noise of a dark face. */
const MAX_LEVELS_GAIN = 4;

/**
 * Tone curve for a badly exposed face (mean luma outside [0.35, 0.65]: back light, dusk, sun):
 * the face's own 1st..99th luma percentiles stretched to the full range (gain at most 4), then
 * a gamma that brings the stretched mean towards 0.5. Returns null for a well exposed face (its
 * pixels are then used as the camera gave them). A gamma alone keeps a dim face's low contrast,
 * which the sharpness check then reads as blur.
 */
export function faceToneCurve(img: RgbImage, region: Region): { lut: Uint8Array; gain: number; gamma: number } | null {
  const { hist, n, sum } = lumaHistogram(img, region);
  if (n === 0) return null;
  const mean = sum / n / 255;
  if (mean >= 0.35 && mean <= 0.65) return null;
  const pct = (p: number): number => {
    let acc = 0;
    for (let v = 0; v < 256; v++) {
      acc += hist[v] as number;
      if (acc >= p * n) return v;
    }
    return 255;
  };
  let lo = pct(0.01);
  let hi = pct(0.99);
  const gain = Math.min(MAX_LEVELS_GAIN, 255 / Math.max(1, hi - lo));
  // Keep the stretched span centred on the original one when the gain is capped.
  const span = 255 / gain;
  const centre = (lo + hi) / 2;
  lo = Math.max(0, Math.min(255 - span, centre - span / 2));
  hi = lo + span;
  let stretchedSum = 0;
  for (let v = 0; v < 256; v++) stretchedSum += Math.min(1, Math.max(0, (v - lo) / (hi - lo))) * (hist[v] as number);
  const gamma = exposureGamma(stretchedSum / n, [0.25, 3]);
  const lut = new Uint8Array(256);
  for (let v = 0; v < 256; v++) {
    const s = Math.min(1, Math.max(0, (v - lo) / (hi - lo)));
    lut[v] = Math.round(255 * Math.pow(s, 1 / gamma));
  }
  return { lut, gain, gamma };
}

/** Applies a per-channel lookup table; returns a new image. */
export function applyLut(img: RgbImage, lut: Uint8Array): RgbImage {
  const out = new Uint8Array(img.data.length);
  const src = img.data;
  for (let i = 0; i < src.length; i++) out[i] = lut[src[i] as number] as number;
  return { width: img.width, height: img.height, data: out };
}
