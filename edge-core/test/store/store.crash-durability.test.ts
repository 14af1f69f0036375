// A child process records attendance events (20 KB photo each) and prints every id after its
// commit returned; it is SIGKILLed at a random instant 50 times. Every printed id must be in
// the database afterwards, and integrity_check must pass. This is the rule "no passage that
// opened the gate is lost": the gate opens only after `record` returns.
import { describe, expect, it, afterAll } from 'vitest';
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { DB_FILE } from '../../src/index.js';
import { openTestStore, tempDir } from './helpers.js';

const writer = fileURLToPath(new URL('./fixtures/attendance-writer.ts', import.meta.url));
const t = tempDir('sitegate-crash-');
let running: ReturnType<typeof spawn> | null = null;
afterAll(() => {
  // A writer still running when the test ends (a timeout) is killed before its directory goes.
  running?.kill('SIGKILL');
  t.cleanup();
});

function runAndKill(killAfterFirstMs: number): Promise<string[]> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', writer, t.dir, t.keyDir], { stdio: ['ignore', 'pipe', 'pipe'] });
    running = child;
    const ids: string[] = [];
    let buf = '';
    let err = '';
    let timer: NodeJS.Timeout | undefined;
    child.stdout.on('data', (chunk: Buffer) => {
      buf += chunk.toString('utf8');
      const lines = buf.split('\n');
      buf = lines.pop() ?? '';
      ids.push(...lines.filter(Boolean));
      if (!timer) timer = setTimeout(() => child.kill('SIGKILL'), killAfterFirstMs);
    });
    child.stderr.on('data', (c: Buffer) => (err += c.toString('utf8')));
    child.on('exit', (_code, signal) => {
      if (signal !== 'SIGKILL') reject(new Error(`writer exited on its own: ${err}`));
      else resolve(ids); // a partial last line (no newline) was not reported, so not counted
    });
  });
}

describe('store: crash durability', () => {
  it('every id reported as committed survives 50 SIGKILLs at random instants', async () => {
    openTestStore(t.dir).store.close();
    const reported: string[] = [];
    for (let i = 0; i < 50; i++) {
      reported.push(...(await runAndKill(Math.floor(Math.random() * 120))));
    }
    expect(reported.length).toBeGreaterThan(50);
    const db = new Database(join(t.dir, DB_FILE));
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
    const present = new Set((db.prepare('SELECT id FROM attendance_events').all() as Array<{ id: string }>).map((r) => r.id));
    const missing = reported.filter((id) => !present.has(id));
    expect(missing).toEqual([]);
    db.close();
  }, 240_000);
});
