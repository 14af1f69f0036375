// Silent failures towards the platform (issue 14.8), through a real core and a real platform
// simulator configured as the remote platform: a heartbeat refused with −3, and every call
// refused with −1 "timestamp outside window". Each shows in the sync status (as a code), in
// /health (degraded, in plain words zh then en, with what to do) and in the log — and never
// as "the platform is fine".
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { SettingsRepo, openStore } from '../../edge-core/src/index.js';
import { ALL_METHODS, DEFAULT_SIM_APP, startPlatformSimulator, type PlatformSimulator } from '../../sync/src/index.js';
import { APPSECRET_KEY } from '../server/sync-service.js';
import { api, login, startTestCore, type TestCore } from './helpers.js';
import { waitFor } from './fixtures/kiosk-flows.js';

const PROJECT = 'DEMO-360100-0001';
let core: TestCore | undefined;
let sim: PlatformSimulator | undefined;
const dirs: string[] = [];
afterEach(async () => {
  await core?.stop();
  await sim?.close();
  core = sim = undefined;
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

/** A core whose platform is `sim` (the appsecret entered in Settings beforehand), on a fixed clock. */
async function coreAgainst(s: PlatformSimulator): Promise<TestCore> {
  const dir = mkdtempSync(join(tmpdir(), 'sg-problems-'));
  dirs.push(dir);
  const pre = openStore({ dataDir: dir, clock: { now: () => Date.now() } });
  new SettingsRepo(pre.store).setSecret(APPSECRET_KEY, DEFAULT_SIM_APP.appsecret);
  pre.store.close();
  // A clock given from outside is never corrected by the measured skew (as on a host that
  // keeps its own time): a refusal of the request time stands until someone fixes the clock.
  return startTestCore({ platform: { type: 'remote', endpoint: s.url, appId: DEFAULT_SIM_APP.appid } }, dir, { clock: { now: () => Date.now() } });
}

function logged(c: TestCore, problem: string): Array<{ level: number; msg: string }> {
  return c.logLines.map((l) => JSON.parse(l) as { level: number; msg: string; problem?: string }).filter((l) => l.problem === problem);
}

describe('sync: problems towards the platform in plain words', () => {
  it('a heartbeat refused with −3: sync status, /health and the log say the device key is not registered and what to do', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sg-sim-'));
    dirs.push(dir);
    sim = await startPlatformSimulator({ dbPath: join(dir, 'platform.db'), projects: [PROJECT] });
    sim.setApp({ ...DEFAULT_SIM_APP, methods: ALL_METHODS.filter((m) => m !== 'Device.Heartbeat') });
    core = await coreAgainst(sim);
    const c = core;
    const sup = await login(c, 'supervisor');
    await waitFor('the heartbeat problem in the sync status', async () => ((await api(c, 'GET', '/api/sync/status', undefined, sup)).json.problems ?? []).length > 0, 30_000);

    const status = (await api(c, 'GET', '/api/sync/status', undefined, sup)).json;
    expect(status.problems).toEqual([{ code: 'heartbeat_not_permitted', params: { method: 'Device.Heartbeat', code: -3 }, since: expect.any(Number) }]);

    const health = (await api(c, 'GET', '/health')).json;
    expect(health.status).toBe('degraded');
    expect(health.components.platform.ok).toBe(false);
    const detail: string = health.components.platform.detail;
    expect(detail).toContain('Device.Heartbeat');
    expect(detail).toContain('设备公钥没有登记');
    expect(detail).toContain('平台管理员');
    expect(detail).toMatch(/public key has not been registered/);
    expect(detail.indexOf('设备公钥')).toBeLessThan(detail.indexOf('public key')); // zh first

    const lines = logged(c, 'heartbeat_not_permitted');
    expect(lines.length).toBe(1); // said once, not at every beat
    expect(lines[0]?.level).toBe(40); // warn
    expect(lines[0]?.msg).toContain('设备公钥没有登记');

    // Granted: the next beat clears it everywhere.
    sim.setApp({ ...DEFAULT_SIM_APP });
    await c.sync.beatNow();
    expect((await api(c, 'GET', '/api/sync/status', undefined, sup)).json.problems).toEqual([]);
    expect((await api(c, 'GET', '/health')).json.components.platform).toEqual({ ok: true });
  }, 120_000);

  it('every call refused with −1 "timestamp outside window": not "unknown", /health names the clock and what to do', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sg-sim-'));
    dirs.push(dir);
    sim = await startPlatformSimulator({ dbPath: join(dir, 'platform.db'), projects: [PROJECT], timestampRefusalCode: -1 });
    sim.setTimeOffset(-45 * 60_000); // the platform is 45 min behind the device
    core = await coreAgainst(sim);
    const c = core;
    const sup = await login(c, 'supervisor');
    await waitFor('the clock problem', async () => ((await api(c, 'GET', '/api/sync/status', undefined, sup)).json.problems ?? []).some((p: { code: string }) => p.code === 'clock_outside_window'), 30_000);

    const status = (await api(c, 'GET', '/api/sync/status', undefined, sup)).json;
    expect(status.connectivity).toBe('blocked');
    expect(status.parked).toBe(0);
    const health = (await api(c, 'GET', '/health')).json;
    expect(health.status).toBe('degraded');
    const detail: string = health.components.platform.detail;
    expect(detail).toContain('时间戳超出平台允许的时间窗口');
    expect(detail).toContain('北京时间');
    expect(detail).toMatch(/date, time and time zone/);
    expect(sim.stats().byCode['-1']).toBeGreaterThan(0);
    expect(logged(c, 'clock_outside_window').length).toBeGreaterThanOrEqual(1);
  }, 120_000);
});
