// Pass-through live view: each lane's camera stream (H.264/H.265 over RTSP) copied into
// fragmented MP4 by one ffmpeg per lane (`-c copy`: no decoding, no re-encoding) while at least
// one viewer watches, whatever their number, and stopped a few seconds after the last one
// leaves. A new viewer gets the init segment and the fragments since the last keyframe, then
// the live fragments; a viewer that cannot keep up skips to the next keyframe instead of
// buffering without end. The browser plays it with Media Source Extensions when it can decode
// the codec; otherwise it falls back to the MJPEG view (live-view.ts).
import { FfmpegRemux, canPassThrough, type FfmpegSourceConfig } from '../../drivers/src/index.js';
import type { Logger } from './logger.js';

/** What a viewer is sent: the codec first, then binary MP4 parts. */
export interface PassthroughViewer {
  /** A (new) stream starts: the codec string and its init segment. */
  init(codec: string, initSegment: Uint8Array): void;
  /** A media fragment. Returns false when the viewer's connection is congested. */
  fragment(bytes: Uint8Array): boolean;
  /** The feed stopped for good (core shutdown). */
  end(): void;
}

interface Watch {
  viewer: PassthroughViewer;
  started: boolean;
  /** Skipping fragments until the next keyframe (congested, or joined before one). */
  waitKey: boolean;
}

const LINGER_MS = 3000;

export class LanePassthrough {
  readonly #watches = new Set<Watch>();
  #remux: FfmpegRemux | null = null;
  #init: { codec: string; bytes: Uint8Array } | null = null;
  #gop: Uint8Array[] = [];
  #gopBytes = 0;
  #stopTimer: NodeJS.Timeout | null = null;
  #restartTimer: NodeJS.Timeout | null = null;
  #failures = 0;
  #closed = false;
  /** ffmpeg remux processes started (tests: one per lane whatever the number of viewers). */
  spawned = 0;
  /** Fragments received from ffmpeg. */
  fragments = 0;

  constructor(
    readonly laneId: string,
    private readonly source: FfmpegSourceConfig,
    private readonly logger: Logger,
  ) {}

  get running(): boolean {
    return this.#remux !== null;
  }

  get viewers(): number {
    return this.#watches.size;
  }

  get pid(): number | undefined {
    return this.#remux?.pid;
  }

  watch(viewer: PassthroughViewer): () => void {
    const w: Watch = { viewer, started: false, waitKey: false };
    this.#watches.add(w);
    if (this.#stopTimer) clearTimeout(this.#stopTimer);
    this.#stopTimer = null;
    if (this.#init) this.#startViewer(w);
    this.#ensureRunning();
    return () => {
      this.#watches.delete(w);
      if (this.#watches.size === 0 && !this.#stopTimer) {
        this.#stopTimer = setTimeout(() => void this.#stopRemux(), LINGER_MS);
        this.#stopTimer.unref();
      }
    };
  }

  #startViewer(w: Watch): void {
    const init = this.#init;
    if (!init) return;
    w.viewer.init(init.codec, init.bytes);
    w.started = true;
    w.waitKey = false;
    for (const f of this.#gop) if (!w.viewer.fragment(f)) w.waitKey = true;
  }

  #ensureRunning(): void {
    if (this.#remux || this.#restartTimer || this.#closed) return;
    const remux = new FfmpegRemux(this.source, this.source.command ?? 'ffmpeg');
    this.#remux = remux;
    this.spawned++;
    remux.parts.add((p) => {
      if (this.#remux !== remux) return;
      if (p.kind === 'init') {
        this.#init = { codec: p.codec ?? 'unknown', bytes: p.bytes };
        this.#gop = [];
        this.#gopBytes = 0;
        for (const w of this.#watches) this.#startViewer(w);
        return;
      }
      this.fragments++;
      this.#failures = 0;
      if (p.keyframe) {
        this.#gop = [];
        this.#gopBytes = 0;
      }
      // The fragments since the last keyframe, for the next viewer (bounded: a camera with a very long GOP keeps the last 8 MB).
      if (this.#gopBytes + p.bytes.length <= 8 * 1024 * 1024) {
        this.#gop.push(p.bytes);
        this.#gopBytes += p.bytes.length;
      }
      for (const w of this.#watches) {
        if (!w.started) continue;
        if (w.waitKey && !p.keyframe) continue;
        w.waitKey = !w.viewer.fragment(p.bytes);
      }
    });
    remux.ended.add((e) => {
      if (this.#remux !== remux) return;
      this.#remux = null;
      this.#init = null;
      for (const w of this.#watches) w.started = false;
      if (this.#closed || this.#watches.size === 0) return;
      const delay = Math.min(10_000, 1000 * 2 ** Math.min(this.#failures, 4));
      this.#failures++;
      this.logger.warn({ lane: this.laneId, code: e.code, retryMs: delay }, 'live pass-through stream stopped; restarting');
      this.#restartTimer = setTimeout(() => {
        this.#restartTimer = null;
        this.#ensureRunning();
      }, delay);
      this.#restartTimer.unref();
    });
    remux.start();
  }

  async #stopRemux(): Promise<void> {
    this.#stopTimer = null;
    if (this.#watches.size > 0) return;
    if (this.#restartTimer) clearTimeout(this.#restartTimer);
    this.#restartTimer = null;
    const r = this.#remux;
    this.#remux = null;
    this.#init = null;
    this.#gop = [];
    this.#gopBytes = 0;
    await r?.stop();
  }

  async stop(): Promise<void> {
    this.#closed = true;
    if (this.#stopTimer) clearTimeout(this.#stopTimer);
    const watches = [...this.#watches];
    this.#watches.clear();
    for (const w of watches) w.viewer.end();
    await this.#stopRemux();
  }
}

export class LivePassthrough {
  readonly lanes = new Map<string, LanePassthrough>();

  constructor(sources: Iterable<[string, FfmpegSourceConfig]>, logger: Logger) {
    for (const [laneId, cfg] of sources) if (canPassThrough(cfg)) this.lanes.set(laneId, new LanePassthrough(laneId, cfg, logger));
  }

  lane(laneId: string): LanePassthrough | undefined {
    return this.lanes.get(laneId);
  }

  async stop(): Promise<void> {
    await Promise.all([...this.lanes.values()].map((l) => l.stop()));
  }
}
