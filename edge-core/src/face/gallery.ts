// 1:N gallery of L2-normalised face templates, several per worker. Search is two-stage:
// an int8 coarse pass over every template on onnxruntime's MatMulInteger (u8 query x s8
// gallery, column-major so MLAS runs one GEMV), then an exact Float32 re-rank of the best
// candidates. Templates are added and removed live; columns are reused after removal.
import ort from 'onnxruntime-node';
import { ElemType, encodeModel } from './onnx-graph.js';

export interface Template {
  /** Store id of the template (face_templates.id) or any unique number. */
  id: number;
  workerId: number;
  vector: Float32Array;
}

export interface Candidate {
  workerId: number;
  templateId: number;
  score: number;
}

export interface SearchOptions {
  /** Minimum cosine similarity of the best worker. */
  threshold: number;
  /** Minimum gap between the best worker and the second-best other worker. */
  margin: number;
  /** How many workers to return (default 5). */
  k?: number;
}

export interface SearchResult {
  decision: 'match' | 'no_match' | 'ambiguous';
  best?: Candidate;
  second?: Candidate;
  /** Top-k distinct workers, best first. */
  top: Candidate[];
}

const RERANK = 64;
const QUERY_SCALE = 127;

export interface GallerySnapshot {
  dim: number;
  count: number;
  /** Exact unit vectors, row-major [count, dim]. */
  rows: Float32Array<ArrayBuffer>;
  /** Quantised vectors, column-major [dim, count]. */
  cols: Int8Array<ArrayBuffer>;
  scales: Float32Array<ArrayBuffer>;
  workerIds: Int32Array<ArrayBuffer>;
  templateIds: Float64Array<ArrayBuffer>;
}

export class Gallery {
  readonly dim: number;
  #capacity = 0;
  #count = 0;
  /** Exact vectors, row-major [capacity, dim]. */
  #rows = new Float32Array(0);
  /** Quantised vectors, column-major [dim, capacity]. */
  #cols = new Int8Array(0);
  /** Per-column dequantisation scale (vector max-abs / 127); 0 for an empty column. */
  #scales = new Float32Array(0);
  #workerOf = new Int32Array(0);
  #templateOf = new Float64Array(0);
  #slotOfTemplate = new Map<number, number>();
  #slotsOfWorker = new Map<number, Set<number>>();
  #free: number[] = [];
  #session: ort.InferenceSession | null = null;
  readonly #zeroPoint = new ort.Tensor('uint8', Uint8Array.of(128), []);

  private constructor(dim: number) {
    this.dim = dim;
  }

  static async create(dim: number, initialCapacity = 1024): Promise<Gallery> {
    if (dim <= 0 || dim % 4 !== 0) throw new RangeError(`gallery dimension must be a positive multiple of 4, got ${dim}`);
    const g = new Gallery(dim);
    g.#session = await ort.InferenceSession.create(
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
    g.#grow(Math.max(16, initialCapacity));
    return g;
  }

  get size(): number {
    return this.#count;
  }

  get workerCount(): number {
    return this.#slotsOfWorker.size;
  }

  has(templateId: number): boolean {
    return this.#slotOfTemplate.has(templateId);
  }

  #grow(capacity: number): void {
    const old = this.#capacity, d = this.dim;
    const rows = new Float32Array(capacity * d);
    rows.set(this.#rows);
    const cols = new Int8Array(capacity * d);
    for (let k = 0; k < d; k++) cols.set(this.#cols.subarray(k * old, k * old + old), k * capacity);
    const scales = new Float32Array(capacity);
    scales.set(this.#scales);
    const workerOf = new Int32Array(capacity).fill(-1);
    workerOf.set(this.#workerOf);
    const templateOf = new Float64Array(capacity);
    templateOf.set(this.#templateOf);
    this.#rows = rows; this.#cols = cols; this.#scales = scales; this.#workerOf = workerOf; this.#templateOf = templateOf;
    for (let s = capacity - 1; s >= old; s--) this.#free.push(s);
    this.#capacity = capacity;
  }

  /** Adds (or replaces) templates. Vectors are L2-normalised on the way in. */
  add(templates: Iterable<Template>): void {
    const chunk: Array<[number, Int8Array]> = [];
    for (const t of templates) {
      if (t.vector.length !== this.dim) throw new RangeError(`template ${t.id} has ${t.vector.length} dimensions, gallery has ${this.dim}`);
      if (this.#slotOfTemplate.has(t.id)) this.removeTemplate(t.id);
      if (this.#free.length === 0) {
        this.#flush(chunk);
        this.#grow(this.#capacity * 2);
      }
      const slot = this.#free.pop() as number;
      chunk.push([slot, this.#write(slot, t)]);
      if (chunk.length === 256) this.#flush(chunk);
    }
    this.#flush(chunk);
  }

  /** Writes quantised rows into the column-major matrix, k-major so writes stay local. */
  #flush(chunk: Array<[number, Int8Array]>): void {
    const cap = this.#capacity, cols = this.#cols;
    for (let k = 0; k < this.dim; k++) {
      const base = k * cap;
      for (const [slot, q] of chunk) cols[base + slot] = q[k] as number;
    }
    chunk.length = 0;
  }

  /** Stores the exact row and bookkeeping; returns the quantised row for #flush. */
  #write(slot: number, t: Template): Int8Array {
    const d = this.dim;
    let n2 = 0;
    for (let k = 0; k < d; k++) n2 += (t.vector[k] as number) ** 2;
    const inv = n2 > 0 ? 1 / Math.sqrt(n2) : 0;
    let maxAbs = 0;
    const base = slot * d;
    for (let k = 0; k < d; k++) {
      const v = (t.vector[k] as number) * inv;
      this.#rows[base + k] = v;
      if (Math.abs(v) > maxAbs) maxAbs = Math.abs(v);
    }
    const q = maxAbs > 0 ? 127 / maxAbs : 0;
    const row = new Int8Array(d);
    for (let k = 0; k < d; k++) row[k] = Math.round((this.#rows[base + k] as number) * q);
    this.#scales[slot] = maxAbs > 0 ? maxAbs / 127 : 0;
    this.#workerOf[slot] = t.workerId;
    this.#templateOf[slot] = t.id;
    this.#slotOfTemplate.set(t.id, slot);
    let set = this.#slotsOfWorker.get(t.workerId);
    if (!set) this.#slotsOfWorker.set(t.workerId, (set = new Set()));
    set.add(slot);
    this.#count++;
    return row;
  }

  #clear(slot: number): void {
    const d = this.dim, cap = this.#capacity;
    const w = this.#workerOf[slot] as number;
    this.#rows.fill(0, slot * d, slot * d + d);
    for (let k = 0; k < d; k++) this.#cols[k * cap + slot] = 0;
    this.#scales[slot] = 0;
    this.#workerOf[slot] = -1;
    this.#slotOfTemplate.delete(this.#templateOf[slot] as number);
    const set = this.#slotsOfWorker.get(w);
    set?.delete(slot);
    if (set && set.size === 0) this.#slotsOfWorker.delete(w);
    this.#free.push(slot);
    this.#count--;
  }

  removeTemplate(templateId: number): boolean {
    const slot = this.#slotOfTemplate.get(templateId);
    if (slot === undefined) return false;
    this.#clear(slot);
    return true;
  }

  /** Removes every template of a worker (deactivation); returns how many were removed. */
  removeWorker(workerId: number): number {
    const set = this.#slotsOfWorker.get(workerId);
    if (!set) return 0;
    const slots = [...set];
    for (const s of slots) this.#clear(s);
    return slots.length;
  }

  /**
   * A compact copy of the gallery (occupied slots only) for a fast restart: exact rows,
   * quantised columns (stride = count), scales and ids. See gallery-snapshot.ts.
   */
  snapshot(): GallerySnapshot {
    const d = this.dim, cap = this.#capacity;
    const slots: number[] = [];
    for (let s = 0; s < cap; s++) if ((this.#workerOf[s] as number) !== -1) slots.push(s);
    const n = slots.length;
    const rows = new Float32Array(n * d);
    const cols = new Int8Array(n * d);
    const scales = new Float32Array(n);
    const workerIds = new Int32Array(n);
    const templateIds = new Float64Array(n);
    slots.forEach((slot, i) => {
      rows.set(this.#rows.subarray(slot * d, slot * d + d), i * d);
      scales[i] = this.#scales[slot] as number;
      workerIds[i] = this.#workerOf[slot] as number;
      templateIds[i] = this.#templateOf[slot] as number;
    });
    for (let k = 0; k < d; k++) {
      const src = k * cap, dst = k * n;
      for (let i = 0; i < n; i++) cols[dst + i] = this.#cols[src + (slots[i] as number)] as number;
    }
    return { dim: d, count: n, rows, cols, scales, workerIds, templateIds };
  }

  /**
   * Fills an empty gallery from a snapshot. With `adopt` the snapshot's arrays become the
   * gallery's own (no copy; capacity = count, the first add grows it); otherwise they are copied.
   */
  restore(snap: GallerySnapshot, opts: { adopt?: boolean } = {}): void {
    if (snap.dim !== this.dim) throw new RangeError(`snapshot has ${snap.dim} dimensions, gallery has ${this.dim}`);
    if (this.#count !== 0) throw new Error('restore needs an empty gallery');
    const n = snap.count, d = this.dim;
    if (opts.adopt && n > 0) {
      this.#rows = snap.rows;
      this.#cols = snap.cols;
      this.#scales = snap.scales;
      this.#workerOf = snap.workerIds;
      this.#templateOf = snap.templateIds;
      this.#capacity = n;
    } else {
      if (this.#capacity < n) this.#grow(Math.max(16, Math.ceil(n * 1.25)));
      const cap = this.#capacity;
      this.#rows.set(snap.rows);
      for (let k = 0; k < d; k++) this.#cols.set(snap.cols.subarray(k * n, k * n + n), k * cap);
      this.#scales.set(snap.scales);
      this.#workerOf.set(snap.workerIds);
      this.#templateOf.set(snap.templateIds);
    }
    const cap = this.#capacity;
    for (let i = 0; i < n; i++) {
      const w = snap.workerIds[i] as number;
      this.#slotOfTemplate.set(snap.templateIds[i] as number, i);
      let set = this.#slotsOfWorker.get(w);
      if (!set) this.#slotsOfWorker.set(w, (set = new Set()));
      set.add(i);
    }
    this.#free = [];
    for (let s = cap - 1; s >= n; s--) this.#free.push(s);
    this.#count = n;
  }

  /** Exact cosine of a query against one template slot (both unit vectors). */
  #exact(query: Float32Array, slot: number): number {
    const d = this.dim, r = this.#rows, base = slot * d;
    let s0 = 0, s1 = 0, s2 = 0, s3 = 0;
    for (let k = 0; k < d; k += 4) {
      s0 += (r[base + k] as number) * (query[k] as number);
      s1 += (r[base + k + 1] as number) * (query[k + 1] as number);
      s2 += (r[base + k + 2] as number) * (query[k + 2] as number);
      s3 += (r[base + k + 3] as number) * (query[k + 3] as number);
    }
    return s0 + s1 + s2 + s3;
  }

  /** Best score of one worker against the query (exact), for 1:1 verification against a claimed identity. */
  verifyWorker(query: Float32Array, workerId: number): Candidate | null {
    const set = this.#slotsOfWorker.get(workerId);
    if (!set) return null;
    const q = unit(query);
    let best: Candidate | null = null;
    for (const slot of set) {
      const s = this.#exact(q, slot);
      if (!best || s > best.score) best = { workerId, templateId: this.#templateOf[slot] as number, score: s };
    }
    return best;
  }

  async search(query: Float32Array, opts: SearchOptions): Promise<SearchResult> {
    if (query.length !== this.dim) throw new RangeError(`query has ${query.length} dimensions, gallery has ${this.dim}`);
    const k = opts.k ?? 5;
    if (this.#count === 0) return { decision: 'no_match', top: [] };
    const q = unit(query);
    const cap = this.#capacity;
    // Stage 1: int8 scores for every column.
    let maxAbs = 0;
    for (let i = 0; i < this.dim; i++) maxAbs = Math.max(maxAbs, Math.abs(q[i] as number));
    const qs = maxAbs > 0 ? QUERY_SCALE / maxAbs : 0;
    const qu = new Uint8Array(this.dim);
    for (let i = 0; i < this.dim; i++) qu[i] = Math.round((q[i] as number) * qs) + 128;
    const session = this.#session as ort.InferenceSession;
    const out = await session.run({
      q: new ort.Tensor('uint8', qu, [1, this.dim]),
      G: new ort.Tensor('int8', this.#cols, [this.dim, cap]),
      qz: this.#zeroPoint,
    });
    const raw = out['s']?.data as Int32Array;
    // Keep the RERANK best approximate slots with a small insertion-sorted buffer.
    const m = Math.min(RERANK, this.#count);
    const bestSlots = new Int32Array(m).fill(-1);
    const bestScores = new Float32Array(m).fill(-Infinity);
    const scales = this.#scales, workerOf = this.#workerOf;
    let floor = -Infinity;
    for (let s = 0; s < cap; s++) {
      if ((workerOf[s] as number) < 0) continue;
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
    // Stage 2: exact re-rank, best template per worker.
    const perWorker = new Map<number, Candidate>();
    for (let i = 0; i < m; i++) {
      const slot = bestSlots[i] as number;
      if (slot < 0) continue;
      const score = this.#exact(q, slot);
      const w = workerOf[slot] as number;
      const prev = perWorker.get(w);
      if (!prev || score > prev.score) perWorker.set(w, { workerId: w, templateId: this.#templateOf[slot] as number, score });
    }
    const top = [...perWorker.values()].sort((a, b) => b.score - a.score).slice(0, k);
    const best = top[0];
    const second = top[1];
    const result: SearchResult = { decision: 'no_match', top };
    if (best) result.best = best;
    if (second) result.second = second;
    if (best && best.score >= opts.threshold) {
      result.decision = second && best.score - second.score < opts.margin ? 'ambiguous' : 'match';
    }
    return result;
  }
}

function unit(v: Float32Array): Float32Array {
  let s = 0;
  for (let i = 0; i < v.length; i++) s += (v[i] as number) ** 2;
  if (Math.abs(s - 1) < 1e-4) return v;
  const inv = s > 0 ? 1 / Math.sqrt(s) : 0;
  const out = new Float32Array(v.length);
  for (let i = 0; i < v.length; i++) out[i] = (v[i] as number) * inv;
  return out;
}
