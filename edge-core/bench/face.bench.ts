// Face engine benchmarks (issue 3): frame compute through the whole chain plus 1:N at 50k,
// time to decision at 15 fps, 1:N search, gallery load from the store, resident memory.
import { readFileSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import sharp from 'sharp';
import { distribution, elapsedMs, type BenchResult, type BenchSuite } from '../../build/bench/harness.js';
import { createFaceEngine } from '../src/face/engine.js';
import { loadGallery, saveGallerySnapshot } from '../src/face/gallery-loader.js';
import { Gallery, type GallerySnapshot, type SearchOptions } from '../src/face/gallery.js';
import { ElemType, encodeModel } from '../src/face/onnx-graph.js';
import ort from 'onnxruntime-node';
import { GallerySnapshotRepo } from '../src/store/gallery-snapshot-repo.js';
import { GATE_LIVENESS, assessLiveness, type LivenessFrame } from '../src/face/liveness.js';
import { openStore } from '../src/store/store-open.js';
import { FaceTemplateRepo } from '../src/store/face-template-repo.js';

const here = dirname(fileURLToPath(import.meta.url));

/** Runs face-rss.child.ts on the bench's store (see there); its JSON line. */
function gateProcessRss(dataDir: string, framePath: string, jpeg: Buffer): { rss: number; at: Record<string, number>; gallery: number; source: string; found: number } {
  writeFileSync(framePath, jpeg);
  const r = spawnSync(process.execPath, ['--import', 'tsx', join(here, 'face-rss.child.ts'), dataDir, MODELS, framePath, '40'], { encoding: 'utf8', timeout: 300_000 });
  if (r.status !== 0) throw new Error(`rss child failed (${r.status ?? r.signal}): ${r.stderr.slice(-2000)}`);
  return JSON.parse(r.stdout.trim().split('\n').pop() ?? '{}') as ReturnType<typeof gateProcessRss>;
}
const MODELS = join(here, '../../models');
const FIXTURE = join(here, '../test/face/fixtures/astronaut.jpg');

function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => ((s = (s * 1664525 + 1013904223) >>> 0) / 2 ** 32);
}

function randomUnit(r: () => number, dim: number): Float32Array {
  const v = new Float32Array(dim);
  let n = 0;
  for (let i = 0; i < dim; i++) {
    const g = r() + r() + r() - 1.5;
    v[i] = g;
    n += g * g;
  }
  const inv = 1 / Math.sqrt(n);
  for (let i = 0; i < dim; i++) v[i] = (v[i] as number) * inv;
  return v;
}

/** A 640x480 camera-like JPEG with the portrait placed off-centre, optionally shifted/zoomed. */
async function frame(shift = 0, zoom = 1): Promise<Buffer> {
  const face = await sharp(readFileSync(FIXTURE)).resize(Math.round(400 * zoom)).toBuffer();
  const size = Math.round(400 * zoom);
  return sharp({ create: { width: 640, height: 480, channels: 3, background: '#5a6470' } })
    .composite([{ input: face, left: 120 + shift, top: Math.max(0, 40 - Math.round((size - 400) / 2)) }])
    .jpeg({ quality: 85 })
    .toBuffer();
}

/**
 * The previous 1:N search, kept here only as a baseline: onnxruntime MatMulInteger (u8 query x
 * s8 column-major gallery, one thread) for coarse scores, the 64 best re-ranked exactly.
 * Returns the best worker id.
 */
async function legacySearch(snap: GallerySnapshot): Promise<(q: Float32Array, opts: SearchOptions) => Promise<number | undefined>> {
  const { dim, count: n, rows, codes, scales, workerIds } = snap;
  const cols = new Int8Array(n * dim);
  for (let i = 0; i < n; i++) for (let k = 0; k < dim; k++) cols[k * n + i] = codes[i * dim + k] as number;
  const session = await ort.InferenceSession.create(
    encodeModel(
      [{ opType: 'MatMulInteger', inputs: ['q', 'G', 'qz'], outputs: ['s'] }],
      [
        { name: 'q', elemType: ElemType.UINT8, dims: [1, dim] },
        { name: 'G', elemType: ElemType.INT8, dims: [dim, 'N'] },
        { name: 'qz', elemType: ElemType.UINT8, dims: [] },
      ],
      [{ name: 's', elemType: ElemType.INT32, dims: [1, 'N'] }],
    ),
    { intraOpNumThreads: 1, interOpNumThreads: 1, logSeverityLevel: 3 },
  );
  const zero = new ort.Tensor('uint8', Uint8Array.of(128), []);
  const G = new ort.Tensor('int8', cols, [dim, n]);
  return async (q) => {
    let maxAbs = 0;
    for (let i = 0; i < dim; i++) maxAbs = Math.max(maxAbs, Math.abs(q[i] as number));
    const qu = new Uint8Array(dim);
    for (let i = 0; i < dim; i++) qu[i] = Math.round(((q[i] as number) * 127) / maxAbs) + 128;
    const out = await session.run({ q: new ort.Tensor('uint8', qu, [1, dim]), G, qz: zero });
    const raw = out['s']?.data as Int32Array;
    const m = Math.min(64, n);
    const bestSlots = new Int32Array(m).fill(-1);
    const bestScores = new Float32Array(m).fill(-Infinity);
    let floor = -Infinity;
    for (let s = 0; s < n; s++) {
      const v = (raw[s] as number) * (scales[s] as number);
      if (v <= floor) continue;
      let j = m - 1;
      while (j > 0 && (bestScores[j - 1] as number) < v) {
        bestScores[j] = bestScores[j - 1] as number;
        bestSlots[j] = bestSlots[j - 1] as number;
        j--;
      }
      bestScores[j] = v;
      bestSlots[j] = s;
      floor = bestScores[m - 1] as number;
    }
    let best: number | undefined, bestScore = -Infinity;
    for (const slot of bestSlots) {
      if (slot < 0) continue;
      let sc = 0;
      for (let k = 0; k < dim; k++) sc += (rows[slot * dim + k] as number) * (q[k] as number);
      if (sc > bestScore) { bestScore = sc; best = workerIds[slot]; }
    }
    return best;
  };
}

const suite: BenchSuite = {
  prefix: 'face.',
  async run(ctx) {
    const results: BenchResult[] = [];
    const N = ctx.quick ? 5_000 : 50_000;
    const label = ctx.quick ? `${N / 1000}k (quick)` : '50k';
    const mb = (): number => Math.round(process.memoryUsage().rss / (1024 * 1024));
    const rssAt: Record<string, number> = { start: mb() };
    const engine = await createFaceEngine({ modelsDir: MODELS, threads: 1 });
    rssAt['engine'] = mb();
    const dim = engine.embeddingDim;
    const jpeg = await frame();

    const probe = await engine.analyze(jpeg);
    if (!probe.embedding) throw new Error(`bench frame has no usable face: ${probe.reasons.map((x) => x.code).join(',')}`);

    // face.gallery_load_50k: a real store with N encrypted templates (synthetic identities plus
    // the probe's own) -> decrypt -> searchable gallery. This gallery serves every later figure.
    const r = lcg(42);
    const { store } = openStore({ dataDir: join(ctx.tmpDir, 'store'), clock: { now: () => Date.now() } });
    const repo = new FaceTemplateRepo(store);
    const insertWorker = store.db.prepare(
      `INSERT INTO workers (id, name, id_type, id_number_enc, id_number_hash, id_number_masked, trade_code, role, created_at, updated_at)
       VALUES (?, ?, '01', ?, ?, '999999**********', '100', 'worker', 0, 0)`,
    );
    const dummyId = store.cipher.encryptText('999999199001010000', 'workers.id_number');
    store.tx(() => {
      for (let i = 1; i <= N + 1; i++) {
        insertWorker.run(i, `测试${i}`, dummyId, `bench-${i}`);
        const vector = i === N + 1 ? (probe.embedding as Float32Array) : randomUnit(r, dim);
        repo.add({ workerId: i, modelId: engine.modelId, kind: 'enroll', vector });
      }
    });
    rssAt['store_filled'] = mb();
    // Two start paths: a rebuild from the encrypted rows (first start, or after the active
    // templates changed), and the usual one from the encrypted gallery snapshot.
    const snapshots = new GallerySnapshotRepo(store);
    // The rebuilt gallery is only written to the snapshot and then dropped (a gate holds one).
    const rebuildMs = await (async () => {
      const tr = process.hrtime.bigint();
      const rebuilt = await loadGallery({ dim, modelId: engine.modelId, templates: repo, snapshots });
      const ms = elapsedMs(tr);
      if (rebuilt.source !== 'rows') throw new Error('expected a rebuild from rows');
      saveGallerySnapshot({ gallery: rebuilt.gallery, modelId: engine.modelId, snapshots });
      rebuilt.gallery.close();
      return ms;
    })();
    const tl = process.hrtime.bigint();
    const restored = await loadGallery({ dim, modelId: engine.modelId, templates: repo, snapshots });
    const loadMs = elapsedMs(tl);
    if (restored.source !== 'snapshot') throw new Error('expected the snapshot path');
    const gallery = restored.gallery;
    rssAt['gallery_loaded'] = mb();
    // After a crash or power cut the snapshot is older than the templates: 200 enrolled and
    // 100 workers left since it was written. It is brought up to date instead of rebuilt.
    store.tx(() => {
      for (let i = N + 2; i <= N + 201; i++) {
        insertWorker.run(i, `测试${i}`, dummyId, `bench-${i}`);
        repo.add({ workerId: i, modelId: engine.modelId, kind: 'enroll', vector: randomUnit(r, dim) });
      }
      store.db.prepare("UPDATE workers SET status = 'inactive' WHERE id <= 100").run();
    });
    const ts = process.hrtime.bigint();
    const updated = await loadGallery({ dim, modelId: engine.modelId, templates: repo, snapshots });
    const staleMs = elapsedMs(ts);
    if (updated.source !== 'snapshot_delta' || updated.gallery.size !== N + 1 + 200 - 100) throw new Error(`expected a snapshot brought up to date, got ${updated.source} with ${updated.gallery.size}`);
    updated.gallery.close();
    store.db.close();
    if (gallery.size !== N + 1) throw new Error(`loaded ${gallery.size} of ${N + 1}`);
    results.push({ name: 'face.gallery_load_50k.ms', unit: 'ms', value: loadMs, n: N + 1, target: '<= 1000', note: `${label} templates: SQLite -> AES-GCM decrypt of the gallery snapshot -> searchable` });
    results.push({ name: 'face.gallery_load_50k_stale.ms', unit: 'ms', value: staleMs, n: N + 201, target: '<= 1000', note: `older snapshot + 200 templates added, 100 workers left since: decrypt, remove, add -> searchable (start after a crash)` });
    results.push({ name: 'face.gallery_rebuild_50k.ms', unit: 'ms', value: rebuildMs, n: N + 1, note: `${label} encrypted template rows -> decrypt each -> quantise -> searchable (first start or stale snapshot)` });
    ctx.log(`gallery_load ${loadMs.toFixed(0)} ms (stale snapshot ${staleMs.toFixed(0)} ms, rebuild ${rebuildMs.toFixed(0)} ms)`);
    const opts = { threshold: engine.thresholds.match, margin: engine.thresholds.margin };

    // face.frame_compute: decode -> ... -> embed -> 1:N.
    const reps = ctx.quick ? 8 : 40;
    for (let i = 0; i < 3; i++) await engine.analyze(jpeg);
    const frameMs: number[] = [];
    const stages = new Map<string, number[]>();
    for (let i = 0; i < reps; i++) {
      const t = process.hrtime.bigint();
      const a = await engine.analyze(jpeg);
      const ts = process.hrtime.bigint();
      const s = await gallery.search(a.embedding as Float32Array, opts);
      const searchStage = elapsedMs(ts);
      frameMs.push(elapsedMs(t));
      if (s.best?.workerId !== N + 1) throw new Error('bench probe not found');
      for (const [k, v] of Object.entries({ ...a.timings, search: searchStage })) {
        let list = stages.get(k);
        if (!list) stages.set(k, (list = []));
        list.push(v);
      }
    }
    const fc = distribution('face.frame_compute.p95_ms', 'ms', frameMs, 'p95', '<= 45');
    fc.note = `640x480 JPEG, whole chain + 1:N over ${label}, onnxruntime 1 thread per model as on the gate, anti-spoof CNN on a worker thread from detection on`;
    results.push(fc);
    ctx.log(`frame_compute p50 ${fc.p50?.toFixed(1)} p95 ${fc.p95?.toFixed(1)} ms`);
    // Where the frame's time goes (engine timings, median per stage), for the record.
    for (const [k, v] of stages) {
      const st = distribution(`face.frame_stage.${k.replace(/[^a-z0-9]+/gi, '_')}.p50_ms`, 'ms', v, 'p50');
      st.note = 'stage of face.frame_compute (median)';
      results.push(st);
    }
    ctx.log(`stages p50: ${[...stages].map(([k, v]) => `${k} ${(distribution(k, 'ms', v, 'p50').value).toFixed(1)}`).join(', ')}`);

    // face.time_to_decision: frames arrive at 15 fps from the first frame with a face; the decision
    // needs the liveness window (GATE_LIVENESS.minFrames frames) then liveness fusion + 1:N.
    const frames = await Promise.all(Array.from({ length: GATE_LIVENESS.minFrames }, (_, i) => frame(i * 6, 1 + i * 0.02)));
    const ttd: number[] = [];
    for (let trial = 0; trial < (ctx.quick ? 2 : 8); trial++) {
      const t0 = performance.now();
      const window: LivenessFrame[] = [];
      let last: Float32Array | undefined;
      for (let i = 0; i < frames.length; i++) {
        const due = t0 + (i * 1000) / 15;
        const wait = due - performance.now();
        if (wait > 0) await new Promise((res) => setTimeout(res, wait));
        const a = await engine.analyze(frames[i] as Buffer);
        if (a.face) window.push({ t: performance.now() - t0, landmarks: a.face.landmarks, livenessCnn: a.face.livenessCnn, screenCue: a.face.screenCue });
        if (a.embedding) last = a.embedding;
      }
      assessLiveness(window);
      if (last) await gallery.search(last, opts);
      ttd.push(performance.now() - t0);
    }
    const td = distribution('face.time_to_decision.p95_ms', 'ms', ttd, 'p95', '<= 400');
    td.note = `${GATE_LIVENESS.minFrames}-frame liveness window at 15 fps (${(((GATE_LIVENESS.minFrames - 1) * 1000) / 15).toFixed(0)} ms of it is waiting for frames)`;
    results.push(td);

    // face.rss_50k: the gate's process holds the engine and the gallery of N from the snapshot
    // (measured in a child of its own); this process's RSS also carries the bench's rebuild and
    // stale-snapshot paths and its store writes, reported beside it.
    const rss = process.memoryUsage().rss / (1024 * 1024);
    rssAt['measured'] = Math.round(rss);
    ctx.log(`bench process rss MB by stage: ${Object.entries(rssAt).map(([k, v]) => `${k} ${v}`).join(', ')}; heap used ${Math.round(process.memoryUsage().heapUsed / 1048576)} MB, external ${Math.round(process.memoryUsage().external / 1048576)} MB, array buffers ${Math.round(process.memoryUsage().arrayBuffers / 1048576)} MB`);
    const child = gateProcessRss(join(ctx.tmpDir, 'store'), join(ctx.tmpDir, 'rss-frame.jpg'), jpeg);
    if (child.gallery !== N + 201 - 100 || child.found === 0) throw new Error(`rss child: gallery ${child.gallery}, matched ${child.found}`);
    ctx.log(`gate process rss MB by stage: ${Object.entries(child.at).map(([k, v]) => `${k} ${v}`).join(', ')} (gallery from ${child.source})`);
    results.push({ name: 'face.rss_50k.mb', unit: 'MB', value: child.rss, n: 1, target: '<= 600', note: `a process holding the 6 ONNX sessions and the gallery of ${label} from its snapshot, after 40 frames analysed and searched` });
    results.push({ name: 'face.rss_50k_bench_process.mb', unit: 'MB', value: rss, n: 1, note: 'this benchmark process: also the rebuild and stale-snapshot paths and the store writes' });

    // face.search_50k, interleaved query by query with the previous implementation (onnxruntime
    // MatMulInteger over a column-major int8 copy + the same re-rank) on the same templates, so
    // the ratio holds on a noisy machine. Built after the RSS figure: it is a second copy.
    const snap = gallery.snapshot();
    const legacy = await legacySearch(snap);
    const single = await Gallery.create(dim, 16, { threads: 1 });
    single.restore(snap, { adopt: true });
    const searchMs: number[] = [];
    const legacyMs: number[] = [];
    const singleMs: number[] = [];
    let disagree = 0;
    const queries = Array.from({ length: ctx.quick ? 50 : 300 }, () => randomUnit(r, dim));
    for (const q of queries.slice(0, 5)) {
      await gallery.search(q, opts);
      await legacy(q, opts);
      await single.search(q, opts);
    }
    for (const q of queries) {
      const t = process.hrtime.bigint();
      const a = await gallery.search(q, opts);
      searchMs.push(elapsedMs(t));
      const t2 = process.hrtime.bigint();
      const b = await legacy(q, opts);
      legacyMs.push(elapsedMs(t2));
      if (a.best?.workerId !== b) disagree++;
      const t3 = process.hrtime.bigint();
      await single.search(q, opts);
      singleMs.push(elapsedMs(t3));
    }
    single.close();
    const sr = distribution('face.search_50k.p95_ms', 'ms', searchMs, 'p95', '<= 3');
    const lr = distribution('face.search_50k_legacy_ort.p95_ms', 'ms', legacyMs, 'p95');
    sr.note = `top-1 over ${label} x ${dim}: WebAssembly SIMD int8 scan (2 threads) + exact Float32 re-rank (error-bounded); legacy/new p50 ${((lr.p50 ?? 0) / (sr.p50 ?? 1)).toFixed(2)}x, p95 ${((lr.p95 ?? 0) / (sr.p95 ?? 1)).toFixed(2)}x`;
    lr.note = `previous implementation in the same run (onnxruntime MatMulInteger, 1 thread, + re-rank of 64); top-1 differs from the exact search on ${disagree} of ${queries.length} random queries`;
    const one = distribution('face.search_50k_one_thread.p95_ms', 'ms', singleMs, 'p95');
    one.note = `the same search on the calling thread only (Gallery threads: 1); one/two threads p50 ${((one.p50 ?? 0) / (sr.p50 ?? 1)).toFixed(2)}x, p95 ${((one.p95 ?? 0) / (sr.p95 ?? 1)).toFixed(2)}x`;
    results.push(sr, lr, one);
    ctx.log(`search p50 ${sr.p50?.toFixed(2)} p95 ${sr.p95?.toFixed(2)} ms; one thread p50 ${one.p50?.toFixed(2)} p95 ${one.p95?.toFixed(2)}; legacy p50 ${lr.p50?.toFixed(2)} p95 ${lr.p95?.toFixed(2)} ms`);

    // The anti-spoof CNN on its worker thread versus in-thread (all models queued on the main
    // thread, as before), frame by frame interleaved; analysis only, no search.
    const inThread = await createFaceEngine({ modelsDir: MODELS, threads: 1, livenessOffThread: false });
    for (let i = 0; i < 3; i++) await inThread.analyze(jpeg);
    const offMs: number[] = [];
    const inMs: number[] = [];
    for (let i = 0; i < reps; i++) {
      const t = process.hrtime.bigint();
      await engine.analyze(jpeg);
      offMs.push(elapsedMs(t));
      const t2 = process.hrtime.bigint();
      await inThread.analyze(jpeg);
      inMs.push(elapsedMs(t2));
    }
    await inThread.close();
    const off = distribution('face.analyze_offthread_liveness.p95_ms', 'ms', offMs, 'p95');
    const inn = distribution('face.analyze_inthread_liveness.p95_ms', 'ms', inMs, 'p95');
    off.note = `analyze() only, anti-spoof CNN on a worker thread (default); in-thread/off-thread p50 ${((inn.p50 ?? 0) / (off.p50 ?? 1)).toFixed(2)}x, p95 ${((inn.p95 ?? 0) / (off.p95 ?? 1)).toFixed(2)}x`;
    inn.note = 'analyze() only, every model on the main thread one after the other (previous behaviour), interleaved with the line above';
    results.push(off, inn);
    ctx.log(`analyze off-thread p50 ${off.p50?.toFixed(1)} p95 ${off.p95?.toFixed(1)}; in-thread p50 ${inn.p50?.toFixed(1)} p95 ${inn.p95?.toFixed(1)} ms`);
    await engine.close();
    return results;
  },
};

export default suite;
