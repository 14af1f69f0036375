// ESLint flat config. Besides typescript-eslint's recommended rules it enforces the
// dependency direction of ARCHITECTURE.md with one rule over the layer table below
// (build/lint/import-layers.js; decision: docs/decisions/0014-layers-enforced.md):
// edge-core imports nothing of ours and nothing of hosts, network or devices; drivers and
// sync import edge-core only through its entry points; the kiosk UI and app/shared only what
// a browser can load; the Electron shell nothing of the core's; tests stay within their area.
// build/test/lint.import-direction.test.ts plants an import of each kind in every layer.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import { readFileSync } from 'node:fs';
import { URL, fileURLToPath } from 'node:url';
import layers from './build/lint/import-layers.js';

const root = fileURLToPath(new URL('.', import.meta.url));

/**
 * The browser-safe files of edge-core: the UI's own tsconfig lists them (and so proves they
 * load no Node), and the UI and app/shared may import these and no other edge-core file.
 */
const uiTsconfig = JSON.parse(readFileSync(new URL('./app/ui/tsconfig.json', import.meta.url), 'utf8'));
const browserSafeEdgeCore = uiTsconfig.include.filter((p) => p.startsWith('../../edge-core/')).map((p) => p.slice('../../'.length));

/** How hosts and adapters reach edge-core: its entry point and its ports. */
const edgeCoreEntry = ['edge-core/src/index.ts', 'edge-core/src/ports/*.ts'];

/** Shared helpers of tests and benchmarks. */
const testSupport = ['build/test/**', 'build/bench/**', 'build/test-support/**'];

/** What the core (app/server) may hand to the Electron shell: nothing — they share app/shared. */
const shellMayImportFromServer = [];

const electron = ['electron', 'electron-updater'];
const httpServer = ['fastify', '@fastify/*'];
const devices = ['serialport', '@serialport/*', 'node-hid'];
const network = ['ws', 'undici', 'node:http', 'node:https', 'node:http2', 'node:net', 'node:tls', 'node:dgram'];

/**
 * The layers, first match wins. `ours`: the repository files a layer may import (relative
 * specifiers are resolved first); `packages`: `allow` (only these) or `deny` (all but these),
 * node built-ins spelt `node:name`; `exceptions`: one file allowed one more thing, with why.
 * `computedImports`/`createRequire`: whether the layer may load modules the rule cannot see.
 */
const layerTable = [
  {
    name: 'edge-core',
    files: ['edge-core/src/**'],
    ours: ['edge-core/src/**'],
    why: 'edge-core is the library: it imports nothing of ours outside edge-core/src.',
    packages: {
      deny: [...electron, ...httpServer, ...network, ...devices, 'node:child_process', 'node:cluster', 'playwright-core'],
      why: 'edge-core does not depend on hosts, HTTP, the network, processes or devices.',
    },
    exceptions: [{ file: 'edge-core/src/face/onnx-worker.ts', allow: ['createRequire'], why: "resolves onnxruntime-node's file for its worker thread" }],
  },
  {
    name: 'edge-core tests',
    files: ['edge-core/test/**', 'edge-core/bench/**'],
    ours: ['edge-core/**', ...testSupport],
    why: 'a test or benchmark of edge-core exercises edge-core alone: no app, drivers, sync or models.',
  },
  {
    name: 'drivers',
    files: ['drivers/src/**'],
    ours: ['drivers/src/**', ...edgeCoreEntry],
    why: 'drivers import edge-core only through edge-core/src/index.js or edge-core/src/ports/*.js, and nothing of app or sync.',
    packages: { deny: [...electron, ...httpServer, 'better-sqlite3'], why: "drivers talk to devices: the store is edge-core's, the HTTP API and the shell the app's." },
  },
  {
    name: 'drivers tests',
    files: ['drivers/test/**', 'drivers/bench/**'],
    ours: ['drivers/**', ...edgeCoreEntry, ...testSupport],
    why: 'a test of the drivers uses the drivers, their simulators and edge-core’s entry points: no app or sync.',
  },
  {
    name: 'sync',
    files: ['sync/src/**'],
    ours: ['sync/src/**', 'sync/simulator/**', ...edgeCoreEntry],
    why: 'sync imports edge-core only through edge-core/src/index.js or edge-core/src/ports/*.js, and nothing of app or drivers.',
    packages: { deny: [...electron, ...httpServer, ...devices, 'better-sqlite3'], why: "sync reaches the store through edge-core's API, and no device or host." },
  },
  {
    name: 'the platform simulator',
    files: ['sync/simulator/**'],
    ours: ['sync/src/**', 'sync/simulator/**', ...edgeCoreEntry],
    why: 'the simulator (demo mode, tests) is part of sync: edge-core through its entry points, nothing of app or drivers.',
    packages: { deny: [...electron, ...devices], why: 'the simulator is an HTTP server with its own database, no device or host.' },
  },
  {
    name: 'sync tests',
    files: ['sync/test/**', 'sync/bench/**'],
    ours: ['sync/**', ...edgeCoreEntry, ...testSupport],
    why: 'a test of sync uses sync, its simulator and edge-core’s entry points: no app or drivers.',
  },
  {
    name: 'app/shared',
    files: ['app/shared/**'],
    ours: ['app/shared/**', ...browserSafeEdgeCore],
    why: 'app/shared is loaded by the browser UI too: only app/shared and the browser-safe edge-core files listed in app/ui/tsconfig.json.',
    packages: { allow: ['zod'], why: 'app/shared is loaded by the browser UI too: zod only.' },
  },
  {
    name: 'the kiosk UI',
    files: ['app/ui/src/**'],
    ours: ['app/ui/src/**', 'app/shared/**', ...browserSafeEdgeCore],
    why: 'the UI runs in the browser: it imports app/shared and the browser-safe edge-core files listed in app/ui/tsconfig.json, nothing else of ours.',
    packages: { allow: ['react', 'react-dom', 'zod', 'uqr'], why: 'the UI runs in the browser; a new browser package is added to this list in eslint.config.js.' },
  },
  {
    name: 'the Electron shell',
    files: ['app/main/**'],
    ours: ['app/main/**', 'app/shared/**', ...shellMayImportFromServer],
    why: 'the shell is a thin host: it starts the core as a process and shares only app/shared with it.',
    packages: {
      deny: [...httpServer, ...devices, 'better-sqlite3', 'onnxruntime-node', 'sharp', 'exceljs', 'pino', 'pino-roll'],
      why: 'the shell is a thin host: the store, models, devices and HTTP run in the core’s process.',
    },
  },
  {
    name: 'the core (app/server)',
    files: ['app/server/**'],
    ours: ['app/server/**', 'app/shared/**', ...edgeCoreEntry, 'drivers/src/index.ts', 'sync/src/index.ts'],
    why: 'the core composes edge-core, drivers and sync through their entry points (edge-core/src/index.js and ports, drivers/src/index.js, sync/src/index.js), and shares only app/shared with the shell and the UI.',
    packages: { deny: [...electron, 'playwright-core', 'vitest'], why: 'the core runs in plain Node; Electron is the shell’s.' },
    exceptions: [{ file: 'app/server/open-ui.ts', allow: ['createRequire', 'electron'], why: "finds Electron's binary (the package exports its path) to open the UI in development" }],
  },
  {
    name: 'app tests',
    files: ['app/test/**', 'app/bench/**'],
    ours: ['**'],
    why: 'the app is the integration level: its tests and benchmarks may use every layer.',
    exceptions: [{ file: 'app/test/main/shell.packaging-config.test.ts', allow: ['createRequire'], why: "loads electron-builder's CommonJS validator" }],
  },
  {
    name: 'models',
    files: ['models/**'],
    ours: ['models/**', ...edgeCoreEntry, ...testSupport],
    why: 'model tools and their tests use edge-core through its entry point, nothing of app, drivers or sync.',
  },
  {
    name: 'build',
    files: ['build/**', '*.js', '*.ts', 'app/ui/vite.config.ts'],
    ours: ['**'],
    why: 'build scripts and configuration see the whole repository.',
    computedImports: true,
    createRequire: true,
  },
];

export default tseslint.config(
  { ignores: ['node_modules/**', 'dist/**', 'app/ui/dist/**', '**/*.gen.js', 'coverage/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { ecmaVersion: 2023, sourceType: 'module' },
    plugins: { layers },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-explicit-any': 'error',
      'no-console': 'off',
      'layers/import-direction': ['error', { root, layers: layerTable }],
    },
  },
);
