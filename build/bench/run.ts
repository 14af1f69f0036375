// `npm run bench -- [--only PREFIX[,PREFIX]] [--out FILE.json] [--quick]`
// Discovers `{edge-core,drivers,sync,app}/bench/*.bench.ts`, runs the suites whose prefix
// matches, prints a table and writes a JSON array of results.
import { parseArgs } from 'node:util';
import { mkdtempSync, readdirSync, rmSync, writeFileSync, existsSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { BenchResult, BenchSuite } from './harness.js';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

function discover(): string[] {
  const files: string[] = [];
  for (const area of ['edge-core', 'drivers', 'sync', 'app']) {
    const dir = join(root, area, 'bench');
    if (!existsSync(dir)) continue;
    for (const f of readdirSync(dir)) if (f.endsWith('.bench.ts')) files.push(join(dir, f));
  }
  return files.sort();
}

function matches(name: string, only: string[]): boolean {
  return only.length === 0 || only.some((p) => name.startsWith(p) || p.startsWith(name));
}

function fmt(v: number | undefined): string {
  if (v === undefined || Number.isNaN(v)) return '';
  return Math.abs(v) >= 100 ? v.toFixed(0) : v.toFixed(2);
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: { only: { type: 'string', multiple: true }, out: { type: 'string' }, quick: { type: 'boolean', default: false } },
  });
  const only = (values.only ?? []).flatMap((o) => o.split(',')).filter(Boolean);
  const results: BenchResult[] = [];
  for (const file of discover()) {
    const mod = (await import(pathToFileURL(file).href)) as { default: BenchSuite };
    const suite = mod.default;
    if (!matches(suite.prefix, only)) continue;
    const tmp = mkdtempSync(join(tmpdir(), 'sitegate-bench-'));
    // Benchmark stores keep their device keys in the suite's temp dir, never in the appliance's key dir.
    const keyDirBefore = process.env.SITEGATE_KEY_DIR;
    process.env.SITEGATE_KEY_DIR = join(tmp, 'keys');
    try {
      console.error(`# ${suite.prefix} (${file.slice(root.length + 1)})`);
      const out = await suite.run({ tmpDir: tmp, quick: values.quick, log: (m) => console.error(`  ${m}`) });
      results.push(...out.filter((r) => only.length === 0 || only.some((p) => r.name.startsWith(p))));
    } finally {
      if (keyDirBefore === undefined) delete process.env.SITEGATE_KEY_DIR;
      else process.env.SITEGATE_KEY_DIR = keyDirBefore;
      rmSync(tmp, { recursive: true, force: true });
    }
  }
  const rows = results.map((r) => [r.name, fmt(r.value), r.unit, r.target ?? '', String(r.n), fmt(r.p50), fmt(r.p95)]);
  const header = ['name', 'value', 'unit', 'target', 'n', 'p50', 'p95'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i] ?? 0)).join('  ');
  console.log(line(header));
  for (const r of rows) console.log(line(r));
  if (values.out) {
    mkdirSync(dirname(resolve(values.out)), { recursive: true });
    writeFileSync(values.out, `${JSON.stringify(results, null, 2)}\n`);
    console.error(`wrote ${values.out}`);
  }
  if (results.length === 0) {
    console.error('no benchmark matched');
    process.exit(1);
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
