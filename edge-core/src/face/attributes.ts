// Helmet and mask detection behind one interface, so an ONNX model named in the manifest can
// replace the heuristics later. The shipped implementations are colour heuristics, named as
// such in every result; their measured limits are in models/README.md. Policy (deny, remind,
// ignore) belongs to the gate rules, not here.
import { warpToTensor, type Affine } from './geometry.js';
import type { RgbImage } from './image.js';

export interface FaceRegion {
  box: { x: number; y: number; w: number; h: number };
  /** Maps the 112x112 aligned face onto the image. */
  alignedToImage: Affine;
  /** The engine's mask model answer for this face, when the model set has one (FaceObservation.mask). */
  mask?: { mask: number; noMask: number } | null;
}

export interface AttributeResult {
  /** null when the detector cannot tell (e.g. the region is outside the frame). */
  present: boolean | null;
  score: number;
  /** Which implementation decided, e.g. 'heuristic:helmet-colour-v1'. */
  detector: string;
}

export interface AttributeDetector {
  readonly kind: 'helmet' | 'mask';
  readonly name: string;
  detect(img: RgbImage, face: FaceRegion): AttributeResult;
}

function hsv(r: number, g: number, b: number): [number, number, number] {
  const max = Math.max(r, g, b), min = Math.min(r, g, b), d = max - min;
  let h = 0;
  if (d > 0) {
    if (max === r) h = ((g - b) / d) % 6;
    else if (max === g) h = (b - r) / d + 2;
    else h = (r - g) / d + 4;
    h *= 60;
    if (h < 0) h += 360;
  }
  return [h, max > 0 ? d / max : 0, max / 255];
}

/**
 * Hard hats are large, smooth, strongly coloured (yellow, orange, red, blue, green) or white
 * shells above the eyebrows. Score: the share of pixels in the band above the face box that
 * have a hard-hat colour. Hair, skin and most backgrounds are dark or weakly saturated.
 */
export class HeuristicHelmetDetector implements AttributeDetector {
  readonly kind = 'helmet' as const;
  readonly name = 'heuristic:helmet-colour-v1';
  constructor(private readonly minShare = 0.5) {}

  detect(img: RgbImage, face: FaceRegion): AttributeResult {
    const { box } = face;
    const x0 = Math.max(0, Math.floor(box.x + 0.1 * box.w)), x1 = Math.min(img.width, Math.ceil(box.x + 0.9 * box.w));
    const y0 = Math.max(0, Math.floor(box.y - 0.45 * box.h)), y1 = Math.min(img.height, Math.ceil(box.y + 0.05 * box.h));
    const area = (x1 - x0) * (y1 - y0);
    if (area < 0.15 * box.w * box.h) return { present: null, score: 0, detector: this.name };
    let hits = 0, n = 0;
    for (let y = y0; y < y1; y += 2) {
      for (let x = x0; x < x1; x += 2) {
        const i = (y * img.width + x) * 3;
        const [h, s, v] = hsv(img.data[i] as number, img.data[i + 1] as number, img.data[i + 2] as number);
        const white = s < 0.18 && v > 0.82;
        const coloured = s > 0.55 && v > 0.45 && !(h > 5 && h < 28 && s < 0.7);
        if (white || coloured) hits++;
        n++;
      }
    }
    const score = n > 0 ? hits / n : 0;
    return { present: score >= this.minShare, score, detector: this.name };
  }
}

/**
 * A mask or scarf covers the nose-mouth band with something unlike the cheeks above it.
 * Score: colour distance (chromaticity and brightness) of the lower-face band on the aligned
 * face from the under-eye skin, scaled to 0..1.
 */
export class HeuristicMaskDetector implements AttributeDetector {
  readonly kind = 'mask' as const;
  readonly name = 'heuristic:mask-lowerface-v1';
  constructor(private readonly minScore = 0.75) {}

  detect(img: RgbImage, face: FaceRegion): AttributeResult {
    const rgb = warpToTensor(img, face.alignedToImage, { name: '', layout: 'NHWC', width: 112, height: 112, channels: 3, colour: 'rgb', mean: 0, scale: 1 });
    const mean = (x0: number, y0: number, x1: number, y1: number): [number, number, number] => {
      let r = 0, g = 0, b = 0, n = 0;
      for (let y = y0; y < y1; y++) for (let x = x0; x < x1; x++) {
        const i = (y * 112 + x) * 3;
        r += rgb[i] as number; g += rgb[i + 1] as number; b += rgb[i + 2] as number; n++;
      }
      return [r / n, g / n, b / n];
    };
    const skin = mean(30, 58, 82, 66);
    // Lower cheeks beside the mouth: skin on a bare face, covered by any mask; lips excluded.
    const l1 = mean(24, 80, 38, 100), l2 = mean(74, 80, 88, 100);
    const lower: [number, number, number] = [(l1[0] + l2[0]) / 2, (l1[1] + l2[1]) / 2, (l1[2] + l2[2]) / 2];
    const chroma = (c: [number, number, number]): [number, number] => {
      const s = c[0] + c[1] + c[2] || 1;
      return [c[0] / s, c[1] / s];
    };
    const [sr, sg] = chroma(skin), [lr, lg] = chroma(lower);
    const dChroma = Math.hypot(sr - lr, sg - lg) / 0.1;
    const lumS = (skin[0] + skin[1] + skin[2]) / 3, lumL = (lower[0] + lower[1] + lower[2]) / 3;
    const dLum = Math.abs(lumS - lumL) / Math.max(30, lumS);
    const score = Math.min(1, Math.max(dChroma, dLum / 0.6));
    return { present: score >= this.minScore, score, detector: this.name };
  }
}

/**
 * Mask from the model set's mask model (AIZOOTech's SSD, run by the engine on every analysed
 * face, see FaceObservation.mask): present when "mask" >= `minScore` and beats "no mask". Without
 * a model answer for the face (no model in the set, or no anchor covered the face) the heuristic
 * decides, and says so in `detector`.
 */
export class ModelMaskDetector implements AttributeDetector {
  readonly kind = 'mask' as const;
  readonly name = 'onnx:aizoo-mask-ssd';
  constructor(
    private readonly fallback: AttributeDetector = new HeuristicMaskDetector(),
    private readonly minScore = 0.5,
  ) {}

  detect(img: RgbImage, face: FaceRegion): AttributeResult {
    const m = face.mask;
    if (!m) return this.fallback.detect(img, face);
    return { present: m.mask >= this.minScore && m.mask > m.noMask, score: m.mask, detector: this.name };
  }
}
