// The demo keeps its data apart from production, and a production core never opens with the
// demo's PINs or synthetic workers; the first-run setup is refused from the LAN, writes the
// configuration file without losing what an installer wrote, and starts nothing on bad input.
// Real cores on real data folders (bootFromArgs as `npm start` runs it), real TLS for the LAN.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { networkInterfaces, tmpdir } from 'node:os';
import { join } from 'node:path';
import https from 'node:https';
import { bootFromArgs } from '../server/boot.js';
import { dataDirFor, parseConfig } from '../server/config.js';
import { StartupError } from '../server/core.js';
import { applySetupToYaml, turnstilesFromLanes } from '../server/site-setup.js';
import { sheetFileName, attachmentHeader } from '../server/api/report-routes.js';
import { siteSetupRequest } from '../shared/api-types.js';
import { RESPONSES } from '../shared/api/contract.js';
import { api, startTestCore } from './helpers.js';

const SETUP = {
  pins: { admin: '917352', supervisor: '824613', clerk: '731946' },
  project: { code: '36010020260001', name: '赣江新区演示工地' },
  lanes: [
    { id: 'lane-1', name: '东门进场', direction: 'in', turnstile: { type: 'modbus_relay', path: '/dev/ttyUSB0', channels: { in: 0, out: 1 } } },
    { id: 'lane-2', name: '东门出场', direction: 'out', turnstile: { type: 'modbus_relay', path: '/dev/ttyUSB0', channels: { in: 2, out: 3 } } },
  ],
  devices: { simulate: false, idCardReaderPath: '/dev/ttyUSB1' },
  platform: { type: 'off' },
};

const dirs: string[] = [];
function tmp(): string {
  const d = mkdtempSync(join(tmpdir(), 'sg-demo-first-'));
  dirs.push(d);
  return d;
}
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

describe('the demo in its own folder', () => {
  it('puts demo data in <data dir>/demo, and a production core there sees no demo PIN or worker', async () => {
    const base = tmp();
    expect(dataDirFor(parseConfig({}), base)).toBe(join(base, 'demo'));
    expect(dataDirFor(parseConfig({ demo: false }), base)).toBe(base);

    const demo = await bootFromArgs(['--data-dir', base, '--port', '0', '--no-open']);
    try {
      expect(demo.dataDir).toBe(join(base, 'demo'));
      expect(existsSync(join(base, 'demo', 'sitegate.db'))).toBe(true);
      expect((await api(demo.core, 'POST', '/api/session', { role: 'admin', pin: '900000' })).status).toBe(200);
    } finally {
      await demo.core.close();
    }

    // The same base folder with `demo: false`: nothing of the demo is there.
    const config = join(base, 'config.yaml');
    writeFileSync(config, 'demo: false\nplatform: { type: off }\ndevices: { simulate: false }\nstorage: { reserveMb: 0 }\n');
    const prod = await bootFromArgs(['--data-dir', base, '--port', '0', '--no-open', '--config', config]);
    try {
      expect(prod.dataDir).toBe(base);
      const login = await api(prod.core, 'POST', '/api/session', { role: 'admin', pin: '900000' });
      expect(login.status).toBe(401);
      expect(login.json.error.code).toBe('auth.demo_pin');
      expect((await api(prod.core, 'GET', '/api/setup/status')).json).toMatchObject({ firstRun: true, demo: false });
      expect(prod.core.services.workers.list({ limit: 100 })).toEqual([]);
    } finally {
      await prod.core.close();
    }
  });

  it('refuses to start a production core on a folder that holds the demo\u2019s data', async () => {
    const dir = tmp();
    const demo = await startTestCore({}, dir);
    await demo.stop();
    await expect(startTestCore({ demo: false }, dir)).rejects.toThrow(StartupError);
    await expect(startTestCore({ demo: false }, dir)).rejects.toThrow(/demo/);
  });

  it('refuses the demo PINs as production PINs: at set-up, for a new account, as a new PIN, at sign-in', async () => {
    const core = await startTestCore({ demo: false });
    try {
      // /api/setup/pins (the older first-run route) on this machine: a demo PIN is refused.
      const r = await api(core, 'POST', '/api/setup/pins', { admin: '900000', supervisor: '824613', clerk: '731946' });
      expect(r.json.error.code).toBe('auth.demo_pin');
      const named = await api(core, 'POST', '/api/setup/pins', { accounts: [{ name: '张工', role: 'admin', pin: '700000' }] });
      expect(named.json.error.code).toBe('auth.demo_pin');
      expect(core.services.accounts.any()).toBe(false);
      // The wizard's platform test (refused in the demo, so the contract test cannot call it): an address nothing listens on fails in words, as the contract says.
      const probe = await api(core, 'POST', '/api/setup/platform-test', { endpoint: 'http://127.0.0.1:9/api', appId: 'test-app', appsecret: 'S'.repeat(32), projectCode: 'TEST-0001' });
      expect([probe.status, probe.json.ok]).toEqual([200, false]);
      expect(RESPONSES['POST /api/setup/platform-test'].safeParse(probe.json).error).toBeUndefined();

      // Nor later, as a new person's PIN or anyone's new PIN (named accounts), nor to sign in.
      const first = await api(core, 'POST', '/api/setup/pins', { accounts: [{ name: '张工', role: 'admin', pin: '917352' }] });
      expect(first.status).toBe(200);
      expect(RESPONSES['POST /api/setup/pins'].safeParse(first.json).error).toBeUndefined();
      const admin = await api(core, 'POST', '/api/session', { account: 1, pin: '917352' });
      expect(admin.status).toBe(200);
      const token = admin.json.token as string;
      const create = await api(core, 'POST', '/api/accounts', { name: '李劳务', role: 'clerk', pin: '700000' }, token);
      expect([create.status, create.json.error.code]).toEqual([400, 'auth.demo_pin']);
      const repin = await api(core, 'PUT', '/api/accounts/1/pin', { pin: '800000' }, token);
      expect([repin.status, repin.json.error.code]).toEqual([400, 'auth.demo_pin']);
      const older = await api(core, 'PUT', '/api/admin/pins', { role: 'admin', pin: '900000' }, token);
      expect([older.status, older.json.error.code]).toEqual([400, 'auth.demo_pin']);
      expect(core.services.accounts.list().map((a) => a.name)).toEqual(['张工']);
      const demoLogin = await api(core, 'POST', '/api/session', { account: 1, pin: '900000' });
      expect([demoLogin.status, demoLogin.json.error.code]).toEqual([401, 'auth.demo_pin']);
      expect((await api(core, 'POST', '/api/session', { account: 1, pin: '917352' })).status).toBe(200);
    } finally {
      await core.stop();
    }
  });
});

function lanAddress(): string {
  for (const list of Object.values(networkInterfaces())) for (const a of list ?? []) if (a.family === 'IPv4' && !a.internal) return a.address;
  throw new Error('this test needs a non-loopback IPv4 address on the machine');
}

function lanPost(url: string, body: unknown, onBody?: (json: unknown) => void): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = https.request(url, { method: 'POST', rejectUnauthorized: false, headers: { 'content-type': 'application/json' } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        onBody?.(JSON.parse(Buffer.concat(chunks).toString('utf8') || 'null'));
        resolve(res.statusCode ?? 0);
      });
    });
    req.on('error', reject);
    req.end(JSON.stringify(body));
  });
}

describe('first-run setup', () => {
  let dir: string;
  beforeAll(() => {
    dir = tmp();
  });

  it('is refused from the LAN (nobody can claim the appliance over the network) and saves on the kiosk', async () => {
    execFileSync('bash', ['build/make-lan-cert.sh', dir, lanAddress()], { stdio: 'pipe' });
    const config = join(dir, 'config.yaml');
    const installer = '# 安装人员填写的说明\ndemo: false\nplatform: { type: off }\ndevices: { simulate: false }\nstorage: { reserveMb: 0 }\nlog: { level: warn }\n';
    writeFileSync(config, installer);
    let reloads = 0;
    const { startCore } = await import('../server/core.js');
    const { createLogger } = await import('../server/logger.js');
    const core = await startCore({
      config: parseConfig({ ...(await import('yaml')).parse(installer), server: { port: 0, lan: { enabled: true, tlsCertFile: join(dir, 'lan-cert.pem'), tlsKeyFile: join(dir, 'lan-key.pem') } } }),
      dataDir: join(dir, 'data'),
      logger: createLogger({ level: 'silent' }),
      uiDir: null,
      gate: false,
      configFile: config,
      onReloadRequested: () => void (reloads += 1),
    });
    try {
      const lan = `https://${lanAddress()}:${core.port}`;
      for (const path of ['/api/setup', '/api/setup/pins']) {
        const status = await lanPost(`${lan}${path}`, path === '/api/setup' ? SETUP : SETUP.pins);
        expect([401, 403]).toContain(status);
      }
      expect(core.services.accounts.any()).toBe(false);
      expect(readFileSync(config, 'utf8')).toBe(installer);

      // A bad answer changes nothing.
      const url = `https://127.0.0.1:${core.port}/api/setup`;
      expect(await lanPost(url, { ...SETUP, pins: { ...SETUP.pins, clerk: '111111' } })).toBe(400);
      expect(await lanPost(url, { ...SETUP, pins: { ...SETUP.pins, clerk: '900000' } })).toBe(400);
      expect(await lanPost(url, { ...SETUP, pins: { ...SETUP.pins, clerk: SETUP.pins.admin } })).toBe(400);
      expect(core.services.accounts.any()).toBe(false);
      expect(readFileSync(config, 'utf8')).toBe(installer);

      // On the kiosk (loopback over TLS here, as the LAN is on): saved, the installer's text kept.
      // The reply as the contract says (app/shared/api/contract.ts; the contract test's core is the demo, which refuses the set-up).
      expect(await lanPost(url, SETUP, (json) => expect(RESPONSES['POST /api/setup'].safeParse(json).error).toBeUndefined())).toBe(200);
      const text = readFileSync(config, 'utf8');
      expect(text).toContain('# 安装人员填写的说明');
      expect(text).toContain('log: { level: warn }');
      const written = parseConfig((await import('yaml')).parse(text));
      expect(written).toMatchObject({ demo: false, project: { code: SETUP.project.code, name: SETUP.project.name } });
      expect(written.devices.turnstiles).toEqual([{ type: 'modbus_relay', path: '/dev/ttyUSB0', unit: 1, lanes: { 'lane-1': { in: 0, out: 1 }, 'lane-2': { in: 2, out: 3 } } }]);
      expect(written.devices.idCardReader).toMatchObject({ path: '/dev/ttyUSB1' });
      expect(core.services.accounts.enabledOfRole('admin').length).toBe(1);
      await expect.poll(() => reloads).toBe(1);
      // Once done, never again.
      expect(await lanPost(url, SETUP)).toBe(409);
    } finally {
      await core.close();
    }
  }, 60_000);

  it('keeps an installer\u2019s platform variant settings and never writes the appsecret', () => {
    const setup = siteSetupRequest.parse({ ...SETUP, platform: { type: 'remote', endpoint: 'https://platform.example/api', appId: 'app-1', appsecret: 'S'.repeat(32) } });
    const text = applySetupToYaml('platform:\n  type: remote\n  endpoint: https://old.example/api\n  appId: old\n  signature: md5 # this city signs with MD5\n', setup);
    expect(text).toContain('signature: md5 # this city signs with MD5');
    expect(text).toContain('endpoint: https://platform.example/api');
    expect(text).not.toContain('S'.repeat(32));
    expect(turnstilesFromLanes(setup.lanes)).toHaveLength(1);
  });
});

describe('the monthly sheet\u2019s file name', () => {
  it('is Chinese (项目_按班组_2026-12_考勤表.xlsx) with an ASCII fallback, and safe as a file name', () => {
    expect(sheetFileName('某某项目', '2026-12', 'team', 'xlsx')).toEqual({ name: '某某项目_按班组_2026-12_考勤表.xlsx', ascii: 'attendance-2026-12-team.xlsx' });
    expect(sheetFileName('a/b:c\u0001', '2026-12', 'employer', 'csv').name).toBe('a b c_按单位_2026-12_考勤表.csv');
    expect(attachmentHeader(sheetFileName('某', '2026-12', 'team', 'xlsx'))).toBe(
      `attachment; filename="attendance-2026-12-team.xlsx"; filename*=UTF-8''${encodeURIComponent('某_按班组_2026-12_考勤表.xlsx')}`,
    );
  });
});
