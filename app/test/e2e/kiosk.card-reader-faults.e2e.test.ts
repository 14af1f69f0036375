// The enrollment card step in Chromium when the reader's replies arrive damaged: the clerk
// reads 请重新放置身份证 (zh first; English after switching), and after placing the card again
// the card is read and shown. The simulated reader damages its read replies (bad checksum).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openPage, shot, signIn, startKiosk, type Kiosk } from './kiosk-harness.js';
import { api, login } from '../helpers.js';

let k: Kiosk;
beforeAll(async () => {
  k = await startKiosk();
}, 180_000);
afterAll(async () => {
  await k?.close();
});

describe('enrollment card step: reader faults in words', () => {
  it('a damaged read says 请重新放置身份证; placed again, the card is read', async () => {
    const page = await openPage(k, [1280, 800], '#/enroll');
    await signIn(page, 'clerk');
    await page.getByTestId('step-card').waitFor();
    await page.getByTestId('card-wait').waitFor();
    const sim = k.core.devices.simulators?.idCardReader;
    expect(sim).toBeDefined();
    const clerk = await login(k.core, 'clerk');
    sim?.injectFault('bad_checksum', { times: 3 });
    await api(k.core, 'POST', '/api/demo/card', { key: 'resident' }, clerk);
    const error = page.getByTestId('card-error');
    await error.waitFor({ timeout: 20_000 });
    expect(await error.getAttribute('data-action')).toBe('replace_card');
    expect(await error.innerText()).toContain('请重新放置身份证');
    expect(await error.innerText()).toContain('校验和错误');
    await shot(page, 'enroll-card-replace');
    // English second, from the same event through the i18n layer.
    await page.getByTestId('lang').click();
    expect(await error.innerText()).toContain('Place the ID card on the reader again');
    expect(await error.innerText()).toContain('checksum error');
    await page.getByTestId('lang').click();
    // Placed again: read and shown, the message gone.
    await api(k.core, 'POST', '/api/demo/card', { key: null }, clerk);
    await new Promise((r) => setTimeout(r, 800));
    await api(k.core, 'POST', '/api/demo/card', { key: 'resident' }, clerk);
    await page.getByTestId('card-read').waitFor({ timeout: 20_000 });
    expect(await page.getByTestId('card-name').innerText()).toBe('测试辛');
    await page.context().close();
  }, 120_000);
});
