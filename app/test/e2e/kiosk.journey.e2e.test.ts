// The whole journey in Chromium with the real face engine and the real device drivers on
// simulated hardware: the clerk enrolls a worker from a simulated ID card (reader simulator
// over a pseudo-terminal), the live capture is compared 1:1 with the card photo, the worker
// then passes lane 1, the turnstile simulator receives the open command, the passage reaches
// the embedded platform simulator (实名制平台), and the supervisor's dashboard shows the
// passage and a sync card with nothing left to send.
//
// Video data: Chromium's fake camera plays a still portrait (edge-core/test/face/fixtures/
// astronaut.jpg — NASA, public domain, via scikit-image; see fake-camera.ts), and the demo's
// simulated reader returns the same photo, cropped to the face and scaled to the card's
// 102×126 px, as the card photo (what the demo itself shows). A still cannot blink or move in depth, so this core
// runs the `test-only:temporal-off` liveness policy (the CNN anti-spoof check stays on; the
// core reports itself degraded). The replay refusal with the production policy is
// kiosk.replay-refused.e2e.test.ts.
import { describe, expect, it, beforeAll, afterAll } from 'vitest';
import { startKiosk, openPage, signIn, shot, type Kiosk } from './kiosk-harness.js';
import { api, login } from '../helpers.js';

let k: Kiosk;
beforeAll(async () => {
  // No photo is given: the demo's simulated reader returns its own decoded card photo
  // (drivers/src/simulators/demo-id-photo.ts, a crop of the same public-domain portrait).
  k = await startKiosk({
    camera: true,
    faceEngine: true,
    config: {
      gate: { livenessPolicy: 'test-only:temporal-off', cooldownMs: 2000 },
      platform: { type: 'simulator', port: 0 },
    },
  });
});
afterAll(async () => {
  await k?.close();
});

describe('journey: enroll from the card → pass the gate → turnstile opens → dashboard', () => {
  it('enrolls from the simulated card with a 1:1 score, then the worker passes lane 1', { timeout: 300_000 }, async () => {
    const page = await openPage(k, [1920, 1080], '#/enroll');
    await signIn(page, 'clerk');
    await page.getByTestId('card-wait').waitFor();
    const clerk = await login(k.core, 'clerk');
    // The card is placed from the screen (the demo's card picker), not with a hidden API key.
    await page.getByTestId('demo-card-resident').click();
    await page.getByTestId('card-read').waitFor({ timeout: 10_000 });
    await page.locator('[data-testid="card-read"] img.id-photo').waitFor();
    const name = (await page.getByTestId('card-name').textContent()) ?? '';
    expect(name.length).toBeGreaterThan(0);
    await shot(page, 'enroll-1-card-read');
    await page.getByTestId('next').click();

    await page.locator('[data-testid="camera"][data-state="live"]').waitFor({ timeout: 15_000 });
    await page.getByTestId('capture').click();
    await page.locator('[data-testid="match-score"][data-live="true"]').waitFor({ timeout: 45_000 });
    expect(await page.getByTestId('match-score').textContent()).toMatch(/人证比对分数 [\d.]+/);
    await shot(page, 'enroll-2-capture-matched');
    await page.getByTestId('next').click();

    await page.getByTestId('f-employer').selectOption({ label: '演示劳务有限公司' });
    await page.getByTestId('f-team').selectOption({ label: '钢筋班' });
    await page.getByTestId('f-trade').selectOption('020');
    await page.getByTestId('next').click();
    await page.getByTestId('f-contractStart').fill('2026-01-01');
    await page.getByTestId('f-contractEnd').fill('2027-12-31');
    await page.getByTestId('next').click();
    await page.getByTestId('step-review').waitFor();
    let posts = 0;
    page.on('request', (r) => {
      if (r.method() === 'POST' && new URL(r.url()).pathname === '/api/enrollments') posts += 1;
    });
    await page.getByTestId('save').dblclick();
    await page.getByTestId('enroll-done').waitFor({ timeout: 15_000 });
    await shot(page, 'enroll-6-done-from-card');
    expect(posts).toBe(1); // the double click sent one save
    const href = (await page.locator('[data-testid="enroll-done"] a').getAttribute('href')) ?? '';
    const workerId = Number(href.split('/').pop());
    const w = await api(k.core, 'GET', `/api/workers/${workerId}`, undefined, clerk);
    expect(w.json).toMatchObject({ name, manualEntry: false, teamName: '钢筋班', tradeCode: '020' });
    // The same card again: caught at the card step, with the way to the person.
    await page.getByTestId('enroll-next-worker').click();
    await page.getByTestId('demo-card-resident').click();
    await page.getByTestId('already-enrolled').waitFor({ timeout: 10_000 });
    expect(await page.getByTestId('open-enrolled').getAttribute('href')).toBe(`#/workers/${workerId}`);
    expect(await page.getByTestId('next').isDisabled()).toBe(true);
    await page.getByTestId('enroll-cancel').click();
    await api(k.core, 'POST', '/api/demo/card', { key: null }, clerk);
    await page.context().close();

    // The same face at lane 1.
    const relay = k.core.devices.simulators?.modbusRelay;
    const before = relay?.history.length ?? 0;
    const gate = await openPage(k, [1920, 1080], '#/gate/lane-1');
    // Recognised, but the portrait wears no helmet: refused with the reason a worker understands.
    await gate.getByTestId('refuse-panel').waitFor({ timeout: 45_000 });
    expect(await gate.getByTestId('refuse-panel').textContent()).toContain('未戴安全帽');
    expect(await gate.getByTestId('refuse-panel').textContent()).toContain(name);
    await shot(gate, 'gate-refused-no-helmet');
    expect(relay?.history.length ?? 0).toBe(before);
    // The admin relaxes the helmet rule to a reminder (audited); the next attempt passes.
    const admin = await login(k.core, 'admin');
    const policy = (await api(k.core, 'GET', '/api/gate/policy', undefined, admin)).json as Record<
      string,
      unknown
    >;
    const put = await api(
      k.core,
      'PUT',
      '/api/gate/policy',
      { ...policy, helmet: { action: 'remind', whenUnknown: 'ignore' } },
      admin,
    );
    expect(put.status).toBe(200);
    await gate.getByTestId('pass-panel').waitFor({ timeout: 45_000 });
    expect(await gate.getByTestId('pass-name').textContent()).toBe(name);
    await shot(gate, 'gate-pass-enrolled-worker');
    await expect.poll(() => relay?.history.length ?? 0, { timeout: 10_000 }).toBeGreaterThan(before);
    // Still in front of the camera after the cooldown: a repeat scan, said calmly.
    await gate.getByTestId('recorded-panel').waitFor({ timeout: 45_000 });
    expect(await gate.getByTestId('recorded-panel').textContent()).toContain('已记录，请通行');
    expect(await gate.getByTestId('gate').textContent()).not.toContain('未通过');
    await shot(gate, 'gate-recorded-repeat-scan');
    await gate.context().close();

    // The worker's page: the enrollment photo, the passage in the history, a face re-capture.
    const wp = await openPage(k, [1280, 800], `#/workers/${workerId}`);
    await signIn(wp, 'clerk');
    await wp.getByTestId('worker-photo').waitFor();
    expect(await wp.getByTestId('worker-photo').evaluate((img: HTMLImageElement) => img.naturalWidth)).toBeGreaterThan(0);
    await expect.poll(() => wp.getByTestId('history-row').count()).toBeGreaterThan(0);
    expect(await wp.getByTestId('worker-history').textContent()).toContain('未戴安全帽');
    expect(await wp.getByTestId('worker-history').textContent()).toContain('通过');
    await wp.getByTestId('recapture-face').click();
    await wp.locator('[data-testid="face-recapture"] [data-testid="camera"][data-state="live"]').waitFor({ timeout: 15_000 });
    await wp.getByTestId('recapture-start').click();
    await wp.getByTestId('recapture-done').waitFor({ timeout: 60_000 });
    await shot(wp, 'worker-face-recaptured');
    await wp.context().close();

    // The outbox delivers the enrollment and the passage to the platform simulator.
    const platform = k.core.sync.simulator;
    expect(platform).not.toBeNull();
    await expect
      .poll(() => platform?.store.allAttendance().filter((r) => r.direction === '01').length ?? 0, {
        timeout: 20_000,
      })
      .toBeGreaterThan(0);

    const dash = await openPage(k, [1920, 1080], '#/dashboard');
    await signIn(dash, 'supervisor');
    await expect
      .poll(() => dash.locator('[data-testid="kpi-passes"] .value').textContent(), { timeout: 10_000 })
      .not.toMatch(/^(—|0)$/);
    expect(await dash.getByTestId('teams-card').textContent()).toContain('钢筋班');
    await expect.poll(() => dash.getByTestId('sync-backlog').textContent(), { timeout: 15_000 }).toBe('0');
    await expect
      .poll(() => dash.getByTestId('sync-last-success').textContent(), { timeout: 10_000 })
      .toMatch(/\d{4}/);
    expect(await dash.getByTestId('sync-connectivity').textContent()).toContain('在线');
    // The helmet refusal: with the person's name and the captured face.
    const refusal = dash.locator('[data-testid="recent-row"][data-decision="refuse"]', { hasText: '未戴安全帽' }).first();
    expect(await refusal.getByTestId('recent-who').textContent()).toBe(name);
    await refusal.getByTestId('recent-photo').waitFor();
    await shot(dash, 'dashboard-after-journey');
    await dash.context().close();
  });
});
