// The data directory holds personal data: everything in it is the SiteGate user's only —
// directories 0700, files 0600 (database, WAL, backups, logs, reserve, gallery snapshot, the
// demo platform's database), and the device key, kept in its own directory apart from the data,
// likewise. Checked with the permissive umask 022 in force, so the modes
// come from the code, not from the umask the entry points set; and an older install's 0644/0755
// files are narrowed at the next start. The real core in this process, with its real log file.
import { afterAll, describe, expect, it } from 'vitest';
import { chmodSync, existsSync, lstatSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { parseConfig } from '../server/config.js';
import { startCore, type CoreHandle } from '../server/core.js';
import { until } from '../../build/test-support/until.js';

const root = mkdtempSync(join(tmpdir(), 'sg-modes-'));
const umask = process.umask(0o022);
afterAll(() => {
  process.umask(umask);
  rmSync(root, { recursive: true, force: true });
});

function walk(dir: string): Array<{ path: string; dir: boolean; mode: number }> {
  const out = [{ path: dir, dir: true, mode: statSync(dir).mode & 0o777 }];
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    const st = lstatSync(p);
    if (st.isDirectory()) out.push(...walk(p));
    else out.push({ path: p, dir: false, mode: st.mode & 0o777 });
  }
  return out;
}

const keyDir = join(root, 'keys');

async function start(dataDir: string): Promise<CoreHandle> {
  const config = parseConfig({
    demo: true,
    server: { port: 0 },
    devices: { simulate: false },
    gate: { livenessPolicy: 'test-only:temporal-off' },
    storage: { reserveMb: 1, warnFreeMb: 1, criticalFreeMb: 1 },
  });
  return startCore({ config, dataDir, keyDir, uiDir: null, gate: true, waitForGate: true });
}

describe('data directory permissions', () => {
  it('everything the core writes is 0600 in 0700 directories, and an older install is narrowed at start', async () => {
    const dataDir = join(root, 'data');
    let core = await start(dataDir);
    try {
      await core.services.store.autoBackup();
      core.services.logger.info('a line for the log file');
      await until('the reserve and the gallery snapshot', () => existsSync(join(dataDir, 'reserve.bin')) && existsSync(join(dataDir, 'cache')) && readdirSync(join(dataDir, 'cache')).length > 0);
      core.services.logger.flush();
    } finally {
      await core.close();
    }
    const entries = walk(dataDir);
    const names = entries.map((e) => relative(dataDir, e.path));
    // What must be there (each kind of personal data the brief names).
    for (const want of ['sitegate.db', 'reserve.bin', 'platform-simulator.db']) expect(names).toContain(want);
    expect(names.some((n) => n.includes('device.key'))).toBe(false);
    const keys = walk(keyDir).map((e) => `${relative(keyDir, e.path) || '.'} ${e.mode.toString(8)}`);
    expect(keys).toEqual(expect.arrayContaining(['. 700', 'device.key 600']));
    // The public key may be read by anyone; everything else there is private.
    expect(keys.filter((k) => !k.startsWith('device.pub ') && !k.endsWith(' 600') && !k.endsWith(' 700')), keys.join(', ')).toEqual([]);
    for (const dir of ['backups', 'logs', 'cache']) expect(names.some((n) => n.startsWith(`${dir}/`))).toBe(true);
    const wrong = entries.filter((e) => e.mode !== (e.dir ? 0o700 : 0o600)).map((e) => `${relative(dataDir, e.path) || '.'} ${e.mode.toString(8)}`);
    expect(wrong).toEqual([]);

    // An older install: the same files readable by everyone. The next start narrows them.
    for (const e of entries) chmodSync(e.path, e.dir ? 0o755 : 0o644);
    core = await start(dataDir);
    try {
      // The WAL and its index exist while the core runs: they follow the database's mode.
      const running = walk(dataDir);
      expect(running.map((e) => relative(dataDir, e.path))).toContain('sitegate.db-wal');
      expect(running.filter((e) => e.mode !== (e.dir ? 0o700 : 0o600)).map((e) => `${relative(dataDir, e.path) || '.'} ${e.mode.toString(8)}`)).toEqual([]);
    } finally {
      await core.close();
    }
  }, 180_000);
});
