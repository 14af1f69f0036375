// The ffmpeg camera driver against real ffmpeg sources: a file, a looped lavfi test pattern, an
// RTSP camera (H.264 and H.265, served by the RTSP camera simulator this suite starts), and
// MJPEG over HTTP; latest-frame-wins, reconnection with backoff, health in words, and ffmpeg
// gone on every exit path of its owner.
import { execFileSync, spawn } from 'node:child_process';
import { createServer } from 'node:http';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import type { DeviceHealth, Frame } from '../../edge-core/src/ports/devices.js';
import { cameraFailureText, classifyCameraFailure } from '../src/frames/camera-failure.js';
import { parseDshowDevices, parseV4l2ListDevices, listCameras } from '../src/frames/camera-list.js';
import { FfmpegFrameSource, ffmpegArgs } from '../src/frames/ffmpeg-source.js';
import { MjpegSplitter } from '../src/frames/mjpeg-splitter.js';
import { PpmSplitter } from '../src/frames/ppm-splitter.js';
import { RtspCameraSimulator } from '../src/simulators/rtsp-camera-sim.js';
import { nextEvent, scratchDir, sleep, until } from './helpers.js';

const alive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

describe('stream splitting and arguments (pure)', () => {
  it('splits JPEGs across chunk boundaries and skips garbage', () => {
    const j1 = Uint8Array.of(0xff, 0xd8, 1, 2, 3, 0xff, 0xd9);
    const j2 = Uint8Array.of(0xff, 0xd8, 9, 0xff, 0xd9);
    const stream = Uint8Array.of(7, 7, ...j1, 5, ...j2);
    const s = new MjpegSplitter();
    const out = [...s.push(stream.slice(0, 4)), ...s.push(stream.slice(4, 9)), ...s.push(stream.slice(9))];
    expect(out).toEqual([j1, j2]);
  });

  it('splits PPM frames split at any byte, follows a size change and resynchronises after garbage', () => {
    const ppm = (w: number, h: number, v: number) => Buffer.concat([Buffer.from(`P6\n${w} ${h}\n255\n`), Buffer.alloc(w * h * 3, v)]);
    const stream = Buffer.concat([ppm(4, 2, 1), Buffer.from('junk!'), ppm(3, 3, 2), ppm(4, 2, 3)]);
    for (const step of [1, 7, 50, stream.length]) {
      const s = new PpmSplitter();
      const out = [];
      for (let i = 0; i < stream.length; i += step) out.push(...s.push(stream.subarray(i, i + step)));
      expect(out.map((f) => [f.width, f.height, f.data[0], f.data.length])).toEqual([
        [4, 2, 1, 24],
        [3, 3, 2, 27],
        [4, 2, 3, 24],
      ]);
      expect(s.garbage).toBe(5);
      expect(s.pending).toBe(0);
    }
  });

  it('builds ffmpeg arguments for V4L2, RTSP, HTTP MJPEG, DirectShow and files', () => {
    const v4l2 = ffmpegArgs({ input: '/dev/video0', output: 'rgb', width: 640 });
    expect(v4l2.join(' ')).toContain('-f v4l2 -i /dev/video0');
    expect(v4l2.join(' ')).toContain('-vf scale=640:-2 -pix_fmt rgb24 -c:v ppm -f image2pipe');
    const rtsp = ffmpegArgs({ input: 'rtsp://cam/stream', ioTimeoutMs: 3000 }).join(' ');
    expect(rtsp).toContain('-rtsp_transport tcp -timeout 3000000');
    expect(rtsp).toContain('-fflags nobuffer');
    expect(rtsp).toContain('-c:v mjpeg');
    expect(ffmpegArgs({ input: 'http://cam/video.mjpg' }).join(' ')).toContain('-timeout 5000000');
    expect(ffmpegArgs({ input: 'video=USB Camera', format: 'dshow' })).toEqual(expect.arrayContaining(['-f', 'dshow', '-i', 'video=USB Camera']));
    const file = ffmpegArgs({ input: '/tmp/a.mp4', loop: true, fps: 10 }).join(' ');
    expect(file).toContain('-re -stream_loop -1');
    expect(file).toContain('-vf fps=10');
    expect(file).not.toContain('nobuffer');
  });

  it('names why a stream stopped in plain words, Chinese first, with the retry delay', () => {
    expect(classifyCameraFailure('method DESCRIBE failed: 401 Unauthorized')).toBe('unauthorized');
    expect(classifyCameraFailure('rtsp://x: Connection refused')).toBe('refused');
    expect(classifyCameraFailure('/dev/video3: No such file or directory')).toBe('not_found');
    expect(classifyCameraFailure('Connection timed out')).toBe('timeout');
    expect(classifyCameraFailure('spawn ffmpeg ENOENT')).toBe('no_ffmpeg');
    expect(classifyCameraFailure('/dev/video0: Device or resource busy')).toBe('busy');
    expect(cameraFailureText('unauthorized', 4000)).toEqual({ zh: '摄像头用户名或密码错误，4 秒后重连', en: 'The camera refused the user name or password; reconnecting in 4 s' });
  });

  it('lists cameras from v4l2-ctl and DirectShow outputs', async () => {
    const v4l2 = 'Integrated Camera: Integrated C (usb-0000:00:14.0-8):\n\t/dev/video0\n\t/dev/video1\n\t/dev/media0\n\nUSB Camera: USB Camera (usb-0000:00:14.0-2):\n\t/dev/video2\n';
    expect([...parseV4l2ListDevices(v4l2)]).toEqual([
      ['/dev/video0', 'Integrated Camera: Integrated C'],
      ['/dev/video1', 'Integrated Camera: Integrated C'],
      ['/dev/video2', 'USB Camera: USB Camera'],
    ]);
    const newer = '[dshow @ 000001] "HD Pro Webcam C920" (video)\n[dshow @ 000001]   Alternative name "@device_pnp_\\\\?\\usb#vid"\n[dshow @ 000001] "Microphone (C920)" (audio)\n';
    const older = '[dshow @ 0] DirectShow video devices\n[dshow @ 0]  "USB2.0 Camera"\n[dshow @ 0] DirectShow audio devices\n[dshow @ 0]  "Line In"\n';
    expect(parseDshowDevices(newer)).toEqual([{ input: 'video=HD Pro Webcam C920', format: 'dshow', name: 'HD Pro Webcam C920' }]);
    expect(parseDshowDevices(older).map((d) => d.name)).toEqual(['USB2.0 Camera']);
    // This host: whatever it has, each entry is a capture node with a name (often none in CI).
    for (const c of await listCameras()) expect(c.input).toMatch(/^\/dev\/video\d+$/);
  });
});

describe('ffmpeg camera driver', () => {
  it('file: decodable JPEG frames in order, ends with the file', async () => {
    const clip = join(scratchDir('ffmpeg'), 'testsrc.mp4');
    execFileSync('ffmpeg', ['-hide_banner', '-loglevel', 'error', '-f', 'lavfi', '-i', 'testsrc=size=320x240:rate=10', '-t', '1', '-pix_fmt', 'yuv420p', clip]);
    const src = new FfmpegFrameSource({ input: clip, fps: 10, realtime: false, width: 160, restartMs: 60_000 });
    const frames: Frame[] = [];
    src.onFrame((f) => frames.push(f));
    const ended = nextEvent<void>((l) => src.onEnded(l), undefined, 20_000);
    await src.start();
    await ended;
    await until(() => frames.length > 0);
    expect(frames.length).toBeGreaterThanOrEqual(8);
    expect(frames.map((f) => f.seq)).toEqual(frames.map((_, i) => i));
    const first = frames[0]!;
    expect(first.format).toBe('jpeg');
    const meta = await sharp(Buffer.from(first.format === 'jpeg' ? first.jpeg : new Uint8Array())).metadata();
    expect(meta.format).toBe('jpeg');
    expect(meta.width).toBe(160);
    expect(src.health().state).toBe('offline');
    expect(src.health().reason?.zh).toContain('视频已播放完');
    await src.stop();
  });

  it('looped test pattern, raw RGB: a slow consumer always gets the newest frame, never a backlog', async () => {
    const src = new FfmpegFrameSource({ input: 'testsrc=size=320x240:rate=25', format: 'lavfi', output: 'rgb', inputArgs: ['-re'] });
    await src.start();
    try {
      let last = -1;
      const taken: number[] = [];
      for (let i = 0; i < 4; i++) {
        const f = await src.nextFrame(last);
        expect(f).not.toBeNull();
        if (!f || f.format !== 'rgb') throw new Error('rgb frame expected');
        expect([f.rgb.width, f.rgb.height, f.rgb.data.length]).toEqual([320, 240, 320 * 240 * 3]);
        // What we got is the newest frame there is: nothing newer was waiting behind it.
        expect(f.seq).toBe(src.latest()?.seq);
        taken.push(f.seq);
        last = f.seq;
        await sleep(300); // a busy analyser; frames keep arriving meanwhile
      }
      const gaps = taken.slice(1).map((s, i) => s - (taken[i] as number));
      expect(Math.min(...gaps)).toBeGreaterThan(1);
      expect(src.framesSkipped).toBeGreaterThan(0);
      expect(src.health().state).toBe('ok');
    } finally {
      const pid = src.pid;
      await src.stop();
      expect(pid !== undefined && alive(pid)).toBe(false);
    }
  });

  for (const codec of ['h264', 'h265'] as const) {
    it(`RTSP ${codec.toUpperCase()} camera (simulator started by the test): frames of the camera's picture`, async () => {
      const sim = new RtspCameraSimulator({ source: ['-re', '-f', 'lavfi', '-i', 'testsrc=size=640x360:rate=15'], codec });
      await sim.start();
      const src = new FfmpegFrameSource({ input: sim.url, output: 'rgb', width: 320 });
      try {
        await src.start();
        const f = await src.nextFrame(-1);
        if (!f || f.format !== 'rgb') throw new Error('rgb frame expected');
        expect([f.rgb.width, f.rgb.height]).toEqual([320, 180]);
        expect(src.health().state).toBe('ok');
        expect(sim.packetsSent).toBeGreaterThan(0);
      } finally {
        await src.stop();
        await sim.stop();
      }
    });
  }

  it('RTSP camera that goes away: offline in words, reconnects with growing delays, frames again when it is back', async () => {
    const sim = new RtspCameraSimulator({ source: ['-re', '-f', 'lavfi', '-i', 'testsrc=size=320x240:rate=15'], credentials: { user: 'admin', password: 'pw' } });
    await sim.start();
    const url = sim.url;
    const src = new FfmpegFrameSource({ input: url, output: 'jpeg', ioTimeoutMs: 1000, stallMs: 1500, restartMs: 200, maxRestartMs: 800 });
    const health: DeviceHealth[] = [];
    src.onHealth((h) => health.push(h));
    try {
      await src.start();
      await src.nextFrame(-1);
      expect(src.health().state).toBe('ok');
      await sim.unplug();
      await until(() => src.health().state === 'offline', 15_000);
      expect(src.health().reason?.zh).toMatch(/摄像头.*秒后重连/);
      // Refused while it is away: each attempt waits longer, up to the cap.
      await until(() => src.restartDelays.length >= 4, 20_000);
      expect(health.some((h) => h.reason?.zh.includes('摄像头拒绝连接'))).toBe(true);
      expect(src.restartDelays.slice(0, 4)).toEqual([200, 400, 800, 800]);
      await sim.replug();
      const seqBefore = src.latest()?.seq ?? -1;
      const again = await src.nextFrame(seqBefore);
      expect(again?.seq).toBeGreaterThan(seqBefore);
      await until(() => src.health().state === 'ok', 10_000);
      expect(src.spawned).toBeGreaterThanOrEqual(3);
      expect(sim.connections).toBeGreaterThanOrEqual(2);
    } finally {
      await src.stop();
      await sim.stop();
    }
  });

  it('RTSP camera with the wrong password: offline with 用户名或密码错误', async () => {
    const sim = new RtspCameraSimulator({ source: ['-re', '-f', 'lavfi', '-i', 'testsrc=size=160x120:rate=10'], credentials: { user: 'admin', password: 'right' } });
    await sim.start();
    const src = new FfmpegFrameSource({ input: sim.url.replace(':right@', ':wrong@'), restartMs: 5000 });
    try {
      await src.start();
      await until(() => src.health().reason?.zh.includes('用户名或密码错误') === true, 15_000);
      expect(src.latest()).toBeNull();
    } finally {
      await src.stop();
      await sim.stop();
    }
  });

  it('MJPEG over HTTP (a camera web server): JPEG frames', async () => {
    const jpegs = await Promise.all([10, 120, 240].map((v) => sharp({ create: { width: 160, height: 120, channels: 3, background: { r: v, g: 80, b: 40 } } }).jpeg().toBuffer()));
    const server = createServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'multipart/x-mixed-replace; boundary=frame' });
      let i = 0;
      const t = setInterval(() => {
        const j = jpegs[i++ % jpegs.length] as Buffer;
        res.write(`--frame\r\nContent-Type: image/jpeg\r\nContent-Length: ${j.length}\r\n\r\n`);
        res.write(j);
        res.write('\r\n');
      }, 50);
      res.on('close', () => clearInterval(t));
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    const port = (server.address() as { port: number }).port;
    const src = new FfmpegFrameSource({ input: `http://127.0.0.1:${port}/video.mjpg`, output: 'jpeg' });
    try {
      await src.start();
      const f1 = await src.nextFrame(-1);
      const f2 = await src.nextFrame(f1?.seq ?? -1);
      expect(f2?.format).toBe('jpeg');
      if (f2?.format !== 'jpeg') throw new Error('jpeg expected');
      expect((await sharp(Buffer.from(f2.jpeg)).metadata()).width).toBe(160);
    } finally {
      await src.stop();
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
    }
  });

  for (const how of ['exit', 'throw', 'SIGKILL'] as const) {
    it(`ffmpeg does not outlive its owner (${how})`, async () => {
      const script = fileURLToPath(new URL('./fixtures/camera-child.ts', import.meta.url));
      // node itself (with tsx as its loader), so the test kills the owner and not a wrapper.
      const owner = spawn(process.execPath, ['--import', 'tsx', script, how === 'SIGKILL' ? 'wait' : how], { stdio: ['ignore', 'pipe', 'pipe'] });
      let out = '';
      owner.stdout.on('data', (d: Buffer) => (out += d.toString()));
      owner.stderr.on('data', () => undefined);
      const ownerExited = new Promise<void>((r) => owner.once('exit', () => r()));
      try {
        await until(() => /pid \d+/.test(out), 30_000);
        const pid = Number(/pid (\d+)/.exec(out)?.[1]);
        expect(alive(pid)).toBe(true);
        if (how === 'SIGKILL') owner.kill('SIGKILL');
        await ownerExited;
        // exit/throw: killed by the owner's exit hook; SIGKILL: its pipe breaks on the next frame.
        await until(() => !alive(pid), 10_000);
      } finally {
        if (owner.exitCode === null) owner.kill('SIGKILL');
      }
    });
  }
});
