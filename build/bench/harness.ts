// Benchmark harness types and statistics. A suite is a module `*/bench/*.bench.ts` whose
// default export is a BenchSuite; `npm run bench -- --only PREFIX --out FILE.json` runs them.

export interface BenchResult {
  /** Dotted name, prefixed by the suite's area, e.g. `store.insert_attendance_full.per_s`. */
  name: string;
  unit: string;
  /** The figure compared with the target. */
  value: number;
  /** Number of samples or operations behind the figure. */
  n: number;
  p50?: number;
  p95?: number;
  /** Target from the issue, for the printed table (e.g. '>= 1000' or '<= 50'). */
  target?: string;
  note?: string;
}

export interface BenchContext {
  /** A scratch directory removed after the run. */
  tmpDir: string;
  /** Quick mode (CI smoke run): smaller sizes, same code paths. */
  quick: boolean;
  log(message: string): void;
}

export interface BenchSuite {
  /** Names of the figures this suite reports, used by --only filtering before running it. */
  prefix: string;
  run(ctx: BenchContext): Promise<BenchResult[]>;
}

export function percentile(samples: readonly number[], p: number): number {
  if (samples.length === 0) return Number.NaN;
  const sorted = [...samples].sort((a, b) => a - b);
  const idx = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[idx] as number;
}

export function distribution(name: string, unit: string, samples: readonly number[], pick: 'p50' | 'p95', target?: string): BenchResult {
  const p50 = percentile(samples, 50);
  const p95 = percentile(samples, 95);
  const r: BenchResult = { name, unit, value: pick === 'p50' ? p50 : p95, n: samples.length, p50, p95 };
  if (target !== undefined) r.target = target;
  return r;
}

export function elapsedMs(startNs: bigint): number {
  return Number(process.hrtime.bigint() - startNs) / 1e6;
}
