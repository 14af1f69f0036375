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
  // The national trade list in code order: 010 砌筑工 first (after 请选择), 350 last.
  const trades = await page.locator('[data-testid="f-trade"] option').allTextContents();
  expect(trades[1]).toBe('010 砌筑工');
  expect(trades[2]).toBe('020 钢筋工');
  expect(trades[trades.length - 1]).toBe('350 古建筑传统木工');
  await page.getByTestId('f-trade').selectOption('020');
  if (screenshots) await shot(page, 'enroll-3-assign');
  await page.getByTestId('next').click();
  await page.getByTestId('step-terms').waitFor();
  // 劳动合同 已签订 without dates cannot go on (it would be saved as "? – ?").
  expect(await page.getByTestId('f-hasContract').isChecked()).toBe(true);
  expect(await page.getByTestId('next').isDisabled()).toBe(true);
  expect(await page.getByTestId('step-terms').textContent()).toContain('已签订合同时须填写合同开始和结束日期');
  await page.getByTestId('f-contractStart').fill('2026-03-01');
  await page.getByTestId('f-contractEnd').fill('2027-02-28');
  if (screenshots) await shot(page, 'enroll-4-terms');
  await page.getByTestId('next').click();
  await page.getByTestId('step-review').waitFor();
}

describe('enrollment wizard in Chromium (manual-entry path)', () => {
  it('places a demo ID card from the screen, shows its decoded photo, and catches an enrolled ID at the card step', async () => {
    const clerk = await login(k.core, 'clerk');
    await api(k.core, 'POST', '/api/demo/card', { key: null }, clerk);
    const page = await openPage(k, [1280, 800], '#/enroll');
    await signIn(page, 'clerk');
    await page.getByTestId('card-wait').waitFor();
    // No hidden key: the card is chosen on screen.
    await page.getByTestId('demo-card-resident').click();
    await page.getByTestId('card-read').waitFor({ timeout: 10_000 });
    expect(await page.getByTestId('card-name').textContent()).toBe('测试辛');
    const photo = page.locator('[data-testid="card-read"] img.id-photo');
    await photo.waitFor();
    expect(await photo.evaluate((img: HTMLImageElement) => [img.naturalWidth, img.naturalHeight])).toEqual([102, 126]);
    expect(await page.getByTestId('next').isEnabled()).toBe(true);
    await shot(page, 'enroll-demo-card');

    // Manual entry of an ID that is already enrolled: said here, with the way to that person.
    await page.getByTestId('manual-entry').click();
    await page.getByTestId('f-name').fill('测试重复');
    await page.getByTestId('f-idNumber').fill(fakeId(777));
    expect(await page.getByTestId('next').isEnabled()).toBe(true);
    const w = await api(k.core, 'POST', '/api/workers', { name: '测试重复', idType: '01', idNumber: fakeId(777), tradeCode: '010', role: 'worker' }, clerk);
    expect(w.status).toBe(201);
    await page.getByTestId('f-idNumber').fill(fakeId(778));
    await page.getByTestId('f-idNumber').fill(fakeId(777));
    await page.getByTestId('already-enrolled').waitFor();
    expect(await page.getByTestId('already-enrolled').textContent()).toContain('该证件已登记：测试重复');
    expect(await page.getByTestId('next').isDisabled()).toBe(true);
    expect(await page.getByTestId('open-enrolled').getAttribute('href')).toBe(`#/workers/${w.json.id}`);
    await shot(page, 'enroll-already-enrolled');
    await page.getByTestId('enroll-cancel').click();
    // The card leaves the reader: the next enrollment waits for its own card.
    await api(k.core, 'POST', '/api/demo/card', { key: null }, clerk);
    await page.context().close();
  });

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
    // Photos are not kept across the reload, and the review says so.
    await page.getByTestId('review-face-none').waitFor();
    await shot(page, 'enroll-5-review');
    let posts = 0;
    page.on('request', (r) => {
      if (r.method() === 'POST' && new URL(r.url()).pathname === '/api/workers') posts += 1;
    });
    await page.getByTestId('save').dblclick();
    await page.getByTestId('enroll-done').waitFor();
    await shot(page, 'enroll-6-done');
    expect(posts).toBe(1); // the second click never reached the core
    // The flags in words, never the raw codes.
    const flags = (await page.getByTestId('enroll-flags').textContent()) ?? '';
    expect(flags).toContain('手工录入（非读卡）');
    expect(flags).toContain('人脸引擎不可用，未采集人脸模板');
    expect(flags).not.toMatch(/no_id_photo|manual_entry|no_face_engine/);

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
    // The face the core accepted at the capture step, as a decoded thumbnail on the review.
    await page.getByTestId('review-face').waitFor({ timeout: 30_000 });
    await expect
      .poll(() => page.getByTestId('review-face').evaluate((img: HTMLImageElement) => img.naturalWidth), { timeout: 30_000 })
      .toBeGreaterThan(0);
    await k.stopCore();
    await page.getByTestId('save').click();
    await expect
      .poll(() => page.getByTestId('save-error').textContent(), { timeout: 10_000 })
      .toContain('无法连接核心服务');
    await page.getByTestId('connection-banner').waitFor({ timeout: 10_000 });
    await shot(page, 'enroll-core-down');

    await k.restartCore();
    // The restarted core forgot the session: saving asks for the PIN again… (the bounds below
    // guard against a hang; a restarted core on a busy machine is slow to answer at first)
    const AFTER_RESTART = { timeout: 90_000 };
    // The sign-in may come by itself first: the live stream reconnects to the new core, which
    // refuses the old token (close 4401). Otherwise a save attempt brings it.
    const loginForm = page.getByTestId('login');
    await expect
      .poll(
        async () => {
          if (await loginForm.isVisible()) return true;
          await page.getByTestId('save').click({ timeout: 2_000 }).catch(() => undefined);
          return loginForm.isVisible();
        },
        { timeout: AFTER_RESTART.timeout, intervals: [500] },
      )
      .toBe(true);
    await signIn(page, 'clerk');
    // …and the review comes back with everything entered.
    await page.getByTestId('step-review').waitFor(AFTER_RESTART);
    expect(await page.getByTestId('review-name').textContent()).toBe('测试己');
    await page.getByTestId('save').click();
    await page.getByTestId('enroll-done').waitFor(AFTER_RESTART);
    const token = await login(k.core, 'clerk');
    const list = await api(k.core, 'GET', `/api/workers?q=${encodeURIComponent('测试己')}`, undefined, token);
    expect(list.json).toHaveLength(1);
    await page.context().close();
  });

  it('edits everything on the worker page (contract start, bank card, team, trade) and shows the history', async () => {
    const token = await login(k.core, 'clerk');
    const [w] = (await api(k.core, 'GET', `/api/workers?q=${encodeURIComponent('测试戊')}`, undefined, token)).json;
    await api(k.core, 'POST', '/api/demo/passage', { laneId: 'lane-1', workerId: w.id, direction: 'in' }, token);
    const page = await openPage(k, [1280, 800], `#/workers/${w.id}`);
    await signIn(page, 'clerk');
    await page.getByTestId('worker-detail').waitFor();
    // A finger-size way back (was 95×21 px).
    const back = await page.getByTestId('back-to-workers').boundingBox();
    expect(back?.height ?? 0).toBeGreaterThanOrEqual(44);
    expect(back?.width ?? 0).toBeGreaterThanOrEqual(44);
    await expect.poll(() => page.getByTestId('history-row').count()).toBeGreaterThan(0);
    expect(await page.getByTestId('history-row').first().textContent()).toContain('1号通道（进）');
    await page.getByTestId('edit-worker').click();
    await page.getByTestId('e-team').selectOption({ label: '木工班' });
    await page.getByTestId('e-trade').selectOption('240');
    await page.getByTestId('e-contractStart').fill('2026-02-01');
    await page.getByTestId('e-bankCard').fill('6222020000000000123');
    await page.getByTestId('e-bankCode').fill('演示银行');
    await shot(page, 'worker-edit');
    await page.getByTestId('save-worker').click();
    await page.getByTestId('worker-saved').waitFor();
    expect(await page.getByTestId('d-bank').textContent()).toBe('****0123');
    const after = (await api(k.core, 'GET', `/api/workers/${w.id}`, undefined, token)).json;
    expect(after).toMatchObject({ teamName: '木工班', tradeCode: '240', contractStart: '2026-02-01', bankCardMasked: '****0123', bankCode: '演示银行' });
    await page.context().close();
  });

  it('links a data-completeness row to the worker, opened on the fix', async () => {
    const token = await login(k.core, 'clerk');
    const created = await api(
      k.core,
      'POST',
      '/api/workers',
      { name: '测试补填', idType: '01', idNumber: fakeId(601), tradeCode: '020', role: 'worker', employerId: 1, teamId: 1, hasContract: true, contractEnd: '2027-12-31' },
      token,
    );
    expect(created.status).toBe(201);
    const page = await openPage(k, [1920, 1080], '#/compliance');
    await signIn(page, 'supervisor');
    const id = created.json.id as number;
    const row = page.locator(`[data-testid="completeness-row"][data-code="contract_dates_missing"][data-worker="${id}"]`);
    await row.waitFor();
    await row.getByTestId('completeness-fix').click();
    await page.getByTestId('worker-edit').waitFor();
    expect(await page.getByTestId('worker-edit').textContent()).toContain('补填合同开始日期');
    await page.getByTestId('e-contractStart').fill('2026-01-15');
    await page.getByTestId('save-worker').click();
    await page.getByTestId('worker-saved').waitFor();
    await page.goto(`${k.core.url}/#/compliance`);
    await page.getByTestId('completeness-summary').waitFor();
    await expect
      .poll(() => page.locator(`[data-testid="completeness-row"][data-code="contract_dates_missing"][data-worker="${id}"]`).count())
      .toBe(0);
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
