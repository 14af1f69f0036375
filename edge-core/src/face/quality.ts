// Face quality from the landmarks and the aligned 112x112 grey face: size, pose (yaw, pitch,
// roll estimated from five points), blur (variance of the Laplacian), exposure, eye state
// and a simple occlusion cue. Each failed check gives its own reason with value and limit.
import type { Point } from './geometry.js';
import { reason, type FaceReason } from './reasons.js';

export interface FivePoints {
  leftEye: Point;
  rightEye: Point;
  nose: Point;
  mouthLeft: Point;
  mouthRight: Point;
}

/** Five alignment points from 68 iBUG landmarks (eye centres, nose tip, mouth corners). */
export function fivePointsFrom68(p: readonly Point[]): FivePoints {
  const mean = (from: number, to: number): Point => {
    let x = 0, y = 0;
    for (let i = from; i <= to; i++) { x += (p[i] as Point)[0]; y += (p[i] as Point)[1]; }
    return [x / (to - from + 1), y / (to - from + 1)];
  };
  const avg = (a: number, b: number): Point => [((p[a] as Point)[0] + (p[b] as Point)[0]) / 2, ((p[a] as Point)[1] + (p[b] as Point)[1]) / 2];
  return { leftEye: mean(36, 41), rightEye: mean(42, 47), nose: p[30] as Point, mouthLeft: avg(48, 60), mouthRight: avg(54, 64) };
}

export function fiveToArray(f: FivePoints): Point[] {
  return [f.leftEye, f.rightEye, f.nose, f.mouthLeft, f.mouthRight];
}

/** ArcFace 112x112 reference positions of the five points (a published constant). */
export const ARCFACE_112: readonly Point[] = [
  [38.2946, 51.6963],
  [73.5318, 51.5014],
  [56.0252, 71.7366],
  [41.5493, 92.3655],
  [70.7299, 92.2041],
];

export interface Pose {
  yaw: number;
  pitch: number;
  roll: number;
}

/**
 * Rough head pose in degrees from five points: roll from the eye line, yaw from the nose's
 * sideways offset against the eye distance, pitch from where the nose sits between the eye
 * line and the mouth line (0.58 for frontal faces with this landmark model; 0.49 on the ArcFace
 * template). An estimate, not a 3-D fit.
 */
export function estimatePose(f: FivePoints): Pose {
  const ex = f.rightEye[0] - f.leftEye[0], ey = f.rightEye[1] - f.leftEye[1];
  const eyeDist = Math.hypot(ex, ey) || 1;
  const roll = (Math.atan2(ey, ex) * 180) / Math.PI;
  const c = ex / eyeDist, s = ey / eyeDist;
  const rot = (p: Point): [number, number] => [c * p[0] + s * p[1], -s * p[0] + c * p[1]];
  const le = rot(f.leftEye), re = rot(f.rightEye), n = rot(f.nose), ml = rot(f.mouthLeft), mr = rot(f.mouthRight);
  const eyeMidX = (le[0] + re[0]) / 2, eyeY = (le[1] + re[1]) / 2;
  const mouthMidX = (ml[0] + mr[0]) / 2, mouthY = (ml[1] + mr[1]) / 2;
  const midX = (eyeMidX + mouthMidX) / 2;
  const r = (n[0] - midX) / eyeDist;
  const yaw = (Math.asin(Math.max(-1, Math.min(1, r / 0.6))) * 180) / Math.PI;
  const span = mouthY - eyeY || 1;
  const t = (n[1] - eyeY) / span;
  const pitch = Math.max(-90, Math.min(90, (t - 0.58) * 120));
  return { yaw, pitch, roll };
}

/** Variance of the 4-neighbour Laplacian over the central part of an aligned grey face. */
export function laplacianVariance(grey: Float32Array, W: number, H: number): number {
  let sum = 0, sum2 = 0, n = 0;
  const x0 = Math.floor(W * 0.2), x1 = Math.ceil(W * 0.8), y0 = Math.floor(H * 0.3), y1 = Math.ceil(H * 0.9);
  for (let y = y0; y < y1; y++) {
    for (let x = x0; x < x1; x++) {
      const i = y * W + x;
      const l = 4 * (grey[i] as number) - (grey[i - 1] as number) - (grey[i + 1] as number) - (grey[i - W] as number) - (grey[i + W] as number);
      sum += l; sum2 += l * l; n++;
    }
  }
  const m = sum / n;
  return sum2 / n - m * m;
}

function patchStats(grey: Float32Array, W: number, x0: number, y0: number, x1: number, y1: number): { mean: number; std: number } {
  let s = 0, s2 = 0, n = 0;
  for (let y = y0; y < y1; y++) for (let x = x0; x < x1; x++) { const v = grey[y * W + x] as number; s += v; s2 += v * v; n++; }
  const mean = s / n;
  return { mean, std: Math.sqrt(Math.max(0, s2 / n - mean * mean)) };
}

export interface QualityPolicy {
  /** Minimum distance between eye centres in image pixels. */
  minEyeDistance: number;
  maxYaw: number;
  maxPitch: number;
  maxRoll: number;
  /** Minimum variance of the Laplacian on the aligned 112x112 face (0..255 grey). */
  minSharpness: number;
  /** Mean luma bounds (0..1) of the aligned face after exposure normalisation. */
  minLuma: number;
  maxLuma: number;
  /** Probability of "open" below which an eye counts as closed; both closed rejects. */
  eyeOpenMin: number;
  /** Occlusion score above which the face counts as occluded. */
  maxOcclusion: number;
}

export const GATE_QUALITY: QualityPolicy = {
  minEyeDistance: 18,
  maxYaw: 25,
  maxPitch: 25,
  maxRoll: 20,
  minSharpness: 40,
  minLuma: 0.2,
  maxLuma: 0.85,
  // The eye-state model of unclear provenance disagrees with visibly open eyes on the
  // fixtures, so it is reported but not enforced (0) until calibrated on real gate footage.
  eyeOpenMin: 0,
  maxOcclusion: 0.6,
};

/** Lenient policy for the 102x126 ID-card photo: small, soft, printed. */
export const ID_PHOTO_QUALITY: QualityPolicy = {
  ...GATE_QUALITY,
  minEyeDistance: 10,
  minSharpness: 5,
  eyeOpenMin: 0,
  maxOcclusion: 1,
};

export interface QualityReport {
  eyeDistance: number;
  pose: Pose;
  sharpness: number;
  luma: number;
  eyesOpen?: { left: number; right: number };
  occlusion: number;
  reasons: FaceReason[];
}

/**
 * Occlusion cue on the aligned face: the lower face (nose-mouth band) and the eye band are
 * compared with the cheeks' brightness and texture. A covered region (mask, scarf, hand,
 * sunglasses) is far from the cheeks in brightness. 0 = like skin, 1 = very different.
 */
export function occlusionScore(grey: Float32Array, W: number): number {
  const cheeks = patchStats(grey, W, 22, 60, 34, 76);
  const cheeks2 = patchStats(grey, W, 78, 60, 90, 76);
  const skin = (cheeks.mean + cheeks2.mean) / 2;
  const mouth = patchStats(grey, W, 40, 84, 72, 100);
  const eyes = patchStats(grey, W, 30, 44, 82, 58);
  const d1 = Math.abs(mouth.mean - skin) / Math.max(20, skin);
  const d2 = Math.max(0, skin - eyes.mean) / Math.max(20, skin);
  return Math.min(1, Math.max(d1, d2 * 0.8));
}

export function assessQuality(
  five: FivePoints,
  alignedGrey: Float32Array,
  policy: QualityPolicy,
  eyesOpen?: { left: number; right: number },
  /** A better pose than the five-point estimate, e.g. from a 3-D landmark mesh. */
  measuredPose?: Pose,
): QualityReport {
  const eyeDistance = Math.hypot(five.rightEye[0] - five.leftEye[0], five.rightEye[1] - five.leftEye[1]);
  const pose = measuredPose ?? estimatePose(five);
  const sharpness = laplacianVariance(alignedGrey, 112, 112);
  const luma = patchStats(alignedGrey, 112, 24, 40, 88, 100).mean / 255;
  const occlusion = occlusionScore(alignedGrey, 112);
  const reasons: FaceReason[] = [];
  if (eyeDistance < policy.minEyeDistance) reasons.push(reason('quality.too_small', eyeDistance, policy.minEyeDistance));
  if (Math.abs(pose.yaw) > policy.maxYaw) reasons.push(reason('quality.yaw', pose.yaw, policy.maxYaw));
  if (Math.abs(pose.pitch) > policy.maxPitch) reasons.push(reason('quality.pitch', pose.pitch, policy.maxPitch));
  if (Math.abs(pose.roll) > policy.maxRoll) reasons.push(reason('quality.roll', pose.roll, policy.maxRoll));
  if (sharpness < policy.minSharpness) reasons.push(reason('quality.blur', sharpness, policy.minSharpness));
  if (luma < policy.minLuma) reasons.push(reason('quality.too_dark', luma, policy.minLuma));
  if (luma > policy.maxLuma) reasons.push(reason('quality.too_bright', luma, policy.maxLuma));
  if (eyesOpen && Math.max(eyesOpen.left, eyesOpen.right) < policy.eyeOpenMin) {
    reasons.push(reason('quality.eyes_closed', Math.max(eyesOpen.left, eyesOpen.right), policy.eyeOpenMin));
  }
  if (occlusion > policy.maxOcclusion) reasons.push(reason('quality.occluded', occlusion, policy.maxOcclusion));
  const r: QualityReport = { eyeDistance, pose, sharpness, luma, occlusion, reasons };
  if (eyesOpen) r.eyesOpen = eyesOpen;
  return r;
}
