// With the real face engine (ONNX models) in the core: a replayed photo is refused with the
// liveness reason, at the gate and in the enrollment wizard. The "camera" is Chromium's fake
// device playing a still portrait (edge-core/test/face/fixtures/astronaut.jpg, NASA, public
// domain, via scikit-image; see fake-camera.ts) — a printed photo held up to the camera, in
// effect: no blink, planar motion only. The card comes from the core's ID-card reader
// simulator (POST /api/demo/card), read through the real driver.
import { describe, expect, it, beforeAll, afterAll } from 'vitest';
import { startKiosk, openPage, signIn, shot, type Kiosk } from './kiosk-harness.js';
import { api, login } from '../helpers.js';

let k: Kiosk;
beforeAll(async () => {
  k = await startKiosk({ camera: true, faceEngine: true });
});
afterAll(async () => {
  await k?.close();
});

describe('replayed photo in front of the camera (real face engine)', () => {
  it('the gate refuses it with a liveness reason', async () => {
    const page = await openPage(k, [1920, 1080], '#/gate/lane-1');
    await page.locator('[data-testid="camera"][data-state="live"]').waitFor({ timeout: 15_000 });
    await page.getByTestId('refuse-panel').waitFor({ timeout: 45_000 });
    const reasons = await page.getByTestId('refuse-reason').allTextContents();
    await shot(page, 'gate-replay-refused');
    expect(reasons.join(' ')).toMatch(/活体|翻拍|眨眼/);
    await page.context().close();
  });

  it('the enrollment wizard reads the simulated card, then refuses the capture as not live', async () => {
    const page = await openPage(k, [1280, 800], '#/enroll');
    await signIn(page, 'clerk');
    await page.getByTestId('card-wait').waitFor();
    const clerk = await login(k.core, 'clerk');
    expect((await api(k.core, 'POST', '/api/demo/card', { key: 'resident' }, clerk)).status).toBe(200);
    await page.getByTestId('card-read').waitFor({ timeout: 10_000 });
    expect(await page.getByTestId('card-id').textContent()).toContain('*');
    await shot(page, 'enroll-1-card-read');
    await page.getByTestId('next').click();
    await page.locator('[data-testid="camera"][data-state="live"]').waitFor({ timeout: 15_000 });
    await page.getByTestId('capture').click();
    await page.getByTestId('liveness-failed').waitFor({ timeout: 45_000 });
    expect(await page.getByTestId('liveness-failed').textContent()).toMatch(/活体检测未通过/);
    expect(await page.getByTestId('next').isDisabled()).toBe(true);
    await shot(page, 'enroll-2-capture-replay-refused');
    await page.context().close();
  });
});
