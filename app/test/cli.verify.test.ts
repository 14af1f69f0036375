import { afterEach, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { randomBytes } from 'node:crypto';
import { AttendanceRepo, AuditLog, DB_FILE, createEventSigner, openStore, systemClock } from '../../edge-core/src/index.js';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function writeStore(): { dir: string; ids: string[] } {
  const dir = mkdtempSync(join(tmpdir(), 'sitegate-verify-'));
  dirs.push(dir);
  const { store } = openStore({ dataDir: dir, clock: systemClock });
  const repo = new AttendanceRepo(store);
  const ids = Array.from({ length: 30 }, (_, i) =>
    repo.record({ laneId: 'lane-1', workerId: null, direction: 'in', decision: 'refuse', reasons: ['face.unknown'], photoJpeg: Buffer.from(`P${i}`) }).id,
  );
  new AuditLog(store).append('admin', 'test.verify', null, {});
  store.close();
  return { dir, ids };
}

function cli(...args: string[]): { status: number | null; out: string } {
  const r = spawnSync(process.execPath, ['--import', 'tsx', 'app/server/cli.ts', 'verify', ...args], { encoding: 'utf8', timeout: 60_000 });
  return { status: r.status, out: `${r.stdout}${r.stderr}` };
}

describe('npm run verify -- DB (the command a site IT person or inspector runs)', () => {
  it('says the chain is intact (exit 0), with the key fingerprint and where the key came from', () => {
    const { dir } = writeStore();
    const r = cli(join(dir, DB_FILE));
    expect(r.status).toBe(0);
    expect(r.out).toMatch(/OK: the chain is intact/);
    expect(r.out).toMatch(/the device key in /);
    expect(r.out).toMatch(/entries 31 \(attendance 30, audit 1\)/);
  });

  it('names the first broken link of a hand-edited file (exit 3), JSON on request', () => {
    const { dir, ids } = writeStore();
    const db = new Database(join(dir, DB_FILE));
    db.exec('DROP TRIGGER attendance_no_edit');
    db.prepare("UPDATE attendance_events SET decision = 'pass' WHERE id = ?").run(ids[11]);
    db.close();
    const text = cli(dir);
    expect(text.status).toBe(3);
    expect(text.out).toContain(`entry 12 — attendance ${ids[11]}: 记录被改动 / record_altered`);
    const json = cli(dir, '--json');
    expect(JSON.parse(json.out.trim().split('\n').pop() as string)).toMatchObject({ ok: false, firstBroken: { seq: 12, problem: 'record_altered' } });
  });

  it('refuses a file checked against another device key given on the command line', () => {
    const { dir } = writeStore();
    const other = createEventSigner(randomBytes(32)).publicKey.toString('hex');
    const r = cli(dir, '--public-key', other);
    expect(r.status).toBe(3);
    expect(r.out).toMatch(/signature_invalid/);
  });

  it('reports a missing database clearly (exit 4)', () => {
    const r = cli(join(tmpdir(), 'no-such-sitegate-dir', DB_FILE));
    expect(r.status).toBe(4);
    expect(r.out).toMatch(/no database at/);
  });
});
