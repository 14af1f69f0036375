// The supervisor's make-up attendance (补卡) and data-completeness screen, the dashboard's
// platform-sync card, and the admin's editable settings (gate policy essentials, the
// write-only platform appsecret, voice texts), in Chromium against a real demo core with the
// embedded platform simulator. Screenshots of the new screens at 1920×1080 and 1280×800.
import { describe, expect, it, beforeAll, afterAll } from 'vitest';
import type { Page } from 'playwright-core';
import { startKiosk, openPage, signIn, shot, SIZES, type Kiosk } from './kiosk-harness.js';
import { api, login } from '../helpers.js';
import { toLocalInput } from '../../ui/src/lib/makeup-form.js';
import { withCheckDigit } from '../../../edge-core/src/domain/resident-id.js';

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
    // An entry is confirmed as an entry (the walkthrough saw 进场 confirmed as 出场).
    expect(await page.getByTestId('makeup-done').textContent()).toContain('进场');
    expect(await page.getByTestId('makeup-done').textContent()).not.toContain('出场');
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

  it('tells same-name workers apart (masked ID and team), with a zh-CN date picker under an English browser', async () => {
    const clerk = await login(k.core, 'clerk');
    const id = (n: number) => withCheckDigit(`99999919870707${String(n).padStart(3, '0')}`);
    for (const [n, team] of [[1, 1], [2, 2]] as const) {
      const r = await api(k.core, 'POST', '/api/workers', { name: '测试同名', idType: '01', idNumber: id(n), tradeCode: '020', role: 'worker', employerId: 1, teamId: team }, clerk);
      expect(r.status).toBe(201);
    }
    const page = await openPage(k, SIZES[1], '#/compliance', { locale: 'en-US', timezoneId: 'America/New_York' });
    await signIn(page, 'supervisor');
    await page.getByTestId('makeup-search').fill('测试同名');
    await expect.poll(() => page.locator('[data-testid="makeup-worker"] option', { hasText: '测试同名' }).count()).toBe(2);
    const labels = await page.locator('[data-testid="makeup-worker"] option', { hasText: '测试同名' }).allTextContents();
    expect(new Set(labels).size).toBe(2);
    for (const l of labels) expect(l).toMatch(/^测试同名 · 9999\*+\d{3}[\dX] · (钢筋班|木工班)$/);
    // The browser is English (en-US): the date field still reads 2026-… and the calendar 年/月, 日 一 二….
    await page.getByTestId('makeup-time').fill('2026-12-01 08:00');
    expect(await page.getByTestId('makeup-time').inputValue()).toBe('2026-12-01 08:00');
    await page.getByTestId('makeup-time-open').click();
    expect(await page.getByTestId('calendar-title').textContent()).toBe('2026年12月');
    const head = await page.locator('[data-testid="makeup-time-calendar"] th').allTextContents();
    expect(head).toEqual(['日', '一', '二', '三', '四', '五', '六']);
    await page.locator('[data-testid="makeup-time-calendar"] button.day', { hasText: /^15$/ }).click();
    expect(await page.getByTestId('makeup-time').inputValue()).toBe('2026-12-15 08:00');
    await shot(page, 'compliance-date-picker-en-browser');
    await page.context().close();
  });

  it('the admin edits the gate policy essentials, sets the appsecret write-only and the voice texts', async () => {
    const page = await openPage(k, SIZES[0], '#/settings');
    await signIn(page, 'admin');
    await page.getByTestId('policy-helmet').waitFor();
    // The simulated devices, named and graded in Chinese (no raw kinds or states).
    await expect.poll(() => page.getByTestId('settings-devices').textContent()).toMatch(/身份证阅读器正常/);
    // By kind and lane, never the configured id (turnstile-modbus) or raw kinds and states.
    expect(await page.getByTestId('settings-devices').textContent()).toContain('闸机控制器 · 1号通道（进）正常');
    expect(await page.getByTestId('settings-devices').textContent()).not.toMatch(/idcard_reader|turnstile-|reader-1|: ok/);
    // The device list fits the 1280 px tablet: nothing of it is cut off on the right.
    await page.setViewportSize({ width: 1280, height: 800 });
    const box = await page.getByTestId('settings-devices').evaluate((t) => [t.getBoundingClientRect().right, t.parentElement?.getBoundingClientRect().right ?? 0]);
    expect(box[0]).toBeLessThanOrEqual((box[1] ?? 0) + 1);
    await page.setViewportSize({ width: SIZES[0][0], height: SIZES[0][1] });
    expect(await page.getByTestId('policy-helmet').inputValue()).toBe('refuse');
    await page.getByTestId('policy-helmet').selectOption('remind');
    await page.getByTestId('policy-window').fill('45');
    await page.getByTestId('policy-save').click();
    await page.getByTestId('policy-summary').waitFor();
    const summary = (await page.getByTestId('policy-summary').textContent()) ?? '';
    // The change in words, not `helmet.action: "refuse" → "remind"`.
    expect(summary).toContain('未戴安全帽：拒绝通行 → 放行并提醒');
    expect(summary).toContain('重复打卡间隔（秒）：30 → 45');
    expect(summary).not.toMatch(/helmet|duplicateScan|"/);
    // The whole policy in words, not JSON.
    await page.locator('[data-testid="policy-card"] details summary').click();
    const full = (await page.getByTestId('policy').textContent()) ?? '';
    expect(full).toContain('未戴安全帽放行并提醒');
    expect(full).not.toMatch(/[{}"]/);
    // The audit trail in words: who, what (with the change), on whom.
    await page.reload();
    await page.getByTestId('audit-table').waitFor();
    await expect.poll(() => page.getByTestId('audit-table').textContent()).toMatch(/修改通行策略：.*未戴安全帽：拒绝通行 → 放行并提醒/);
    const trail = (await page.getByTestId('audit-table').textContent()) ?? '';
    expect(trail).toContain('登录');
    expect(trail).toContain('补卡');
    expect(trail).not.toMatch(/login\.ok|policy\.change|worker:\d|role:/);
    const admin = await login(k.core, 'admin');
    const policy = (await api(k.core, 'GET', '/api/gate/policy', undefined, admin)).json;
    expect(policy).toMatchObject({ helmet: { action: 'remind' }, duplicateScan: { windowSeconds: 45 } });

    await page.getByTestId('appsecret').fill('demo-secret-not-real');
    await page.getByTestId('appsecret-save').click();
    await page.getByTestId('appsecret-saved').waitFor();
    // Applied at once: no restart (kiosk.first-run.e2e proves the platform link uses it).
    expect(await page.getByTestId('appsecret-saved').textContent()).toContain('立即生效');
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
