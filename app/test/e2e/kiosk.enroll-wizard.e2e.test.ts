// The enrollment wizard in Chromium against a real core, through the manual-entry exception
// (the card-reader route is not in the core yet): a draft that survives a reload, a
// double-clicked save that creates ONE worker, a save while the core is down that loses
// nothing, then find and deactivate the worker. The fake camera plays a public-domain
// portrait (see fake-camera.ts for where the video data comes from).
import { describe, expect, it, beforeAll, afterAll } from 'vitest';
import type { Page } from 'playwright-core';
import { startKiosk, openPage, signIn, shot, type Kiosk } from './kiosk-harness.js';
import { residentIdCheckChar } from '../../ui/src/lib/id-number.js';
import { api, login } from '../helpers.js';

/** Obviously synthetic resident ID numbers: region code 999999 does not exist. */
function fakeId(serial: number): string {
  const first17 = `99999919850505${String(serial).padStart(3, '0')}`;
  return first17 + residentIdCheckChar(first17);
}

let k: Kiosk;
beforeAll(async () => {
  k = await startKiosk({ camera: true });
});
afterAll(async () => {
  await k?.close();
});

async function throughCardAndCapture(
  page: Page,
  name: string,
  id: string,
  screenshots = false,
): Promise<void> {
  await page.getByTestId('step-card').waitFor();
  await page.getByTestId('card-wait').waitFor();
  if (screenshots) await shot(page, 'enroll-1-card-wait');
  await page.getByTestId('manual-entry').click();
  await page.getByTestId('manual-flag').waitFor();
  await page.getByTestId('f-name').fill(name);
  await page.getByTestId('f-idNumber').fill(id);
  if (screenshots) await shot(page, 'enroll-1b-manual-entry');
  await page.getByTestId('next').click();
  await page.getByTestId('step-capture').waitFor();
  await page.locator('[data-testid="camera"][data-state="live"]').waitFor({ timeout: 15_000 });
  await page.getByTestId('capture').click();
  await page.getByTestId('match-score').waitFor({ timeout: 15_000 });
  if (screenshots) await shot(page, 'enroll-2-capture');
  await page.getByTestId('next').click();
}

async function assignAndTerms(page: Page, screenshots = false): Promise<void> {
  await page.getByTestId('step-assign').waitFor();
  await page.getByTestId('f-employer').selectOption({ label: '演示劳务有限公司' });
  await page.getByTestId('f-team').selectOption({ label: '钢筋班' });
  await page.getByTestId('f-trade').selectOption('020');
  if (screenshots) await shot(page, 'enroll-3-assign');
  await page.getByTestId('next').click();
  await page.getByTestId('step-terms').waitFor();
  await page.getByTestId('f-contractStart').fill('2026-03-01');
  await page.getByTestId('f-contractEnd').fill('2027-02-28');
  if (screenshots) await shot(page, 'enroll-4-terms');
  await page.getByTestId('next').click();
  await page.getByTestId('step-review').waitFor();
}

describe('enrollment wizard in Chromium (manual-entry path)', () => {
  it('enrolls a worker; the draft survives a reload and a double-clicked save creates one worker', async () => {
    const page = await openPage(k, [1920, 1080], '#/enroll');
    await signIn(page, 'clerk');
    await throughCardAndCapture(page, '测试戊', fakeId(501), true);

    // Half-way: a reload keeps the entries (photos are taken again, by design).
    await page.getByTestId('step-assign').waitFor();
    await page.reload();
    await page.getByTestId('draft-restored').waitFor();
    expect(await page.getByTestId('enroll').getAttribute('data-step')).toBe('assign');

    await assignAndTerms(page, true);
    expect(await page.getByTestId('review-name').textContent()).toBe('测试戊');
    await shot(page, 'enroll-5-review');
    let posts = 0;
    page.on('request', (r) => {
      if (r.method() === 'POST' && new URL(r.url()).pathname === '/api/workers') posts += 1;
    });
    await page.getByTestId('save').dblclick();
    await page.getByTestId('enroll-done').waitFor();
    await shot(page, 'enroll-6-done');
    expect(posts).toBe(1); // the second click never reached the core

    const token = await login(k.core, 'clerk');
    const list = await api(k.core, 'GET', `/api/workers?q=${encodeURIComponent('测试戊')}`, undefined, token);
    expect(list.status).toBe(200);
    expect(list.json).toHaveLength(1);
    expect(list.json[0]).toMatchObject({
      name: '测试戊',
      manualEntry: true,
      teamName: '钢筋班',
      tradeCode: '020',
    });
    // The draft is gone after the save.
    expect(await page.evaluate(() => sessionStorage.getItem('sitegate.enroll.draft'))).toBeNull();
    await page.context().close();
  });

  it('keeps the whole enrollment when the core is down at save time and after it restarts (sessions lost)', async () => {
    const page = await openPage(k, [1280, 800], '#/enroll');
    await signIn(page, 'clerk');
    await throughCardAndCapture(page, '测试己', fakeId(502));
    await assignAndTerms(page);

    await k.stopCore();
    await page.getByTestId('save').click();
    await expect
      .poll(() => page.getByTestId('save-error').textContent(), { timeout: 10_000 })
      .toContain('无法连接核心服务');
    await page.getByTestId('connection-banner').waitFor({ timeout: 10_000 });
    await shot(page, 'enroll-core-down');

    await k.restartCore();
    // The restarted core forgot the session: saving asks for the PIN again…
    await page.getByTestId('save').click();
    await page.getByTestId('login').waitFor({ timeout: 10_000 });
    await signIn(page, 'clerk');
    // …and the review comes back with everything entered.
    await page.getByTestId('step-review').waitFor();
    expect(await page.getByTestId('review-name').textContent()).toBe('测试己');
    await page.getByTestId('save').click();
    await page.getByTestId('enroll-done').waitFor();
    const token = await login(k.core, 'clerk');
    const list = await api(k.core, 'GET', `/api/workers?q=${encodeURIComponent('测试己')}`, undefined, token);
    expect(list.json).toHaveLength(1);
    await page.context().close();
  });

  it('finds the enrolled worker, shows the manual-entry flag and deactivates with a reason', async () => {
    const page = await openPage(k, [1920, 1080], '#/workers');
    await signIn(page, 'clerk');
    await page.getByTestId('worker-search').fill('测试戊');
    await expect.poll(() => page.getByTestId('worker-row').count()).toBe(1);
    expect(await page.getByTestId('worker-row').textContent()).toContain('手工录入');
    await shot(page, 'workers-list');
    await page.getByTestId('worker-row').click();
    await page.getByTestId('worker-detail').waitFor();
    await page.getByTestId('status-reason').fill('合同结束退场');
    await page.getByTestId('deactivate').click();
    await page.getByTestId('reactivate').waitFor();
    expect(await page.getByTestId('worker-detail').textContent()).toContain('已退场');
    await shot(page, 'worker-detail');
    await page.context().close();
  });
});
