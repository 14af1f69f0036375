// The supervisor's make-up attendance (补卡) and data-completeness screen, the dashboard's
// platform-sync card, and the admin's editable settings (gate policy essentials, the
// write-only platform appsecret, voice texts), in Chromium against a real demo core with the
// embedded platform simulator. Screenshots of the new screens at 1920×1080 and 1280×800.
import { describe, expect, it, beforeAll, afterAll } from 'vitest';
import type { Page } from 'playwright-core';
import { startKiosk, openPage, signIn, shot, SIZES, type Kiosk } from './kiosk-harness.js';
import { api, login } from '../helpers.js';
import { toLocalInput } from '../../ui/src/lib/makeup-form.js';

let k: Kiosk;
let sup: string;
let ids: Record<string, number>;
beforeAll(async () => {
  k = await startKiosk({ config: { platform: { type: 'simulator', port: 0 } } });
  sup = await login(k.core, 'supervisor');
  const workers = (await api(k.core, 'GET', '/api/workers', undefined, sup)).json as Array<{
    id: number;
    name: string;
  }>;
  ids = Object.fromEntries(workers.map((w) => [w.name, w.id]));
});
afterAll(async () => {
  await k?.close();
});

/** Yesterday at 08:00 in the browser's (= this process's) local time. */
function yesterdayAt8(): string {
  const d = new Date();
  d.setDate(d.getDate() - 1);
  d.setHours(8, 0, 0, 0);
  return toLocalInput(d.getTime());
}

async function fillMakeup(page: Page, workerId: number): Promise<void> {
  await page.getByTestId('makeup-worker').selectOption(String(workerId));
  await page.getByTestId('makeup-time').fill(yesterdayAt8());
  await page.getByTestId('makeup-direction').selectOption('in');
  await page.getByTestId('makeup-reason').selectOption('power_failure');
  await page.getByTestId('makeup-confirmed-by').fill('演示住建局 测试戊');
  await page.getByTestId('makeup-document').fill('DEMO-2026-001');
}

/** Screenshots at both sizes (no sideways overflow), scrolled to `testId`'s top when given. */
async function sized(page: Page, name: string, testId?: string): Promise<void> {
  for (const [width, height] of SIZES) {
    await page.setViewportSize({ width, height });
    if (testId)
      await page.getByTestId(testId).evaluate((el) => el.scrollIntoView({ block: 'start' }));
    const [scroll, client] = await page.evaluate(() => [
      document.documentElement.scrollWidth,
      document.documentElement.clientWidth,
    ]);
    expect(scroll, `horizontal overflow of ${name} at ${width}×${height}`).toBeLessThanOrEqual(client);
    await shot(page, name);
  }
}

describe('make-up attendance, data completeness, sync card and editable settings', () => {
  it('a worker is made up (201) and appears; the demo manager 测试丁 is refused in plain words', async () => {
    const workerId = ids['测试甲'];
    const managerId = ids['测试丁'];
    expect(workerId).toBeGreaterThan(0);
    expect(managerId).toBeGreaterThan(0);
    const page = await openPage(k, SIZES[0], '#/dashboard');
    await signIn(page, 'supervisor');
    await page.getByTestId('compliance-link').click();
    await page.getByTestId('compliance').waitFor();
    await page.getByTestId('completeness-summary').waitFor();

    // Nothing is sent while required fields are empty.
    await page.getByTestId('makeup-submit').click();
    expect(await page.getByTestId('makeup-card').textContent()).toContain('必填');

    await fillMakeup(page, workerId ?? 0);
    const posted = page.waitForResponse((r) => new URL(r.url()).pathname === '/api/attendance/makeup');
    await page.getByTestId('makeup-submit').click();
    expect((await posted).status()).toBe(201);
    await page.getByTestId('makeup-done').waitFor();
    expect(await page.getByTestId('makeup-done').textContent()).toContain('测试甲');
    const events = (await api(k.core, 'GET', `/api/attendance?workerId=${workerId}`, undefined, sup))
      .json as Array<{ laneId: string; decision: string; direction: string }>;
    expect(events.filter((e) => e.laneId === 'makeup' && e.decision === 'pass')).toHaveLength(1);

    await fillMakeup(page, managerId ?? 0);
    const refused = page.waitForResponse((r) => new URL(r.url()).pathname === '/api/attendance/makeup');
    await page.getByTestId('makeup-submit').click();
    expect((await refused).status()).toBe(422);
    await page.getByTestId('makeup-refused').waitFor();
    expect(await page.getByTestId('makeup-refused').textContent()).toContain('施工现场管理人员不得补打考勤记录');
    await sized(page, 'compliance-makeup-refused');
    await sized(page, 'compliance-completeness', 'completeness-card');

    // The dashboard's sync card: online with the simulator, nothing left, retry acknowledged.
    await page.setViewportSize({ width: SIZES[0][0], height: SIZES[0][1] });
    await page.goto(`${k.core.url}/#/dashboard`);
    await expect.poll(() => page.getByTestId('sync-connectivity').textContent(), { timeout: 15_000 }).toContain('在线');
    await expect.poll(() => page.getByTestId('sync-backlog').textContent(), { timeout: 15_000 }).toBe('0');
    await page.getByTestId('sync-retry').click();
    await page.getByTestId('sync-retry-msg').waitFor();
    expect(await page.getByTestId('sync-retry-msg').textContent()).toContain('已开始重试');
    await sized(page, 'dashboard-sync-card', 'sync-card');
    await page.context().close();
  });

  it('the admin edits the gate policy essentials, sets the appsecret write-only and the voice texts', async () => {
    const page = await openPage(k, SIZES[0], '#/settings');
    await signIn(page, 'admin');
    await page.getByTestId('policy-helmet').waitFor();
    // The simulated devices, named and graded in Chinese (no raw kinds or states).
    await expect.poll(() => page.getByTestId('settings-devices').textContent()).toMatch(/身份证阅读器\): 正常/);
    expect(await page.getByTestId('settings-devices').textContent()).not.toMatch(/idcard_reader|: ok/);
    expect(await page.getByTestId('policy-helmet').inputValue()).toBe('refuse');
    await page.getByTestId('policy-helmet').selectOption('remind');
    await page.getByTestId('policy-window').fill('45');
    await page.getByTestId('policy-save').click();
    await page.getByTestId('policy-summary').waitFor();
    const summary = (await page.getByTestId('policy-summary').textContent()) ?? '';
    expect(summary).toContain('helmet.action');
    expect(summary).toContain('duplicateScan.windowSeconds');
    const admin = await login(k.core, 'admin');
    const policy = (await api(k.core, 'GET', '/api/gate/policy', undefined, admin)).json;
    expect(policy).toMatchObject({ helmet: { action: 'remind' }, duplicateScan: { windowSeconds: 45 } });

    await page.getByTestId('appsecret').fill('demo-secret-not-real');
    await page.getByTestId('appsecret-save').click();
    await page.getByTestId('appsecret-saved').waitFor();
    expect(await page.getByTestId('appsecret-saved').textContent()).toContain('重启');
    expect(await page.getByTestId('appsecret').inputValue()).toBe('');
    expect(await page.content()).not.toContain('demo-secret-not-real');

    await page.getByTestId('voice-welcome').fill('{name}，早上好');
    await page.getByTestId('voice-save').click();
    await page.getByTestId('voice-saved').waitFor();
    const voice = (await api(k.core, 'GET', '/api/admin/voice-templates', undefined, admin)).json;
    expect(voice).toEqual({ welcome: '{name}，早上好' });
    await sized(page, 'settings-policy-secret-voice', 'policy-card');
    await page.context().close();
  });
});
