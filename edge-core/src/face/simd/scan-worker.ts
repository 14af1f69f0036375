// A helper thread for the gallery scan: it shares the kernel's WebAssembly memory and takes
// blocks of rows from a shared counter while the main thread does the same, so a 50,000-row
// scan is split over two cores. Protocol (Int32 control words at the start of the memory):
//  - the main thread writes the job, resets NEXT, bumps GEN and notifies;
//  - the helper, woken on GEN, sets BUSY, claims a block with Atomics.add(NEXT), scans it into
//    the scratch area, stores DONE[block] = GEN, clears BUSY, and claims again;
//  - the main thread claims blocks too; when none are left it copies the blocks marked done
//    for this GEN from scratch and scans every other block itself. It never waits for the
//    helper, so a descheduled helper costs nothing but the work it did not do.
//  - before the layout moves (growth) the main thread waits for BUSY to clear, so a late
//    helper never writes into memory that has been moved or reused. A late helper's results
//    for an old job are tagged with the old GEN and ignored.
// The helper's code is a small CommonJS string (no file to locate in dev vs build).
import { Worker } from 'node:worker_threads';
import type { WasmMemory, WasmModule } from './wasm-api.js';

export const CTL = {
  GEN: 0,
  NEXT: 1,
  BLOCKS: 2,
  BUSY: 3,
  READY: 4,
  STOP: 5,
  ROWS: 6,
  BLOCK_ROWS: 7,
  QUERY_AT: 8,
  CODES_AT: 9,
  SCRATCH_AT: 10,
  SCALES_AT: 11,
  ERRORS_AT: 12,
  STRIDE: 13,
  /** Float32 words (same memory, same index space). */
  QSCALE_F: 14,
  A_F: 15,
  B_F: 16,
  ROWS_PER_STEP: 17,
  /** DONE[block] starts here. */
  DONE: 32,
} as const;

/** Blocks a job can have; the control area is CTL.DONE + MAX_BLOCKS words. */
export const MAX_BLOCKS = 1024;
export const CONTROL_BYTES = 4 * (CTL.DONE + MAX_BLOCKS);

const HELPER_SOURCE = `
'use strict';
const { workerData } = require('node:worker_threads');
const C = workerData.ctl;
const inst = new WebAssembly.Instance(workerData.module, { env: { memory: workerData.memory } });
const scan = inst.exports.scan;
const ctl = new Int32Array(workerData.memory.buffer, 0, C.DONE + workerData.maxBlocks);
const f32 = new Float32Array(workerData.memory.buffer, 0, C.DONE);
Atomics.store(ctl, C.READY, 1);
let seen = Atomics.load(ctl, C.GEN);
for (;;) {
  Atomics.wait(ctl, C.GEN, seen);
  if (Atomics.load(ctl, C.STOP) !== 0) break;
  const gen = Atomics.load(ctl, C.GEN);
  seen = gen;
  for (;;) {
    Atomics.store(ctl, C.BUSY, 1);
    const b = Atomics.add(ctl, C.NEXT, 1);
    const blocks = Atomics.load(ctl, C.BLOCKS);
    if (b >= blocks || Atomics.load(ctl, C.GEN) !== gen) {
      Atomics.store(ctl, C.BUSY, 0);
      Atomics.notify(ctl, C.BUSY);
      break;
    }
    const rows = ctl[C.ROWS], blockRows = ctl[C.BLOCK_ROWS], stride = ctl[C.STRIDE], R = ctl[C.ROWS_PER_STEP];
    const r0 = b * blockRows, n = Math.min(rows, r0 + blockRows) - r0;
    scan(ctl[C.QUERY_AT], ctl[C.CODES_AT] + r0 * stride, Math.ceil(n / R), ctl[C.SCRATCH_AT] + 4 * r0,
      ctl[C.SCALES_AT] + 4 * r0, ctl[C.ERRORS_AT] + 4 * r0, f32[C.QSCALE_F], f32[C.A_F], f32[C.B_F]);
    Atomics.store(ctl, C.DONE + b, gen);
    Atomics.store(ctl, C.BUSY, 0);
    Atomics.notify(ctl, C.BUSY);
  }
}
`;

/** Control handle for one helper thread; stop() (or garbage collection of the owner) ends it. */
export class ScanHelper {
  readonly #worker: Worker;
  readonly #ctl: Int32Array;
  #stopped = false;

  constructor(module: WasmModule, memory: WasmMemory) {
    this.#ctl = new Int32Array(memory.buffer, 0, CTL.DONE + MAX_BLOCKS);
    this.#worker = new Worker(HELPER_SOURCE, { eval: true, workerData: { module, memory, ctl: CTL, maxBlocks: MAX_BLOCKS } });
    // The helper never holds the process open; the main thread never awaits it.
    this.#worker.unref();
    this.#worker.on('error', () => this.#fail());
    this.#worker.on('exit', () => this.#fail());
  }

  #fail(): void {
    this.#stopped = true;
    Atomics.store(this.#ctl, CTL.READY, 0);
  }

  /** True once the helper thread is running and waiting for jobs. */
  get ready(): boolean {
    return !this.#stopped && Atomics.load(this.#ctl, CTL.READY) === 1;
  }

  stop(): void {
    if (this.#stopped) return;
    this.#stopped = true;
    Atomics.store(this.#ctl, CTL.STOP, 1);
    Atomics.add(this.#ctl, CTL.GEN, 1);
    Atomics.notify(this.#ctl, CTL.GEN);
    void this.#worker.terminate();
  }
}
