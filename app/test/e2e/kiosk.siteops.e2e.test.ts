// The site-operations screens in Chromium against a real demo core: the admin marks a rain day
// in the construction calendar, edits entry hours with the live "who may enter now" preview,
// and a clerk issues a visitor pass whose on-screen QR code, decoded from a screenshot, admits
// the visitor at a lane. Screenshots at 1920×1080 and 1280×800.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import sharp from 'sharp';
import jsqrModule from 'jsqr';
import { startKiosk, openPage, signIn, shot, SIZES, type Kiosk } from './kiosk-harness.js';
import { api } from '../helpers.js';

// jsQR is CommonJS whose typings declare an ES default export: the function is either shape.
const jsqrLoaded = jsqrModule as unknown as typeof jsqrModule.default | { default: typeof jsqrModule.default };
const jsQR = typeof jsqrLoaded === 'function' ? jsqrLoaded : jsqrLoaded.default;

let k: Kiosk;
beforeAll(async () => {
  k = await startKiosk({});
});
afterAll(async () => {
  await k?.close();
});

describe('site operations screens', () => {
  it('the admin marks a rain day in the calendar; it stops being a construction day', async () => {
    const page = await openPage(k, SIZES[1], '#/calendar');
    await signIn(page, 'admin');
    const pill = page.getByTestId('calendar-construction-days');
    await pill.waitFor();
    const before = Number((await pill.textContent())?.match(/\d+/)?.[0]);
    const day = page.locator('[data-testid^="day-"][data-daytype="workday"]').first();
    const testId = (await day.getAttribute('data-testid')) as string;
    await day.click();
    await page.getByTestId('calendar-kind').selectOption('weather');
    await page.getByTestId('calendar-reason').fill('暴雨红色预警');
    await page.getByTestId('calendar-mark').click();
    await page.getByTestId('calendar-message').waitFor();
    await expect.poll(async () => page.getByTestId(testId).getAttribute('data-daytype')).toBe('stoppage');
    expect(Number((await pill.textContent())?.match(/\d+/)?.[0])).toBe(before - 1);
    for (const size of SIZES) {
      await page.setViewportSize({ width: size[0], height: size[1] });
      await shot(page, 'calendar');
    }
    await page.context().close();
  });

  it('the admin closes the default hours on construction days and the preview shows who may no longer enter', async () => {
    const page = await openPage(k, SIZES[1], '#/settings');
    await signIn(page, 'admin');
    const counts = page.getByTestId('tw-preview-counts');
    await counts.waitFor({ timeout: 20_000 });
    await page.getByTestId('tw-default-workday').fill('');
    await page.getByTestId('tw-default-holiday').fill('');
    await expect.poll(async () => (await counts.textContent()) ?? '', { timeout: 10_000 }).toMatch(/不可进场 [1-9]/);
    await page.getByTestId('tw-save').click();
    await expect.poll(async () => (await page.getByTestId('tw-summary').textContent()) ?? '').toContain('timeWindows.default');
    await page.getByTestId('time-windows-card').scrollIntoViewIfNeeded();
    await shot(page, 'time-windows');
    await page.context().close();
  });

  it('a clerk issues a visitor pass; its QR code on screen admits the visitor at a lane', async () => {
    const page = await openPage(k, SIZES[0], '#/visitors');
    await signIn(page, 'clerk');
    await page.getByTestId('visitor-name').fill('访客甲');
    await page.getByTestId('visitor-host').fill('项目部 王工');
    await page.getByTestId('visitor-purpose').fill('送图纸');
    await page.getByTestId('visitor-issue').click();
    const qr = page.getByTestId('visitor-qr');
    await qr.waitFor();
    const code = (await qr.getAttribute('data-code')) as string;
    const { data, info } = await sharp(await qr.screenshot()).ensureAlpha().raw().toBuffer({ resolveWithObject: true });
    const decoded = jsQR(new Uint8ClampedArray(data.buffer, data.byteOffset, data.length), info.width, info.height);
    expect(decoded?.data).toBe(code);
    const r = await api(k.core, 'POST', '/api/lanes/lane-1/visitor-code', { code: decoded?.data });
    expect(r.json).toMatchObject({ decision: 'pass', visitorName: '访客甲' });
    await expect.poll(async () => page.getByTestId('visitor-row').count()).toBeGreaterThan(0);
    for (const size of SIZES) {
      await page.setViewportSize({ width: size[0], height: size[1] });
      await shot(page, 'visitors');
    }
    await page.context().close();
  });
});
