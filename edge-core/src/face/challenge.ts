// Active liveness challenge for enrollment (issue 12): the core picks a random sequence of two
// different actions when the capture session opens — turn the head to the left, to the right,
// blink twice — and the live frames must show them in that order before the deadline. A recorded
// video cannot know the prompt in advance: a wrong action (a turn the other way, a turn during
// the blinks) fails the challenge, so a replay that happens to contain every action still fails
// unless they come in the prompted order. Pure functions over per-frame observations (yaw from
// the engine's pose, eye aspect ratio from the landmarks); time comes from the caller.
import type { Bilingual } from '../domain/bilingual.js';
import { reason, type FaceReason } from './reasons.js';

export type ChallengeStep = 'turn_left' | 'turn_right' | 'blink_twice';

export const CHALLENGE_STEPS: readonly ChallengeStep[] = ['turn_left', 'turn_right', 'blink_twice'];

/** What the kiosk shows; "left" is the person's own left (the camera image is not mirrored). */
export const CHALLENGE_PROMPTS: Readonly<Record<ChallengeStep, Bilingual>> = {
  turn_left: { zh: '请向左转头，再转回正面', en: 'Turn your head to your left, then back' },
  turn_right: { zh: '请向右转头，再转回正面', en: 'Turn your head to your right, then back' },
  blink_twice: { zh: '请眨眼两次', en: 'Blink twice' },
};

export interface Challenge {
  steps: ChallengeStep[];
  /** Time (ms, the caller's clock) the prompt was issued; earlier frames do not count. */
  issuedAt: number;
  /** Time by which every step must be done. */
  deadline: number;
}

export interface ChallengeObservation {
  t: number;
  /** Degrees; > 0 when the nose points to the image right, i.e. the person turned to their own left. */
  yaw: number;
  /** Eye aspect ratio (mean of both eyes). */
  ear: number;
}

export interface ChallengeRules {
  /** |yaw| reached for a turn (degrees). */
  turnMin: number;
  /** |yaw| below which the head counts as frontal again (degrees). */
  frontalMax: number;
  /** Eye aspect ratio below this fraction of the frontal median counts as closed. */
  closedBelow: number;
  /** ... and above this fraction as open again. */
  openAbove: number;
  /** Time allowed for all steps (ms). */
  timeMs: number;
}

export const CHALLENGE_RULES: ChallengeRules = { turnMin: 18, frontalMax: 10, closedBelow: 0.7, openAbove: 0.9, timeMs: 15_000 };

export interface ChallengeProgress {
  state: 'pending' | 'passed' | 'failed';
  steps: { step: ChallengeStep; done: boolean }[];
  /** The step to prompt now (null once passed or failed). */
  current: ChallengeStep | null;
  remainingMs: number;
  reason?: FaceReason;
}

/** Two different steps in random order; `random` returns [0, 1) (injectable for tests). */
export function issueChallenge(now: number, random: () => number = Math.random, rules: ChallengeRules = CHALLENGE_RULES): Challenge {
  const pool = [...CHALLENGE_STEPS];
  const steps: ChallengeStep[] = [];
  for (let i = 0; i < 2; i++) steps.push(pool.splice(Math.min(pool.length - 1, Math.floor(random() * pool.length)), 1)[0] as ChallengeStep);
  return { steps, issuedAt: now, deadline: now + rules.timeMs };
}

function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? (s[s.length >> 1] as number) : 0;
}

/** Which way a frame is turned: 'left' (person's left, yaw > 0), 'right', 'front' or between. */
function turnOf(yaw: number, r: ChallengeRules): 'left' | 'right' | 'front' | 'between' {
  if (yaw >= r.turnMin) return 'left';
  if (yaw <= -r.turnMin) return 'right';
  return Math.abs(yaw) <= r.frontalMax ? 'front' : 'between';
}

export function evaluateChallenge(c: Challenge, observations: readonly ChallengeObservation[], now: number, rules: ChallengeRules = CHALLENGE_RULES): ChallengeProgress {
  const obs = observations.filter((o) => o.t >= c.issuedAt).sort((a, b) => a.t - b.t);
  // Eyes are judged against their own open, frontal state in this session.
  const openEar = median(obs.filter((o) => Math.abs(o.yaw) <= rules.frontalMax).map((o) => o.ear));
  let step = 0;
  // Per step: a turn needs a frontal start, the turn, and a frontal return; blinks are counted as
  // closed-then-open transitions.
  let startedFrontal = false, turned = false, closed = false, blinks = 0;
  let failure: FaceReason | undefined;
  const done = (): void => {
    step++;
    startedFrontal = turned = closed = false;
    blinks = 0;
  };
  for (const o of obs) {
    if (step >= c.steps.length || failure) break;
    if (o.t > c.deadline) break;
    const want = c.steps[step] as ChallengeStep;
    const turn = turnOf(o.yaw, rules);
    if (want === 'blink_twice') {
      if (turn === 'left' || turn === 'right') { failure = reason('liveness.challenge_failed'); break; }
      if (openEar <= 0 || turn !== 'front') continue;
      if (!closed && o.ear < rules.closedBelow * openEar) closed = true;
      else if (closed && o.ear > rules.openAbove * openEar) {
        closed = false;
        if (++blinks >= 2) done();
      }
      continue;
    }
    const side = want === 'turn_left' ? 'left' : 'right';
    const other = want === 'turn_left' ? 'right' : 'left';
    if (turn === other) { failure = reason('liveness.challenge_failed'); break; }
    if (!startedFrontal) { if (turn === 'front') startedFrontal = true; continue; }
    if (!turned) { if (turn === side) turned = true; continue; }
    if (turn === 'front') done();
  }
  const steps = c.steps.map((s, i) => ({ step: s, done: i < step }));
  const remainingMs = Math.max(0, c.deadline - now);
  if (failure) return { state: 'failed', steps, current: null, remainingMs, reason: failure };
  if (step >= c.steps.length) return { state: 'passed', steps, current: null, remainingMs };
  if (now > c.deadline) return { state: 'failed', steps, current: null, remainingMs: 0, reason: reason('liveness.challenge_timeout', (now - c.issuedAt) / 1000, rules.timeMs / 1000) };
  return { state: 'pending', steps, current: c.steps[step] as ChallengeStep, remainingMs };
}
