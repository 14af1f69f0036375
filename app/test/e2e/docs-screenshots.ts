// Representative kiosk screenshots for the README, at the desk-tablet size 1280×800, into
// docs/screenshots/. Run by hand (not part of the test suite):
//
//   npx tsx app/test/e2e/docs-screenshots.ts
//
// Each image is a PNG when it fits in ~200 KB after palette quantisation (sharp), else a
// JPEG (camera views do not compress well as PNG); the script prints every file written with
// its size and removes older copies of the same shot with the other extension.
//
// Two demo cores in turn, both on the same harness as the e2e tests (fresh data dir, demo
// seed, Debian's Chromium with the fake camera playing a public-domain portrait; see
// fake-camera.ts): the first without the face engine (gate, workers, dashboard, login, driven
// by the core's demo passages so the face pipeline cannot race the shots), the second with
// the real face engine for the enrollment's card read and 1:1 capture. As in
// kiosk.journey.e2e.test.ts, a still portrait cannot blink, so that core runs the
// `test-only:temporal-off` liveness policy. All people are the demo seed's synthetic ones.
import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import type { Page } from 'playwright-core';
import { startKiosk, openPage, signIn, type Kiosk } from './kiosk-harness.js';
import { api, login } from '../helpers.js';
import { REPO_ROOT } from '../../server/core.js';

const OUT = join(REPO_ROOT, 'docs', 'screenshots');
const SIZE = [1280, 800] as const;
const LIMIT = 200 * 1024;

async function save(page: Page, name: string): Promise<void> {
  const png = await page.screenshot({ type: 'png' });
  let file = `${name}.png`;
  let bytes: Buffer = await sharp(png)
    .png({ palette: true, quality: 90, effort: 10, compressionLevel: 9 })
    .toBuffer();
  if (bytes.length > LIMIT) {
    file = `${name}.jpg`;
    for (const quality of [80, 70, 60, 50]) {
      bytes = await sharp(png).jpeg({ quality, mozjpeg: true }).toBuffer();
      if (bytes.length <= LIMIT) break;
    }
  }
  for (const ext of ['png', 'jpg']) {
    const other = join(OUT, `${name}.${ext}`);
    if (`${name}.${ext}` !== file && existsSync(other)) rmSync(other);
  }
  writeFileSync(join(OUT, file), bytes);
  console.log(`${join('docs', 'screenshots', file)}  ${Math.round(bytes.length / 1024)} KB`);
}

async function passage(
  k: Kiosk,
  token: string,
  laneId: string,
  workerId: number | null,
  direction: 'in' | 'out',
) {
  const r = await api(k.core, 'POST', '/api/demo/passage', { laneId, workerId, direction }, token);
  if (r.status !== 200) throw new Error(`demo passage failed: ${JSON.stringify(r.json)}`);
}

async function workerId(k: Kiosk, token: string, name: string): Promise<number> {
  const r = await api(k.core, 'GET', `/api/workers?q=${encodeURIComponent(name)}`, undefined, token);
  const id = (r.json as Array<{ id: number }>)[0]?.id;
  if (id === undefined) throw new Error(`demo worker ${name} missing`);
  return id;
}

/** Workers list, dashboard with the management panel and the sheet export, login. */
async function withoutFaceEngine(): Promise<void> {
  const k = await startKiosk({ camera: true });
  try {
    const clerk = await login(k.core, 'clerk');
    const jia = await workerId(k, clerk, '测试甲');
    const yi = await workerId(k, clerk, '测试乙');
    const ding = await workerId(k, clerk, '测试丁');

    const page = await openPage(k, SIZE, '#/enroll');
    await page.getByTestId('login').waitFor();
    await save(page, 'login');

    // Some of a day for the dashboard: two workers, the safety officer, one refusal.
    await passage(k, clerk, 'lane-1', yi, 'in');
    await passage(k, clerk, 'lane-1', null, 'in');
    await passage(k, clerk, 'lane-1', jia, 'in');
    await passage(k, clerk, 'lane-2', ding, 'in');

    await page.goto(`${k.core.url}/#/workers`);
    await signIn(page, 'clerk');
    await page.waitForFunction(() => document.querySelectorAll('[data-testid="worker-row"]').length > 2);
    await save(page, 'workers');
    await page.getByTestId('logout').click();

    await page.goto(`${k.core.url}/#/dashboard`);
    await signIn(page, 'supervisor');
    await page.locator('[data-testid="mgmt-row"][data-role="safety_officer"]').waitFor();
    await page.waitForFunction(() => document.querySelectorAll('[data-testid="team-row"]').length > 0);
    await save(page, 'dashboard');
    await page.getByTestId('sheet-card').evaluate((e) => {
      e.scrollIntoView({ block: 'start' });
      window.scrollBy(0, -16);
    });
    await save(page, 'dashboard-sheet-export');
    await page.context().close();
  } finally {
    await k.close();
  }
}

/**
 * Enrollment from the simulated card (card read, live capture with its 1:1 score, save); then
 * at lane 1 the enrolled face is recognised but refused for the missing helmet, and passes
 * once the helmet rule is relaxed to a reminder (all real decisions of the face pipeline).
 */
async function withFaceEngine(): Promise<void> {
  // The demo's own simulated reader returns its decoded card photo (demo-id-photo.ts).
  const k = await startKiosk({
    camera: true,
    faceEngine: true,
    config: { gate: { livenessPolicy: 'test-only:temporal-off', cooldownMs: 2000 } },
  });
  try {
    const page = await openPage(k, SIZE, '#/enroll');
    await signIn(page, 'clerk');
    await page.getByTestId('card-wait').waitFor();
    // The card is placed from the screen, as a newcomer does in the demo.
    await page.getByTestId('demo-card-resident').click();
    await page.getByTestId('card-read').waitFor({ timeout: 10_000 });
    await page.locator('[data-testid="card-read"] img.id-photo').waitFor();
    await save(page, 'enroll-card');
    await page.getByTestId('next').click();
    await page.locator('[data-testid="camera"][data-state="live"]').waitFor({ timeout: 15_000 });
    await page.getByTestId('capture').click();
    await page.locator('[data-testid="match-score"][data-live="true"]').waitFor({ timeout: 60_000 });
    await save(page, 'enroll-capture');
    await page.getByTestId('next').click();
    await page.getByTestId('f-employer').selectOption({ label: '演示劳务有限公司' });
    await page.getByTestId('f-team').selectOption({ label: '钢筋班' });
    await page.getByTestId('f-trade').selectOption('020');
    await page.getByTestId('next').click();
    await page.getByTestId('f-contractStart').fill('2026-01-01');
    await page.getByTestId('f-contractEnd').fill('2027-12-31');
    await page.getByTestId('next').click();
    await page.getByTestId('step-review').waitFor();
    await page.getByTestId('save').click();
    await page.getByTestId('enroll-done').waitFor({ timeout: 15_000 });
    const workerPage = (await page.locator('[data-testid="enroll-done"] a').getAttribute('href')) ?? '#/workers';

    await page.goto(`${k.core.url}/#/gate/lane-1`);
    await page.locator('[data-testid="camera"][data-state="live"]').waitFor({ timeout: 15_000 });
    // Recognised, but the portrait wears no helmet: refused with the worker's name and reason.
    await page.getByTestId('refuse-panel').waitFor({ timeout: 60_000 });
    await page.waitForTimeout(400);
    await save(page, 'gate-refused');
    // The helmet rule relaxed to a reminder (as in the journey test): the next attempt passes.
    const admin = await login(k.core, 'admin');
    const policy = (await api(k.core, 'GET', '/api/gate/policy', undefined, admin)).json as Record<
      string,
      unknown
    >;
    await api(
      k.core,
      'PUT',
      '/api/gate/policy',
      { ...policy, helmet: { action: 'remind', whenUnknown: 'ignore' } },
      admin,
    );
    await page.getByTestId('pass-panel').waitFor({ timeout: 60_000 });
    await page.waitForTimeout(400); // the avatar
    await save(page, 'gate-pass');
    // The worker's page: the enrollment photo and today's refusal and pass in the history.
    await page.goto(`${k.core.url}/${workerPage}`);
    await page.getByTestId('worker-photo').waitFor();
    await page.waitForFunction(() => document.querySelectorAll('[data-testid="history-row"]').length > 1);
    await page.getByTestId('worker-history').evaluate((e) => {
      e.scrollIntoView({ block: 'end' });
    });
    await save(page, 'worker-detail');
    await page.context().close();
  } finally {
    await k.close();
  }
}

/** The first start outside the demo: the set-up wizard's lanes and devices step. */
async function firstRun(): Promise<void> {
  const k = await startKiosk({ configYaml: 'demo: false\nstorage:\n  reserveMb: 0\n' });
  try {
    const page = await openPage(k, SIZE, '#/');
    await page.getByTestId('setup').waitFor({ timeout: 15_000 });
    const pins = { clerk: '731946', supervisor: '824613', admin: '917352' };
    for (const r of ['clerk', 'supervisor', 'admin'] as const) {
      await page.getByTestId(`setup-pin-${r}`).fill(pins[r]);
      await page.getByTestId(`setup-pin-${r}-repeat`).fill(pins[r]);
    }
    await page.getByTestId('setup-next').click();
    await page.getByTestId('setup-project-code').fill('36010020260001');
    await page.getByTestId('setup-project-name').fill('赣江新区演示工地');
    await page.getByTestId('setup-next').click();
    await page.getByTestId('setup-simulate').uncheck();
    await page.getByTestId('setup-reader').fill('/dev/ttyUSB1');
    await page.getByTestId('setup-lane-turnstile-0').selectOption('modbus_relay');
    await page.getByTestId('setup-lane-port-0').fill('/dev/ttyUSB0');
    await save(page, 'setup');
    await page.context().close();
  } finally {
    await k.close();
  }
}

mkdirSync(OUT, { recursive: true });
await withoutFaceEngine();
await withFaceEngine();
await firstRun();
