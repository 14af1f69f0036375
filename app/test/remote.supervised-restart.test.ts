// A remote restart end to end with real processes: `npm start`'s supervisor (run from the
// sources with tsx) starts the core against a platform simulator in this test process; the
// platform queues a restart; the core records it, exits with the restart code, the supervisor
// starts it again at once, and the restarted core acknowledges the command with its first
// heartbeat (the outcome waited in the database). SIGTERM then ends both processes.
import { afterAll, describe, expect, it } from 'vitest';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEFAULT_SIM_APP, startPlatformSimulator, type PlatformSimulator } from '../../sync/src/index.js';
import { AuditLog, openStore, SettingsRepo, systemClock } from '../../edge-core/src/index.js';
import { APPSECRET_KEY } from '../server/sync-service.js';
import { REPO_ROOT } from '../server/paths.js';

const dir = mkdtempSync(join(tmpdir(), 'sg-supervised-'));
let sim: PlatformSimulator | null = null;
let sup: ChildProcess | null = null;
let output = '';

afterAll(async () => {
  if (sup && sup.exitCode === null) sup.kill('SIGKILL');
  await sim?.close();
  rmSync(dir, { recursive: true, force: true });
});

const freePort = () =>
  new Promise<number>((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const p = (s.address() as { port: number }).port;
      s.close(() => resolve(p));
    });
  });

async function until(what: string, cond: () => boolean | Promise<boolean>, timeoutMs = 120_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await cond())) {
    if (Date.now() > deadline || sup?.exitCode !== null) throw new Error(`${what}: not within ${timeoutMs} ms (supervisor exit ${sup?.exitCode})\n${output.slice(-3000)}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

async function health(port: number): Promise<{ uptimeS: number } | null> {
  try {
    const r = await fetch(`http://127.0.0.1:${port}/health`);
    return (await r.json()) as { uptimeS: number };
  } catch {
    return null;
  }
}

describe('supervised restart', () => {
  it('a restart command from the platform restarts the core under npm start’s supervisor and is acknowledged afterwards', async () => {
    sim = await startPlatformSimulator({ dbPath: join(dir, 'platform.db'), projects: ['TEST-PROJECT-001'], asyncDelayMs: 0 });
    const dataDir = join(dir, 'data');
    // A demo core keeps its data in the data directory's own demo/ folder.
    const demoDir = join(dataDir, 'demo');
    // Commissioning: the appsecret entered once in Settings (stored encrypted).
    const { store } = openStore({ dataDir: demoDir, clock: systemClock });
    new SettingsRepo(store).setSecret(APPSECRET_KEY, DEFAULT_SIM_APP.appsecret);
    store.close();
    const port = await freePort();
    const configFile = join(dir, 'config.json');
    writeFileSync(
      configFile,
      JSON.stringify({
        demo: true,
        project: { code: 'TEST-PROJECT-001', name: '测试项目' },
        platform: { type: 'remote', endpoint: sim.url, appId: DEFAULT_SIM_APP.appid, deviceSn: 'SG-RESTART-1', heartbeatSeconds: 5, calendarMethod: null },
        devices: { simulate: false },
        storage: { reserveMb: 0 },
        log: { level: 'warn' },
      }),
    );
    sup = spawn(process.execPath, ['--import', 'tsx', join(REPO_ROOT, 'app/server/supervisor.main.ts'), '--no-open', '--port', String(port), '--data-dir', dataDir, '--config', configFile], {
      cwd: REPO_ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    sup.stdout?.on('data', (c: Buffer) => (output += c.toString()));
    sup.stderr?.on('data', (c: Buffer) => (output += c.toString()));

    await until('the first core answers', async () => (await health(port)) !== null);
    await until('the first heartbeat', () => sim?.stats().lastHeartbeat !== null);
    const commandId = sim.sendCommand('SG-RESTART-1', 'restart');
    await until('the restart', () => output.includes('restart requested: starting SiteGate again'));
    await until('the restarted core answers', async () => ((await health(port))?.uptimeS ?? 99) < 30 && output.split('界面 UI').length >= 3);
    await until('the acknowledgement from the restarted core', () => sim?.stats().acks.some((a) => a.commandId === commandId) ?? false, 60_000);
    expect(sim.stats().acks.find((a) => a.commandId === commandId)).toMatchObject({ deviceSn: 'SG-RESTART-1', ok: true, message: expect.stringContaining('restarting') });

    sup.kill('SIGTERM');
    const code = await new Promise<number | null>((resolve) => (sup?.exitCode !== null ? resolve(sup?.exitCode ?? null) : sup.once('exit', (c) => resolve(c))));
    expect(code).toBe(0);
    await until('the core is gone', async () => (await health(port)) === null, 15_000).catch(() => {
      throw new Error('the core still answers after the supervisor ended');
    });

    const reopened = openStore({ dataDir: demoDir, clock: systemClock });
    const audit = new AuditLog(reopened.store).list({ action: 'remote.restart' });
    reopened.store.close();
    expect(audit[0]).toMatchObject({ actor: 'platform', target: commandId, details: { result: { ok: true } } });
  }, 300_000);
});
