// A child process records attendance events (20 KB photo each) and prints every id after its
// commit returned; it is SIGKILLed at a random instant, 50 times — or, on a busy machine where
// each start of the writer is slow, as many times as fit in 60 s but never fewer than 15. Every
// printed id must be in the database afterwards, and integrity_check must pass. This is the rule
// "no passage that opened the gate is lost": the gate opens only after `record` returns.
import { describe, expect, it, afterAll } from 'vitest';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { DB_FILE } from '../../src/index.js';
import { openTestStore, tempDir } from './helpers.js';
import { killOwnedProcesses, spawnOwned } from '../../../build/test-support/owned-process.js';

const writer = fileURLToPath(new URL('./fixtures/attendance-writer.ts', import.meta.url));
const t = tempDir('sitegate-crash-');
afterAll(async () => {
  await killOwnedProcesses(); // a writer left by a failed or timed-out test (it writes forever)
  t.cleanup();
});
const KILLS = 50;
const MIN_KILLS = 15;
const BUDGET_MS = 60_000;

function runAndKill(killAfterFirstMs: number): Promise<string[]> {
  return new Promise((resolve, reject) => {
    const child = spawnOwned(process.execPath, ['--import', 'tsx', writer, t.dir, t.keyDir]).proc;
    const ids: string[] = [];
    let buf = '';
    let err = '';
    let timer: NodeJS.Timeout | undefined;
    child.stdout?.on('data', (chunk: Buffer) => {
      buf += chunk.toString('utf8');
      const lines = buf.split('\n');
      buf = lines.pop() ?? '';
      ids.push(...lines.filter(Boolean));
      if (!timer) timer = setTimeout(() => child.kill('SIGKILL'), killAfterFirstMs);
    });
    child.stderr?.on('data', (c: Buffer) => (err += c.toString('utf8')));
    child.on('exit', (_code, signal) => {
      if (signal !== 'SIGKILL') reject(new Error(`writer exited on its own: ${err}`));
      else resolve(ids); // a partial last line (no newline) was not reported, so not counted
    });
  });
}

describe('store: crash durability', () => {
  it(`every id reported as committed survives up to ${KILLS} SIGKILLs at random instants (at least ${MIN_KILLS})`, async () => {
    openTestStore(t.dir).store.close();
    const reported: string[] = [];
    const t0 = performance.now();
    let kills = 0;
    while (kills < KILLS && (kills < MIN_KILLS || performance.now() - t0 < BUDGET_MS)) {
      reported.push(...(await runAndKill(Math.floor(Math.random() * 120))));
      kills++;
    }
    console.log(`crash durability: ${kills} SIGKILLs, ${reported.length} ids reported committed, ${Math.round(performance.now() - t0)} ms`);
    expect(kills).toBeGreaterThanOrEqual(MIN_KILLS);
    expect(reported.length).toBeGreaterThan(kills);
    const db = new Database(join(t.dir, DB_FILE));
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
    const present = new Set((db.prepare('SELECT id FROM attendance_events').all() as Array<{ id: string }>).map((r) => r.id));
    const missing = reported.filter((id) => !present.has(id));
    expect(missing).toEqual([]);
    db.close();
  }, 900_000); // against a hang only: the budget ends the loop
});
