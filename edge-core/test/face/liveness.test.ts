import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createFaceEngine, type FaceEngine } from '../../src/face/engine.js';
import { GATE_LIVENESS, assessLiveness, blinkDepth, eyeAspectRatio, planarity, temporalDecision, type LivenessFrame, type LivenessPolicy } from '../../src/face/liveness.js';
import type { Point } from '../../src/face/geometry.js';
import { FIXTURES, MODELS_DIR } from './helpers.js';

/**
 * Test-only policy: switches off the temporal signals (planar motion and blink) that a clip
 * made from a still image cannot satisfy, to exercise the passing path end to end. Never a
 * production policy; the same clip is refused under GATE_LIVENESS below.
 */
const TEST_ONLY_TEMPORAL_OFF: LivenessPolicy = {
  ...GATE_LIVENESS,
  name: 'test-only:temporal-off',
  enforce: { ...GATE_LIVENESS.enforce, planar_motion: false, blink: false },
};

let engine: FaceEngine;
let clipDir: string;
let frames: LivenessFrame[];

beforeAll(async () => {
  engine = await createFaceEngine({ modelsDir: MODELS_DIR });
  clipDir = mkdtempSync(join(tmpdir(), 'sitegate-replay-'));
  // A replay by construction: one still photo zoomed, panned and rotated over 10 frames at 15 fps.
  execFileSync('ffmpeg', [
    '-loglevel', 'error', '-loop', '1', '-i', join(FIXTURES, 'astronaut.jpg'),
    '-vf', "scale=1024:1024,zoompan=z='1.6+0.02*on':x='iw/2-(iw/zoom/2)+on*4':y='ih/4-(ih/zoom/4)':d=1:s=640x480:fps=15,rotate='0.03*sin(n/2)'",
    '-frames:v', '10', '-q:v', '3', join(clipDir, 'f%02d.jpg'),
  ]);
  frames = [];
  for (const [i, f] of readdirSync(clipDir).sort().entries()) {
    const a = await engine.analyze(readFileSync(join(clipDir, f)));
    if (!a.face) throw new Error(`no face in replay frame ${f}`);
    frames.push({ t: i * 66, landmarks: a.face.landmarks, livenessCnn: a.face.livenessCnn, screenCue: a.face.screenCue });
  }
}, 60_000);

afterAll(() => rmSync(clipDir, { recursive: true, force: true }));

describe('liveness fusion', () => {
  it('refuses a zoom/pan/rotate clip made from a still photo as 照片/屏幕翻拍 (planar motion)', () => {
    expect(frames).toHaveLength(10);
    const d = assessLiveness(frames, GATE_LIVENESS);
    expect(d.live).toBe(false);
    expect(d.reasons.map((r) => r.code)).toEqual(['liveness.planar_motion']);
    expect(d.reasons[0]?.message.zh).toBe('照片/屏幕翻拍');
    const planar = d.signals.find((s) => s.name === 'planar_motion');
    expect(planar?.verdict).toBe('fail');
    // The clip really moved (so the planar fit is conclusive), yet one homography explains it.
    const p = planarity(frames);
    expect(p.motion).toBeGreaterThan(GATE_LIVENESS.motionMin);
    expect(p.residual).toBeLessThan(GATE_LIVENESS.parallaxMin);
    expect(d.signals.map((s) => s.name)).toEqual(['cnn', 'planar_motion', 'blink', 'screen_cue']);
  });

  it('passes the same clip only under the named test policy with the temporal signals off', () => {
    const d = assessLiveness(frames, TEST_ONLY_TEMPORAL_OFF);
    expect(d.policy).toBe('test-only:temporal-off');
    expect(d.live).toBe(true);
    expect(d.signals.find((s) => s.name === 'planar_motion')?.enforced).toBe(false);
    expect(d.signals.find((s) => s.name === 'cnn')?.verdict).toBe('pass');
  });

  it('refuses a still face (no movement, no blink) as no_blink and too few frames as insufficient', () => {
    const still = Array.from({ length: 8 }, (_, i) => ({ ...(frames[0] as LivenessFrame), t: i * 66 }));
    const d = assessLiveness(still);
    expect(d.live).toBe(false);
    expect(d.reasons.map((r) => r.code)).toEqual(['liveness.no_blink']);
    expect(assessLiveness(frames.slice(0, 3)).reasons.map((r) => r.code)).toEqual(['liveness.insufficient_frames']);
  });

  it('refuses when the CNN says spoof, naming the cnn signal', () => {
    const spoofed = frames.map((f) => ({ ...f, livenessCnn: 0.1 }));
    const d = assessLiveness(spoofed, TEST_ONLY_TEMPORAL_OFF);
    expect(d.reasons.map((r) => r.code)).toEqual(['liveness.cnn']);
  });
});

describe('liveness geometry on synthetic landmarks', () => {
  /** Lifts 2-D landmarks to 3-D with a face-like depth (nose forward, jaw back) and turns the head. */
  function turned(base: readonly Point[], yawDeg: number): Point[] {
    const cx = base.reduce((s, p) => s + p[0], 0) / base.length;
    const a = (yawDeg * Math.PI) / 180;
    const ed = Math.hypot((base[45] as Point)[0] - (base[36] as Point)[0], (base[45] as Point)[1] - (base[36] as Point)[1]);
    return base.map((p, i) => {
      const depth = (i >= 27 && i <= 35 ? 0.6 : i <= 16 ? -0.5 : 0) * ed;
      const x = p[0] - cx;
      return [cx + x * Math.cos(a) + depth * Math.sin(a), p[1]] as Point;
    });
  }

  it('a synthetic 3-D head turn of 12 degrees shows parallax that no homography explains; a planar turn does not', () => {
    const base = frames[0]?.landmarks as Point[];
    const head = [0, 3, 6, 9, 12, 15, 12, 9].map((yaw, i) => ({ t: i * 66, landmarks: turned(base, yaw), livenessCnn: 0.9, screenCue: 0 }));
    const p = planarity(head);
    expect(p.residual).toBeGreaterThan(GATE_LIVENESS.parallaxMin);
    expect(assessLiveness(head).live).toBe(true);
    const photo = [0, 3, 6, 9, 12, 15, 12, 9].map((yaw, i) => ({
      t: i * 66,
      landmarks: base.map((pt) => {
        const cx = base.reduce((s, q) => s + q[0], 0) / base.length;
        const a = (yaw * Math.PI) / 180;
        return [cx + (pt[0] - cx) * Math.cos(a), pt[1]] as Point;
      }),
      livenessCnn: 0.9,
      screenCue: 0,
    }));
    expect(planarity(photo).residual).toBeLessThan(1e-6);
  });

  it('detects a blink as a dip of the eye aspect ratio that recovers', () => {
    const base = frames[0]?.landmarks as Point[];
    // Each upper-lid point and the lower-lid point it faces (iBUG 37/41, 38/40, 43/47, 44/46)
    // move towards their midpoint: at k = 0 the lids meet.
    const partner: Record<number, number> = { 37: 41, 41: 37, 38: 40, 40: 38, 43: 47, 47: 43, 44: 46, 46: 44 };
    const closeEyes = (k: number): Point[] =>
      base.map((p, i) => {
        const j = partner[i];
        if (j === undefined) return p;
        const q = base[j] as Point;
        const mx = (p[0] + q[0]) / 2, my = (p[1] + q[1]) / 2;
        return [mx + (p[0] - mx) * k, my + (p[1] - my) * k] as Point;
      });
    const ks = [1, 1, 1, 0.2, 0.1, 0.6, 1, 1];
    const seq = ks.map((k, i) => ({ t: i * 66, landmarks: closeEyes(k), livenessCnn: 0.9, screenCue: 0 }));
    expect(eyeAspectRatio(closeEyes(0.1))).toBeLessThan(eyeAspectRatio(base) * 0.25);
    expect(blinkDepth(seq)).toBeLessThan(0.3);
    const d = assessLiveness(seq);
    expect(d.signals.find((s) => s.name === 'blink')?.verdict).toBe('pass');
    expect(d.live).toBe(true);
    // Eyes that close and stay closed are not a blink.
    const shut = [1, 1, 1, 0.1, 0.1, 0.1, 0.1, 0.1].map((k, i) => ({ t: i * 66, landmarks: closeEyes(k), livenessCnn: 0.9, screenCue: 0 }));
    expect(blinkDepth(shut)).toBeGreaterThan(0.9);
  });

  it('fusion rule: a failed planar test is final; only an inconclusive one may be rescued by a blink', () => {
    const both = { enforce: GATE_LIVENESS.enforce };
    expect(temporalDecision(both, 'fail', true)).toBe('planar');
    expect(temporalDecision(both, 'fail', false)).toBe('planar');
    expect(temporalDecision(both, 'pass', false)).toBe('ok');
    expect(temporalDecision(both, 'inconclusive', true)).toBe('ok');
    expect(temporalDecision(both, 'inconclusive', false)).toBe('no_blink');
    const off = { enforce: { ...GATE_LIVENESS.enforce, planar_motion: false, blink: false } };
    expect(temporalDecision(off, 'fail', false)).toBe('ok');
  });
});

describe('video replay: a blink does not rescue a planar replay (issue 12)', () => {
  /** Closes both eyes by k (0 = shut) in one frame's own landmarks, lids meeting at their midpoints. */
  function blinkIn(p: readonly Point[], k: number): Point[] {
    const partner: Record<number, number> = { 37: 41, 41: 37, 38: 40, 40: 38, 43: 47, 47: 43, 44: 46, 46: 44 };
    return p.map((pt, i) => {
      const j = partner[i];
      if (j === undefined) return pt;
      const q = p[j] as Point;
      const mx = (pt[0] + q[0]) / 2, my = (pt[1] + q[1]) / 2;
      return [mx + (pt[0] - mx) * k, my + (pt[1] - my) * k] as Point;
    });
  }

  it('a moving photo/screen replay that blinks (a replayed blinking video) is refused as 照片/屏幕翻拍', () => {
    // The zoom/pan/rotate replay of the still photo, with a blink in frames 4-5: what a phone
    // replaying a blinking video shows when the phone moves.
    const ks = [1, 1, 1, 1, 0.15, 0.3, 1, 1, 1, 1];
    const replay = frames.map((f, i) => ({ ...f, landmarks: blinkIn(f.landmarks, ks[i] ?? 1) }));
    const d = assessLiveness(replay, GATE_LIVENESS);
    expect(d.signals.find((s) => s.name === 'blink')?.verdict).toBe('pass');
    expect(d.signals.find((s) => s.name === 'planar_motion')?.verdict).toBe('fail');
    expect(d.live).toBe(false);
    expect(d.reasons.map((r) => r.code)).toEqual(['liveness.planar_motion']);
  });

  it('a face held still (planar test inconclusive) that blinks passes', () => {
    const ks = [1, 1, 1, 0.15, 0.3, 1, 1, 1];
    const still = ks.map((k, i) => ({ ...(frames[0] as LivenessFrame), t: i * 66, landmarks: blinkIn((frames[0] as LivenessFrame).landmarks, k) }));
    const d = assessLiveness(still, GATE_LIVENESS);
    expect(d.signals.find((s) => s.name === 'planar_motion')?.verdict).toBe('inconclusive');
    expect(d.signals.find((s) => s.name === 'blink')?.verdict).toBe('pass');
    expect(d.live).toBe(true);
  });
});

