import { describe, expect, it } from 'vitest';
import { Gallery } from '../../src/face/gallery.js';

function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

function randomUnit(r: () => number, dim: number): Float32Array {
  const v = new Float32Array(dim);
  let n = 0;
  for (let i = 0; i < dim; i++) {
    // Sum of uniforms: roughly Gaussian, enough for random directions.
    const g = r() + r() + r() - 1.5;
    v[i] = g;
    n += g * g;
  }
  for (let i = 0; i < dim; i++) v[i] = (v[i] as number) / Math.sqrt(n);
  return v;
}

function noisy(r: () => number, v: Float32Array, amount: number): Float32Array {
  const noise = randomUnit(r, v.length);
  return v.map((x, i) => x + amount * (noise[i] as number));
}

function exactBest(vectors: Float32Array[], q: Float32Array): number {
  let best = -1, bestScore = -Infinity;
  const qn = Math.hypot(...q);
  vectors.forEach((v, idx) => {
    let s = 0;
    for (let i = 0; i < v.length; i++) s += (v[i] as number) * (q[i] as number);
    s /= qn;
    if (s > bestScore) { bestScore = s; best = idx; }
  });
  return best;
}

describe('1:N gallery', () => {
  it('finds the enrolled worker from a noisy probe and agrees with an exact brute-force search', async () => {
    const r = rng(7);
    const g = await Gallery.create(512, 16);
    const vectors = Array.from({ length: 2000 }, () => randomUnit(r, 512));
    g.add(vectors.map((vector, i) => ({ id: i + 1, workerId: 1000 + i, vector })));
    expect(g.size).toBe(2000);
    for (let t = 0; t < 20; t++) {
      const target = Math.floor(r() * 2000);
      const probe = noisy(r, vectors[target] as Float32Array, 0.8);
      const res = await g.search(probe, { threshold: 0.3, margin: 0.05 });
      expect(res.best?.workerId).toBe(1000 + exactBest(vectors, probe));
      expect(res.best?.workerId).toBe(1000 + target);
      expect(res.decision).toBe('match');
      expect(res.best?.score).toBeGreaterThan(0.5);
    }
  });

  it('returns no_match for a stranger below the threshold and never a best below it as a match', async () => {
    const r = rng(11);
    const g = await Gallery.create(512);
    g.add(Array.from({ length: 300 }, (_, i) => ({ id: i, workerId: i, vector: randomUnit(r, 512) })));
    const res = await g.search(randomUnit(r, 512), { threshold: 0.4, margin: 0.05 });
    expect(res.decision).toBe('no_match');
    expect(res.best?.score ?? 0).toBeLessThan(0.4);
  });

  it('reports ambiguous when two workers are within the margin', async () => {
    const r = rng(3);
    const base = randomUnit(r, 512);
    const g = await Gallery.create(512);
    g.add([
      { id: 1, workerId: 1, vector: noisy(r, base, 0.05) },
      { id: 2, workerId: 2, vector: noisy(r, base, 0.05) },
    ]);
    const res = await g.search(base, { threshold: 0.5, margin: 0.05 });
    expect(res.decision).toBe('ambiguous');
    expect(res.top.map((c) => c.workerId).sort()).toEqual([1, 2]);
  });

  it('keeps several templates per worker, returns each worker once, and supports live add/remove', async () => {
    const r = rng(5);
    const g = await Gallery.create(512, 16);
    const a = randomUnit(r, 512);
    g.add([
      { id: 10, workerId: 1, vector: noisy(r, a, 0.3) },
      { id: 11, workerId: 1, vector: noisy(r, a, 0.3) },
      { id: 12, workerId: 1, vector: noisy(r, a, 0.3) },
    ]);
    g.add(Array.from({ length: 40 }, (_, i) => ({ id: 100 + i, workerId: 100 + i, vector: randomUnit(r, 512) })));
    const res = await g.search(a, { threshold: 0.5, margin: 0.05, k: 5 });
    expect(res.decision).toBe('match');
    expect(res.best?.workerId).toBe(1);
    expect(res.top.filter((c) => c.workerId === 1)).toHaveLength(1);
    expect(g.workerCount).toBe(41);

    expect(g.removeTemplate(10)).toBe(true);
    expect(g.removeTemplate(10)).toBe(false);
    expect(g.removeWorker(1)).toBe(2);
    const after = await g.search(a, { threshold: 0.5, margin: 0.05 });
    expect(after.decision).toBe('no_match');
    expect(after.top.some((c) => c.workerId === 1)).toBe(false);
    // Freed columns are reused and the gallery grows past its initial capacity.
    g.add(Array.from({ length: 50 }, (_, i) => ({ id: 1000 + i, workerId: 2000 + i, vector: randomUnit(r, 512) })));
    expect(g.size).toBe(90);
    const v = randomUnit(r, 512);
    g.add([{ id: 5000, workerId: 77, vector: v }]);
    const back = await g.search(v, { threshold: 0.9, margin: 0.05 });
    expect(back.best).toMatchObject({ workerId: 77, templateId: 5000 });
    expect(back.best?.score).toBeCloseTo(1, 5);
    expect(g.verifyWorker(v, 77)?.score).toBeCloseTo(1, 5);
    expect(g.verifyWorker(v, 12345)).toBeNull();
  });

  it('rejects wrong dimensions with a RangeError and searches an empty gallery as no_match', async () => {
    const g = await Gallery.create(512);
    expect((await g.search(new Float32Array(512).fill(1), { threshold: 0.5, margin: 0.05 })).decision).toBe('no_match');
    expect(() => g.add([{ id: 1, workerId: 1, vector: new Float32Array(128) }])).toThrow(RangeError);
    await expect(g.search(new Float32Array(3), { threshold: 0.5, margin: 0.05 })).rejects.toThrow(RangeError);
    await expect(Gallery.create(510)).rejects.toThrow(RangeError);
  });

  it('grows a large gallery by an eighth, not by doubling, when one template joins after a snapshot start', async () => {
    const r = rng(77);
    const n = 50_000;
    const full = await Gallery.create(8, n);
    full.add(Array.from({ length: n }, (_, i) => ({ id: i + 1, workerId: i + 1, vector: randomUnit(r, 8) })));
    const restored = await Gallery.create(8, 16);
    restored.restore(full.snapshot(), { adopt: true });
    expect(restored.capacity).toBe(n); // no spare slot after a snapshot start
    const probe = randomUnit(r, 8);
    restored.add([{ id: n + 1, workerId: n + 1, vector: probe }]);
    expect(restored.capacity).toBe(n + n / 8);
    expect(restored.size).toBe(n + 1);
    expect((await restored.search(probe, { threshold: 0.99, margin: 0 })).best?.workerId).toBe(n + 1);
    full.close();
    restored.close();
  });
});
