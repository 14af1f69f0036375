// The first start outside the demo, in Chromium against a real core started from a
// configuration file that says only `demo: false` (with an installer's comment): the kiosk
// shows the first-run wizard — PINs (a demo PIN refused), project, lanes and devices
// (simulated), the provincial platform with a test call (a wrong appsecret fails in plain
// words, the right one passes) — against a real platform simulator over HTTP. The save writes
// the configuration file (comment kept, no secret in it) and the core starts again from it; the
// demo's PINs are then refused, no synthetic worker appears, the new admin PIN works, and an
// appsecret changed in Settings takes effect on the running core (the platform sees the next
// heartbeat signed with it) without a restart. Every wizard step is checked at both sizes.
import { readFileSync } from 'node:fs';
import { describe, expect, it, beforeAll, afterAll } from 'vitest';
import type { Page } from 'playwright-core';
import { startKiosk, openPage, signIn, shot, SIZES, type Kiosk } from './kiosk-harness.js';
import { checkChineseScreen } from './screen-text.js';
import { startPlatformSimulator, DEFAULT_SIM_APP, type PlatformSimulator } from '../../../sync/src/index.js';

const PINS = { clerk: '731946', supervisor: '824613', admin: '917352' };
const PROJECT = '36010020260001';

let k: Kiosk;
let platform: PlatformSimulator;
beforeAll(async () => {
  platform = await startPlatformSimulator({ port: 0, host: '127.0.0.1', dbPath: ':memory:', projects: [PROJECT] });
  k = await startKiosk({ configYaml: '# 安装人员：正式模式\ndemo: false\nstorage:\n  reserveMb: 0\n' });
}, 120_000);
afterAll(async () => {
  await k?.close();
  await platform?.close();
});

/** The wizard step's checks at both sizes (text, touch targets, width), and its screenshots. */
async function checkBoth(page: Page, name: string, problems: string[]): Promise<void> {
  for (const [width, height] of SIZES) {
    await page.setViewportSize({ width, height });
    problems.push(...(await checkChineseScreen(page, name)));
    await shot(page, name);
  }
}

const heartbeats = (code: string) => platform.stats().byCode[code] ?? 0;

describe('first start outside the demo: the wizard on the kiosk', () => {
  it('sets PINs, project, lanes and devices, tests the platform, saves and starts with them', { timeout: 240_000 }, async () => {
    const problems: string[] = [];
    const page = await openPage(k, SIZES[0], '#/');
    await page.getByTestId('setup').waitFor({ timeout: 15_000 });
    expect(await page.getByTestId('screen-title').textContent()).toBe('初始设置');

    // 1. PINs: a demo PIN is refused on the spot; three different ones are accepted.
    await page.getByTestId('setup-pin-admin').fill('900000');
    expect(await page.getByTestId('setup-pins').textContent()).toContain('不能使用演示 PIN');
    for (const r of ['clerk', 'supervisor', 'admin'] as const) {
      await page.getByTestId(`setup-pin-${r}`).fill(PINS[r]);
      await page.getByTestId(`setup-pin-${r}-repeat`).fill(PINS[r]);
    }
    await checkBoth(page, 'setup-1-pins', problems);
    await page.getByTestId('setup-next').click();

    // 2. Project.
    await page.getByTestId('setup-project').waitFor();
    await page.getByTestId('setup-project-code').fill(PROJECT);
    await page.getByTestId('setup-project-name').fill('赣江新区演示工地');
    await checkBoth(page, 'setup-2-project', problems);
    await page.getByTestId('setup-next').click();

    // 3. Lanes and devices: two lanes, simulated hardware (no serial devices on the test machine).
    await page.getByTestId('setup-lanes').waitFor();
    // Real hardware first: a Modbus relay board on a serial port for lane 1 (the form a site fills).
    await page.getByTestId('setup-simulate').uncheck();
    await page.getByTestId('setup-reader').fill('/dev/ttyUSB1');
    await page.getByTestId('setup-lane-turnstile-0').selectOption('modbus_relay');
    await page.getByTestId('setup-lane-port-0').fill('/dev/ttyUSB0');
    await checkBoth(page, 'setup-3-lanes', problems);
    await page.getByTestId('setup-simulate').check();
    await page.getByTestId('setup-lane-name-0').fill('东门进场');
    await page.getByTestId('setup-next').click();

    // 4. The platform, with a test call: wrong secret first, then the right one.
    await page.getByTestId('setup-platform').waitFor();
    await page.getByTestId('setup-platform-remote').click();
    await page.getByTestId('setup-endpoint').fill(platform.url);
    await page.getByTestId('setup-app-id').fill(DEFAULT_SIM_APP.appid);
    await page.getByTestId('setup-appsecret').fill('too-short-secret');
    await page.getByTestId('setup-test').click();
    await page.locator('[data-testid="setup-test-result"][data-ok="false"]').waitFor({ timeout: 20_000 });
    expect(await page.getByTestId('setup-test-result').textContent()).toContain('平台密钥格式不符');
    await page.getByTestId('setup-appsecret').fill('W'.repeat(32));
    await page.getByTestId('setup-test').click();
    await expect.poll(() => page.getByTestId('setup-test-result').textContent(), { timeout: 20_000 }).toContain('签名校验失败');
    await page.getByTestId('setup-appsecret').fill(DEFAULT_SIM_APP.appsecret);
    await page.getByTestId('setup-test').click();
    await page.locator('[data-testid="setup-test-result"][data-ok="true"]').waitFor({ timeout: 20_000 });
    expect(await page.getByTestId('setup-test-result').textContent()).toMatch(/连接成功（\d+ 毫秒）/);
    await checkBoth(page, 'setup-4-platform', problems);
    await page.getByTestId('setup-next').click();

    // 5. Review, save: the core starts again from the written file.
    await page.getByTestId('setup-review').waitFor();
    await checkBoth(page, 'setup-5-review', problems);
    await page.getByTestId('setup-save').click();
    await page.getByTestId('setup-done').waitFor({ timeout: 60_000 });
    expect(k.restarts).toBe(1);
    await checkBoth(page, 'setup-6-home', problems);
    expect(problems).toEqual([]);

    const file = readFileSync(k.configFile ?? '', 'utf8');
    expect(file).toContain('# 安装人员：正式模式'); // the installer's comment is kept
    expect(file).toContain('demo: false');
    expect(file).toContain('赣江新区演示工地');
    expect(file).toContain(platform.url);
    expect(file).not.toContain(DEFAULT_SIM_APP.appsecret); // stored encrypted, never in the file
    expect(await page.getByTestId('tile-gate-lane-1').textContent()).toContain('东门进场');

    // The demo's PINs open nothing outside the demo; the new admin PIN does.
    await page.goto(`${k.core.url}/#/settings`);
    await signIn(page, 'admin', '900000');
    await expect.poll(() => page.getByTestId('login-error').textContent()).toContain('演示 PIN 码不能在正式模式使用');
    await signIn(page, 'admin', PINS.admin);
    await page.getByTestId('settings').waitFor();
    // No synthetic worker (测试甲…) in a production data folder.
    await page.goto(`${k.core.url}/#/workers`);
    await page.getByTestId('workers').waitFor();
    await page.getByText('没有符合条件的人员').waitFor();

    // The appsecret changed in Settings is used by the running core at once (no restart).
    await expect.poll(() => heartbeats('0'), { timeout: 20_000 }).toBeGreaterThan(0);
    const startedAt = k.core.services.startedAt;
    await page.goto(`${k.core.url}/#/settings`);
    const rejectedBefore = heartbeats('-2');
    await page.getByTestId('appsecret').fill('X'.repeat(32));
    await page.getByTestId('appsecret-save').click();
    await page.getByTestId('appsecret-saved').waitFor();
    await expect.poll(() => heartbeats('-2'), { timeout: 20_000 }).toBeGreaterThan(rejectedBefore);
    const okBefore = heartbeats('0');
    await page.getByTestId('appsecret').fill(DEFAULT_SIM_APP.appsecret);
    await page.getByTestId('appsecret-save').click();
    await expect.poll(() => heartbeats('0'), { timeout: 20_000 }).toBeGreaterThan(okBefore);
    expect(k.restarts).toBe(1);
    expect(k.core.services.startedAt).toBe(startedAt);
    await page.context().close();
  });
});
