// The ffmpeg frame source against a clip made by ffmpeg's testsrc.
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import type { Frame } from '../../edge-core/src/ports/devices.js';
import { FfmpegFrameSource, ffmpegArgs } from '../src/frames/ffmpeg-source.js';
import { MjpegSplitter } from '../src/frames/mjpeg-splitter.js';
import { nextEvent, scratchDir, until } from './helpers.js';

describe('MJPEG splitting', () => {
  it('splits JPEGs across chunk boundaries and skips garbage', () => {
    const j1 = Uint8Array.of(0xff, 0xd8, 1, 2, 3, 0xff, 0xd9);
    const j2 = Uint8Array.of(0xff, 0xd8, 9, 0xff, 0xd9);
    const stream = Uint8Array.of(7, 7, ...j1, 5, ...j2);
    const s = new MjpegSplitter();
    const out = [...s.push(stream.slice(0, 4)), ...s.push(stream.slice(4, 9)), ...s.push(stream.slice(9))];
    expect(out).toEqual([j1, j2]);
  });

  it('builds ffmpeg arguments for V4L2, RTSP and files', () => {
    expect(ffmpegArgs({ input: '/dev/video0' })).toContain('v4l2');
    expect(ffmpegArgs({ input: 'rtsp://127.0.0.1/stream' })).toContain('-rtsp_transport');
    expect(ffmpegArgs({ input: '/tmp/a.mp4', loop: true })).toContain('-stream_loop');
  });
});

describe('ffmpeg frame source', () => {
  it('delivers decodable JPEG frames from a testsrc clip and ends with the file', async () => {
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
    const meta = await sharp(Buffer.from(frames[0]!.jpeg)).metadata();
    expect(meta.format).toBe('jpeg');
    expect(meta.width).toBe(160);
    expect(src.health().state).toBe('offline'); // the file ended: reported, restart pending
    await src.stop();
  });
});
