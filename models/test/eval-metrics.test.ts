import { describe, expect, it } from 'vitest';
import { equalErrorRate, nextUp, padMetrics, rocPoints, tarAtFar } from '../tools/roc.js';

describe('ROC, TAR@FAR and EER on synthetic score lists with known answers', () => {
  const genuine = [0.9, 0.8, 0.7, 0.6];
  const impostor = [0.65, 0.5, 0.4, 0.3];

  it('ROC points go from (0,0) to (1,1) with the exact rates at each distinct score', () => {
    const roc = rocPoints(genuine, impostor);
    expect(roc).toHaveLength(9);
    expect(roc[0]).toMatchObject({ tar: 0, far: 0 });
    expect(roc[0]?.threshold).toBeGreaterThan(0.9);
    expect(roc.find((p) => p.threshold === 0.65)).toEqual({ threshold: 0.65, tar: 0.75, far: 0.25 });
    expect(roc.find((p) => p.threshold === 0.6)).toEqual({ threshold: 0.6, tar: 1, far: 0.25 });
    expect(roc.at(-1)).toEqual({ threshold: 0.3, tar: 1, far: 1 });
    for (let i = 1; i < roc.length; i++) {
      expect(roc[i]!.far).toBeGreaterThanOrEqual(roc[i - 1]!.far);
      expect(roc[i]!.tar).toBeGreaterThanOrEqual(roc[i - 1]!.tar);
    }
  });

  it('EER is 0.25 where one genuine and one impostor cross, 0 when the lists are separated', () => {
    expect(equalErrorRate(genuine, impostor).eer).toBeCloseTo(0.25, 12);
    const sep = equalErrorRate([0.9, 0.8], [0.1, 0.2]);
    expect(sep.eer).toBe(0);
    expect(sep.threshold).toBeGreaterThan(0.2);
    expect(sep.threshold).toBeLessThanOrEqual(0.8);
    expect(equalErrorRate([0.1, 0.2], [0.8, 0.9]).eer).toBe(1);
  });

  it('TAR@FAR=1e-2 over 100 impostors allows exactly one false accept and picks the threshold just above the second-highest impostor', () => {
    const imp = Array.from({ length: 100 }, (_, i) => i / 100); // 0.00 .. 0.99
    const gen = [0.985, 0.99, 0.995, 0.5, 0.2];
    const r = tarAtFar(gen, imp, 1e-2);
    expect(r.measurable).toBe(true);
    if (!r.measurable) return;
    expect(r.threshold).toBe(nextUp(0.98));
    expect(r.falseAccepts).toBe(1);
    expect(r.farAchieved).toBe(0.01);
    expect(r.tar).toBeCloseTo(3 / 5, 12);
  });

  it('TAR@FAR with ties at the cut rejects every tied impostor (achieved FAR below target)', () => {
    const imp = [...Array.from({ length: 98 }, () => 0.1), 0.7, 0.7];
    const r = tarAtFar([0.69, 0.71, 0.9], imp, 1e-2);
    expect(r.measurable && r.falseAccepts).toBe(0);
    expect(r.measurable && r.tar).toBeCloseTo(2 / 3, 12);
  });

  it('says "not measurable" when there are fewer impostor pairs than 1/FAR', () => {
    const imp = Array.from({ length: 999 }, (_, i) => i / 1000);
    const r3 = tarAtFar([0.5], imp, 1e-3);
    expect(r3.measurable).toBe(false);
    expect(!r3.measurable && r3.reason).toMatch(/not measurable: 999 impostor pairs, need at least 1000/);
    expect(tarAtFar([0.5], imp, 1e-2).measurable).toBe(true);
    expect(tarAtFar([0.5], [...imp, 0.5], 1e-3).measurable).toBe(true);
    expect(tarAtFar([0.5], imp, 1e-4).measurable).toBe(false);
  });

  it('rejects NaN scores and empty lists instead of printing NaN rates', () => {
    expect(() => rocPoints([0.5, NaN], [0.1])).toThrow(/genuine\[1\]/);
    expect(() => equalErrorRate([], [0.1])).toThrow(RangeError);
    expect(() => tarAtFar([0.5], [0.1], 0)).toThrow(RangeError);
  });
});

describe('APCER/BPCER (ISO/IEC 30107-3 style)', () => {
  const live = (n: number, accepted: number) => Array.from({ length: n }, (_, i) => ({ acceptedAsLive: i < accepted }));

  it('BPCER is rejected bona fide over bona fide; APCER is the worst attack species', () => {
    const m = padMetrics(live(10, 8), { print: live(4, 1), screen: live(5, 0) });
    expect(m.bpcer).toBeCloseTo(0.2, 12);
    expect(m.bonaFide).toEqual({ rejected: 2, total: 10 });
    expect(m.apcerBySpecies['print']).toEqual({ apcer: 0.25, accepted: 1, total: 4 });
    expect(m.apcerBySpecies['screen']).toEqual({ apcer: 0, accepted: 0, total: 5 });
    expect(m.apcer).toBe(0.25);
  });

  it('reports NaN (not 0) when a side has no presentations', () => {
    const m = padMetrics([], {});
    expect(m.apcer).toBeNaN();
    expect(m.bpcer).toBeNaN();
  });
});
