// The gallery's coarse pass as a WebAssembly SIMD kernel. Int8 template codes (row-major,
// each row padded to `stride` bytes, a multiple of 16) times one int16 query give exact int32
// dot products; each row's product then becomes an upper bound of its exact cosine:
//   bound[i] = dot[i] * scale[i] * qScale + err[i] * a + b
// (the caller passes a = 1 + query error, b = query error; see gallery.ts). The kernel is
// generated for one stride, so every address is a constant offset. Per 16 bytes of a row:
// v128.load8x8_s sign-extends 8 codes to i16x8 (one instruction on x64), i32x4.dot_i16x8_s
// with the query, i32x4.add into one of two accumulators. Sums stay exact: the query's codes
// are limited (queryCodeLimit) so that a whole row cannot overflow int32.
import { Code, F32, I32, V128, assembleModule, type ValType } from './wasm-bytes.js';
import { CONTROL_BYTES, CTL, MAX_BLOCKS, ScanHelper } from './scan-worker.js';
import { wasm, type WasmMemory, type WasmModule } from './wasm-api.js';

export const PAGE = 65536;
/** Shared memories need a maximum; 2 GiB is 4 million 512-d rows (address space only). */
const MAX_PAGES = 32768;
/** Scans shorter than this stay on the calling thread (the helper's wake-up is not free). */
const PARALLEL_MIN_ROWS = 8192;

export interface KernelShape {
  /** Row length in bytes, a positive multiple of 16 (dimension padded with zero codes). */
  stride: number;
  /** Rows per step; the scan covers whole steps (rows beyond the capacity never exist). */
  rowsPerStep: number;
  /** 16-byte chunks per inner-loop iteration (default: the whole row, fully unrolled). */
  chunksPerIteration?: number;
  /** Sign-extend with v128.load8x8_s (default) instead of a 16-byte load and two extends. */
  widenOnLoad?: boolean;
}

/** Largest |query code| for which a row of `stride` int8 codes (|code| <= 127) cannot overflow int32. */
export function queryCodeLimit(stride: number): number {
  return Math.min(32767, Math.floor((2 ** 31 - 1) / (127 * stride)));
}

/**
 * WebAssembly bytes of `scan(q, g, groups, out, scales, errs, qScale, a, b)`: for the
 * `groups * R` rows starting at byte `g`, writes the float32 bound of each row at `out`.
 */
export function scanKernelBytes(shape: KernelShape, memory: { maxPages: number; shared?: boolean } = { maxPages: 65536 }): Uint8Array<ArrayBuffer> {
  const { stride, rowsPerStep: R } = shape;
  if (!Number.isInteger(stride) || stride <= 0 || stride % 16 !== 0) throw new RangeError(`stride must be a positive multiple of 16, got ${stride}`);
  if (!Number.isInteger(R) || R < 1 || R > 4) throw new RangeError(`rows per step must be 1..4, got ${R}`);
  const U = shape.chunksPerIteration ?? stride / 16;
  if (!Number.isInteger(U) || U < 1 || (stride / 16) % U !== 0) throw new RangeError(`chunks per iteration must divide ${stride / 16}`);
  // parameters
  const Q = 0, G = 1, GROUPS = 2, OUT = 3, SC = 4, ER = 5, QSCALE = 6, A = 7, B = 8;
  // locals: query halves, gallery chunk, query/gallery cursors, row end, 2 accumulators per row
  const QL = 9, QH = 10, GV = 11, QP = 12, GP = 13, GEND = 14, ACC = 15;
  const locals: ValType[] = [V128, V128, V128, I32, I32, I32, ...new Array<ValType>(2 * R).fill(V128)];
  const c = new Code();
  c.block().get(GROUPS).i32Eqz().brIf(0);
  c.loop();
  for (let a = 0; a < 2 * R; a++) c.v128Zero().set(ACC + a);
  c.get(Q).set(QP).get(G).set(GP).get(G).i32(stride).i32Add().set(GEND);
  c.loop();
  for (let u = 0; u < U; u++) {
    const k = 16 * u;
    c.get(QP).v128Load(2 * k).set(QL);
    c.get(QP).v128Load(2 * k + 16).set(QH);
    for (let r = 0; r < R; r++) {
      const lo = ACC + 2 * r, hi = lo + 1;
      if (shape.widenOnLoad ?? true) {
        c.get(lo).get(GP).v128Load8x8S(r * stride + k).get(QL).i32x4DotI16x8S().i32x4Add().set(lo);
        c.get(hi).get(GP).v128Load8x8S(r * stride + k + 8).get(QH).i32x4DotI16x8S().i32x4Add().set(hi);
      } else {
        c.get(GP).v128Load(r * stride + k).set(GV);
        c.get(lo).get(GV).i16x8ExtendLowI8x16S().get(QL).i32x4DotI16x8S().i32x4Add().set(lo);
        c.get(hi).get(GV).i16x8ExtendHighI8x16S().get(QH).i32x4DotI16x8S().i32x4Add().set(hi);
      }
    }
  }
  c.get(QP).i32(32 * U).i32Add().set(QP);
  c.get(GP).i32(16 * U).i32Add().tee(GP).get(GEND).i32Ne().brIf(0);
  c.end(); // chunk loop
  for (let r = 0; r < R; r++) {
    const lo = ACC + 2 * r, hi = lo + 1;
    c.get(OUT);
    c.get(lo).get(hi).i32x4Add().tee(GV);
    c.i32x4ExtractLane(0).get(GV).i32x4ExtractLane(1).i32Add().get(GV).i32x4ExtractLane(2).i32Add().get(GV).i32x4ExtractLane(3).i32Add();
    c.f32ConvertI32S().get(SC).f32Load(4 * r).f32Mul().get(QSCALE).f32Mul();
    c.get(ER).f32Load(4 * r).get(A).f32Mul().f32Add().get(B).f32Add();
    c.f32Store(4 * r);
  }
  c.get(G).i32(R * stride).i32Add().set(G);
  for (const p of [OUT, SC, ER]) c.get(p).i32(4 * R).i32Add().set(p);
  c.get(GROUPS).i32(1).i32Sub().tee(GROUPS).brIf(0);
  c.end(); // row loop
  c.end(); // block
  return assembleModule(
    [{ exportName: 'scan', params: [I32, I32, I32, I32, I32, I32, F32, F32, F32], results: [], locals, body: c }],
    { minPages: 1, maxPages: memory.maxPages, shared: memory.shared ?? false },
  );
}

type ScanFn = (q: number, g: number, groups: number, out: number, scales: number, errs: number, qScale: number, a: number, b: number) => void;

const moduleCache = new Map<string, WasmModule>();

function compiled(shape: KernelShape): WasmModule {
  const key = `${shape.stride}x${shape.rowsPerStep}x${shape.chunksPerIteration ?? 0}x${shape.widenOnLoad ?? true}`;
  let m = moduleCache.get(key);
  if (!m) moduleCache.set(key, (m = new wasm.Module(scanKernelBytes(shape, { maxPages: MAX_PAGES, shared: true }))));
  return m;
}

/** Stops a helper thread when its rows object is garbage-collected without close(). */
const helpers = new FinalizationRegistry<ScanHelper>((h) => h.stop());

/** True when this runtime validates the SIMD kernel (Node 20 does). */
export function simdAvailable(): boolean {
  try {
    return wasm.validate(scanKernelBytes({ stride: 16, rowsPerStep: 1 }));
  } catch {
    return false;
  }
}

/** Four 16-byte chunks per loop iteration measured best here (Node 20, x64); fewer when the row is shorter. */
function defaultChunks(dim: number): number {
  const chunks = Math.ceil(dim / 16);
  return chunks % 4 === 0 ? 4 : chunks % 2 === 0 ? 2 : 1;
}

export interface KernelOptions {
  /** 2 (default): large scans are shared with a helper thread; 1: the calling thread only. */
  threads?: 1 | 2;
  rowsPerStep?: number;
  chunksPerIteration?: number;
  widenOnLoad?: boolean;
}

/**
 * Int8 template codes with their per-row scale and error, in shared WebAssembly memory, and
 * the scan kernel bound to them. Layout: [control words (scan-worker.ts)][query int16 x stride]
 * [bounds f32 x cap][helper scratch f32 x cap][scales f32 x cap][errors f32 x cap]
 * [codes int8 x cap x stride]. Rows never written have zero codes, zero scale and error
 * -Infinity, so their bound is -Infinity. Views are re-made on growth: do not keep them across
 * ensure().
 */
export class Int8Rows {
  readonly dim: number;
  readonly stride: number;
  readonly rowsPerStep: number;
  readonly threads: 1 | 2;
  readonly #memory: WasmMemory;
  readonly #module: WasmModule;
  readonly #scan: ScanFn;
  readonly #ctl: Int32Array;
  readonly #ctlF: Float32Array;
  #helper: ScanHelper | null = null;
  #rowCapacity = 0;
  #at = { query: 0, bounds: 0, scratch: 0, scales: 0, errors: 0, codes: 0 };
  #codes = new Int8Array(0);
  #bounds = new Float32Array(0);
  #query = new Int16Array(0);
  #f32 = new Float32Array(0);
  /** Per-row dequantisation scale; a view into kernel memory. */
  scales = new Float32Array(0);
  /** Per-row quantisation error norm (-Infinity for a row without a template); a view into kernel memory. */
  errors = new Float32Array(0);

  constructor(dim: number, rowCapacity: number, opts: KernelOptions = {}) {
    if (!Number.isInteger(dim) || dim <= 0) throw new RangeError(`dimension must be a positive integer, got ${dim}`);
    this.dim = dim;
    this.stride = Math.ceil(dim / 16) * 16;
    this.rowsPerStep = opts.rowsPerStep ?? 1;
    this.threads = opts.threads ?? 2;
    this.#memory = new wasm.Memory({ initial: 1, maximum: MAX_PAGES, shared: true });
    const shape: KernelShape = { stride: this.stride, rowsPerStep: this.rowsPerStep, chunksPerIteration: opts.chunksPerIteration ?? defaultChunks(dim) };
    if (opts.widenOnLoad !== undefined) shape.widenOnLoad = opts.widenOnLoad;
    this.#module = compiled(shape);
    const inst = new wasm.Instance(this.#module, { env: { memory: this.#memory } });
    this.#scan = inst.exports['scan'] as ScanFn;
    // Shared memory never moves, so these first-page views stay valid across growth.
    this.#ctl = new Int32Array(this.#memory.buffer, 0, CONTROL_BYTES / 4);
    this.#ctlF = new Float32Array(this.#memory.buffer, 0, CTL.DONE);
    this.ensure(rowCapacity);
  }

  get rowCapacity(): number {
    return this.#rowCapacity;
  }

  /** Bytes of WebAssembly memory in use (for reports). */
  get bytes(): number {
    return this.#memory.buffer.byteLength;
  }

  /** True while a helper thread takes part in large scans. */
  get parallel(): boolean {
    return this.#helper?.ready ?? false;
  }

  /** Stops the helper thread (also done when this object is garbage-collected). */
  close(): void {
    this.#helper?.stop();
    this.#helper = null;
  }

  /**
   * Waits until the helper is not inside a block, before the layout moves (growth): a late
   * helper writes only its scratch area, and only at the offsets it was given. Scans and row
   * writes need no wait: a late helper's results are tagged with its old generation and the
   * main thread uses only blocks tagged with the current one.
   */
  #quiesce(): void {
    if (!this.#helper) return;
    while (Atomics.load(this.#ctl, CTL.BUSY) !== 0) Atomics.wait(this.#ctl, CTL.BUSY, 1, 2);
  }

  /** Grows to hold at least `rows` rows, keeping codes, scales and errors. */
  ensure(rows: number): void {
    const R = this.rowsPerStep;
    const cap = Math.ceil(Math.max(rows, 1) / R) * R;
    if (cap <= this.#rowCapacity) return;
    this.#quiesce();
    const old = this.#rowCapacity, oldAt = this.#at, stride = this.stride;
    const at = { query: 0, bounds: 0, scratch: 0, scales: 0, errors: 0, codes: 0 };
    at.query = align(CONTROL_BYTES, 64);
    at.bounds = align(at.query + 2 * stride, 64);
    at.scratch = align(at.bounds + 4 * cap, 64);
    at.scales = align(at.scratch + 4 * cap, 64);
    at.errors = align(at.scales + 4 * cap, 64);
    at.codes = align(at.errors + 4 * cap, 64);
    const end = at.codes + cap * stride;
    const have = this.#memory.buffer.byteLength;
    if (end > have) this.#memory.grow(Math.ceil((end - have) / PAGE));
    const bytes = new Uint8Array(this.#memory.buffer);
    // Everything moves up; copy the highest region first so no source is overwritten early.
    if (old > 0) {
      bytes.copyWithin(at.codes, oldAt.codes, oldAt.codes + old * stride);
      bytes.copyWithin(at.errors, oldAt.errors, oldAt.errors + 4 * old);
      bytes.copyWithin(at.scales, oldAt.scales, oldAt.scales + 4 * old);
    }
    bytes.fill(0, at.codes + old * stride, end);
    this.#rowCapacity = cap;
    this.#at = at;
    this.#views();
    this.scales.fill(0, old);
    this.errors.fill(-Infinity, old);
  }

  #views(): void {
    const buf = this.#memory.buffer, cap = this.#rowCapacity, at = this.#at;
    this.#query = new Int16Array(buf, at.query, this.stride);
    this.#bounds = new Float32Array(buf, at.bounds, cap);
    this.scales = new Float32Array(buf, at.scales, cap);
    this.errors = new Float32Array(buf, at.errors, cap);
    this.#codes = new Int8Array(buf, at.codes, cap * this.stride);
    this.#f32 = new Float32Array(buf);
  }

  /** Writes one row: codes (length dim; the padding stays zero), scale and error. */
  setRow(row: number, codes: ArrayLike<number>, scale: number, error: number): void {
    if (row < 0 || row >= this.#rowCapacity) throw new RangeError(`row ${row} outside capacity ${this.#rowCapacity}`);
    const base = row * this.stride;
    for (let k = 0; k < this.dim; k++) this.#codes[base + k] = codes[k] as number;
    this.scales[row] = scale;
    this.errors[row] = error;
  }

  /** Empties a row: zero codes and scale, error -Infinity (its bound is -Infinity). */
  clearRow(row: number): void {
    this.#codes.fill(0, row * this.stride, row * this.stride + this.stride);
    this.scales[row] = 0;
    this.errors[row] = -Infinity;
  }

  /** Copies `count` rows (codes row-major unpadded [count, dim], scales, errors) to rows 0..count-1. */
  setRows(count: number, codes: Int8Array, scales: Float32Array, errors: Float32Array): void {
    this.ensure(count);
    if (this.stride === this.dim) this.#codes.set(codes.subarray(0, count * this.dim));
    else for (let i = 0; i < count; i++) this.#codes.set(codes.subarray(i * this.dim, i * this.dim + this.dim), i * this.stride);
    this.scales.set(scales.subarray(0, count));
    this.errors.set(errors.subarray(0, count));
  }

  /** Row `row`'s codes (unpadded copy). */
  row(row: number): Int8Array {
    return this.#codes.slice(row * this.stride, row * this.stride + this.dim);
  }

  /**
   * bound[i] = dot(query, codes[i]) * scales[i] * qScale + errors[i] * a + b, in float32, for
   * rows 0..rows-1 (|query codes| <= queryCodeLimit(stride)). Returns a view of the bounds,
   * valid until the next scan or growth.
   */
  scan(query: Int16Array, rows: number, qScale: number, a: number, b: number): Float32Array {
    if (rows > this.#rowCapacity) throw new RangeError(`scan of ${rows} rows, capacity ${this.#rowCapacity}`);
    this.#query.set(query.subarray(0, this.dim));
    const at = this.#at;
    if (rows >= PARALLEL_MIN_ROWS && this.threads === 2) {
      if (!this.#helper) {
        // Started on the first large scan; it joins in once its thread is running.
        this.#helper = new ScanHelper(this.#module, this.#memory);
        helpers.register(this, this.#helper);
      }
      if (this.#helper.ready) {
        this.#parallelScan(rows, qScale, a, b);
        return this.#bounds.subarray(0, rows);
      }
    }
    this.#scan(at.query, at.codes, Math.ceil(rows / this.rowsPerStep), at.bounds, at.scales, at.errors, qScale, a, b);
    return this.#bounds.subarray(0, rows);
  }

  #parallelScan(rows: number, qScale: number, a: number, b: number): void {
    const ctl = this.#ctl, at = this.#at, R = this.rowsPerStep, stride = this.stride;
    const blockRows = Math.ceil(Math.max(1024, Math.ceil(rows / MAX_BLOCKS)) / R) * R;
    const blocks = Math.ceil(rows / blockRows);
    ctl[CTL.ROWS] = rows;
    ctl[CTL.BLOCK_ROWS] = blockRows;
    ctl[CTL.QUERY_AT] = at.query;
    ctl[CTL.CODES_AT] = at.codes;
    ctl[CTL.SCRATCH_AT] = at.scratch;
    ctl[CTL.SCALES_AT] = at.scales;
    ctl[CTL.ERRORS_AT] = at.errors;
    ctl[CTL.STRIDE] = stride;
    ctl[CTL.ROWS_PER_STEP] = R;
    this.#ctlF[CTL.QSCALE_F] = qScale;
    this.#ctlF[CTL.A_F] = a;
    this.#ctlF[CTL.B_F] = b;
    Atomics.store(ctl, CTL.BLOCKS, blocks);
    Atomics.store(ctl, CTL.NEXT, 0);
    let gen = Atomics.add(ctl, CTL.GEN, 1) + 1;
    if (gen === 0) gen = Atomics.add(ctl, CTL.GEN, 1) + 1; // DONE words start at 0: never use generation 0
    Atomics.notify(ctl, CTL.GEN, 1);
    const scanBlock = (blk: number): void => {
      const r0 = blk * blockRows, n = Math.min(rows, r0 + blockRows) - r0;
      this.#scan(at.query, at.codes + r0 * stride, Math.ceil(n / R), at.bounds + 4 * r0, at.scales + 4 * r0, at.errors + 4 * r0, qScale, a, b);
    };
    const mine = new Uint8Array(blocks);
    for (;;) {
      const blk = Atomics.add(ctl, CTL.NEXT, 1);
      if (blk >= blocks) break;
      scanBlock(blk);
      mine[blk] = 1;
    }
    const f32 = this.#f32;
    for (let blk = 0; blk < blocks; blk++) {
      if (mine[blk] === 1) continue;
      const r0 = blk * blockRows, r1 = Math.min(rows, r0 + blockRows);
      if (Atomics.load(ctl, CTL.DONE + blk) === gen) f32.copyWithin((at.bounds >> 2) + r0, (at.scratch >> 2) + r0, (at.scratch >> 2) + r1);
      else scanBlock(blk); // claimed by the helper but not finished: do it here rather than wait
    }
  }
}

function align(n: number, to: number): number {
  return Math.ceil(n / to) * to;
}
