// Every screen of the kiosk UI at both target resolutions (1920×1080 lane display, 1280×800
// desk tablet), saved to test-results/screenshots/<screen>-<w>x<h>.png as CI artifacts. Each
// shot waits for the screen's content, and the test checks nothing spills sideways (no
// horizontal scrollbar), which is how "correct at both resolutions" is asserted.
// The fake camera plays a public-domain portrait; see fake-camera.ts.
import { describe, expect, it, beforeAll, afterAll } from 'vitest';
import type { Page } from 'playwright-core';
import { startKiosk, openPage, signIn, shot, SIZES, type Kiosk } from './kiosk-harness.js';
import { api, login } from '../helpers.js';
import { residentIdCheckChar } from '../../ui/src/lib/id-number.js';

// Obviously synthetic: region code 999999 does not exist.
const FAKE_ID = `99999919800101001${residentIdCheckChar('99999919800101001')}`;

let k: Kiosk;
let clerk: string;
beforeAll(async () => {
  k = await startKiosk({ camera: true });
  clerk = await login(k.core, 'clerk');
});
afterAll(async () => {
  await k?.close();
});

async function noSidewaysOverflow(page: Page): Promise<void> {
  const [scroll, client] = await page.evaluate(() => [
    document.documentElement.scrollWidth,
    document.documentElement.clientWidth,
  ]);
  expect(scroll, `horizontal overflow on ${page.url()}`).toBeLessThanOrEqual(client);
}

async function snap(page: Page, name: string): Promise<void> {
  await noSidewaysOverflow(page);
  await shot(page, name);
}

describe('screenshots of every screen at 1920×1080 and 1280×800', () => {
  for (const size of SIZES) {
    it(`home, login, gate, enrollment, workers, dashboard and settings at ${size[0]}×${size[1]}`, async () => {
      const page = await openPage(k, size, '#/');
      await page.getByTestId('status').waitFor();
      await page.getByTestId('tile-gate-lane-1').waitFor();
      await snap(page, 'home');

      await page.goto(`${k.core.url}/#/gate/lane-1`);
      await page.locator('[data-testid="camera"][data-state="live"]').waitFor({ timeout: 15_000 });
      await snap(page, 'gate-idle');
      const w = await api(k.core, 'GET', `/api/workers?q=${encodeURIComponent('测试乙')}`, undefined, clerk);
      await api(
        k.core,
        'POST',
        '/api/demo/passage',
        { laneId: 'lane-1', workerId: w.json[0].id, direction: 'in' },
        clerk,
      );
      await page.getByTestId('pass-panel').waitFor();
      await snap(page, 'gate-pass');
      await api(
        k.core,
        'POST',
        '/api/demo/passage',
        { laneId: 'lane-1', workerId: null, direction: 'in' },
        clerk,
      );
      await page.getByTestId('refuse-panel').waitFor();
      await snap(page, 'gate-refused');

      await page.goto(`${k.core.url}/#/enroll`);
      await page.getByTestId('login').waitFor();
      await snap(page, 'login');
      await signIn(page, 'clerk');
      await page.getByTestId('card-wait').waitFor();
      await snap(page, 'enroll-1-card-wait');
      await page.getByTestId('manual-entry').click();
      await page.getByTestId('f-name').fill('测试庚');
      await page.getByTestId('f-idNumber').fill(FAKE_ID);
      await snap(page, 'enroll-1b-manual-entry');
      await page.getByTestId('next').click();
      await page.locator('[data-testid="camera"][data-state="live"]').waitFor({ timeout: 15_000 });
      await page.getByTestId('capture').click();
      await page.getByTestId('match-score').waitFor();
      await snap(page, 'enroll-2-capture');
      await page.getByTestId('next').click();
      await page.getByTestId('f-employer').selectOption({ label: '演示劳务有限公司' });
      await page.getByTestId('f-team').selectOption({ label: '木工班' });
      await page.getByTestId('f-trade').selectOption('240');
      await snap(page, 'enroll-3-assign');
      await page.getByTestId('next').click();
      await page.getByTestId('f-contractStart').fill('2026-03-01');
      await page.getByTestId('f-contractEnd').fill('2026-12-31');
      await snap(page, 'enroll-4-terms');
      await page.getByTestId('next').click();
      await page.getByTestId('step-review').waitFor();
      await snap(page, 'enroll-5-review');
      await page.getByTestId('enroll-cancel').click();

      await page.goto(`${k.core.url}/#/workers`);
      await expect.poll(() => page.getByTestId('worker-row').count()).toBeGreaterThan(2);
      await snap(page, 'workers-list');
      await page.getByTestId('worker-row').first().click();
      await page.getByTestId('worker-detail').waitFor();
      await snap(page, 'worker-detail');
      await page.getByTestId('logout').click();

      await page.goto(`${k.core.url}/#/dashboard`);
      await signIn(page, 'supervisor');
      await expect.poll(() => page.getByTestId('team-row').count()).toBeGreaterThan(0);
      await snap(page, 'dashboard');
      await page.getByTestId('logout').click();

      await page.goto(`${k.core.url}/#/settings`);
      await signIn(page, 'admin');
      await page.getByTestId('settings').waitFor();
      await expect.poll(() => page.getByTestId('lanes-card').textContent()).toContain('lane-2');
      await snap(page, 'settings');

      await page.getByTestId('lang').click();
      await page.goto(`${k.core.url}/#/gate/lane-1`);
      await page.getByTestId('gate-idle').waitFor();
      expect(await page.getByTestId('gate-idle').textContent()).toBe('Please look at the camera');
      await snap(page, 'gate-idle-english');
      await page.context().close();
    });
  }
});
