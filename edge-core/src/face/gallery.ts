// 1:N gallery of L2-normalised face templates, several per worker. Search is two-stage and
// exact: a WebAssembly SIMD pass computes int8 x int16 dot products for every template
// (simd/int8-dot.ts), then the best candidates are re-ranked with the exact Float32 vectors.
// Each template also keeps its quantisation error, which bounds how far its coarse score can
// be from the exact one; every template whose bound could still reach the k best workers is
// re-ranked too, so the result equals an exhaustive float search (up to float rounding).
// Templates are added and removed live; slots are reused after removal. Any dimension works
// (rows are padded to 16 bytes for the kernel).
import { Int8Rows, queryCodeLimit } from './simd/int8-dot.js';

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

/** Templates re-ranked exactly before the error bound decides whether more are needed. */
const RERANK = 64;
/** Slack added to every error bound for Float32 rounding of the exact scores. */
const ROUNDING_SLACK = 1e-5;

export interface GalleryOptions {
  /**
   * 2 (default): scans of 8,192 templates or more are shared with a helper thread (about 1.5x
   * faster at 50,000 on an idle 2-core machine); 1: the calling thread only.
   */
  threads?: 1 | 2;
}

export interface GallerySnapshot {
  dim: number;
  count: number;
  /** Exact unit vectors, row-major [count, dim]. */
  rows: Float32Array<ArrayBuffer>;
  /** Int8 codes, row-major [count, dim]; a template is codes * scale. */
  codes: Int8Array<ArrayBuffer>;
  scales: Float32Array<ArrayBuffer>;
  /** L2 norm of (exact row - codes * scale) per template. */
  errors: Float32Array<ArrayBuffer>;
  workerIds: Int32Array<ArrayBuffer>;
  templateIds: Float64Array<ArrayBuffer>;
}

/**
 * Capacity after a full gallery: doubling while small, then one eighth more (at least 4,096
 * slots). Doubling a 50,000-identity gallery would add ~100 MB of exact rows for one new
 * enrollment (the snapshot start leaves no spare slot); an eighth adds ~13 MB.
 */
export function nextCapacity(capacity: number): number {
  return capacity < 8192 ? Math.max(16, capacity * 2) : capacity + Math.max(4096, Math.ceil(capacity / 8));
}

export class Gallery {
  readonly dim: number;
  #capacity = 0;
  #count = 0;
  /** One past the highest slot ever filled: the scan covers slots [0, end). */
  #end = 0;
  /** Exact vectors, row-major [capacity, dim]. */
  #rows = new Float32Array(0);
  /** Int8 codes, scales (vector max-abs / 127) and quantisation errors, in the kernel's memory. */
  #codes: Int8Rows;
  #workerOf = new Int32Array(0);
  #templateOf = new Float64Array(0);
  #slotOfTemplate = new Map<number, number>();
  /** Slots of each worker (a few each; arrays are much lighter than Sets at 50,000 workers). */
  #slotsOfWorker = new Map<number, number[]>();
  #free: number[] = [];
  readonly #queryCodes: Int16Array;
  readonly #qmax: number;

  private constructor(dim: number, initialCapacity: number, opts: GalleryOptions) {
    this.dim = dim;
    this.#codes = new Int8Rows(dim, initialCapacity, { threads: opts.threads ?? 2 });
    this.#queryCodes = new Int16Array(dim);
    this.#qmax = queryCodeLimit(this.#codes.stride);
    this.#grow(initialCapacity);
  }

  static async create(dim: number, initialCapacity = 1024, opts: GalleryOptions = {}): Promise<Gallery> {
    if (!Number.isInteger(dim) || dim <= 0 || dim % 4 !== 0) throw new RangeError(`gallery dimension must be a positive multiple of 4, got ${dim}`);
    return Promise.resolve(new Gallery(dim, Math.max(16, initialCapacity), opts));
  }

  /** Stops the scan helper thread, if any (also done when the gallery is garbage-collected). */
  close(): void {
    this.#codes.close();
  }

  get size(): number {
    return this.#count;
  }

  /** Slots allocated (occupied or free); see nextCapacity. */
  get capacity(): number {
    return this.#capacity;
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
    rows.set(this.#rows.subarray(0, old * d));
    const workerOf = new Int32Array(capacity).fill(-1);
    workerOf.set(this.#workerOf.subarray(0, old));
    const templateOf = new Float64Array(capacity);
    templateOf.set(this.#templateOf.subarray(0, old));
    this.#rows = rows; this.#workerOf = workerOf; this.#templateOf = templateOf;
    this.#codes.ensure(capacity);
    for (let s = capacity - 1; s >= old; s--) this.#free.push(s);
    this.#capacity = capacity;
  }

  /** Adds (or replaces) templates. Vectors are L2-normalised on the way in. */
  add(templates: Iterable<Template>): void {
    const codes = new Int8Array(this.dim);
    for (const t of templates) {
      if (t.vector.length !== this.dim) throw new RangeError(`template ${t.id} has ${t.vector.length} dimensions, gallery has ${this.dim}`);
      if (this.#slotOfTemplate.has(t.id)) this.removeTemplate(t.id);
      if (this.#free.length === 0) this.#grow(nextCapacity(this.#capacity));
      const slot = this.#free.pop() as number;
      this.#write(slot, t, codes);
    }
  }

  /** Stores the exact row, its int8 codes, scale, error and bookkeeping. */
  #write(slot: number, t: Template, codes: Int8Array): void {
    const d = this.dim;
    let n2 = 0;
    for (let k = 0; k < d; k++) n2 += (t.vector[k] as number) ** 2;
    const inv = n2 > 0 ? 1 / Math.sqrt(n2) : 0;
    let maxAbs = 0;
    const base = slot * d, rows = this.#rows;
    for (let k = 0; k < d; k++) {
      const v = (t.vector[k] as number) * inv;
      rows[base + k] = v;
      if (Math.abs(v) > maxAbs) maxAbs = Math.abs(v);
    }
    const scale = Math.fround(maxAbs / 127);
    const q = maxAbs > 0 ? 127 / maxAbs : 0;
    let e2 = 0;
    for (let k = 0; k < d; k++) {
      const v = rows[base + k] as number;
      const c = Math.max(-127, Math.min(127, Math.round(v * q)));
      codes[k] = c;
      e2 += (v - c * scale) ** 2;
    }
    this.#codes.setRow(slot, codes, scale, Math.sqrt(e2));
    this.#workerOf[slot] = t.workerId;
    this.#templateOf[slot] = t.id;
    this.#slotOfTemplate.set(t.id, slot);
    const list = this.#slotsOfWorker.get(t.workerId);
    if (list) list.push(slot);
    else this.#slotsOfWorker.set(t.workerId, [slot]);
    this.#count++;
    if (slot >= this.#end) this.#end = slot + 1;
  }

  #clear(slot: number): void {
    const d = this.dim;
    const w = this.#workerOf[slot] as number;
    this.#rows.fill(0, slot * d, slot * d + d);
    this.#codes.clearRow(slot);
    this.#workerOf[slot] = -1;
    this.#slotOfTemplate.delete(this.#templateOf[slot] as number);
    const list = this.#slotsOfWorker.get(w);
    const at = list ? list.indexOf(slot) : -1;
    if (list && at >= 0) list.splice(at, 1);
    if (list && list.length === 0) this.#slotsOfWorker.delete(w);
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
    const list = this.#slotsOfWorker.get(workerId);
    if (!list) return 0;
    const slots = [...list];
    for (const s of slots) this.#clear(s);
    return slots.length;
  }

  /**
   * A compact copy of the gallery (occupied slots only) for a fast restart: exact rows, int8
   * codes, scales, errors and ids. See gallery-loader.ts for the byte format.
   */
  snapshot(): GallerySnapshot {
    const d = this.dim;
    const slots: number[] = [];
    for (let s = 0; s < this.#end; s++) if ((this.#workerOf[s] as number) !== -1) slots.push(s);
    const n = slots.length;
    const rows = new Float32Array(n * d);
    const codes = new Int8Array(n * d);
    const scales = new Float32Array(n);
    const errors = new Float32Array(n);
    const workerIds = new Int32Array(n);
    const templateIds = new Float64Array(n);
    slots.forEach((slot, i) => {
      rows.set(this.#rows.subarray(slot * d, slot * d + d), i * d);
      codes.set(this.#codes.row(slot), i * d);
      scales[i] = this.#codes.scales[slot] as number;
      errors[i] = this.#codes.errors[slot] as number;
      workerIds[i] = this.#workerOf[slot] as number;
      templateIds[i] = this.#templateOf[slot] as number;
    });
    return { dim: d, count: n, rows, codes, scales, errors, workerIds, templateIds };
  }

  /**
   * Fills an empty gallery from a snapshot. With `adopt` the snapshot's float and id arrays
   * become the gallery's own (no copy; capacity = count, the first add grows it); otherwise
   * they are copied. Codes, scales and errors are always copied into the kernel's memory.
   */
  restore(snap: GallerySnapshot, opts: { adopt?: boolean } = {}): void {
    if (snap.dim !== this.dim) throw new RangeError(`snapshot has ${snap.dim} dimensions, gallery has ${this.dim}`);
    if (this.#count !== 0) throw new Error('restore needs an empty gallery');
    const n = snap.count;
    if (opts.adopt && n > 0) {
      this.#rows = snap.rows;
      this.#workerOf = snap.workerIds;
      this.#templateOf = snap.templateIds;
      this.#capacity = n;
    } else {
      if (this.#capacity < n) this.#grow(Math.max(16, Math.ceil(n * 1.25)));
      this.#rows.set(snap.rows);
      this.#workerOf.set(snap.workerIds);
      this.#templateOf.set(snap.templateIds);
    }
    this.#codes.setRows(n, snap.codes, snap.scales, snap.errors);
    const cap = this.#capacity;
    for (let i = 0; i < n; i++) {
      const w = snap.workerIds[i] as number;
      this.#slotOfTemplate.set(snap.templateIds[i] as number, i);
      const list = this.#slotsOfWorker.get(w);
      if (list) list.push(i);
      else this.#slotsOfWorker.set(w, [i]);
    }
    this.#free = [];
    for (let s = cap - 1; s >= n; s--) this.#free.push(s);
    this.#count = n;
    this.#end = n;
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

  /** Async for the public contract: a bad query becomes a rejected promise. */
  async search(query: Float32Array, opts: SearchOptions): Promise<SearchResult> {
    return this.searchSync(query, opts);
  }

  /** The same as search() without the promise (the work is synchronous). */
  searchSync(query: Float32Array, opts: SearchOptions): SearchResult {
    if (query.length !== this.dim) throw new RangeError(`query has ${query.length} dimensions, gallery has ${this.dim}`);
    const k = opts.k ?? 5;
    if (this.#count === 0) return { decision: 'no_match', top: [] };
    const q = unit(query);
    const d = this.dim, end = this.#end;
    // Stage 1: the query as int16 codes; its own quantisation error enters every bound.
    let maxAbs = 0;
    for (let i = 0; i < d; i++) maxAbs = Math.max(maxAbs, Math.abs(q[i] as number));
    if (maxAbs === 0) return { decision: 'no_match', top: [] }; // a zero vector matches nobody
    const qs = this.#qmax / maxAbs;
    const qScale = maxAbs / this.#qmax;
    const qc = this.#queryCodes;
    let qe2 = 0;
    for (let i = 0; i < d; i++) {
      const c = Math.round((q[i] as number) * qs);
      qc[i] = c;
      qe2 += ((q[i] as number) - c * qScale) ** 2;
    }
    const qErr = Math.sqrt(qe2);
    // |exact - coarse| <= err_g * |q| + |g^| * err_q <= err_g + (1 + err_g) * err_q, so the
    // kernel returns coarse + err_g * (1 + err_q) + err_q (+ slack): an upper bound per template.
    const bounds = this.#codes.scan(qc, end, qScale, 1 + qErr, qErr + ROUNDING_SLACK);
    // Stage 2: the RERANK highest bounds by insertion into a small sorted buffer. Empty slots
    // have a bound of -Infinity and never enter.
    const m = Math.min(RERANK, this.#count);
    const bestSlots = new Int32Array(m).fill(-1);
    const bestBounds = new Float64Array(m).fill(-Infinity);
    let floor = -Infinity;
    for (let s = 0; s < end; s++) {
      const v = bounds[s] as number;
      if (v <= floor) continue;
      let j = m - 1;
      while (j > 0 && (bestBounds[j - 1] as number) < v) {
        bestBounds[j] = bestBounds[j - 1] as number;
        bestSlots[j] = bestSlots[j - 1] as number;
        j--;
      }
      bestBounds[j] = v;
      bestSlots[j] = s;
      floor = bestBounds[m - 1] as number;
    }
    // Stage 3: exact re-rank, best template per worker.
    const workerOf = this.#workerOf;
    const perWorker = new Map<number, Candidate>();
    const reranked = new Set<number>();
    const rerank = (slot: number): void => {
      reranked.add(slot);
      const score = this.#exact(q, slot);
      const w = workerOf[slot] as number;
      const prev = perWorker.get(w);
      if (!prev || score > prev.score) perWorker.set(w, { workerId: w, templateId: this.#templateOf[slot] as number, score });
    };
    for (let i = 0; i < m; i++) if ((bestSlots[i] as number) >= 0) rerank(bestSlots[i] as number);
    // Stage 4: a template outside the buffer has a bound <= floor. If that can still reach the
    // K-th best worker found so far, every template whose bound does is re-ranked as well.
    const K = Math.max(k, 2);
    const kth = perWorker.size >= K ? ([...perWorker.values()].map((c) => c.score).sort((a, b) => b - a)[K - 1] as number) : -Infinity;
    if (reranked.size < this.#count && floor >= kth) {
      for (let s = 0; s < end; s++) {
        if ((bounds[s] as number) < kth || (workerOf[s] as number) < 0 || reranked.has(s)) continue;
        rerank(s);
      }
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
