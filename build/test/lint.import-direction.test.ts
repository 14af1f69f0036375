// The dependency direction of ARCHITECTURE.md (docs/decisions/0014-layers-enforced.md), checked
// with the project's real ESLint config on snippets planted (virtually) in every layer: each
// forbidden import is written every way a module can be loaded — import, export … from,
// import(), require(), import x = require(), import('…').T, new URL('…', import.meta.url) —
// and must be refused; computed specifiers and createRequire are refused outright; and an
// allowed import next to each passes, so a rule that refuses everything would fail here too.
import { describe, expect, it } from 'vitest';
import { ESLint } from 'eslint';
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { dirname, join, relative } from 'node:path';
import { globToRegExp } from '../lint/import-layers.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const eslint = new ESLint({ cwd: root });
const RULE = 'layers/import-direction';

async function layerErrors(file: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: join(root, file) });
  const fatal = result?.messages.find((m) => m.fatal);
  if (fatal) throw new Error(`${file}: ${fatal.message}\n${code}`);
  return (result?.messages ?? []).filter((m) => m.ruleId === RULE).map((m) => m.message);
}

/** The specifier by which `from` names the repository file `to` (`x.js` for `x.ts`). */
function specifier(from: string, to: string): string {
  if (!/^(app|edge-core|drivers|sync|models|build)\//.test(to)) return to; // a package
  const r = relative(dirname(from), to);
  return r.startsWith('.') ? r : `./${r}`;
}

/** Every way of loading a module, as a snippet loading `spec`. */
const LOADERS: Record<string, (spec: string) => string> = {
  'import … from': (s) => `import { a } from '${s}';\nexport { a };`,
  'export * from': (s) => `export * from '${s}';`,
  'import()': (s) => `export const m = await import('${s}');`,
  'require()': (s) => `export const m = require('${s}');`,
  'import x = require()': (s) => `import m = require('${s}');\nexport { m };`,
  "import('…').T": (s) => `export type T = import('${s}').X;`,
  'new URL(…, import.meta.url)': (s) => `export const worker = new URL('${s}', import.meta.url);`,
};
const PACKAGE_LOADERS = ['import … from', 'import()', 'require()', 'import x = require()'];

interface LayerCase {
  file: string;
  /** The layer's name in eslint.config.js, when the case is named otherwise. */
  layer?: string;
  /** Repository files (as `x.js`) or packages this layer may not import. */
  refused: string[];
  /** Ones it may (each must pass). */
  allowed: string[];
}

const CASES: Record<string, LayerCase> = {
  'edge-core': {
    file: 'edge-core/src/store/planted.ts',
    refused: ['app/server/core.js', 'drivers/src/index.js', 'sync/src/index.js', 'models/tools/eval-face.js', 'electron', 'fastify', '@fastify/websocket', 'serialport', 'ws', 'node:http', 'https', 'node:http2', 'node:tls', 'node:dgram', 'net', 'node:child_process'],
    allowed: ['edge-core/src/util/uuidv7.js', 'edge-core/src/face/index.js', 'better-sqlite3', 'node:crypto', 'node:worker_threads', 'zod'],
  },
  'edge-core tests': {
    file: 'edge-core/test/store/planted.test.ts',
    refused: ['app/server/core.js', 'app/shared/api-types.js', 'drivers/src/index.js', 'sync/src/index.js', 'sync/test/support/fake-ids.js', 'models/tools/eval-face.js'],
    allowed: ['edge-core/src/store/store.js', 'edge-core/test/face/helpers.js', 'build/bench/harness.js', 'vitest', 'fast-check'],
  },
  'edge-core benchmarks': {
    file: 'edge-core/bench/planted.bench.ts',
    layer: 'edge-core tests',
    refused: ['app/server/core.js', 'drivers/src/index.js', 'sync/src/index.js'],
    allowed: ['edge-core/src/store/store.js', 'build/bench/harness.js'],
  },
  drivers: {
    file: 'drivers/src/turnstile/planted.ts',
    refused: ['edge-core/src/store/store.js', 'edge-core/src/rules/index.js', 'app/server/core.js', 'sync/src/index.js', 'electron', 'fastify', 'better-sqlite3'],
    allowed: ['edge-core/src/index.js', 'edge-core/src/ports/devices.js', 'drivers/src/errors.js', 'serialport', 'node:net', 'node:child_process'],
  },
  'drivers tests': {
    file: 'drivers/test/planted.test.ts',
    refused: ['app/server/core.js', 'sync/src/index.js', 'sync/simulator/server.js', 'edge-core/src/store/store.js'],
    allowed: ['drivers/src/index.js', 'drivers/src/simulators/card-deck.js', 'edge-core/src/index.js', 'vitest'],
  },
  sync: {
    file: 'sync/src/outbox/planted.ts',
    refused: ['edge-core/src/store/outbox-repo.js', 'drivers/src/index.js', 'app/server/core.js', 'electron', 'better-sqlite3', 'serialport', 'fastify'],
    allowed: ['edge-core/src/index.js', 'edge-core/src/ports/platform.js', 'sync/src/platform/client.js', 'node:https'],
  },
  'the platform simulator': {
    file: 'sync/simulator/planted.ts',
    refused: ['drivers/src/index.js', 'app/server/core.js', 'edge-core/src/store/store.js', 'electron', 'serialport'],
    allowed: ['sync/src/index.js', 'sync/simulator/faults.js', 'edge-core/src/index.js', 'better-sqlite3', 'node:http'],
  },
  'sync tests': {
    file: 'sync/test/planted.test.ts',
    refused: ['app/server/core.js', 'drivers/src/index.js', 'edge-core/src/store/store.js'],
    allowed: ['sync/src/index.js', 'sync/simulator/server.js', 'sync/test/support/fake-ids.js', 'edge-core/src/index.js', 'vitest'],
  },
  'app/shared': {
    file: 'app/shared/planted.ts',
    refused: ['edge-core/src/index.js', 'edge-core/src/store/visitor-repo.js', 'app/server/core.js', 'app/ui/src/App.js', 'app/main/main.js', 'node:fs', 'fs', 'fastify', 'react'],
    allowed: ['app/shared/i18n/messages.js', 'edge-core/src/domain/records.js', 'edge-core/src/domain/resident-id.js', 'zod'],
  },
  'the kiosk UI': {
    file: 'app/ui/src/screens/Planted.tsx',
    refused: [
      'edge-core/src/index.js',
      'edge-core/src/store/workers-repo.js',
      'edge-core/src/rules/index.js',
      'edge-core/src/rules/monthly-sheet-writers.js',
      'app/server/api/server.js',
      'app/main/main.js',
      'drivers/src/index.js',
      'sync/src/index.js',
      'node:fs',
      'path',
      'buffer',
      'better-sqlite3',
      'electron',
      'vite',
    ],
    allowed: ['app/ui/src/api/core.js', 'app/shared/api-types.js', 'edge-core/src/domain/records.js', 'edge-core/src/rules/gate-policy-schema.js', 'edge-core/src/auth/roles.js', 'react', 'react-dom/client', 'zod', 'uqr'],
  },
  'the Electron shell': {
    file: 'app/main/planted.ts',
    refused: ['app/server/remote-commands.js', 'app/server/core.js', 'edge-core/src/index.js', 'app/ui/src/App.js', 'better-sqlite3', 'fastify', 'onnxruntime-node', 'serialport'],
    allowed: ['app/main/url-guard.js', 'app/shared/core-supervisor.js', 'app/shared/key-protector-ipc.js', 'electron', 'electron-updater', 'node:fs', 'zod'],
  },
  'the core (app/server)': {
    file: 'app/server/api/planted.ts',
    refused: ['app/main/main.js', 'app/ui/src/App.js', 'edge-core/src/store/store.js', 'edge-core/src/rules/calendar-dates.js', 'drivers/src/turnstile/lanes.js', 'sync/src/outbox/outbox-worker.js', 'sync/simulator/server.js', 'electron', 'electron-updater'],
    allowed: ['edge-core/src/index.js', 'edge-core/src/ports/devices.js', 'drivers/src/index.js', 'sync/src/index.js', 'app/shared/api-types.js', 'app/server/services.js', 'fastify', 'node:net'],
  },
  'app tests': {
    file: 'app/test/planted.test.ts',
    refused: [],
    allowed: ['app/server/core.js', 'app/ui/src/lib/id-number.js', 'app/main/url-guard.js', 'edge-core/src/store/ledger-codec.js', 'drivers/src/index.js', 'sync/simulator/server.js', 'sync/test/support/fake-ids.js', 'playwright-core'],
  },
  models: {
    file: 'models/tools/planted.ts',
    refused: ['app/server/core.js', 'drivers/src/index.js', 'sync/src/index.js', 'edge-core/src/face/engine.js'],
    allowed: ['edge-core/src/index.js', 'models/tools/tfjs2onnx/cli.js', 'onnxruntime-node'],
  },
};

describe('lint: dependency direction in every layer', () => {
  for (const [name, c] of Object.entries(CASES)) {
    const layer = c.layer ?? name;
    it(`${name}: every way of loading a refused module is refused, the allowed ones pass`, { timeout: 300_000 }, async () => {
      for (const target of c.refused) {
        const spec = specifier(c.file, target);
        const isPackage = spec === target;
        for (const [how, snippet] of Object.entries(LOADERS)) {
          if (isPackage && !PACKAGE_LOADERS.includes(how)) continue;
          const errors = await layerErrors(c.file, snippet(spec));
          expect(errors, `${layer} loading ${target} by ${how}`).toHaveLength(1);
          expect(errors[0], `${layer} loading ${target} by ${how}`).toContain(`${layer} may not import`);
        }
      }
      for (const target of c.allowed) {
        expect(await layerErrors(c.file, LOADERS['import … from']!(specifier(c.file, target))), `${layer} importing ${target}`).toEqual([]);
      }
    });
  }

  it('a computed specifier or createRequire is refused in every layer but the build scripts', { timeout: 300_000 }, async () => {
    const computed = [
      'declare const name: string;\nexport const m = await import(name);',
      'declare const name: string;\nexport const m = require(name);',
      'declare const name: string;\nexport const m = await import(`./${name}.js`);',
    ];
    const createRequire = [
      "import { createRequire } from 'node:module';\nexport const r = createRequire(import.meta.url);",
      "import * as mod from 'node:module';\nexport const r = mod.createRequire(import.meta.url);",
      "const { createRequire } = await import('node:module');\nexport const r = createRequire(import.meta.url);",
    ];
    for (const [layer, c] of Object.entries(CASES)) {
      for (const code of computed) expect((await layerErrors(c.file, code)).join('\n'), `${layer}: ${code}`).toMatch(/computed specifier/);
      for (const code of createRequire) expect((await layerErrors(c.file, code)).join('\n'), `${layer}: ${code}`).toMatch(/createRequire/);
    }
    for (const code of [...computed, ...createRequire]) expect(await layerErrors('build/bench/planted.ts', code)).toEqual([]);
  });

  it('an exception is one file’s, for one thing, and no other file has it', { timeout: 300_000 }, async () => {
    const resolveOrt = "import { createRequire } from 'node:module';\nexport const p = createRequire(import.meta.url).resolve('onnxruntime-node');";
    expect(await layerErrors('edge-core/src/face/onnx-worker.ts', resolveOrt)).toEqual([]);
    expect(await layerErrors('edge-core/src/face/engine.ts', resolveOrt)).toHaveLength(1);
    expect(await layerErrors('edge-core/src/face/onnx-worker.ts', "import { a } from '../../../app/server/core.js';\nexport { a };")).toHaveLength(1);
    const electronPath = "import { createRequire } from 'node:module';\nconst require = createRequire(import.meta.url);\nexport const p = require('electron');";
    expect(await layerErrors('app/server/open-ui.ts', electronPath)).toEqual([]);
    expect(await layerErrors('app/server/start.ts', electronPath)).toHaveLength(2);
    expect(await layerErrors('app/server/open-ui.ts', "import { app } from 'electron-updater';\nexport { app };")).toHaveLength(1);
  });

  it('a relative path is judged by the file it names, however it is spelt', async () => {
    const f = 'drivers/src/planted.ts';
    expect(await layerErrors(f, "import { a } from '../../edge-core/src/../src/store/store.js';\nexport { a };")).toHaveLength(1);
    expect(await layerErrors(f, "import { a } from '../../edge-core/src/ports/../index.js';\nexport { a };")).toEqual([]);
    expect(await layerErrors(f, "import { a } from '../../../elsewhere/x.js';\nexport { a };")).toHaveLength(1);
  });

  it('every source file of the repository belongs to a layer', async () => {
    const config = (await eslint.calculateConfigForFile(join(root, 'edge-core/src/index.ts'))) as { rules: Record<string, [string, { layers: Array<{ files: string[] }> }]> };
    const layers = config.rules[RULE]![1].layers;
    const files = execFileSync('git', ['ls-files', '*.ts', '*.tsx', '*.cts', '*.mts', '*.js', '*.mjs', '*.cjs'], { cwd: root, encoding: 'utf8' })
      .split('\n')
      .filter((f) => f && !f.endsWith('.gen.js') && !f.startsWith('app/ui/dist/'));
    expect(files.length).toBeGreaterThan(300);
    const homeless = files.filter((f) => !layers.some((l) => l.files.some((g) => globToRegExp(g).test(f))));
    expect(homeless).toEqual([]);
  });
});
