// Fault injection for the simulator: one-shot faults queued on command, and a random mix
// applied to a share of calls. Seeded so a failing run can be repeated.
export const FAULT_KINDS = [
  'http500', // the write is committed, then HTTP 500
  'http503', // refused before processing, HTTP 503
  'timeout', // never answers (before processing)
  'timeout-after-commit', // commits, then never answers
  'reset-before-commit', // connection reset, nothing stored
  'reset-after-commit', // commits, then resets the connection
  'slow', // commits and answers after `delayMs`
  'http429', // HTTP 429 with Retry-After
  'code-2', // result code -2 (signature)
  'code-5', // result code -5 (rate limited)
  'async-item-failure', // async result fails some items with a transient reason
  'html', // an HTML error page (before processing)
  'malformed-json', // commits, answers broken JSON
  'truncated', // commits, answers half a body and cuts the connection
  'redirect', // HTTP 302 to a login page (before processing)
  'bad-reply-sign', // commits, reply signed wrongly
  'unknown-code', // commits, answers an undocumented result code
] as const;

export type FaultKind = (typeof FAULT_KINDS)[number];

export interface FaultSpec {
  kind: FaultKind;
  /** Only for this method (e.g. 'WorkerAttendance.Add'); any method when absent. */
  method?: string;
  /** For 'slow' (default 3000) and the hang of 'timeout' (default 60000). */
  delayMs?: number;
  /** Retry-After for 'http429' (default 1) and 'http503' (default none). */
  retryAfterS?: number;
}

export interface RandomFaults {
  /** Share of matching calls that fail, 0..1. */
  rate: number;
  kinds: FaultKind[];
  /** Methods affected (default: every method). */
  methods?: string[];
  /** Delay of 'slow' answers. */
  delayMs?: number;
  /** How long 'timeout' faults hold the connection (the client usually gives up first). */
  hangMs?: number;
  /** Retry-After seconds on 429 (default 1) and 503 (default none). */
  retryAfterS?: number;
}

export interface FaultPlan {
  queue: FaultSpec[];
  random: RandomFaults | null;
}

/** mulberry32: a tiny seeded PRNG. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export class FaultInjector {
  #plan: FaultPlan = { queue: [], random: null };
  #rand: () => number;
  readonly injected = new Map<FaultKind, number>();

  constructor(seed = 1) {
    this.#rand = seededRandom(seed);
  }

  plan(): FaultPlan {
    return { queue: [...this.#plan.queue], random: this.#plan.random };
  }

  enqueue(...faults: FaultSpec[]): void {
    for (const f of faults) if (!FAULT_KINDS.includes(f.kind)) throw new Error(`unknown fault kind '${String(f.kind)}'`);
    this.#plan.queue.push(...faults);
  }

  setRandom(r: RandomFaults | null, seed?: number): void {
    if (r) for (const k of r.kinds) if (!FAULT_KINDS.includes(k)) throw new Error(`unknown fault kind '${String(k)}'`);
    this.#plan.random = r;
    if (seed !== undefined) this.#rand = seededRandom(seed);
  }

  clear(): void {
    this.#plan = { queue: [], random: null };
  }

  random(): number {
    return this.#rand();
  }

  /** The fault to apply to this call, if any. */
  next(method: string): FaultSpec | null {
    const i = this.#plan.queue.findIndex((f) => f.method === undefined || f.method === method);
    let f: FaultSpec | null = null;
    if (i >= 0) {
      f = this.#plan.queue[i] ?? null;
      this.#plan.queue.splice(i, 1);
    } else {
      const r = this.#plan.random;
      if (r && r.kinds.length > 0 && (!r.methods || r.methods.includes(method)) && this.#rand() < r.rate) {
        const kind = r.kinds[Math.floor(this.#rand() * r.kinds.length)] as FaultKind;
        const delay = kind === 'timeout' || kind === 'timeout-after-commit' ? r.hangMs : r.delayMs;
        f = { kind };
        if (delay !== undefined) f.delayMs = delay;
        if (r.retryAfterS !== undefined) f.retryAfterS = r.retryAfterS;
      }
    }
    if (f) this.injected.set(f.kind, (this.injected.get(f.kind) ?? 0) + 1);
    return f;
  }
}
