// The enrollment's active challenge (issue 12): random prompted actions judged on per-frame yaw
// and eye aspect ratio. Synthetic observation sequences with known answers.
import { describe, expect, it } from 'vitest';
import { CHALLENGE_RULES, evaluateChallenge, issueChallenge, type Challenge, type ChallengeObservation } from '../../src/face/challenge.js';

const OPEN = 0.3;
/** Observations at 5 fps from t0: each entry is [yaw, ear]. */
function seq(t0: number, values: readonly (readonly [number, number])[]): ChallengeObservation[] {
  return values.map(([yaw, ear], i) => ({ t: t0 + i * 200, yaw, ear }));
}
const frontal = (n: number): [number, number][] => Array.from({ length: n }, () => [0, OPEN]);
const turn = (sign: 1 | -1): [number, number][] => [[sign * 8, OPEN], [sign * 16, OPEN], [sign * 24, OPEN], [sign * 28, OPEN], [sign * 14, OPEN], [sign * 3, OPEN]];
const blink: [number, number][] = [[0, OPEN], [0, OPEN * 0.4], [0, OPEN * 0.2], [0, OPEN]];

const challenge = (steps: Challenge['steps']): Challenge => ({ steps, issuedAt: 1000, deadline: 1000 + CHALLENGE_RULES.timeMs });

describe('enrollment challenge', () => {
  it('issues two different steps at random (the random source decides)', () => {
    const seen = new Set<string>();
    for (let i = 0; i < 30; i++) {
      let k = i;
      const c = issueChallenge(0, () => ((k = (k * 7 + 3) % 10) / 10));
      expect(c.steps).toHaveLength(2);
      expect(c.steps[0]).not.toBe(c.steps[1]);
      expect(c.deadline).toBe(CHALLENGE_RULES.timeMs);
      seen.add(c.steps.join('+'));
    }
    expect(seen.size).toBeGreaterThan(3);
  });

  it('passes when the actions come in the prompted order: turn to the left (yaw > 0), back, then blink twice', () => {
    const c = challenge(['turn_left', 'blink_twice']);
    const obs = seq(1000, [...frontal(3), ...turn(1), ...frontal(2), ...blink, ...blink, ...frontal(1)]);
    expect(evaluateChallenge(c, obs.slice(0, 5), 1900)).toMatchObject({ state: 'pending', current: 'turn_left', steps: [{ done: false }, { done: false }] });
    expect(evaluateChallenge(c, obs.slice(0, 11), 3100)).toMatchObject({ state: 'pending', current: 'blink_twice', steps: [{ done: true }, { done: false }] });
    expect(evaluateChallenge(c, obs, 1000 + obs.length * 200)).toMatchObject({ state: 'passed', current: null });
  });

  it('a turn the other way fails at once (a recorded video cannot know which side is asked)', () => {
    const c = challenge(['turn_left', 'turn_right']);
    const p = evaluateChallenge(c, seq(1000, [...frontal(3), ...turn(-1), ...turn(1)]), 4000);
    expect(p.state).toBe('failed');
    expect(p.reason?.code).toBe('liveness.challenge_failed');
  });

  it('actions in the wrong order do not pass: blinks while a turn is asked do not count, a turn while blinks are asked fails', () => {
    const c = challenge(['turn_right', 'blink_twice']);
    // Blinks first (ignored), then the turn: the blink step is still pending afterwards.
    const p = evaluateChallenge(c, seq(1000, [...frontal(2), ...blink, ...blink, ...turn(-1), ...frontal(2)]), 5000);
    expect(p).toMatchObject({ state: 'pending', current: 'blink_twice' });
    const c2 = challenge(['blink_twice', 'turn_left']);
    expect(evaluateChallenge(c2, seq(1000, [...frontal(2), ...turn(1)]), 3000).reason?.code).toBe('liveness.challenge_failed');
  });

  it('a still face (a photo, or a video of someone not doing it) times out; frames before the prompt do not count', () => {
    const c = challenge(['blink_twice', 'turn_left']);
    const still = seq(1000, frontal(80));
    expect(evaluateChallenge(c, still, 10_000).state).toBe('pending');
    const late = evaluateChallenge(c, still, 1000 + CHALLENGE_RULES.timeMs + 1);
    expect(late.state).toBe('failed');
    expect(late.reason?.code).toBe('liveness.challenge_timeout');
    // The right actions, but recorded before the prompt was issued.
    const early = seq(0, [...blink, ...blink]).map((o) => ({ ...o, t: o.t - 5000 }));
    expect(evaluateChallenge(c, [...early, ...seq(1000, frontal(3))], 2000).state).toBe('pending');
  });

  it('one blink is not two; an eye that closes and stays closed is no blink', () => {
    const c = challenge(['blink_twice', 'turn_left']);
    expect(evaluateChallenge(c, seq(1000, [...frontal(3), ...blink, ...frontal(3)]), 4000)).toMatchObject({ state: 'pending', current: 'blink_twice' });
    const shut: [number, number][] = [[0, OPEN * 0.2], [0, OPEN * 0.2], [0, OPEN * 0.2]];
    expect(evaluateChallenge(c, seq(1000, [...frontal(5), ...shut, ...shut]), 4000)).toMatchObject({ state: 'pending', current: 'blink_twice' });
  });
});
