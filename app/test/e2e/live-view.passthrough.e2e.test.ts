// The lanes' live view in Debian's Chromium: an RTSP camera simulator sending H.264 plays by
// pass-through (fMP4 over WebSocket into Media Source Extensions, no re-encoding) on the gate
// screen and on the supervisor's dashboard — the video element's clock advances and frames
// are decoded; an H.265 camera, which this Chromium cannot decode (no platform HEVC decoder),
// falls back to the MJPEG view by itself. What the browser can play is asked first
// (MediaSource.isTypeSupported), so the assertions follow what this Chromium says.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { RtspCameraSimulator } from '../../../drivers/src/index.js';
import { openPage, signIn, shot, startKiosk, type Kiosk } from './kiosk-harness.js';

let k: Kiosk;
let h264: RtspCameraSimulator;
let h265: RtspCameraSimulator;

beforeAll(async () => {
  h264 = new RtspCameraSimulator({ source: ['-re', '-f', 'lavfi', '-i', 'testsrc=size=640x480:rate=15'], codec: 'h264' });
  h265 = new RtspCameraSimulator({ source: ['-re', '-f', 'lavfi', '-i', 'testsrc2=size=640x480:rate=15'], codec: 'h265' });
  await Promise.all([h264.start(), h265.start()]);
  k = await startKiosk({
    config: {
      lanes: [
        { id: 'lane-1', name: '1号通道 进', direction: 'in', camera: { type: 'ffmpeg', input: h264.url, fps: 5 } },
        { id: 'lane-2', name: '2号通道 出', direction: 'out', camera: { type: 'ffmpeg', input: h265.url, fps: 5 } },
      ],
    },
  });
}, 180_000);
afterAll(async () => {
  await k?.close();
  await Promise.all([h264?.stop(), h265?.stop()]);
});

const supports = (page: Page, codecs: string): Promise<boolean> => page.evaluate((c) => MediaSource.isTypeSupported(`video/mp4; codecs="${c}"`), codecs);

async function videoClock(page: Page, lane: string): Promise<{ t: number; frames: number; w: number }> {
  return page.evaluate((l) => {
    const v = document.querySelector(`[data-testid="live-video"][data-lane="${l}"] video`) as HTMLVideoElement;
    return { t: v.currentTime, frames: v.getVideoPlaybackQuality().totalVideoFrames, w: v.videoWidth };
  }, lane);
}

async function expectPassthroughPlaying(page: Page, lane: string): Promise<void> {
  const box = page.locator(`[data-testid="live-video"][data-lane="${lane}"]`);
  await expect.poll(() => box.getAttribute('data-mode'), { timeout: 30_000 }).toBe('passthrough');
  expect(await box.getAttribute('data-codec')).toMatch(/^avc1\./);
  const first = await videoClock(page, lane);
  await page.waitForTimeout(1500);
  const later = await videoClock(page, lane);
  expect(later.t).toBeGreaterThan(first.t); // the picture moves
  expect(later.frames).toBeGreaterThan(first.frames); // frames are decoded
  expect(later.w).toBe(640); // the camera's own picture size
  // The video element shows it; the MJPEG <img> stays hidden (no fallback happened).
  expect(await page.locator(`[data-testid="live-video"][data-lane="${lane}"] img`).isHidden()).toBe(true);
}

describe('lane live view in Chromium', () => {
  it('H.264 camera: plays by pass-through on the gate screen (currentTime advancing, frames decoded)', async () => {
    const page = await openPage(k, [1280, 800], '#/gate/lane-1');
    // Debian's Chromium: H.264 in MSE is asked, not assumed.
    const h264ok = await supports(page, 'avc1.42E01E');
    expect(h264ok, 'this Chromium cannot play H.264 in MSE: the pass-through cannot be shown here').toBe(true);
    await expectPassthroughPlaying(page, 'lane-1');
    expect(k.core.passthrough.lane('lane-1')?.spawned).toBe(1);
    await shot(page, 'gate-live-passthrough');
    await page.context().close();
  }, 90_000);

  it('H.265 camera: this Chromium has no HEVC decoder, so the view falls back to MJPEG by itself', async () => {
    const page = await openPage(k, [1280, 800], '#/gate/lane-2');
    const hevcOk = (await supports(page, 'hev1.1.6.L93.B0')) || (await supports(page, 'hvc1.1.6.L93.B0'));
    const box = page.locator('[data-testid="live-video"][data-lane="lane-2"]');
    if (hevcOk) {
      // A Chromium with a platform HEVC decoder plays it by pass-through instead.
      await expect.poll(() => box.getAttribute('data-mode'), { timeout: 30_000 }).toBe('passthrough');
    } else {
      await expect.poll(() => box.getAttribute('data-mode'), { timeout: 30_000 }).toBe('mjpeg');
      expect(await box.getAttribute('data-fallback-reason')).toContain('cannot decode');
      // The MJPEG picture really shows: a decoded JPEG in the <img>, refreshed.
      const img = page.locator('[data-testid="live-video"][data-lane="lane-2"] img');
      await expect.poll(() => img.evaluate((i: HTMLImageElement) => i.naturalWidth), { timeout: 15_000 }).toBeGreaterThan(0);
      const src1 = await img.getAttribute('src');
      await expect.poll(() => img.getAttribute('src'), { timeout: 10_000 }).not.toBe(src1);
    }
    await page.context().close();
  }, 90_000);

  it('dashboard (supervisor): each core-camera lane live, H.264 by pass-through; one remux per lane whatever the viewers', async () => {
    const kiosk = await openPage(k, [1280, 800], '#/gate/lane-1');
    const page = await openPage(k, [1920, 1080], '#/dashboard');
    await signIn(page, 'supervisor');
    await page.getByTestId('lane-live-card').waitFor({ timeout: 30_000 });
    await expectPassthroughPlaying(page, 'lane-1');
    await expect.poll(() => kiosk.locator('[data-testid="live-video"]').getAttribute('data-mode'), { timeout: 30_000 }).toBe('passthrough');
    // Two viewers of lane 1 (gate screen and dashboard): still one ffmpeg copy for the lane.
    expect(k.core.passthrough.lane('lane-1')?.viewers).toBe(2);
    expect(k.core.passthrough.lane('lane-1')?.spawned).toBeLessThanOrEqual(2); // the first test's remux may have lingered or been restarted once
    await shot(page, 'dashboard-live');
    await page.context().close();
    await kiosk.context().close();
  }, 120_000);
});
