// Issue 15 item 3, named accounts, in Chromium against a real demo core serving the built UI:
// the admin creates a clerk's own account in the settings; at the keypad she picks herself from
// the list of clerks (or types her account number) and her PIN; the screen and the audit name
// her; disabled, she is refused in plain words. Screenshots of the keypad and the accounts section.
import { describe, expect, it, beforeAll, afterAll } from 'vitest';
import type { Page } from 'playwright-core';
import { startKiosk, openPage, signIn, shot, type Kiosk } from './kiosk-harness.js';

let k: Kiosk;
let yi = 0;
beforeAll(async () => {
  k = await startKiosk();
});
afterAll(async () => {
  await k?.close();
});

/** Types digits on the on-screen keypad. */
async function keys(page: Page, digits: string): Promise<void> {
  for (const d of digits) await page.getByTestId(`key-${d}`).click();
}

async function signOut(page: Page): Promise<void> {
  await page.getByTestId('logout').click();
  await page.getByTestId('login').waitFor();
}

describe('named accounts in the kiosk', () => {
  it('the admin creates a clerk account in the settings; the audit there names the admin', async () => {
    const page = await openPage(k, [1280, 800], '#/settings');
    await signIn(page, 'admin');
    await page.getByTestId('accounts-card').waitFor();
    for (const id of [1, 2, 3]) await page.getByTestId(`account-row-${id}`).waitFor();
    await page.getByTestId('account-new-name').fill('测试劳务员乙');
    await page.getByTestId('account-new-role').selectOption('clerk');
    await page.getByTestId('account-new-pin').fill('702479');
    await page.getByTestId('account-new-pin-again').fill('702479');
    await page.getByTestId('account-new-save').click();
    await expect.poll(() => page.getByTestId('accounts-msg').textContent()).toMatch(/已新建：测试劳务员乙，账号编号 \d+/);
    yi = Number(/账号编号 (\d+)/.exec((await page.getByTestId('accounts-msg').textContent()) ?? '')?.[1]);
    expect(await page.getByTestId(`account-row-${yi}`).textContent()).toContain('劳务员');
    expect(await page.getByTestId('logout').textContent()).toBe('退出（演示管理员）');
    await page.getByTestId('accounts-card').evaluate((el) => el.scrollIntoView({ block: 'start' }));
    await shot(page, 'settings-accounts');
    // The audit (read on opening the settings) names the person who signed in.
    await page.reload();
    await expect.poll(() => page.getByTestId('audit-actor').allTextContents()).toContain('演示管理员（管理员 #1）');
    expect(k.core.services.audit.list({ action: 'account.create' })[0]).toMatchObject({ actor: 'admin#1 演示管理员', target: `account:${yi}` });
    await page.context().close();
  });

  it('a clerk picks herself from the list of clerks, then her PIN on the keypad', async () => {
    const page = await openPage(k, [1280, 800], '#/enroll');
    await page.getByTestId('role-clerk').click();
    await page.getByTestId(`account-${yi}`).waitFor();
    expect(await page.getByTestId('login-people').textContent()).toContain('演示劳务员');
    // Two clerks: a PIN without saying who is refused with the reason.
    await page.getByTestId('pin').fill('702479');
    await page.getByTestId('key-ok').click();
    await expect.poll(() => page.getByTestId('login-error').textContent()).toContain('请先选择您的账号');
    await page.getByTestId(`account-${yi}`).click();
    expect(await page.getByTestId('login-who').textContent()).toBe(`测试劳务员乙（劳务员 #${yi}）`);
    await keys(page, '702479');
    await shot(page, 'login-named-account');
    await page.getByTestId('key-ok').click();
    await page.getByTestId('step-card').waitFor();
    expect(await page.getByTestId('logout').textContent()).toBe('退出（测试劳务员乙）');
    expect(k.core.services.audit.list({ action: 'login.ok' })[0]).toMatchObject({ actor: `clerk#${yi} 测试劳务员乙`, details: { source: 'kiosk' } });
    await signOut(page);
    // Or she types her account number, then her PIN, all on the keypad.
    await page.getByTestId('account-number').click();
    await keys(page, String(yi));
    await page.getByTestId('key-ok').click();
    await keys(page, '702479');
    await page.getByTestId('key-ok').click();
    await page.getByTestId('step-card').waitFor();
    expect(await page.getByTestId('logout').textContent()).toBe('退出（测试劳务员乙）');
    await page.context().close();
  });

  it('disabled by the admin, she is refused in plain words; the other clerk is not', async () => {
    const admin = await openPage(k, [1280, 800], '#/settings');
    await signIn(admin, 'admin');
    await admin.getByTestId(`account-disable-${yi}`).click();
    await admin.getByTestId(`account-disable-confirm-${yi}`).click();
    await expect.poll(() => admin.getByTestId('accounts-msg').textContent()).toBe('测试劳务员乙 已停用');
    expect(await admin.getByTestId(`account-row-${yi}`).textContent()).toContain('已停用');
    await admin.context().close();

    const page = await openPage(k, [1280, 800], '#/enroll');
    await page.getByTestId('role-clerk').click();
    await page.getByTestId('account-3').waitFor();
    // No longer offered at the keypad; typed, she is told the account is disabled.
    expect(await page.getByTestId(`account-${yi}`).count()).toBe(0);
    await page.getByTestId('account-number').fill(String(yi));
    await page.getByTestId('pin').fill('702479');
    await page.getByTestId('key-ok').click();
    await expect.poll(() => page.getByTestId('login-error').textContent()).toContain('该账号已停用');
    // The demo clerk, the only clerk offered now, is picked at once.
    await page.getByTestId('account-number').fill('');
    expect(await page.getByTestId('account-3').getAttribute('aria-pressed')).toBe('true');
    await page.getByTestId('pin').fill('700000');
    await page.getByTestId('key-ok').click();
    await page.getByTestId('step-card').waitFor();
    await page.context().close();
  });
});
