// Shared set-up of the kiosk browser tests: a real core (demo data, fresh data dir, a clock
// the test can move forward), the built UI, Debian's Chromium with the fake camera, and
// helpers to sign in through the keypad and to take screenshots.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { launchChromium } from './browser.js';
import { ensureUiBuilt } from './ui-build.js';
import { makeFakeCameraY4m } from './fake-camera.js';
import { startCore, REPO_ROOT, type CoreHandle } from '../../server/core.js';
import { loadConfigFile, parseConfig } from '../../server/config.js';
import { createLogger } from '../../server/logger.js';

export const SCREENSHOTS = join(REPO_ROOT, 'test-results', 'screenshots');
export const SIZES = [
  [1920, 1080],
  [1280, 800],
] as const;
export const PINS = { admin: '900000', supervisor: '800000', clerk: '700000' } as const;

/** A wall clock the test can move forward (session expiry) without waiting. */
export class ShiftableClock {
  offsetMs = 0;
  now(): number {
    return Date.now() + this.offsetMs;
  }
}

export interface Kiosk {
  core: CoreHandle;
  browser: Browser;
  clock: ShiftableClock;
  dir: string;
  port: number;
  /** The configuration file the core starts from (null: inline test configuration). */
  configFile: string | null;
  /** How many times the core was started again. */
  readonly restarts: number;
  restartCore(): Promise<void>;
  stopCore(): Promise<void>;
  close(): Promise<void>;
}

interface BootOptions {
  faceEngine: boolean;
  config: Record<string, unknown>;
  simulatorPhoto?: Uint8Array;
  /** Start from this configuration file (read again at every restart, as `npm start` does). */
  configFile?: string;
  /** Called when the core asks to be started again (the first-run wizard saved the file). */
  onReload?: () => void;
}

function configOf(o: BootOptions, port: number) {
  if (o.configFile) {
    const c = loadConfigFile(o.configFile);
    return { ...c, server: { ...c.server, port } };
  }
  return parseConfig({ demo: true, platform: { type: 'off' }, storage: { reserveMb: 0 }, ...o.config, server: { port } });
}

async function boot(dir: string, port: number, clock: ShiftableClock, o: BootOptions): Promise<CoreHandle> {
  return startCore({
    config: configOf(o, port),
    ...(o.simulatorPhoto ? { simulatorPhoto: o.simulatorPhoto } : {}),
    dataDir: dir,
    clock,
    logger: createLogger({ level: 'silent' }),
    // The face engine (ONNX models) only where a test needs it: it costs CPU on a 2-core runner.
    gate: o.faceEngine,
    configFile: o.configFile ?? null,
    ...(o.onReload ? { onReloadRequested: o.onReload } : {}),
  });
}

export async function startKiosk(
  opts: {
    camera?: boolean;
    faceEngine?: boolean;
    config?: Record<string, unknown>;
    simulatorPhoto?: Uint8Array;
    /** Write this YAML as the configuration file and start from it (restarts read it again). */
    configYaml?: string;
  } = {},
): Promise<Kiosk> {
  await ensureUiBuilt();
  const dir = mkdtempSync(join(tmpdir(), 'sg-kiosk-'));
  let configFile: string | undefined;
  if (opts.configYaml !== undefined) {
    configFile = join(dir, 'config.yaml');
    writeFileSync(configFile, opts.configYaml);
  }
  // The first-run wizard asks the core to start again from its file, as boot.ts does.
  let reloads = Promise.resolve();
  const bootOptions: BootOptions = {
    faceEngine: opts.faceEngine ?? false,
    config: opts.config ?? {},
    simulatorPhoto: opts.simulatorPhoto,
    ...(configFile ? { configFile, onReload: () => void (reloads = reloads.then(() => k.restartCore())) } : {}),
  };
  const clock = new ShiftableClock();
  let core: CoreHandle | null = await boot(join(dir, 'data'), 0, clock, bootOptions);
  const port = core.port;
  let restarts = 0;
  const video = opts.camera ? makeFakeCameraY4m(dir).file : undefined;
  const browser = await launchChromium({ fakeVideo: video });
  mkdirSync(SCREENSHOTS, { recursive: true });
  const k: Kiosk = {
    get core() {
      if (!core) throw new Error('core stopped');
      return core;
    },
    browser,
    clock,
    dir,
    port,
    configFile: configFile ?? null,
    get restarts() {
      return restarts;
    },
    async stopCore() {
      await core?.close();
      core = null;
    },
    async restartCore() {
      await core?.close();
      core = null;
      core = await boot(join(dir, 'data'), port, clock, bootOptions);
      restarts += 1;
    },
    async close() {
      await browser.close().catch(() => {});
      await core?.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
  return k;
}

export async function signIn(page: Page, role: keyof typeof PINS, pin: string = PINS[role]): Promise<void> {
  await page.getByTestId(`role-${role}`).click();
  await page.getByTestId('pin').fill(pin);
  await page.getByTestId('key-ok').click();
}

export async function shot(page: Page, name: string): Promise<void> {
  const vp = page.viewportSize();
  await page.screenshot({ path: join(SCREENSHOTS, `${name}-${vp?.width}x${vp?.height}.png`) });
}

/**
 * A new page at the given size with the session's sessionStorage empty; the browser's locale
 * and time zone can be set (the kiosk must not depend on them).
 */
export async function openPage(
  k: Kiosk,
  size: readonly [number, number],
  hash = '#/',
  opts: { locale?: string; timezoneId?: string } = {},
): Promise<Page> {
  const ctx = await k.browser.newContext({
    viewport: { width: size[0], height: size[1] },
    locale: opts.locale ?? 'zh-CN',
    ...(opts.timezoneId ? { timezoneId: opts.timezoneId } : {}),
  });
  const page = await ctx.newPage();
  await page.goto(`${k.core.url}/${hash}`);
  return page;
}
