import { describe, expect, it } from 'vitest';
import { writeFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfigFile, parseConfig, ConfigError, defaultDataDir } from '../server/config.js';
import { startTestCore } from './helpers.js';
import { StartupError } from '../server/core.js';

describe('core start: bad configuration and environment', () => {
  it('an unknown key names the key and the file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'sg-cfg-'));
    const file = join(dir, 'config.yaml');
    writeFileSync(file, 'demo: false\nserver:\n  port: 8686\n  colour: red\n');
    try {
      expect(() => loadConfigFile(file)).toThrow(ConfigError);
      expect(() => loadConfigFile(file)).toThrow(/server: unknown key\(s\) "colour"/);
    } finally {
      rmSync(dir, { recursive: true });
    }
  });

  it('a wrong type names the path and the expectation', () => {
    let err: ConfigError | undefined;
    try {
      parseConfig({ server: { port: 'eighty' } });
    } catch (e) {
      err = e as ConfigError;
    }
    expect(err).toBeInstanceOf(ConfigError);
    expect(err?.problems[0]).toMatch(/^server\.port: /);
  });

  it('broken YAML and a missing file are reported as such', () => {
    const dir = mkdtempSync(join(tmpdir(), 'sg-cfg-'));
    const file = join(dir, 'c.yaml');
    writeFileSync(file, 'server: [port: 1\n');
    try {
      expect(() => loadConfigFile(file)).toThrow(/cannot be parsed/);
      expect(() => loadConfigFile(join(dir, 'none.yaml'))).toThrow(/does not exist/);
    } finally {
      rmSync(dir, { recursive: true });
    }
  });

  it('a turnstile of an unknown type, or a device entry with an unknown key, is refused', () => {
    expect(() => parseConfig({ devices: { turnstiles: [{ type: 'magic', path: '/dev/x', lanes: {} }] } })).toThrow(/devices\.turnstiles\.0/);
    expect(() => parseConfig({ devices: { idCardReader: { path: '/dev/ttyUSB0', baud: 9600 } } })).toThrow(/unknown key\(s\) "baud"/);
  });

  it('the data directory follows OS conventions and the override', () => {
    expect(defaultDataDir({ SITEGATE_DATA_DIR: '/srv/sg' }, 'linux')).toBe('/srv/sg');
    expect(defaultDataDir({ XDG_DATA_HOME: '/x' }, 'linux')).toBe('/x/sitegate');
    expect(defaultDataDir({ APPDATA: 'C:\\Users\\a\\AppData\\Roaming' }, 'win32')).toMatch(/SiteGate$/);
  });

  it('a port already in use gives a clear message and loses nothing', async () => {
    const a = await startTestCore();
    try {
      await expect(startTestCore({ server: { port: a.port } })).rejects.toThrow(StartupError);
      await expect(startTestCore({ server: { port: a.port } })).rejects.toThrow(/already in use/);
    } finally {
      await a.stop();
    }
  });
});
