// Core-side camera for lanes without a screen: ffmpeg reads a V4L2 webcam, an RTSP IP camera
// (H.264/H.265 as far as the local ffmpeg decodes them) or a file, and writes MJPEG to stdout,
// split into JPEG frames. Restarts ffmpeg after it dies; health follows the frames.
import { spawn, type ChildProcess } from 'node:child_process';
import type { DeviceHealth, Frame, FrameSource, Unsubscribe } from '../../../edge-core/src/ports/devices.js';
import { HealthTracker, Listeners } from '../health.js';
import { MjpegSplitter } from './mjpeg-splitter.js';

export interface FfmpegSourceConfig {
  deviceId?: string;
  /** '/dev/video0', 'rtsp://…', or a file path. */
  input: string;
  /** Frames per second delivered. Default 10. */
  fps?: number;
  /** Output width (height keeps the aspect). Default: unchanged. */
  width?: number;
  /** MJPEG quality 2 (best) … 31. Default 5. */
  quality?: number;
  /** Read files at their native rate (-re). Default true for files. */
  realtime?: boolean;
  /** Loop a file input. Default false. */
  loop?: boolean;
  /** Restart delay after ffmpeg exits. Default 1000 ms. */
  restartMs?: number;
  command?: string;
}

export function ffmpegArgs(c: FfmpegSourceConfig): string[] {
  const isRtsp = /^rtsps?:\/\//i.test(c.input);
  const isV4l2 = c.input.startsWith('/dev/video');
  const isFile = !isRtsp && !isV4l2 && !/^[a-z]+:\/\//i.test(c.input);
  const args = ['-hide_banner', '-loglevel', 'error', '-nostdin'];
  if (isRtsp) args.push('-rtsp_transport', 'tcp');
  if (isV4l2) args.push('-f', 'v4l2');
  if (isFile && (c.realtime ?? true)) args.push('-re');
  if (isFile && c.loop) args.push('-stream_loop', '-1');
  args.push('-i', c.input, '-an');
  const filters = [`fps=${c.fps ?? 10}`];
  if (c.width) filters.push(`scale=${c.width}:-2`);
  args.push('-vf', filters.join(','), '-f', 'mjpeg', '-q:v', String(c.quality ?? 5), 'pipe:1');
  return args;
}

export class FfmpegFrameSource implements FrameSource {
  private readonly tracker: HealthTracker;
  private readonly frames = new Listeners<Frame>();
  private child: ChildProcess | null = null;
  private running = false;
  private seq = 0;
  private restart: NodeJS.Timeout | null = null;
  private readonly ended = new Listeners<void>();

  constructor(private readonly config: FfmpegSourceConfig) {
    this.tracker = new HealthTracker(config.deviceId ?? 'camera', 'frame_source', 'offline', { zh: '摄像头未启动', en: 'Camera not started' });
  }

  health(): DeviceHealth {
    return this.tracker.get();
  }

  onHealth(listener: (h: DeviceHealth) => void): Unsubscribe {
    return this.tracker.on(listener);
  }

  onFrame(listener: (frame: Frame) => void): Unsubscribe {
    return this.frames.add(listener);
  }

  /** ffmpeg ended (end of a non-looping file, or a crash before restart). */
  onEnded(listener: () => void): Unsubscribe {
    return this.ended.add(listener);
  }

  async start(): Promise<void> {
    this.running = true;
    this.spawnOnce();
  }

  async stop(): Promise<void> {
    this.running = false;
    if (this.restart) clearTimeout(this.restart);
    const c = this.child;
    this.child = null;
    if (c && c.exitCode === null && c.signalCode === null) {
      const exited = new Promise<void>((r) => c.once('exit', () => r()));
      c.kill('SIGTERM');
      const t = setTimeout(() => c.kill('SIGKILL'), 2000);
      await exited;
      clearTimeout(t);
    }
    this.tracker.set('offline', { zh: '摄像头已停止', en: 'Camera stopped' });
  }

  private spawnOnce(): void {
    const splitter = new MjpegSplitter();
    const child = spawn(this.config.command ?? 'ffmpeg', ffmpegArgs(this.config), { stdio: ['ignore', 'pipe', 'pipe'] });
    this.child = child;
    let err = '';
    child.stderr?.on('data', (d: Buffer) => {
      if (err.length < 2000) err += d.toString();
    });
    child.stdout?.on('data', (chunk: Buffer) => {
      for (const jpeg of splitter.push(chunk)) {
        this.tracker.set('ok');
        this.frames.emit({ jpeg, at: Date.now(), seq: this.seq++ });
      }
    });
    const onEnd = (why: string): void => {
      if (this.child !== child) return;
      this.child = null;
      this.ended.emit();
      if (!this.running) return;
      this.tracker.set('offline', { zh: '摄像头视频流中断', en: `Camera stream ended: ${why.slice(0, 160)}` });
      this.restart = setTimeout(() => this.running && this.spawnOnce(), this.config.restartMs ?? 1000);
    };
    child.once('error', (e) => onEnd(e.message));
    child.once('exit', (code) => onEnd(err.trim() || `ffmpeg exited with ${code}`));
  }
}
