// Gate screen and supervisor dashboard in Chromium against a real core: demo passages (the
// core's POST /api/demo/passage, the same recordPassage the face pipeline will call) show on
// the lane's gate screen — name, team, direction, or a refusal reason a worker understands —
// and on the dashboard without a reload; a lost WebSocket shows "reconnecting" and recovers
// when the core comes back; no camera / camera denied are explained on screen (a second
// Chromium with no fake camera: the refusal is Chromium's own, not mocked). The dashboard's
// management-personnel panel shows the demo's safety officer (测试丁) against the 80 % line,
// and the monthly attendance sheet downloads as a real XLSX / CSV file (Chromium's own
// download, Chinese file name), with a plain error when the core is down. Issue 16: the repeat
// scan is a calm 已记录，请通行, a refusal says what to do next, a missing camera is said
// plainly, the dashboard names lanes and refused persons and draws hours in the site's zone.
// The fake camera plays a public-domain portrait; see fake-camera.ts.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it, beforeAll, afterAll } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { startKiosk, openPage, signIn, shot, SIZES, type Kiosk } from './kiosk-harness.js';
import { launchChromium } from './browser.js';
import { checkChineseScreen } from './screen-text.js';
import { api, login } from '../helpers.js';

let k: Kiosk;
let plain: Browser;
let clerk: string;
let workerA: number;
let safetyOfficer: number;

async function passage(laneId: string, workerId: number | null, direction: 'in' | 'out', reasons?: string[]): Promise<void> {
  const r = await api(k.core, 'POST', '/api/demo/passage', { laneId, workerId, direction, ...(reasons ? { reasons } : {}) }, clerk);
  expect(r.status).toBe(200);
}

beforeAll(async () => {
  k = await startKiosk({ camera: true });
  plain = await launchChromium();
  clerk = await login(k.core, 'clerk');
  const w = await api(k.core, 'GET', `/api/workers?q=${encodeURIComponent('测试甲')}`, undefined, clerk);
  workerA = w.json[0].id;
  const m = await api(k.core, 'GET', `/api/workers?q=${encodeURIComponent('测试丁')}`, undefined, clerk);
  safetyOfficer = m.json[0].id;
});
afterAll(async () => {
  await plain?.close();
  await k?.close();
});

describe('gate screen in Chromium', () => {
  it('shows the live camera with the face guide, then a pass and a refusal for its own lane only', async () => {
    const page = await openPage(k, [1920, 1080], '#/gate/lane-1');
    await page.locator('[data-testid="camera"][data-state="live"]').waitFor({ timeout: 15_000 });
    await expect.poll(() => page.getByTestId('gate-link').textContent()).toBe('在线');
    await page.getByTestId('gate-idle').waitFor();
    expect(await page.getByTestId('lane-name').textContent()).toContain('1号通道');
    await shot(page, 'gate-idle');

    await passage('lane-2', workerA, 'out'); // another lane: not shown here
    await passage('lane-1', workerA, 'in');
    await page.getByTestId('pass-panel').waitFor();
    const pass = await page.getByTestId('pass-panel').textContent();
    expect(pass).toContain('测试甲');
    expect(pass).toContain('钢筋班');
    expect(pass).toContain('进场');
    // Events arrive in order on one socket: lane-2's came first and was not shown.
    expect(await page.getByTestId('gate').getAttribute('data-decisions')).toBe('1');
    await shot(page, 'gate-pass');

    // A second scan right after the pass: calm, not a red refusal.
    await passage('lane-1', workerA, 'in', ['duplicate_scan']);
    await page.getByTestId('recorded-panel').waitFor();
    expect(await page.getByTestId('recorded-panel').textContent()).toContain('已记录，请通行');
    expect(await page.getByTestId('gate').textContent()).not.toContain('未通过');
    expect(await page.getByTestId('gate').textContent()).not.toContain('重复打卡');
    await shot(page, 'gate-recorded');

    await passage('lane-1', null, 'in');
    await page.getByTestId('refuse-panel').waitFor();
    expect(await page.getByTestId('refuse-reason').first().textContent()).toBe('未登记');
    // The next step, and no camera hint beside a decision (请站在框内… is for the idle screen).
    expect(await page.getByTestId('refuse-next').textContent()).toBe('请到劳务员处登记');
    expect(await page.getByTestId('hints').textContent()).toBe('');
    await shot(page, 'gate-refused');
    await passage('lane-1', workerA, 'in', ['helmet_missing']);
    await expect.poll(() => page.getByTestId('refuse-next').textContent()).toBe('请戴好安全帽后再刷脸');
    expect(await page.getByTestId('gate').textContent()).not.toContain('摘下墨镜');
    // The demo says that the helmet rule refuses.
    expect(await page.getByTestId('gate-demo-note').textContent()).toContain('未戴安全帽将被拒绝通行');
    await page.context().close();
  });

  it('says "connection lost, reconnecting" while the core is down and recovers when it is back', async () => {
    const page = await openPage(k, [1280, 800], '#/gate/lane-1');
    await page.locator('[data-testid="camera"][data-state="live"]').waitFor({ timeout: 15_000 });
    await expect.poll(() => page.getByTestId('gate-link').textContent()).toBe('在线');
    await k.stopCore();
    await page.getByTestId('connection-banner').waitFor({ timeout: 10_000 });
    expect(await page.getByTestId('connection-banner').textContent()).toContain('连接已断开');
    expect(await page.getByTestId('gate-link').textContent()).toContain('离线');
    await shot(page, 'gate-connection-lost');
    await k.restartCore();
    clerk = await login(k.core, 'clerk');
    await page.getByTestId('connection-banner').waitFor({ state: 'detached', timeout: 15_000 });
    // Events flow again after the reconnect.
    await passage('lane-1', workerA, 'out');
    await expect
      .poll(() => page.getByTestId('pass-panel').textContent(), { timeout: 10_000 })
      .toContain('出场');
    await page.context().close();
  });

  it('explains a denied camera and a missing camera (Chromium without a fake device)', async () => {
    const denied = await plain.newContext({ viewport: { width: 1280, height: 800 } });
    const p1 = await denied.newPage();
    await p1.goto(`${k.core.url}/#/gate/lane-1`);
    await p1.locator('[data-testid="camera"]:not([data-state="starting"])').waitFor({ timeout: 10_000 });
    const t1 = await p1.getByTestId('camera-message').textContent();
    await shot(p1, 'gate-camera-problem');
    expect(t1).toMatch(/摄像头权限被拒绝|未找到摄像头/);
    await denied.close();

    const granted = await plain.newContext({ viewport: { width: 1920, height: 1080 } });
    await granted.grantPermissions(['camera'], { origin: k.core.url });
    const p2 = await granted.newPage();
    await p2.goto(`${k.core.url}/#/gate/lane-1`);
    await p2.locator('[data-testid="camera"]:not([data-state="starting"])').waitFor({ timeout: 10_000 });
    expect(await p2.getByTestId('camera-message').textContent()).toMatch(
      /未找到摄像头|摄像头无法启动|摄像头权限被拒绝/,
    );
    // Said plainly: nobody can pass by face now; neither 请正对摄像头 nor 在线.
    await p2.locator('[data-testid="gate-idle"][data-state="camera-down"]').waitFor();
    expect(await p2.getByTestId('gate-idle').textContent()).toContain('摄像头故障');
    await expect.poll(() => p2.getByTestId('gate-link').textContent()).toBe('摄像头未连接');
    const all = (await p2.getByTestId('gate').textContent()) ?? '';
    expect(all).not.toContain('请正对摄像头');
    expect(all).not.toContain('在线');
    expect(await checkChineseScreen(p2, 'gate-camera-down')).toEqual([]);
    await shot(p2, 'gate-camera-down');
    await granted.close();
  });
});

describe('supervisor dashboard in Chromium', () => {
  it('shows today per team, on site now and passages per hour, and refreshes on a live passage', async () => {
    for (const size of SIZES) {
      const page = await openPage(k, size, '#/dashboard');
      await signIn(page, 'supervisor');
      await page.getByTestId('dashboard').waitFor();
      await expect.poll(() => page.getByTestId('team-row').count()).toBeGreaterThan(0);
      await shot(page, 'dashboard');
      await page.context().close();
    }
    const page = await openPage(k, [1920, 1080], '#/dashboard');
    await signIn(page, 'supervisor');
    await page.getByTestId('dashboard').waitFor();
    await expect.poll(() => page.locator('[data-testid="kpi-passes"] .value').textContent()).not.toBe('—');
    const before = Number(await page.locator('[data-testid="kpi-passes"] .value').textContent());
    const recentBefore = await page.getByTestId('recent-row').count();
    await passage('lane-1', workerA, 'in');
    await expect
      .poll(() => page.locator('[data-testid="kpi-passes"] .value').textContent(), { timeout: 10_000 })
      .toBe(String(before + 1));
    await expect.poll(() => page.getByTestId('recent-row').count()).toBe(Math.min(12, recentBefore + 1));
    expect(await page.getByTestId('teams-card').textContent()).toContain('钢筋班');
    const bars = await page
      .locator('[data-testid="hourly-chart"] g[data-count]')
      .evaluateAll((gs) => gs.reduce((n, g) => n + Number(g.getAttribute('data-count')), 0));
    expect(bars).toBe(
      before + 1 + Number(await page.locator('[data-testid="kpi-refusals"] .value').textContent()),
    );
    // Lanes by name, never their ids; the legend of the chart.
    expect(await page.getByTestId('recent-lane').first().textContent()).toBe('1号通道（进）');
    expect(await page.getByTestId('recent-card').textContent()).not.toMatch(/lane-\d/);
    expect(await page.getByTestId('hourly-legend').textContent()).toMatch(/通过.*拒绝/);
    await page.context().close();
  });

  it("shows refusals with the person, and times and hours in the site's zone whatever the browser's zone", async () => {
    await passage('lane-2', workerA, 'in', ['helmet_missing']);
    const rows = (await api(k.core, 'GET', '/api/attendance?limit=1', undefined, await login(k.core, 'supervisor'))).json as Array<{
      occurredAt: number;
      decision: string;
    }>;
    const at = rows[0]?.occurredAt ?? 0;
    expect(rows[0]?.decision).toBe('refuse');
    const siteHour = Number(new Intl.DateTimeFormat('en-GB', { hour: '2-digit', hourCycle: 'h23', timeZone: 'Asia/Shanghai' }).format(at));
    const siteClock = new Intl.DateTimeFormat('en-GB', { hour: '2-digit', minute: '2-digit', hourCycle: 'h23', timeZone: 'Asia/Shanghai' }).format(at);
    // A browser 15–16 hours away from the site: what the walkthrough saw as a 19:57 pass at hour 3.
    const page = await openPage(k, [1280, 800], '#/dashboard', { timezoneId: 'America/Los_Angeles' });
    await signIn(page, 'supervisor');
    const first = page.getByTestId('recent-row').first();
    await expect.poll(() => first.getAttribute('data-decision')).toBe('refuse');
    expect(await first.getByTestId('recent-who').textContent()).toBe('测试甲');
    expect(await first.getByTestId('recent-lane').textContent()).toBe('2号通道（出）');
    expect(await first.getByTestId('recent-time').textContent()).toContain(siteClock);
    const atHour = await page.locator(`[data-testid="hourly-chart"] g[data-hour="${siteHour}"]`).getAttribute('data-count');
    expect(Number(atHour)).toBeGreaterThan(0);
    await page.context().close();
  });

  it('shows the management personnel against the 80 % line, with the safety officer 测试丁 and the project warning', async () => {
    await passage('lane-1', safetyOfficer, 'in');
    for (const size of SIZES) {
      const page = await openPage(k, size, '#/dashboard');
      await signIn(page, 'supervisor');
      const officer = page.locator('[data-testid="mgmt-row"][data-role="safety_officer"]');
      await officer.waitFor();
      // A full demo passage today: one valid day so far.
      await expect.poll(() => officer.getByTestId('mgmt-name').textContent()).toBe('测试丁');
      const text = await officer.textContent();
      expect(text).toContain('安全员');
      expect(text).toMatch(/^安全员测试丁1 \/ \d+ \/ \d+ 天/);
      const status = await officer.getAttribute('data-status');
      expect(['on_track', 'at_risk', 'unreachable']).toContain(status);
      if (status !== 'on_track')
        expect(await officer.getByTestId('mgmt-warning').textContent()).toMatch(/80%/);
      // The other five Jiangxi roles have nobody: shown as unfilled, never hidden.
      expect(await page.getByTestId('mgmt-row').count()).toBe(6);
      expect(await page.locator('[data-testid="mgmt-row"] .tag.bad', { hasText: '未配备' }).count()).toBe(5);
      expect(await page.getByTestId('mgmt-combined').textContent()).toContain('综合到岗率');
      await page.getByTestId('mgmt-project-warning').waitFor();
      expect(await page.getByTestId('mgmt-project-warning').textContent()).toMatch(/管理人员到岗/);
      await shot(page, 'dashboard-management');
      if (size[0] === 1280) {
        // Last month is complete and nobody attended: every role is below the line, the project flagged.
        const current = await page.getByTestId('mgmt-month').inputValue();
        await page.getByTestId('mgmt-month').fill(previousMonth(current));
        await expect.poll(() => officer.getAttribute('data-status')).toBe('below');
        expect(await page.getByTestId('mgmt-project-warning').getAttribute('data-flagged')).toBe('true');
        expect(await page.getByTestId('mgmt-project-warning').textContent()).toContain('重点监管');
      }
      await page.context().close();
    }
  });

  it('exports the monthly attendance sheet as an XLSX and a CSV download, and says why when the core is down', async () => {
    const page = await openPage(k, [1280, 800], '#/dashboard');
    await signIn(page, 'supervisor');
    await page.getByTestId('sheet-card').waitFor();
    const month = await page.getByTestId('sheet-month').inputValue();
    expect(month).toMatch(/^\d{4}-\d{2}$/);

    const xlsx = await download(page, 'sheet-xlsx');
    // Chinese file names, as a clerk files them.
    expect(xlsx.name).toBe(`演示项目_按班组_${month}_考勤表.xlsx`);
    expect(xlsx.bytes.length).toBeGreaterThan(1000);
    expect(xlsx.bytes.subarray(0, 2).toString('latin1')).toBe('PK'); // a zip container (OOXML)
    expect(await page.getByTestId('sheet-done').textContent()).toContain(xlsx.name);

    await page.getByTestId('sheet-group-employer').click();
    const csv = await download(page, 'sheet-csv');
    expect(csv.name).toBe(`演示项目_按单位_${month}_考勤表.csv`);
    const csvText = csv.bytes.toString('utf8');
    expect(csvText).toContain('演示劳务有限公司');
    expect(csvText).toContain('测试甲');

    await k.stopCore();
    await page.getByTestId('sheet-xlsx').click();
    await expect.poll(() => page.getByTestId('sheet-error').textContent()).toContain('无法连接核心服务');
    expect(await page.getByTestId('sheet-xlsx').isEnabled()).toBe(true);
    await k.restartCore();
    clerk = await login(k.core, 'clerk');
    await page.context().close();
  });
});

function previousMonth(month: string): string {
  const [y, m] = month.split('-').map(Number) as [number, number];
  return m === 1 ? `${y - 1}-12` : `${y}-${String(m - 1).padStart(2, '0')}`;
}

/** Clicks an export button and returns Chromium's download: its file name and bytes. */
async function download(page: Page, button: string): Promise<{ name: string; bytes: Buffer }> {
  const [d] = await Promise.all([page.waitForEvent('download'), page.getByTestId(button).click()]);
  const file = join(k.dir, `download-${Date.now()}-${d.suggestedFilename()}`);
  await d.saveAs(file);
  expect(await d.failure()).toBeNull();
  return { name: d.suggestedFilename(), bytes: readFileSync(file) };
}
