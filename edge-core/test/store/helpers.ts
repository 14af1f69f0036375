import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openStore, withCheckDigit, type Clock, type StoreOpenResult } from '../../src/index.js';

/** A temp data directory `dir` and, beside it (outside it), the key directory `keyDir` its store uses. */
export function tempDir(prefix = 'sitegate-test-'): { dir: string; keyDir: string; cleanup: () => void } {
  const root = mkdtempSync(join(tmpdir(), prefix));
  const dir = join(root, 'data');
  mkdirSync(dir);
  return { dir, keyDir: testKeyDir(dir), cleanup: () => rmSync(root, { recursive: true, force: true }) };
}

/** The key directory openTestStore uses for a data directory: beside it, never inside. */
export function testKeyDir(dataDir: string): string {
  return `${dataDir}.keys`;
}

export function fixedClock(start = Date.UTC(2026, 10, 24, 0, 30)): Clock & { advance(ms: number): void; set(ms: number): void } {
  let t = start;
  return { now: () => t, advance: (ms) => (t += ms), set: (ms) => (t = ms) };
}

export function openTestStore(dataDir: string, clock: Clock = fixedClock()): StoreOpenResult {
  return openStore({ dataDir, clock, keyDir: testKeyDir(dataDir) });
}

/** A syntactically valid but obviously synthetic resident ID number (region 999999 does not exist). */
export function fakeIdNumber(serial: number, birth = '19900101'): string {
  return withCheckDigit(`999999${birth}${String(serial % 1000).padStart(3, '0')}`);
}
