// Signing in by role + PIN in Chromium: wrong PINs say how many tries are left, a locked role
// says until when, and an expired session (core clock moved past the TTL) sends the clerk
// back to the login with a notice — on a real core serving the built UI.
import { describe, expect, it, beforeAll, afterAll } from 'vitest';
import { startKiosk, openPage, signIn, shot, PINS, type Kiosk } from './kiosk-harness.js';

let k: Kiosk;
beforeAll(async () => {
  k = await startKiosk();
});
afterAll(async () => {
  await k?.close();
});

describe('kiosk login and session in Chromium', () => {
  it('says how many tries are left after a wrong PIN, then signs the clerk in', async () => {
    const page = await openPage(k, [1280, 800], '#/enroll');
    await signIn(page, 'clerk', '123987');
    await expect.poll(() => page.getByTestId('login-error').textContent()).toContain('还可尝试 4 次');
    await shot(page, 'login-wrong-pin');
    await signIn(page, 'clerk');
    await page.getByTestId('step-card').waitFor();
    expect(await page.getByTestId('screen-title').textContent()).toBe('人员登记');
    await page.context().close();
  });

  it('locks a role after five wrong PINs and says until when', async () => {
    const page = await openPage(k, [1920, 1080], '#/dashboard');
    for (let i = 0; i < 5; i++) {
      await signIn(page, 'supervisor', '246813');
      await page.getByTestId('login-error').waitFor();
    }
    await signIn(page, 'supervisor', PINS.supervisor);
    await expect.poll(() => page.getByTestId('login-error').textContent()).toMatch(/已锁定.*后可再试/);
    await shot(page, 'login-locked');
    await page.context().close();
  });

  it('shows the login again with an "expired" notice when the core says the session expired', async () => {
    const page = await openPage(k, [1280, 800], '#/workers');
    await signIn(page, 'clerk');
    await page.getByTestId('workers').waitFor();
    k.clock.offsetMs = 13 * 3600_000; // clerk sessions last 12 h
    try {
      // A search asks the core; so does any background poll of the screen, and whichever asks
      // first gets auth.expired and replaces the screen with the login. The search is only a
      // nudge, so it may find its input already gone.
      await page
        .getByTestId('worker-search')
        .fill('测试', { timeout: 3_000 })
        .catch(() => undefined);
      await page.getByTestId('session-expired').waitFor({ timeout: 10_000 });
      expect(await page.getByTestId('login').isVisible()).toBe(true);
      await shot(page, 'login-session-expired');
    } finally {
      k.clock.offsetMs = 0;
    }
    await page.context().close();
  });

  it('switches the whole screen to English and back', async () => {
    const page = await openPage(k, [1280, 800], '#/');
    await page.getByTestId('lang').click();
    await expect.poll(() => page.getByTestId('screen-title').textContent()).toBe('Home');
    await page.getByTestId('lang').click();
    await expect.poll(() => page.getByTestId('screen-title').textContent()).toBe('首页');
    await page.context().close();
  });
});
