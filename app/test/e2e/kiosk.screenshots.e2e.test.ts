// Every screen of the kiosk UI at both target resolutions (1920×1080 lane display, 1280×800
// desk tablet), in Chinese, against a real demo core: each screen is saved to
// test-results/screenshots/<screen>-<w>x<h>.png and checked by checkChineseScreen
// (screen-text.ts): no raw code, JSON blob or English-only text in the rendered text, every
// touch target at least 44×44 px, nothing cut off sideways. The first-run wizard's screens are
// checked in kiosk.first-run.e2e.test.ts, the camera-down gate in kiosk.gate-and-dashboard.
// The fake camera plays a public-domain portrait; see fake-camera.ts.
import { describe, expect, it, beforeAll, afterAll } from 'vitest';
import { startKiosk, openPage, signIn, shot, SIZES, type Kiosk } from './kiosk-harness.js';
import { checkChineseScreen } from './screen-text.js';
import { api, login } from '../helpers.js';
import { residentIdCheckChar } from '../../ui/src/lib/id-number.js';

// Obviously synthetic: region code 999999 does not exist.
const fakeId = (serial: number) => {
  const first17 = `99999919800101${String(serial).padStart(3, '0')}`;
  return first17 + residentIdCheckChar(first17);
};

let k: Kiosk;
let clerk: string;
let ids: Record<string, number>;
beforeAll(async () => {
  k = await startKiosk({ camera: true });
  clerk = await login(k.core, 'clerk');
  const ws = (await api(k.core, 'GET', '/api/workers', undefined, clerk)).json as Array<{ id: number; name: string }>;
  ids = Object.fromEntries(ws.map((w) => [w.name, w.id]));
});
afterAll(async () => {
  await k?.close();
});

async function passage(laneId: string, workerId: number | null, reasons?: string[]): Promise<void> {
  const r = await api(k.core, 'POST', '/api/demo/passage', { laneId, workerId, direction: 'in', ...(reasons ? { reasons } : {}) }, clerk);
  expect(r.status).toBe(200);
}

describe('every screen at 1920×1080 and 1280×800, checked for Chinese, touch targets and width', () => {
  for (const size of SIZES) {
    it(`all screens at ${size[0]}×${size[1]}`, { timeout: 300_000 }, async () => {
      const problems: string[] = [];
      // No card on the simulated reader: the enrollment starts by waiting for one.
      await api(k.core, 'POST', '/api/demo/card', { key: null }, clerk);
      const page = await openPage(k, size, '#/');
      const check = async (name: string) => {
        problems.push(...(await checkChineseScreen(page, name)));
        await shot(page, name);
      };

      // Home: health in words, lanes by name, the demo's notes.
      await page.getByTestId('status').waitFor();
      await page.getByTestId('tile-gate-lane-1').waitFor();
      await page.getByTestId('demo-notes').waitFor();
      await check('home');

      // Gate screen of lane 1: idle, pass, refusal with its next step, helmet, repeat scan.
      await page.goto(`${k.core.url}/#/gate/lane-1`);
      await page.locator('[data-testid="camera"][data-state="live"]').waitFor({ timeout: 15_000 });
      await page.getByTestId('gate-demo-note').waitFor();
      await check('gate-idle');
      await passage('lane-1', ids['测试乙'] ?? 0);
      await page.getByTestId('pass-panel').waitFor();
      await check('gate-pass');
      await passage('lane-1', ids['测试乙'] ?? 0, ['duplicate_scan']);
      await page.getByTestId('recorded-panel').waitFor();
      await check('gate-recorded');
      await passage('lane-1', null);
      await page.getByTestId('refuse-panel').waitFor();
      await check('gate-refused-not-enrolled');
      await passage('lane-1', ids['测试甲'] ?? 0, ['helmet_missing']);
      await expect.poll(() => page.getByTestId('refuse-next').textContent()).toBe('请戴好安全帽后再刷脸');
      await check('gate-refused-helmet');

      // Login with the demo's PINs on screen, then the enrollment wizard.
      await page.goto(`${k.core.url}/#/enroll`);
      await page.getByTestId('login').waitFor();
      await page.getByTestId('demo-pins').waitFor();
      await check('login');
      await signIn(page, 'clerk');
      await page.getByTestId('card-wait').waitFor();
      await page.getByTestId('demo-cards').waitFor();
      await check('enroll-1-card-wait');
      await page.getByTestId('demo-card-resident').click();
      await page.getByTestId('card-read').waitFor({ timeout: 10_000 });
      await page.locator('[data-testid="card-read"] img.id-photo').waitFor();
      await check('enroll-1-card-read');
      await page.getByTestId('manual-entry').click();
      await page.getByTestId('f-name').fill('测试壬');
      await page.getByTestId('f-idNumber').fill(fakeId(size[0] === 1920 ? 11 : 12));
      await check('enroll-1b-manual-entry');
      await page.getByTestId('next').click();
      await page.locator('[data-testid="camera"][data-state="live"]').waitFor({ timeout: 15_000 });
      await page.getByTestId('capture').click();
      await page.getByTestId('match-score').waitFor();
      await check('enroll-2-capture');
      await page.getByTestId('next').click();
      await page.getByTestId('f-employer').selectOption({ label: '演示劳务有限公司' });
      await page.getByTestId('f-team').selectOption({ label: '木工班' });
      await page.getByTestId('f-trade').selectOption('240');
      await check('enroll-3-assign');
      await page.getByTestId('next').click();
      await page.getByTestId('step-terms').waitFor();
      await check('enroll-4-terms-dates-required');
      await page.getByTestId('f-contractStart-open').click();
      await page.getByTestId('f-contractStart-calendar').waitFor();
      await check('enroll-4-terms-calendar');
      await page.getByTestId('f-contractStart').fill('2026-03-01');
      await page.getByTestId('f-contractEnd').fill('2026-12-31');
      await check('enroll-4-terms');
      await page.getByTestId('next').click();
      await page.getByTestId('step-review').waitFor();
      await check('enroll-5-review');
      await page.getByTestId('save').click();
      await page.getByTestId('enroll-done').waitFor();
      await check('enroll-6-done');

      // Workers: the list, a worker's page, its editor and the face re-capture.
      await page.goto(`${k.core.url}/#/workers`);
      await expect.poll(() => page.getByTestId('worker-row').count()).toBeGreaterThan(2);
      await check('workers-list');
      await page.goto(`${k.core.url}/#/workers/${ids['测试甲']}`);
      await page.getByTestId('worker-detail').waitFor();
      await expect.poll(() => page.getByTestId('history-row').count()).toBeGreaterThan(0);
      await check('worker-detail');
      await page.getByTestId('edit-worker').click();
      await page.getByTestId('worker-edit').waitFor();
      await check('worker-edit');
      await page.goto(`${k.core.url}/#/workers/${ids['测试甲']}?fix=face_missing`);
      await page.getByTestId('face-recapture').waitFor();
      await check('worker-face-recapture');
      await page.getByTestId('logout').click();

      // Supervisor: dashboard, make-up and data completeness.
      await page.goto(`${k.core.url}/#/dashboard`);
      await signIn(page, 'supervisor');
      await expect.poll(() => page.getByTestId('team-row').count()).toBeGreaterThan(0);
      await expect.poll(() => page.getByTestId('recent-row').count()).toBeGreaterThan(2);
      await check('dashboard');
      await page.goto(`${k.core.url}/#/compliance`);
      await page.getByTestId('completeness-summary').waitFor();
      await check('compliance');
      await page.getByTestId('logout').click();

      // Admin: settings with the devices, the policy in words and the audit trail.
      await page.goto(`${k.core.url}/#/settings`);
      await signIn(page, 'admin');
      await page.getByTestId('settings').waitFor();
      await expect.poll(() => page.getByTestId('device-row').count()).toBeGreaterThan(2);
      await page.locator('[data-testid="policy-card"] details summary').click();
      await check('settings');
      await page.context().close();
      expect(problems).toEqual([]);
    });
  }

  it('the English screen is English (the language switch)', async () => {
    const page = await openPage(k, SIZES[1], '#/');
    await page.getByTestId('lang').click();
    await page.goto(`${k.core.url}/#/gate/lane-1`);
    await page.getByTestId('gate-idle').waitFor();
    expect(await page.getByTestId('gate-idle').textContent()).toBe('Please look at the camera');
    await shot(page, 'gate-idle-english');
    await page.context().close();
  });
});
