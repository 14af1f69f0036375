// The first page answers in a real browser (Debian's Chromium), served by the real core.
import { describe, expect, it, beforeAll, afterAll } from 'vitest';
import { join } from 'node:path';
import { mkdirSync } from 'node:fs';
import type { Browser } from 'playwright-core';
import { launchChromium } from './browser.js';
import { ensureUiBuilt } from './ui-build.js';
import { startCore } from '../../server/core.js';
import { parseConfig } from '../../server/config.js';
import { createLogger } from '../../server/logger.js';
import { REPO_ROOT } from '../../server/core.js';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';

const artifacts = join(REPO_ROOT, 'test-results', 'screenshots');
let browser: Browser;
let core: Awaited<ReturnType<typeof startCore>>;
let dir: string;

beforeAll(async () => {
  await ensureUiBuilt();
  dir = mkdtempSync(join(tmpdir(), 'sg-e2e-'));
  core = await startCore({
    config: parseConfig({
      demo: true,
      server: { port: 0 },
      platform: { type: 'off' },
      devices: { simulate: false },
      storage: { reserveMb: 0 },
    }),
    gate: false,
    dataDir: dir,
    logger: createLogger({ level: 'silent' }),
  });
  browser = await launchChromium();
  mkdirSync(artifacts, { recursive: true });
});
afterAll(async () => {
  await browser?.close();
  await core?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('UI in Chromium: status page', () => {
  for (const [w, h] of [
    [1920, 1080],
    [1280, 800],
  ] as const) {
    it(`shows the core's health at ${w}×${h}`, async () => {
      const page = await browser.newPage({ viewport: { width: w, height: h } });
      await page.goto(`${core.url}/`);
      await expect
        .poll(async () => page.getByTestId('status').textContent(), { timeout: 10_000 })
        .toContain('运行正常');
      // Components by their names in Chinese, the data disk's free space among them.
      await expect.poll(async () => page.locator('ul.components').textContent(), { timeout: 10_000 }).toMatch(/数据库：正常.*数据盘空间：正常/s);
      await page.screenshot({ path: join(artifacts, `status-${w}x${h}.png`) });
      await page.close();
    });
  }
});
