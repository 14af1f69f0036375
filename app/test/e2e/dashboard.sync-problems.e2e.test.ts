// The supervisor's dashboard says a standing problem towards the platform in plain words, in
// Chromium against a real demo core with the embedded platform simulator: the heartbeat method
// refused (−3) — the device key is not registered, ask for the method or check its name — and
// the request time refused; zh by default, English after switching; gone once resolved.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ALL_METHODS, DEFAULT_SIM_APP } from '../../../sync/src/index.js';
import { openPage, shot, signIn, SIZES, startKiosk, type Kiosk } from './kiosk-harness.js';

let k: Kiosk;
beforeAll(async () => {
  k = await startKiosk({ config: { platform: { type: 'simulator', port: 0 } } });
});
afterAll(async () => {
  await k?.close();
});

describe('dashboard: problems towards the platform', () => {
  it('shows the refused heartbeat and the refused request time in words, with what to do', async () => {
    const sim = k.core.sync.simulator;
    if (!sim) throw new Error('the demo runs the embedded simulator');
    sim.setApp({ ...DEFAULT_SIM_APP, methods: ALL_METHODS.filter((m) => m !== 'Device.Heartbeat') });
    await k.core.sync.beatNow();

    const page = await openPage(k, SIZES[0], '#/dashboard');
    await signIn(page, 'supervisor');
    const problem = page.getByTestId('sync-problem-heartbeat_not_permitted');
    await expect.poll(() => problem.textContent(), { timeout: 20_000 }).toContain('心跳接口 Device.Heartbeat');
    const zh = (await problem.textContent()) ?? '';
    expect(zh).toContain('设备公钥没有登记');
    expect(zh).toContain('请联系平台管理员');
    expect(zh).toContain('platform.heartbeatMethod');
    await page.getByTestId('sync-card').evaluate((el) => el.scrollIntoView({ block: 'start' }));
    await shot(page, 'dashboard-sync-problem');
    await page.getByTestId('lang').click();
    await expect.poll(() => problem.textContent()).toContain("this device's public key has not been registered");
    expect(await problem.textContent()).toContain('Ask the platform administrator to grant Device.Heartbeat');
    await page.getByTestId('lang').click();

    // The platform's clock runs 30 min ahead: every call is refused for its time.
    sim.setTimeOffset(30 * 60_000);
    await k.core.sync.beatNow();
    const clock = page.getByTestId('sync-problem-clock_outside_window');
    await expect.poll(() => clock.textContent(), { timeout: 20_000 }).toContain('时间戳超出平台允许的时间窗口');
    expect(await page.getByTestId('sync-connectivity').textContent()).toContain('平台拒绝');

    // Both resolved: the card says nothing more about them.
    sim.setTimeOffset(0);
    sim.setApp({ ...DEFAULT_SIM_APP });
    await k.core.sync.beatNow();
    await expect.poll(() => page.getByTestId('sync-problems').count(), { timeout: 20_000 }).toBe(0);
    await page.context().close();
  });
});
