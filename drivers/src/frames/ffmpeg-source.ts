// A camera read by ffmpeg as a child process: V4L2 webcams, RTSP IP cameras (H.264/H.265, as
// the local ffmpeg decodes them), MJPEG over HTTP, DirectShow on Windows, or a file. ffmpeg
// writes raw RGB (PPM) or JPEG frames to a pipe; the newest frame wins (see latest-frame.ts).
// When the stream stops — ffmpeg exits, or no frame comes for `stallMs` — the child is killed
// and started again after a delay that doubles up to `maxRestartMs` and resets on the first
// frame. Health says in plain words why there is no picture.
import { spawn, type ChildProcess } from 'node:child_process';
import type { DeviceHealth, Frame, FrameSource, Unsubscribe } from '../../../edge-core/src/ports/devices.js';
import { HealthTracker, Listeners } from '../health.js';
import { cameraFailureText, classifyCameraFailure, type CameraFailureCode } from './camera-failure.js';
import { adopt, terminate } from './child-reaper.js';
import { ffmpegArgs, inputKind, type FfmpegInputConfig } from './ffmpeg-args.js';
import { LatestFrame } from './latest-frame.js';
import { MjpegSplitter } from './mjpeg-splitter.js';
import { PpmSplitter } from './ppm-splitter.js';

export { ffmpegArgs } from './ffmpeg-args.js';

export interface FfmpegSourceConfig extends FfmpegInputConfig {
  deviceId?: string;
  /** First restart delay after the stream stopped. Default 1000 ms; doubles per failure. */
  restartMs?: number;
  /** Longest restart delay. Default 30,000 ms. */
  maxRestartMs?: number;
  /** No frame for this long (after the first) counts as a stopped stream. Default 5000 ms. */
  stallMs?: number;
  command?: string;
}

export class FfmpegFrameSource implements FrameSource {
  private readonly tracker: HealthTracker;
  private readonly frames = new Listeners<Frame>();
  private readonly slot = new LatestFrame();
  private child: ChildProcess | null = null;
  private running = false;
  private seq = 0;
  private restart: NodeJS.Timeout | null = null;
  private watchdog: NodeJS.Timeout | null = null;
  private failures = 0;
  private lastFrameAt = 0;
  private readonly ended = new Listeners<void>();
  /** ffmpeg processes started (the first start and every reconnection). */
  spawned = 0;
  /** Delays of the restarts since the last frame (cleared by a frame; for tests and health). */
  readonly restartDelays: number[] = [];

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

  latest(): Frame | null {
    return this.slot.get();
  }

  nextFrame(afterSeq: number): Promise<Frame | null> {
    if (!this.running) return Promise.resolve(null);
    return this.slot.next(afterSeq);
  }

  /** Frames that were replaced by a newer one before anyone took them (latest-frame-wins). */
  get framesSkipped(): number {
    return this.slot.overwritten;
  }

  /** The running ffmpeg's process id (tests check it is gone after stop). */
  get pid(): number | undefined {
    return this.child?.pid;
  }

  /** ffmpeg ended (end of a non-looping file, or a failure before the restart). */
  onEnded(listener: () => void): Unsubscribe {
    return this.ended.add(listener);
  }

  async start(): Promise<void> {
    if (this.running) return;
    this.running = true;
    this.tracker.set('offline', { zh: '摄像头连接中', en: 'Connecting to the camera' });
    this.spawnOnce();
    this.watchdog = setInterval(() => this.checkStall(), Math.min(1000, this.config.stallMs ?? 5000));
    this.watchdog.unref();
  }

  async stop(): Promise<void> {
    this.running = false;
    if (this.restart) clearTimeout(this.restart);
    if (this.watchdog) clearInterval(this.watchdog);
    this.restart = this.watchdog = null;
    const c = this.child;
    this.child = null;
    this.slot.close();
    if (c) await terminate(c);
    this.tracker.set('offline', { zh: '摄像头已停止', en: 'Camera stopped' });
  }

  private checkStall(): void {
    const c = this.child;
    if (!c || this.lastFrameAt === 0) return;
    if (Date.now() - this.lastFrameAt < (this.config.stallMs ?? 5000)) return;
    this.lastFrameAt = 0;
    this.onStreamEnd(c, 'stalled', '');
    c.kill('SIGKILL');
  }

  private spawnOnce(): void {
    const output = this.config.output ?? 'jpeg';
    const mjpeg = output === 'jpeg' ? new MjpegSplitter() : null;
    const ppm = output === 'rgb' ? new PpmSplitter() : null;
    const child = spawn(this.config.command ?? 'ffmpeg', ffmpegArgs(this.config), { stdio: ['ignore', 'pipe', 'pipe'], windowsHide: true });
    this.spawned++;
    adopt(child);
    this.child = child;
    this.lastFrameAt = 0;
    let err = '';
    child.stderr?.on('data', (d: Buffer) => {
      if (err.length < 4000) err += d.toString();
    });
    child.stdout?.on('data', (chunk: Buffer) => {
      if (this.child !== child) return;
      const at = Date.now();
      if (mjpeg) for (const jpeg of mjpeg.push(chunk)) this.deliver({ format: 'jpeg', jpeg, at, seq: this.seq++ });
      if (ppm) for (const rgb of ppm.push(chunk)) this.deliver({ format: 'rgb', rgb, at, seq: this.seq++ });
    });
    child.once('error', (e) => this.onStreamEnd(child, classifyCameraFailure(`spawn ${e.message}`), e.message));
    child.once('exit', (code, signal) => {
      const text = err.trim() || (signal ? `ffmpeg killed by ${signal}` : `ffmpeg exited with ${code}`);
      const fileEnded = code === 0 && inputKind(this.config) === 'file';
      this.onStreamEnd(child, fileEnded ? 'ended' : classifyCameraFailure(text), text);
    });
  }

  private deliver(frame: Frame): void {
    this.lastFrameAt = frame.at;
    if (this.failures > 0 || this.tracker.get().state !== 'ok') this.tracker.set('ok');
    this.failures = 0;
    this.restartDelays.length = 0;
    this.slot.put(frame);
    this.frames.emit(frame);
  }

  private onStreamEnd(child: ChildProcess, code: CameraFailureCode, detail: string): void {
    if (this.child !== child) return;
    this.child = null;
    this.ended.emit();
    if (!this.running) return;
    const base = this.config.restartMs ?? 1000;
    const delay = Math.min(this.config.maxRestartMs ?? 30_000, base * 2 ** Math.min(this.failures, 16));
    this.failures++;
    if (this.restartDelays.length < 32) this.restartDelays.push(delay);
    this.tracker.set('offline', cameraFailureText(code, delay, code === 'failed' ? firstLine(detail) : ''));
    this.restart = setTimeout(() => this.running && this.spawnOnce(), delay);
  }
}

function firstLine(s: string): string {
  return s.split('\n').find((l) => l.trim().length > 0)?.trim() ?? '';
}
