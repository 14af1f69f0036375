// Liveness as a fusion of separately reported signals over a short window of frames:
//  - cnn: the anti-spoof model's "live" probability (median over the window);
//  - planar_motion: a printed photo or a screen moves as a plane, so its landmarks in every
//    frame fit one homography of the first frame's landmarks; a real head turning shows
//    parallax (nose against cheeks and jaw) that a homography cannot explain;
//  - blink: the eye aspect ratio from the 68 landmarks dips and recovers;
//  - screen_cue: fine-scale energy of the face crop (moire/halftone), reported.
// The temporal rule: parallax passes; a planar-motion test that FAILS (the face moved enough and
// one homography explains all of it: a photo or a screen) refuses, whatever else is seen — a
// replayed video can show a blink; only an INCONCLUSIVE planar test (too little motion) may be
// rescued by a blink. A still face that neither blinks nor moves is refused. Each signal says
// pass / fail / inconclusive and whether the policy enforces it.
import { applyHomography, fitHomography, type Point } from './geometry.js';
import { reason, type FaceReason } from './reasons.js';

export interface LivenessFrame {
  /** Capture time in ms (monotonic). */
  t: number;
  landmarks: readonly Point[];
  livenessCnn: number;
  screenCue: number;
}

export type SignalName = 'cnn' | 'planar_motion' | 'blink' | 'screen_cue';

export interface LivenessSignal {
  name: SignalName;
  value: number;
  limit: number;
  verdict: 'pass' | 'fail' | 'inconclusive';
  enforced: boolean;
}

export interface LivenessPolicy {
  /** Shown in decisions and logs so a supervisor can see which policy refused. */
  name: string;
  minFrames: number;
  cnnMin: number;
  /** Homography residual (RMS, in interocular distances) at or above which 3-D parallax is accepted. */
  parallaxMin: number;
  /** Landmark motion (RMS displacement, interocular distances) above which a planar fit is conclusive. */
  motionMin: number;
  /** Eye aspect ratio dip, as a fraction of the window median, that counts as a closed eye. */
  blinkDip: number;
  screenCueMax: number;
  enforce: Record<SignalName, boolean>;
  /** Enrollment also requires the active challenge (challenge.ts): random prompted actions. */
  enrollmentChallenge: boolean;
}

export const GATE_LIVENESS: LivenessPolicy = {
  name: 'gate-default',
  minFrames: 6,
  cnnMin: 0.5,
  parallaxMin: 0.05,
  motionMin: 0.04,
  blinkDip: 0.7,
  screenCueMax: Number.POSITIVE_INFINITY,
  enforce: { cnn: true, planar_motion: true, blink: true, screen_cue: false },
  enrollmentChallenge: true,
};

export interface LivenessDecision {
  live: boolean;
  policy: string;
  signals: LivenessSignal[];
  reasons: FaceReason[];
}

function eyeDistance(p: readonly Point[]): number {
  const l = centre(p, 36, 41), r = centre(p, 42, 47);
  return Math.hypot(r[0] - l[0], r[1] - l[1]) || 1;
}

function centre(p: readonly Point[], from: number, to: number): Point {
  let x = 0, y = 0;
  for (let i = from; i <= to; i++) { x += (p[i] as Point)[0]; y += (p[i] as Point)[1]; }
  return [x / (to - from + 1), y / (to - from + 1)];
}

function dist(a: Point, b: Point): number {
  return Math.hypot(a[0] - b[0], a[1] - b[1]);
}

/** Eye aspect ratio (mean of both eyes) from 68 iBUG landmarks. */
export function eyeAspectRatio(p: readonly Point[]): number {
  const ear = (a: number): number => {
    const q = (i: number): Point => p[a + i] as Point;
    return (dist(q(1), q(5)) + dist(q(2), q(4))) / (2 * (dist(q(0), q(3)) || 1));
  };
  return (ear(36) + ear(42)) / 2;
}

/** Points used for the planar test: jaw line, nose ridge and tip, eye corners, mouth corners. */
const PLANAR_POINTS = [0, 2, 4, 8, 12, 14, 16, 27, 30, 31, 35, 36, 39, 42, 45, 48, 54];

/**
 * Largest homography residual and largest motion over the window, both RMS and in units of
 * the interocular distance of the reference frame.
 */
export function planarity(frames: readonly LivenessFrame[]): { residual: number; motion: number } {
  const ref = frames[0];
  if (!ref) return { residual: 0, motion: 0 };
  const pick = (f: LivenessFrame): Point[] => PLANAR_POINTS.map((i) => f.landmarks[i] as Point);
  const src = pick(ref);
  const unit = eyeDistance(ref.landmarks);
  let residual = 0, motion = 0;
  for (const f of frames.slice(1)) {
    const dst = pick(f);
    let m = 0;
    for (let i = 0; i < src.length; i++) m += dist(src[i] as Point, dst[i] as Point) ** 2;
    motion = Math.max(motion, Math.sqrt(m / src.length) / unit);
    const H = fitHomography(src, dst);
    if (!H) continue;
    let e = 0;
    for (let i = 0; i < src.length; i++) e += dist(applyHomography(H, src[i] as Point), dst[i] as Point) ** 2;
    // Residual relative to the frame's own scale, so zooming does not inflate it.
    residual = Math.max(residual, Math.sqrt(e / src.length) / eyeDistance(f.landmarks));
  }
  return { residual, motion };
}

/** Deepest dip of the eye aspect ratio below the window median, followed by a recovery. */
export function blinkDepth(frames: readonly LivenessFrame[]): number {
  const ears = frames.map((f) => eyeAspectRatio(f.landmarks));
  const sorted = [...ears].sort((a, b) => a - b);
  const median = sorted[Math.floor(sorted.length / 2)] ?? 0;
  if (median <= 0) return 1;
  let deepest = 1;
  for (let i = 1; i < ears.length - 1; i++) {
    const v = (ears[i] as number) / median;
    const recovered = ears.slice(i + 1).some((e) => e / median > 0.9);
    if (recovered && v < deepest) deepest = v;
  }
  return deepest;
}

/**
 * The temporal part of the decision (pure): 'ok', or which refusal. A failed planar test is
 * final (a blink cannot rescue it); an inconclusive one needs a blink; a pass needs nothing
 * more. With only one of the two signals enforced, that one decides alone.
 */
export function temporalDecision(policy: Pick<LivenessPolicy, 'enforce'>, planar: LivenessSignal['verdict'], blinked: boolean): 'ok' | 'planar' | 'no_blink' {
  const { planar_motion: usePlanar, blink: useBlink } = policy.enforce;
  if (usePlanar && planar === 'fail') return 'planar';
  if (usePlanar && planar === 'pass') return 'ok';
  if (useBlink) return blinked ? 'ok' : 'no_blink';
  return usePlanar ? 'planar' : 'ok';
}

export function assessLiveness(frames: readonly LivenessFrame[], policy: LivenessPolicy = GATE_LIVENESS): LivenessDecision {
  const signals: LivenessSignal[] = [];
  if (frames.length < policy.minFrames) {
    return { live: false, policy: policy.name, signals, reasons: [reason('liveness.insufficient_frames', frames.length, policy.minFrames)] };
  }
  const cnnValues = frames.map((f) => f.livenessCnn).sort((a, b) => a - b);
  const cnn = cnnValues[Math.floor(cnnValues.length / 2)] as number;
  signals.push({ name: 'cnn', value: cnn, limit: policy.cnnMin, verdict: cnn >= policy.cnnMin ? 'pass' : 'fail', enforced: policy.enforce.cnn });

  const { residual, motion } = planarity(frames);
  const planarVerdict = residual >= policy.parallaxMin ? 'pass' : motion >= policy.motionMin ? 'fail' : 'inconclusive';
  signals.push({ name: 'planar_motion', value: residual, limit: policy.parallaxMin, verdict: planarVerdict, enforced: policy.enforce.planar_motion });

  const dip = blinkDepth(frames);
  signals.push({ name: 'blink', value: dip, limit: policy.blinkDip, verdict: dip <= policy.blinkDip ? 'pass' : 'inconclusive', enforced: policy.enforce.blink });

  const screen = Math.max(...frames.map((f) => f.screenCue));
  signals.push({ name: 'screen_cue', value: screen, limit: policy.screenCueMax, verdict: screen <= policy.screenCueMax ? 'pass' : 'fail', enforced: policy.enforce.screen_cue });

  const reasons: FaceReason[] = [];
  if (policy.enforce.cnn && cnn < policy.cnnMin) reasons.push(reason('liveness.cnn', cnn, policy.cnnMin));
  const temporal = temporalDecision(policy, planarVerdict, dip <= policy.blinkDip);
  if (temporal === 'planar') reasons.push(reason('liveness.planar_motion', residual, policy.parallaxMin));
  else if (temporal === 'no_blink') reasons.push(reason('liveness.no_blink', dip, policy.blinkDip));
  if (policy.enforce.screen_cue && screen > policy.screenCueMax) reasons.push(reason('liveness.screen_cue', screen, policy.screenCueMax));
  return { live: reasons.length === 0, policy: policy.name, signals, reasons };
}

/**
 * Named liveness policies a configuration may select. `test-only:temporal-off` switches off
 * the temporal signals (planar motion, blink) and the enrollment challenge that a clip made from
 * a still photo cannot satisfy; it exists only so end-to-end tests can exercise the passing path, and the core
 * reports itself degraded while it is selected.
 */
export const LIVENESS_POLICIES: Readonly<Record<string, LivenessPolicy>> = {
  [GATE_LIVENESS.name]: GATE_LIVENESS,
  'test-only:temporal-off': {
    ...GATE_LIVENESS,
    name: 'test-only:temporal-off',
    enforce: { ...GATE_LIVENESS.enforce, planar_motion: false, blink: false },
    // A clip made from a still photo cannot answer a prompt either.
    enrollmentChallenge: false,
  },
};
