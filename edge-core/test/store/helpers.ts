import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openStore, type Clock, type StoreOpenResult } from '../../src/index.js';

export function tempDir(prefix = 'sitegate-test-'): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

export function fixedClock(start = Date.UTC(2026, 10, 24, 0, 30)): Clock & { advance(ms: number): void; set(ms: number): void } {
  let t = start;
  return { now: () => t, advance: (ms) => (t += ms), set: (ms) => (t = ms) };
}

export function openTestStore(dataDir: string, clock: Clock = fixedClock()): StoreOpenResult {
  return openStore({ dataDir, clock });
}

/** A syntactically valid but obviously synthetic resident ID number (region 999999 does not exist). */
export function fakeIdNumber(serial: number, birth = '19900101'): string {
  const body = `999999${birth}${String(serial % 1000).padStart(3, '0')}`;
  const weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
  const sum = [...body].reduce((s, ch, i) => s + Number(ch) * (weights[i] as number), 0);
  return body + '10X98765432'[sum % 11];
}
