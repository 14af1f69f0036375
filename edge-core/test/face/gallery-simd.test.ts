// The WebAssembly SIMD search: the kernel's integer dot products are exact, and the gallery's
// top-k equals an exhaustive Float32 search (same workers, same scores) on random, clustered
// and near-duplicate galleries, at 512 and 192 dimensions, across live adds and removals.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Gallery, type SearchOptions, type SearchResult } from '../../src/face/gallery.js';
import { decodeSnapshot, encodeSnapshot } from '../../src/face/gallery-loader.js';
import { Int8Rows, queryCodeLimit, scanKernelBytes, simdAvailable } from '../../src/face/simd/int8-dot.js';
import { sleb, uleb } from '../../src/face/simd/wasm-bytes.js';
import { wasm } from '../../src/face/simd/wasm-api.js';

function rng(seed: number): () => number {
  let s = seed >>> 0 || 1;
  return () => ((s = (s * 1664525 + 1013904223) >>> 0) / 2 ** 32);
}

function gaussian(r: () => number): number {
  return r() + r() + r() + r() - 2;
}

function randomVec(r: () => number, dim: number): Float32Array {
  return Float32Array.from({ length: dim }, () => gaussian(r));
}

/** Float32 unit vector computed the way the gallery stores a row. */
function asStored(v: Float32Array): Float32Array {
  let n2 = 0;
  for (let k = 0; k < v.length; k++) n2 += (v[k] as number) ** 2;
  const inv = n2 > 0 ? 1 / Math.sqrt(n2) : 0;
  return v.map((x) => x * inv);
}

type Model = Map<number, { workerId: number; row: Float32Array }>;

/** Exhaustive search over the model: best template per worker, top k workers by score. */
function naive(model: Model, query: Float32Array, opts: SearchOptions): SearchResult {
  const q = asStored(query);
  const perWorker = new Map<number, { workerId: number; templateId: number; score: number }>();
  for (const [templateId, { workerId, row }] of model) {
    let s = 0;
    for (let k = 0; k < row.length; k++) s += (row[k] as number) * (q[k] as number);
    const prev = perWorker.get(workerId);
    if (!prev || s > prev.score) perWorker.set(workerId, { workerId, templateId, score: s });
  }
  const top = [...perWorker.values()].sort((a, b) => b.score - a.score).slice(0, opts.k ?? 5);
  const [best, second] = top;
  let decision: SearchResult['decision'] = 'no_match';
  if (best && best.score >= opts.threshold) decision = second && best.score - second.score < opts.margin ? 'ambiguous' : 'match';
  return { decision, top, ...(best ? { best } : {}), ...(second ? { second } : {}) };
}

/** Same workers in the same order with the same scores; an order swap is allowed only between near-equal scores. */
function expectSameTop(got: SearchResult, want: SearchResult): void {
  expect(got.top.length).toBe(want.top.length);
  got.top.forEach((c, i) => {
    const w = want.top[i];
    expect(w).toBeDefined();
    expect(c.score).toBeCloseTo(w?.score ?? NaN, 9);
    if (c.workerId !== w?.workerId) {
      const other = want.top.find((x) => x.workerId === c.workerId);
      expect(Math.abs((other?.score ?? -9) - c.score)).toBeLessThan(1e-9);
    }
  });
  const gap = (r: SearchResult) => (r.best && r.second ? r.best.score - r.second.score : Infinity);
  // The decision can only differ when a score sits on the threshold or the gap on the margin.
  if (got.decision !== want.decision) expect(Math.min(Math.abs((want.best?.score ?? 0) - 0.5), Math.abs(gap(want) - 0.05))).toBeLessThan(1e-9);
}

type Kind = 'random' | 'clustered' | 'near-duplicates';

/** Builds templates: random directions, a few tight clusters, or everything near one direction. */
function templates(r: () => number, dim: number, workers: number, perWorker: number, kind: Kind): { id: number; workerId: number; vector: Float32Array }[] {
  const centres = Array.from({ length: 6 }, () => randomVec(r, dim));
  const out: { id: number; workerId: number; vector: Float32Array }[] = [];
  let id = 1;
  for (let w = 0; w < workers; w++) {
    const own = randomVec(r, dim);
    for (let t = 0; t < perWorker; t++) {
      let v: Float32Array;
      if (kind === 'random') v = randomVec(r, dim);
      else {
        const c = kind === 'near-duplicates' ? (centres[0] as Float32Array) : (centres[w % centres.length] as Float32Array);
        const spread = kind === 'near-duplicates' ? 0.02 : 0.25;
        v = c.map((x, k) => x + spread * ((own[k] as number) + 0.5 * gaussian(r)));
      }
      out.push({ id: id++, workerId: 1000 + w, vector: v });
    }
  }
  return out;
}

describe('WebAssembly SIMD int8 kernel', () => {
  it('is available on this runtime and encodes LEB128 as the format says', () => {
    expect(simdAvailable()).toBe(true);
    expect(uleb(0)).toEqual([0]);
    expect(uleb(624485)).toEqual([0xe5, 0x8e, 0x26]);
    expect(sleb(-1)).toEqual([0x7f]);
    expect(sleb(-123456)).toEqual([0xc0, 0xbb, 0x78]);
    expect(sleb(64)).toEqual([0xc0, 0x00]);
    expect(() => scanKernelBytes({ stride: 24, rowsPerStep: 1 })).toThrow(RangeError);
    expect(wasm.validate(scanKernelBytes({ stride: 512, rowsPerStep: 4, chunksPerIteration: 2, widenOnLoad: false }))).toBe(true);
  });

  it('computes exact integer dot products, then the bound, for any dimension, row count and kernel shape (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 600 }),
        fc.integer({ min: 1, max: 40 }),
        fc.constantFrom(1, 2, 4),
        fc.boolean(),
        fc.integer(),
        fc.boolean(),
        (dim, n, rowsPerStep, widenOnLoad, seed, extremes) => {
          const r = rng(seed);
          const chunks = Math.ceil(dim / 16);
          const rows = new Int8Rows(dim, 3, { rowsPerStep, chunksPerIteration: chunks % 2 === 0 ? 2 : 1, widenOnLoad });
          rows.ensure(n); // grows past the first capacity
          const codes = new Int8Array(n * dim).map(() => (extremes ? (r() < 0.5 ? -127 : 127) : Math.round(r() * 254) - 127));
          const limit = queryCodeLimit(rows.stride);
          const q = new Int16Array(dim).map(() => (extremes ? (r() < 0.5 ? -limit : limit) : Math.round(r() * 2 * limit) - limit));
          const dots = Array.from({ length: n }, (_, i) => {
            let want = 0;
            for (let k = 0; k < dim; k++) want += (codes[i * dim + k] as number) * (q[k] as number);
            return want;
          });
          expect(Math.max(...dots.map(Math.abs))).toBeLessThan(2 ** 31);
          // Unit scale and no error: the bound is the integer dot product itself (as float32).
          rows.setRows(n, codes, new Float32Array(n).fill(1), new Float32Array(n));
          const exact = rows.scan(q, n, 1, 0, 0);
          dots.forEach((d, i) => expect(exact[i]).toBe(Math.fround(d)));
          // Real scales and errors: dot * scale * qScale + err * a + b.
          const scales = new Float32Array(n).map(() => r() / 100);
          const errors = new Float32Array(n).map(() => r() / 50);
          rows.setRows(n, codes, scales, errors);
          const bound = rows.scan(q, n, 1e-5, 1.01, 0.003);
          dots.forEach((d, i) => {
            const want = d * (scales[i] as number) * 1e-5 + (errors[i] as number) * 1.01 + 0.003;
            expect(Math.abs((bound[i] as number) - want)).toBeLessThan(1e-6 * (1 + Math.abs(want)));
          });
        },
      ),
      { numRuns: 60 },
    );
  });

  it('keeps its rows when it grows, and a cleared or never written row has a bound of -Infinity', () => {
    const rows = new Int8Rows(192, 4);
    rows.setRow(2, new Int8Array(192).fill(3), 0.5, 0.25);
    rows.ensure(10_000);
    const q = new Int16Array(192).fill(2);
    let b = rows.scan(q, 5, 1, 1, 0);
    expect(b[2]).toBe(192 * 6 * 0.5 + 0.25);
    expect(b[4]).toBe(-Infinity);
    rows.clearRow(2);
    b = rows.scan(q, 5, 1, 1, 0);
    expect(b[2]).toBe(-Infinity);
    expect(() => rows.setRow(rows.rowCapacity, new Int8Array(192), 1, 0)).toThrow(RangeError);
  });
});

describe('two-thread scan', () => {
  it('gives bit-identical bounds with a helper thread, across row changes and growth', async () => {
    const dim = 192, n = 12_000;
    const r = rng(77);
    const codes = new Int8Array(n * dim).map(() => Math.round(r() * 254) - 127);
    const scales = new Float32Array(n).map(() => r() / 100);
    const errors = new Float32Array(n).map(() => r() / 50);
    const one = new Int8Rows(dim, n, { threads: 1 });
    const two = new Int8Rows(dim, n, { threads: 2 });
    one.setRows(n, codes, scales, errors);
    two.setRows(n, codes, scales, errors);
    const q = new Int16Array(dim).map(() => Math.round(r() * 2000) - 1000);
    two.scan(q, n, 1e-4, 1, 0); // starts the helper
    for (let i = 0; i < 200 && !two.parallel; i++) await new Promise((res) => setTimeout(res, 10));
    expect(two.parallel).toBe(true);
    const same = (rows: number) => expect(Array.from(two.scan(q, rows, 1e-4, 1.5, 0.01))).toEqual(Array.from(one.scan(q, rows, 1e-4, 1.5, 0.01)));
    for (let i = 0; i < 20; i++) same(n);
    for (const t of [one, two]) {
      t.setRow(5, new Int8Array(dim).fill(1), 0.5, 0.1);
      t.clearRow(9_000);
      t.ensure(40_000);
      t.setRow(30_000, new Int8Array(dim).fill(-2), 0.25, 0);
    }
    same(30_001);
    expect(two.scan(q, 30_001, 1, 1, 0)[9_000]).toBe(-Infinity);
    two.close();
    expect(two.parallel).toBe(false);
    same(30_001); // back to the calling thread only
  });

  it('a 20,000-template gallery (parallel scan) still equals the exhaustive search', async () => {
    const r = rng(4242);
    const dim = 192;
    const list = templates(r, dim, 10_000, 2, 'clustered');
    const g = await Gallery.create(dim);
    g.add(list);
    const model: Model = new Map(list.map((t) => [t.id, { workerId: t.workerId, row: asStored(t.vector) }]));
    await g.search(randomVec(r, dim), { threshold: 0.5, margin: 0.05 }); // starts the helper
    await new Promise((res) => setTimeout(res, 200));
    for (let i = 0; i < 8; i++) {
      const pick = list[Math.floor(r() * list.length)] as { vector: Float32Array };
      const q = i % 2 ? randomVec(r, dim) : pick.vector.map((x) => x + 0.3 * gaussian(r));
      const opts = { threshold: 0.5, margin: 0.05, k: 5 };
      expectSameTop(await g.search(q, opts), naive(model, q, opts));
    }
  });
});

describe('gallery search equals an exhaustive float search', () => {
  for (const dim of [512, 192]) {
    it(`top-k workers and scores match at ${dim} dimensions on random, clustered and near-duplicate galleries (property)`, async () => {
      await fc.assert(
        fc.asyncProperty(
          fc.integer(),
          fc.integer({ min: 1, max: 300 }),
          fc.integer({ min: 1, max: 4 }),
          fc.constantFrom<Kind>('random', 'clustered', 'near-duplicates'),
          fc.integer({ min: 1, max: 8 }),
          fc.constantFrom('stranger', 'template', 'noisy-template'),
          async (seed, workers, perWorker, kind, k, probe) => {
            const r = rng(seed);
            const list = templates(r, dim, workers, perWorker, kind);
            const g = await Gallery.create(dim, 16);
            g.add(list);
            const model: Model = new Map(list.map((t) => [t.id, { workerId: t.workerId, row: asStored(t.vector) }]));
            const pick = list[Math.floor(r() * list.length)] as { vector: Float32Array };
            const q = probe === 'stranger' ? randomVec(r, dim) : probe === 'template' ? pick.vector : pick.vector.map((x) => x + 0.3 * gaussian(r));
            const opts = { threshold: 0.5, margin: 0.05, k };
            expectSameTop(await g.search(q, opts), naive(model, q, opts));
          },
        ),
        { numRuns: 30 },
      );
    });
  }

  it('stays exact when the int8 order disagrees with the float order (near-duplicates, 2,000 templates)', async () => {
    // Every template is within a few degrees of every other: the coarse scores of the best
    // few hundred overlap within the quantisation error, so re-ranking only the 64 coarse-best
    // would often return the wrong worker; the error bound must pull in the rest.
    const r = rng(99);
    const dim = 192;
    const list = templates(r, dim, 1000, 2, 'near-duplicates');
    const g = await Gallery.create(dim);
    g.add(list);
    const model: Model = new Map(list.map((t) => [t.id, { workerId: t.workerId, row: asStored(t.vector) }]));
    for (let i = 0; i < 20; i++) {
      const q = (list[Math.floor(r() * list.length)] as { vector: Float32Array }).vector.map((x) => x + 0.05 * gaussian(r));
      const opts = { threshold: 0.5, margin: 0.0005, k: 3 };
      expectSameTop(await g.search(q, opts), naive(model, q, opts));
    }
  });

  it('stays exact through a random sequence of adds, replacements, removals and worker deactivations (property)', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(512, 192),
        fc.array(
          fc.oneof(
            fc.record({ op: fc.constant('add' as const), count: fc.integer({ min: 1, max: 60 }), worker: fc.integer({ min: 0, max: 30 }) }),
            fc.record({ op: fc.constant('replace' as const), pick: fc.nat() }),
            fc.record({ op: fc.constant('removeTemplate' as const), pick: fc.nat() }),
            fc.record({ op: fc.constant('removeWorker' as const), worker: fc.integer({ min: 0, max: 30 }) }),
            fc.record({ op: fc.constant('search' as const), near: fc.boolean(), k: fc.integer({ min: 1, max: 6 }) }),
          ),
          { minLength: 1, maxLength: 25 },
        ),
        fc.integer(),
        async (dim, ops, seed) => {
          const r = rng(seed);
          const g = await Gallery.create(dim, 16);
          const model: Model = new Map();
          const raw = new Map<number, Float32Array>();
          let nextId = 1;
          const ids = () => [...model.keys()];
          for (const o of ops) {
            if (o.op === 'add') {
              const batch = Array.from({ length: o.count }, (_, i) => ({ id: nextId++, workerId: (o.worker + i) % 37, vector: randomVec(r, dim) }));
              g.add(batch);
              for (const t of batch) {
                model.set(t.id, { workerId: t.workerId, row: asStored(t.vector) });
                raw.set(t.id, t.vector);
              }
            } else if (o.op === 'replace' && model.size > 0) {
              const id = ids()[o.pick % model.size] as number;
              const t = { id, workerId: 99, vector: randomVec(r, dim) };
              g.add([t]);
              model.set(id, { workerId: 99, row: asStored(t.vector) });
              raw.set(id, t.vector);
            } else if (o.op === 'removeTemplate' && model.size > 0) {
              const id = ids()[o.pick % model.size] as number;
              expect(g.removeTemplate(id)).toBe(true);
              model.delete(id);
            } else if (o.op === 'removeWorker') {
              const mine = ids().filter((id) => model.get(id)?.workerId === o.worker);
              expect(g.removeWorker(o.worker)).toBe(mine.length);
              for (const id of mine) model.delete(id);
            } else if (o.op === 'search') {
              const some = ids()[Math.floor(r() * model.size)];
              const q = o.near && some !== undefined ? (raw.get(some) as Float32Array).map((x) => x + 0.2 * gaussian(r)) : randomVec(r, dim);
              const opts = { threshold: 0.5, margin: 0.05, k: o.k };
              expectSameTop(await g.search(q, opts), naive(model, q, opts));
            }
            expect(g.size).toBe(model.size);
          }
          const q = randomVec(r, dim);
          expectSameTop(await g.search(q, { threshold: 0.5, margin: 0.05, k: 4 }), naive(model, q, { threshold: 0.5, margin: 0.05, k: 4 }));
        },
      ),
      { numRuns: 30 },
    );
  });

  it('restores a 192-d snapshot through the byte format with identical results, then keeps growing live', async () => {
    const r = rng(1234);
    const list = templates(r, 192, 300, 2, 'clustered');
    const a = await Gallery.create(192);
    a.add(list);
    a.removeWorker(1003);
    const bytes = encodeSnapshot(a.snapshot());
    const snap = decodeSnapshot(bytes);
    expect(snap?.count).toBe(598);
    const b = await Gallery.create(192, 16);
    b.restore(snap as NonNullable<typeof snap>, { adopt: true });
    for (let i = 0; i < 10; i++) {
      const q = randomVec(r, 192);
      expect(await b.search(q, { threshold: 0.2, margin: 0.01 })).toEqual(await a.search(q, { threshold: 0.2, margin: 0.01 }));
    }
    const extra = templates(r, 192, 50, 1, 'random').map((t) => ({ ...t, id: t.id + 10_000, workerId: t.workerId + 10_000 }));
    b.add(extra);
    expect(b.size).toBe(648);
    const hit = await b.search(extra[7]?.vector as Float32Array, { threshold: 0.9, margin: 0.05 });
    expect(hit.best).toMatchObject({ workerId: extra[7]?.workerId, templateId: extra[7]?.id });
    // An SGS1 (column-major, pre-SIMD) snapshot is refused, so the loader rebuilds from rows.
    const old = Buffer.from(bytes);
    old.writeUInt32LE(0x53475331, 0);
    expect(decodeSnapshot(old)).toBeNull();
  });

  it('returns no_match for a zero query and for a gallery emptied by removals', async () => {
    const g = await Gallery.create(192);
    g.add([{ id: 1, workerId: 1, vector: randomVec(rng(5), 192) }]);
    expect(await g.search(new Float32Array(192), { threshold: 0.1, margin: 0.05 })).toEqual({ decision: 'no_match', top: [] });
    g.removeWorker(1);
    expect((await g.search(randomVec(rng(6), 192), { threshold: 0.1, margin: 0.05 })).decision).toBe('no_match');
  });
});

describe('gallery module boundaries', () => {
  it('imports only edge-core modules and node: built-ins: no app, drivers, sync, models, onnxruntime or host packages', () => {
    const here = dirname(fileURLToPath(import.meta.url));
    const src = resolve(here, '../../src');
    const seen = new Set<string>();
    const visit = (file: string): void => {
      if (seen.has(file)) return;
      seen.add(file);
      const text = readFileSync(file, 'utf8');
      for (const m of text.matchAll(/^\s*(?:import|export)[^'"]*from\s+'([^']+)'/gm)) {
        const spec = m[1] as string;
        if (spec.startsWith('.')) {
          const target = resolve(dirname(file), spec.replace(/\.js$/, '.ts'));
          expect(target.startsWith(src + '/'), `${file} imports ${spec}`).toBe(true);
          visit(target);
        } else {
          expect(spec, `${file} imports ${spec}`).toMatch(/^node:(?!https?$|net$|http2$)/);
        }
      }
    };
    visit(join(src, 'face/gallery.ts'));
    expect([...seen].map((f) => f.slice(src.length + 1)).sort()).toEqual(['face/gallery.ts', 'face/simd/int8-dot.ts', 'face/simd/scan-worker.ts', 'face/simd/wasm-api.ts', 'face/simd/wasm-bytes.ts']);
  });
});
