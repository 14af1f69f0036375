// The live view's pass-through: a lane's RTSP camera (the simulator, H.264 and H.265) copied
// into fragmented MP4 by one ffmpeg per lane, whatever the number of viewers, streamed over
// the WebSocket /api/lanes/:id/live.mp4, stopped when nobody watches; a lane without a network
// camera answers 4404 so the browser falls back to MJPEG. The remux's CPU time is measured.
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { RtspCameraSimulator, codecOfInit } from '../../drivers/src/index.js';
import { fragmentStartsWithKeyframe } from '../../drivers/src/frames/fmp4.js';
import { login, startTestCore, type TestCore } from './helpers.js';

let h264: RtspCameraSimulator;
let h265: RtspCameraSimulator;
let core: TestCore;

beforeAll(async () => {
  h264 = new RtspCameraSimulator({ source: ['-re', '-f', 'lavfi', '-i', 'testsrc=size=640x480:rate=15'], codec: 'h264' });
  h265 = new RtspCameraSimulator({ source: ['-re', '-f', 'lavfi', '-i', 'testsrc=size=640x480:rate=15'], codec: 'h265' });
  await Promise.all([h264.start(), h265.start()]);
  core = await startTestCore({
    lanes: [
      { id: 'lane-1', name: '1号通道 进', direction: 'in', camera: { type: 'ffmpeg', input: h264.url, fps: 5 } },
      { id: 'lane-2', name: '2号通道 出', direction: 'out', camera: { type: 'ffmpeg', input: h265.url, fps: 5 } },
      { id: 'lane-3', name: '3号通道 进', direction: 'in', camera: { type: 'browser' } },
    ],
  });
}, 60_000);
afterAll(async () => {
  await core?.stop();
  await Promise.all([h264?.stop(), h265?.stop()]);
});

interface Viewer {
  ws: WebSocket;
  texts: Array<{ type: string; codec: string; mime: string }>;
  binaries: Buffer[];
  closed: Promise<{ code: number; reason: string }>;
}

function view(laneId: string, token?: string): Viewer {
  const protocols = ['sitegate.v1', ...(token ? [`sitegate.auth.${token}`] : [])];
  const ws = new WebSocket(`${core.url.replace('http', 'ws')}/api/lanes/${laneId}/live.mp4`, protocols);
  const v: Viewer = {
    ws,
    texts: [],
    binaries: [],
    closed: new Promise((resolve) => ws.on('close', (code, reason) => resolve({ code, reason: reason.toString() }))),
  };
  ws.on('message', (data, isBinary) => {
    if (isBinary) v.binaries.push(Buffer.from(data as Buffer));
    else v.texts.push(JSON.parse(String(data)) as Viewer['texts'][number]);
  });
  return v;
}

async function waitFor(what: string, cond: () => boolean, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!cond()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** utime + stime of a process in clock ticks (Linux /proc). */
function cpuTicks(pid: number): number {
  const f = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
  return Number(f[11]) + Number(f[12]);
}

describe('live view pass-through (fMP4 over WebSocket)', () => {
  it('H.264: codec first, the init segment, then fragments starting at a keyframe; one remux for two viewers; stopped when nobody watches', async () => {
    const supervisor = await login(core, 'supervisor');
    const a = view('lane-1');
    const b = view('lane-1', supervisor);
    await waitFor('fragments for both viewers', () => a.binaries.length >= 6 && b.binaries.length >= 6);
    for (const v of [a, b]) {
      expect(v.texts[0]).toMatchObject({ type: 'init' });
      expect(v.texts[0]?.codec).toMatch(/^avc1\.42/); // the simulator's baseline profile, passed through
      expect(v.texts[0]?.mime).toBe(`video/mp4; codecs="${v.texts[0]?.codec}"`);
      // The first binary message is the init segment (ftyp + moov), with the same codec.
      const init = v.binaries[0] as Buffer;
      expect(init.subarray(4, 8).toString('latin1')).toBe('ftyp');
      expect(codecOfInit(init)).toBe(v.texts[0]?.codec);
      expect((v.binaries[1] as Buffer).subarray(4, 8).toString('latin1')).toBe('moof');
      expect(fragmentStartsWithKeyframe(v.binaries[1] as Buffer)).toBe(true);
    }
    const lane = core.passthrough?.lane('lane-1');
    expect(lane?.spawned).toBe(1);
    expect(lane?.viewers).toBe(2);

    // CPU of the copy (no decode, no encode): measured over ~5 s of a 640×480 15 fps stream.
    const pid = lane?.pid as number;
    const t0 = cpuTicks(pid);
    const w0 = Date.now();
    await new Promise((r) => setTimeout(r, 5000));
    const cpuPct = ((cpuTicks(pid) - t0) * 10) / ((Date.now() - w0) / 100); // ticks are 10 ms
    console.log(`pass-through remux CPU: ${cpuPct.toFixed(1)} % of one core (640x480 H.264 15 fps, 2 viewers)`);
    expect(cpuPct).toBeLessThan(50);

    a.ws.close();
    b.ws.close();
    await Promise.all([a.closed, b.closed]);
    await waitFor('the remux to stop after the last viewer', () => lane?.running === false, 15_000);
    expect(lane?.spawned).toBe(1);
  }, 90_000);

  it('H.265 passes through with its hev1/hvc1 codec string (the browser decides whether it can play it)', async () => {
    const v = view('lane-2');
    await waitFor('an H.265 init', () => v.texts.length > 0 && v.binaries.length >= 2);
    expect(v.texts[0]?.codec).toMatch(/^(hev1|hvc1)\.1\./);
    v.ws.close();
    await v.closed;
  }, 60_000);

  it('a lane without a network camera closes 4404 at once (the browser falls back to MJPEG)', async () => {
    const v = view('lane-3');
    expect(await v.closed).toEqual({ code: 4404, reason: 'passthrough.unavailable' });
  });

  it('a stream opened with a session ends when the session is signed out', async () => {
    const supervisor = await login(core, 'supervisor');
    const v = view('lane-1', supervisor);
    await waitFor('the stream', () => v.binaries.length >= 2);
    await fetch(`${core.url}/api/session`, { method: 'DELETE', headers: { authorization: `Bearer ${supervisor}` } });
    expect((await v.closed).code).toBe(4401);
  }, 60_000);

  it('the camera going away and coming back: the viewer stays connected and gets a new init, then fragments', async () => {
    const v = view('lane-1');
    await waitFor('the stream', () => v.texts.length === 1 && v.binaries.length >= 3);
    await h264.unplug();
    await new Promise((r) => setTimeout(r, 1500));
    await h264.replug();
    await waitFor('a second init after the camera came back', () => v.texts.length >= 2, 45_000);
    const n = v.binaries.length;
    await waitFor('fragments of the new stream', () => v.binaries.length >= n + 3, 20_000);
    expect(v.texts[1]?.codec).toBe(v.texts[0]?.codec);
    v.ws.close();
    await v.closed;
  }, 90_000);
});
