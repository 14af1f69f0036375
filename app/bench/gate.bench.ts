// End-to-end latency of the gate as the worker feels it, two lanes active at once:
//  gate.face_to_open.p95_ms    first frame with the face written into the IP camera's encoder →
//                              the turnstile command received by the controller simulator on
//                              its pseudo-terminal (lane 1: Modbus relay, lane 2: Wiegand converter)
//  gate.face_to_screen.p95_ms  the same first frame → the decision shown on the lane's gate
//                              screen in Chromium (the DOM changed, read by a MutationObserver)
// Each lane has its own RTSP camera (the simulator: raw frames → H.264 → RTP over RTSP/TCP); the
// core reads both with its ffmpeg children. Between trials the cameras show an empty scene. The
// face clip is made from one still photo, so the core runs the named test policy
// `test-only:temporal-off` (CNN liveness only); the lanes decide on their first frames that
// pass (gate.earlyFrames, default 3). The load average is reported with the figures.
import { loadavg } from 'node:os';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import type { Page } from 'playwright-core';
import { distribution, type BenchContext, type BenchResult, type BenchSuite } from '../../build/bench/harness.js';
import { RtspCameraSimulator } from '../../drivers/src/index.js';
import { GATE_POLICY_KEY } from '../server/gate-service.js';
import { startTestCore, runningClockFrom } from '../test/helpers.js';
import { enrollFromCard } from '../test/fixtures/kiosk-flows.js';
import { ASTRONAUT, idCardPhoto } from '../test/fixtures/face-clips.js';
import { launchChromium } from '../test/e2e/browser.js';
import { ensureUiBuilt } from '../test/e2e/ui-build.js';
import { REPO_ROOT, startCore, type CoreHandle } from '../server/core.js';
import { parseConfig } from '../server/config.js';
import { createLogger } from '../server/logger.js';

const W = 640;
const H = 480;
const FPS = 15;
const MORNING = Date.UTC(2026, 10, 23, 23, 30);
const now = (): number => performance.timeOrigin + performance.now();
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Raw RGB frames: an empty scene, and the worker's face moving a little (a clip from one photo). */
async function material(): Promise<{ empty: Buffer; face: Buffer[]; faceJpegs: Buffer[] }> {
  const empty = await sharp({ create: { width: W, height: H, channels: 3, background: '#5a6470' } }).raw().toBuffer();
  const face: Buffer[] = [];
  const faceJpegs: Buffer[] = [];
  for (let i = 0; i < 8; i++) {
    const zoom = 1 + i * 0.012;
    const w = Math.round(512 / zoom);
    const h = Math.round(384 / zoom);
    const img = sharp(ASTRONAUT).extract({ left: Math.min(512 - w, i * 3), top: Math.min(512 - h, 10 + i * 2), width: w, height: h }).resize(W, H);
    face.push(await img.clone().removeAlpha().raw().toBuffer());
    faceJpegs.push(await img.clone().jpeg({ quality: 85 }).toBuffer());
  }
  return { empty, face, faceJpegs };
}

/** Feeds a camera simulator's encoder at FPS; `showFace` switches the scene, `faceFrom` is when the first face frame was written. */
class Scene {
  showFace = false;
  faceFrom = 0;
  #i = 0;
  #timer: NodeJS.Timeout;
  constructor(
    private readonly cam: RtspCameraSimulator,
    private readonly m: { empty: Buffer; face: Buffer[] },
  ) {
    const t0 = now();
    let n = 0;
    const tick = (): void => {
      const input = this.cam.input;
      // A camera drops frames its encoder cannot take yet; it never queues them.
      if (input && !input.destroyed && input.writableLength === 0) {
        if (this.showFace) {
          if (this.faceFrom === 0) this.faceFrom = now();
          input.write(this.m.face[this.#i++ % this.m.face.length] as Buffer);
        } else input.write(this.m.empty);
      }
      n++;
      this.#timer = setTimeout(tick, Math.max(0, t0 + (n * 1000) / FPS - now()));
    };
    this.#timer = setTimeout(tick, 0);
  }
  stop(): void {
    clearTimeout(this.#timer);
  }
}

async function instrument(page: Page): Promise<void> {
  await page.waitForSelector('[data-testid=gate]');
  await page.evaluate(() => {
    const w = window as unknown as { __shown: number[] };
    w.__shown = [];
    const gate = document.querySelector('[data-testid=gate]') as HTMLElement;
    let seen = gate.dataset.decisions ?? '0';
    new MutationObserver(() => {
      const n = gate.dataset.decisions ?? '0';
      if (n !== seen && document.querySelector('[data-testid=pass-panel],[data-testid=refuse-panel]')) {
        seen = n;
        w.__shown.push(performance.timeOrigin + performance.now());
      }
    }).observe(gate, { attributes: true, subtree: true, childList: true });
  });
}

async function run(ctx: BenchContext): Promise<BenchResult[]> {
  await ensureUiBuilt();
  const dataDir = mkdtempSync(join(tmpdir(), 'sg-bench-gate-'));
  const m = await material();
  const enroll = await startTestCore({ devices: { simulate: true }, gate: { livenessPolicy: 'test-only:temporal-off', cooldownMs: 0 } }, dataDir, {
    gate: true,
    simulatorPhoto: await idCardPhoto(),
    clock: runningClockFrom(MORNING),
  });
  try {
    const r = await enrollFromCard(enroll, m.faceJpegs, { tradeCode: '020', role: 'worker', hasContract: true, contractStart: '2026-01-01', contractEnd: '2027-12-31', employerId: 1, teamId: 1 });
    if (r.saved.status !== 201) throw new Error(`enrollment failed: ${JSON.stringify(r.saved.json)}`);
    // The same person passes in on lane 1 and out on lane 2 at once, trial after trial.
    enroll.services.settings.set(GATE_POLICY_KEY, { helmet: { action: 'remind' }, duplicateScan: { windowSeconds: 0 }, antiPassback: { action: 'ignore' } });
  } finally {
    await enroll.stop();
  }

  const cams = [0, 1].map(() => new RtspCameraSimulator({ source: ['-f', 'rawvideo', '-pix_fmt', 'rgb24', '-s', `${W}x${H}`, '-framerate', String(FPS), '-i', 'pipe:0'], stdinSource: true, gop: FPS }));
  const scenes: Scene[] = [];
  let core: CoreHandle | null = null;
  const browser = await launchChromium();
  const loads: number[] = [];
  try {
    // The encoders write their SDP once frames flow: feed them while they start.
    const starting = cams.map((c) => c.start());
    for (const c of cams) scenes.push(new Scene(c, m));
    await Promise.all(starting);
    const handle = await startCore({
      config: parseConfig({
        demo: true,
        server: { port: 0 },
        platform: { type: 'off' },
        storage: { reserveMb: 0 },
        devices: { simulate: true },
        gate: { livenessPolicy: 'test-only:temporal-off', cooldownMs: 1500 },
        lanes: [
          { id: 'lane-1', name: '1号通道 进', direction: 'in', camera: { type: 'ffmpeg', input: cams[0]?.url } },
          { id: 'lane-2', name: '2号通道 出', direction: 'out', camera: { type: 'ffmpeg', input: cams[1]?.url } },
        ],
      }),
      dataDir,
      logger: createLogger({ level: 'silent' }),
      uiDir: join(REPO_ROOT, 'app', 'ui', 'dist'),
      clock: runningClockFrom(MORNING + 3600_000),
    });
    core = handle;
    const sims = core.devices.simulators;
    if (!sims) throw new Error('simulators missing');
    const pages: Page[] = [];
    for (const lane of ['lane-1', 'lane-2']) {
      const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
      await page.goto(`${core.url}/#/gate/${lane}`);
      await instrument(page);
      pages.push(page);
    }
    // Both cameras streaming into the core before the first trial.
    for (const cam of core.cameras.cameras.values()) await cam.source.nextFrame(-1);
    await sleep(1000);

    const toOpen: number[] = [];
    const toScreen: number[] = [];
    const trials = ctx.quick ? 3 : 12;
    let failures = 0;
    for (let t = 0; t < trials; t++) {
      const coilsBefore = sims.modbusRelay.history.length;
      const wiegandBefore = sims.wiegandConverter.received.length;
      const shownBefore = await Promise.all(pages.map((p) => p.evaluate(() => (window as unknown as { __shown: number[] }).__shown.length)));
      for (const s of scenes) {
        s.faceFrom = 0;
        s.showFace = true;
      }
      const deadline = Date.now() + 15_000;
      const wire: Array<number | null> = [null, null];
      while ((wire[0] === null || wire[1] === null) && Date.now() < deadline) {
        const coil = sims.modbusRelay.history.slice(coilsBefore).find((h) => h.coil === 0 && h.on);
        const wg = sims.wiegandConverter.received.slice(wiegandBefore)[0];
        if (coil) wire[0] = performance.timeOrigin + coil.at;
        if (wg) wire[1] = performance.timeOrigin + wg.at;
        await sleep(10);
      }
      loads.push(loadavg()[0] as number);
      if (wire.includes(null)) {
        for (const cam of core.cameras.cameras.values()) ctx.log(`  ${cam.laneId}: analysed ${cam.analysed}, last ${JSON.stringify(cam.lastOutcome)?.slice(0, 300)}, camera ${cam.source.health().state}`);
      }
      wire.forEach((w, i) => {
        const from = scenes[i]?.faceFrom ?? 0;
        if (w !== null && from > 0) toOpen.push(w - from);
        else failures++;
      });
      for (let i = 0; i < pages.length; i++) {
        const page = pages[i] as Page;
        const before = shownBefore[i] as number;
        const shown = await page
          .waitForFunction((n) => (window as unknown as { __shown: number[] }).__shown.length > n, before, { timeout: 10_000 })
          .then(() => page.evaluate((n) => (window as unknown as { __shown: number[] }).__shown[n] as number, before))
          .catch(() => null);
        const from = scenes[i]?.faceFrom ?? 0;
        if (shown !== null && from > 0) toScreen.push(shown - from);
      }
      for (const s of scenes) s.showFace = false;
      ctx.log(`trial ${t + 1}/${trials}: open ${toOpen.slice(-2).map((v) => v.toFixed(0)).join(', ')} ms, screen ${toScreen.slice(-2).map((v) => v.toFixed(0)).join(', ')} ms, load ${loads.at(-1)?.toFixed(1)}`);
      await sleep(2500); // the lanes' rest, then an empty scene again
    }
    const load = loads.length ? loads.reduce((a, b) => a + b, 0) / loads.length : Number.NaN;
    const open = distribution('gate.face_to_open.p95_ms', 'ms', toOpen, 'p95', '<= 800');
    open.note = `2 lanes at once, RTSP H.264 640x480@15 → ffmpeg → raw RGB; policy test-only:temporal-off, earlyFrames 3; load average ${load.toFixed(1)} on ${2} cores; ${failures} lane-trials without a command`;
    const screen = distribution('gate.face_to_screen.p95_ms', 'ms', toScreen, 'p95');
    screen.note = `decision shown on the gate screen in Chromium (live event → DOM); load average ${load.toFixed(1)}`;
    return [open, screen];
  } finally {
    for (const s of scenes) s.stop();
    await browser.close();
    if (core) await core.close();
    for (const c of cams) await c.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

const suite: BenchSuite = { prefix: 'gate.', run };
export default suite;
