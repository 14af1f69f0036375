// build/electron-builder.yml passes electron-builder's own schema validation (app-builder-lib,
// no Electron download needed) and keeps what the shell relies on: the main entry, every
// native module unpacked from asar, the models readable by path, NSIS + AppImage + deb, and
// the generic update provider.
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { parse } from 'yaml';
import { REPO_ROOT } from '../../server/core.js';

const require = createRequire(import.meta.url);
const file = join(REPO_ROOT, 'build', 'electron-builder.yml');
const config = parse(readFileSync(file, 'utf8')) as Record<string, unknown> & {
  extraMetadata: { main: string };
  asarUnpack: string[];
  win: { target: Array<{ target: string }> };
  linux: { target: Array<{ target: string }> };
  publish: Array<{ provider: string }>;
};

describe('packaging configuration (electron-builder)', () => {
  it('is valid for electron-builder', async () => {
    const { validateConfiguration } = require('app-builder-lib/out/util/config/config') as {
      validateConfiguration(c: unknown, logger: unknown): Promise<void>;
    };
    const { DebugLogger } = require('builder-util/out/DebugLogger') as { DebugLogger: new (enabled: boolean) => unknown };
    await expect(validateConfiguration(structuredClone(config), new DebugLogger(false))).resolves.toBeUndefined();
    await expect(validateConfiguration({ ...structuredClone(config), kioskMode: true }, new DebugLogger(false))).rejects.toThrow();
  });

  it('starts the compiled shell named in package.json', () => {
    const pkg = JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as { main: string };
    expect(config.extraMetadata.main).toBe(pkg.main);
    expect(config.extraMetadata.main).toBe('dist/app/main/main.js');
  });

  it('unpacks every native module and the models from asar', () => {
    for (const m of ['better-sqlite3', 'onnxruntime-node', 'sharp', '@img', 'serialport', '@serialport', 'node-hid']) {
      expect(config.asarUnpack, m).toContain(`node_modules/${m}/**/*`);
    }
    expect(config.asarUnpack).toContain('dist/models/**/*');
  });

  it('builds NSIS for Windows, AppImage and deb for Linux, with generic-provider updates', () => {
    expect(config.win.target.map((t) => t.target)).toEqual(['nsis']);
    expect(config.linux.target.map((t) => t.target)).toEqual(['AppImage', 'deb']);
    expect(config.publish[0]?.provider).toBe('generic');
  });
});
