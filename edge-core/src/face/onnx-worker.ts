// An onnxruntime session on its own worker thread. onnxruntime-node runs a session
// synchronously on the calling thread (run() only defers to setImmediate), so two models
// "awaited together" on the main thread still run one after the other. A model whose input
// is ready early (the anti-spoof CNN needs only the frame and the detector box) runs here
// instead, in parallel with landmarks, quality and the embedder on the main thread.
// The worker's code is a small CommonJS string (no file to locate in dev vs build), and it
// loads onnxruntime-node by the absolute path resolved here. If the worker fails to start or
// dies, the session falls back to an ordinary in-thread session on the same bytes.
import { Worker } from 'node:worker_threads';
import { createRequire } from 'node:module';
import ort from 'onnxruntime-node';

/** The part of an onnxruntime session the runners use. */
export interface ModelSession {
  run(feeds: Record<string, ort.Tensor>): Promise<Record<string, { readonly data: unknown }>>;
}

export interface SessionOptions {
  intraOpNumThreads: number;
}

function ortOptions(o: SessionOptions): ort.InferenceSession.SessionOptions {
  // No per-session arena (see runners.ts createSession).
  return { intraOpNumThreads: o.intraOpNumThreads, interOpNumThreads: 1, graphOptimizationLevel: 'all', logSeverityLevel: 3, enableCpuMemArena: false };
}

const WORKER_SOURCE = `
'use strict';
const { parentPort, workerData } = require('node:worker_threads');
const ort = require(workerData.ortPath);
Promise.all(workerData.models.map((model) => ort.InferenceSession.create(model, workerData.options))).then(
  (sessions) => {
    parentPort.on('message', async (m) => {
      try {
        const feeds = {};
        for (const k of Object.keys(m.feeds)) {
          const f = m.feeds[k];
          feeds[k] = new ort.Tensor(f.type, f.data, f.dims);
        }
        const out = await sessions[m.model].run(feeds);
        const outputs = {};
        for (const k of Object.keys(out)) outputs[k] = { type: out[k].type, data: out[k].data, dims: out[k].dims };
        parentPort.postMessage({ id: m.id, outputs });
      } catch (e) {
        parentPort.postMessage({ id: m.id, error: String((e && e.message) || e) });
      }
    });
    parentPort.postMessage({ ready: true });
  },
  (e) => parentPort.postMessage({ ready: false, error: String((e && e.message) || e) }),
);
`;

interface WireTensor {
  type: ort.Tensor.Type;
  data: ort.Tensor.DataType;
  dims: readonly number[];
}

type Reply = { id: number; outputs: Record<string, WireTensor> } | { id: number; error: string };
type Ready = { ready: true } | { ready: false; error: string };

export class WorkerSession implements ModelSession {
  readonly #worker: Worker;
  readonly #pending = new Map<number, { resolve: (v: Record<string, WireTensor>) => void; reject: (e: Error) => void }>();
  #nextId = 1;
  #failed: Error | null = null;

  private constructor(worker: Worker) {
    this.#worker = worker;
    worker.on('message', (m: Reply) => {
      const p = this.#pending.get(m.id);
      if (!p) return;
      this.#pending.delete(m.id);
      if (this.#pending.size === 0) worker.unref();
      if ('error' in m) p.reject(new Error(`onnxruntime worker: ${m.error}`));
      else p.resolve(m.outputs);
    });
    const fail = (e: Error): void => {
      this.#failed ??= e;
      for (const p of this.#pending.values()) p.reject(e);
      this.#pending.clear();
      worker.unref();
    };
    worker.on('error', fail);
    worker.on('exit', (code) => fail(new Error(`onnxruntime worker exited (${code})`)));
    // An idle worker must not keep the process alive; while a call is pending it must (or a
    // script awaiting only that call would see its event loop empty and exit).
    worker.unref();
  }

  /**
   * Starts the worker and creates the session(s) in it; rejects when either fails. With several
   * models, one thread hosts them all (they run one after the other there); `run(feeds, i)`
   * picks the model.
   */
  static async start(model: Uint8Array | readonly Uint8Array[], opts: SessionOptions): Promise<WorkerSession> {
    const ortPath = createRequire(import.meta.url).resolve('onnxruntime-node');
    const models = model instanceof Uint8Array ? [model] : [...model];
    const worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { ortPath, models, options: ortOptions(opts) } });
    const ready = await new Promise<Ready>((resolve) => {
      worker.once('message', (m: Ready) => resolve(m));
      worker.once('error', (e) => resolve({ ready: false, error: e.message }));
    });
    if (!ready.ready) {
      await worker.terminate();
      throw new Error(`onnxruntime worker did not start: ${ready.error}`);
    }
    return new WorkerSession(worker);
  }

  get failed(): Error | null {
    return this.#failed;
  }

  run(feeds: Record<string, ort.Tensor>, model = 0): Promise<Record<string, WireTensor>> {
    if (this.#failed) return Promise.reject(this.#failed);
    const id = this.#nextId++;
    const wire: Record<string, WireTensor> = {};
    for (const [k, t] of Object.entries(feeds)) wire[k] = { type: t.type, data: t.data, dims: t.dims };
    return new Promise((resolve, reject) => {
      if (this.#pending.size === 0) this.#worker.ref();
      this.#pending.set(id, { resolve, reject });
      this.#worker.postMessage({ id, model, feeds: wire });
    });
  }

  async close(): Promise<void> {
    this.#failed ??= new Error('onnxruntime worker closed');
    await this.#worker.terminate();
  }
}

/**
 * A session on a worker thread that falls back to an in-thread session when the worker cannot
 * start or fails later (the failed call is retried in-thread, so a caller sees no error).
 */
export class OffThreadSession implements ModelSession {
  #worker: WorkerSession | null;
  #local: Promise<ort.InferenceSession> | null = null;

  private constructor(
    private readonly model: Uint8Array,
    private readonly opts: SessionOptions,
    worker: WorkerSession | null,
    private readonly index: number,
  ) {
    this.#worker = worker;
  }

  static async create(model: Uint8Array, opts: SessionOptions): Promise<OffThreadSession> {
    const [s] = await OffThreadSession.createGroup([model], opts);
    return s as OffThreadSession;
  }

  /**
   * One session per model, all on one shared worker thread (closing any closes the thread for
   * all, and each then falls back in-thread).
   */
  static async createGroup(models: readonly Uint8Array[], opts: SessionOptions): Promise<OffThreadSession[]> {
    let worker: WorkerSession | null = null;
    try {
      worker = await WorkerSession.start(models, opts);
    } catch {
      worker = null; // e.g. threads unavailable: run in-thread
    }
    const sessions = models.map((m, i) => new OffThreadSession(m, opts, worker, i));
    if (!worker) for (const s of sessions) await s.#fallback();
    return sessions;
  }

  /** True while the worker thread is in use. */
  get offThread(): boolean {
    return this.#worker !== null && this.#worker.failed === null;
  }

  #fallback(): Promise<ort.InferenceSession> {
    this.#local ??= ort.InferenceSession.create(this.model, ortOptions(this.opts));
    return this.#local;
  }

  async run(feeds: Record<string, ort.Tensor>): Promise<Record<string, { readonly data: unknown }>> {
    if (this.#worker && !this.#worker.failed) {
      try {
        return await this.#worker.run(feeds, this.index);
      } catch (e) {
        if (!this.#worker.failed) throw e; // the model refused the input: same as in-thread
        this.#worker = null; // the thread died: fall through to the in-thread session
      }
    }
    return (await this.#fallback()).run(feeds);
  }

  async close(): Promise<void> {
    await this.#worker?.close();
    this.#worker = null;
  }
}
