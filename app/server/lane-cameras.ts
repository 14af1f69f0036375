// Cameras the core owns: each lane configured with `camera: { type: ffmpeg, input }` (or a
// looped `file`) gets an ffmpeg child delivering raw RGB frames, and a pump that hands the
// newest frame to the lane's controller whenever the controller is free (latest-frame-wins:
// a slow analysis never builds a queue of stale frames). Several lanes run side by side on one
// PC; their health is reported with the other devices. Lanes with `camera: browser` keep the
// kiosk's getUserMedia frames (POST /api/lanes/:id/frames).
import { FfmpegFrameSource, type FfmpegSourceConfig } from '../../drivers/src/index.js';
import type { Frame, FrameOutcome } from '../../edge-core/src/index.js';
import type { LaneConfig } from './config.js';
import type { Logger } from './logger.js';

export interface LaneFrameSink {
  /** Analyses a frame on the lane; rejects when the gate is not running (models missing). */
  submitCameraFrame(laneId: string, frame: Frame): Promise<FrameOutcome>;
  /** True when the lane's controller exists (the face engine is loaded). */
  hasLane(laneId: string): boolean;
}

/** Default analysis size: the face engine works at 640 px; larger frames only cost decode and copies. */
const DEFAULT_WIDTH = 640;

export function cameraSourceConfig(lane: LaneConfig): FfmpegSourceConfig | null {
  const c = lane.camera;
  const deviceId = `camera-${lane.id}`;
  if (c.type === 'file') return { deviceId, input: c.path, loop: true, output: 'rgb', width: DEFAULT_WIDTH, fps: 15 };
  if (c.type !== 'ffmpeg') return null;
  const { type: _type, ...options } = c;
  return { deviceId, output: 'rgb', width: DEFAULT_WIDTH, ...options };
}

export interface LaneCamera {
  laneId: string;
  source: FfmpegFrameSource;
  /** Frames analysed, and the last outcome (for the gate screen and the tests). */
  analysed: number;
  lastOutcome: FrameOutcome | null;
}

export class LaneCameras {
  readonly cameras = new Map<string, LaneCamera>();
  #running = false;
  readonly #pumps: Promise<void>[] = [];

  constructor(
    lanes: readonly LaneConfig[],
    private readonly logger: Logger,
  ) {
    for (const lane of lanes) {
      const cfg = cameraSourceConfig(lane);
      if (cfg) this.cameras.set(lane.id, { laneId: lane.id, source: new FfmpegFrameSource(cfg), analysed: 0, lastOutcome: null });
    }
  }

  get sources(): FfmpegFrameSource[] {
    return [...this.cameras.values()].map((c) => c.source);
  }

  /** Starts every camera (they connect and reconnect by themselves). */
  async start(): Promise<void> {
    await Promise.all(this.sources.map((s) => s.start()));
  }

  /** Starts feeding the lanes (once the gate is ready). */
  feed(sink: LaneFrameSink): void {
    if (this.#running) return;
    this.#running = true;
    for (const cam of this.cameras.values()) {
      if (!sink.hasLane(cam.laneId)) {
        this.logger.warn({ lane: cam.laneId }, 'lane camera has no lane controller (bidirectional lane, or the gate is stopped)');
        continue;
      }
      this.#pumps.push(this.#pump(cam, sink));
    }
  }

  async #pump(cam: LaneCamera, sink: LaneFrameSink): Promise<void> {
    let last = -1;
    while (this.#running) {
      const frame = await cam.source.nextFrame(last);
      if (!frame || !this.#running) return;
      last = frame.seq;
      try {
        cam.lastOutcome = await sink.submitCameraFrame(cam.laneId, frame);
        cam.analysed++;
      } catch (err) {
        this.logger.error({ err, lane: cam.laneId }, 'lane camera frame not analysed');
        await new Promise((r) => setTimeout(r, 1000));
      }
    }
  }

  async stop(): Promise<void> {
    this.#running = false;
    await Promise.all(this.sources.map((s) => s.stop()));
    await Promise.all(this.#pumps.splice(0));
  }
}
