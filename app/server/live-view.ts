// Live view of the lanes' own cameras for the gate screen, the dashboard and the LAN: the
// newest frame of a lane encoded as JPEG at most `fps` times a second, once per lane however
// many people watch (bounded CPU), and nothing encoded while nobody watches. Served as MJPEG
// (multipart/x-mixed-replace, plays in any browser's <img>) and as a still frame.
import sharp from 'sharp';
import type { Frame } from '../../edge-core/src/index.js';
import type { LaneCameras } from './lane-cameras.js';

export interface LiveJpeg {
  seq: number;
  jpeg: Buffer;
}

const DEFAULT_FPS = 5;

async function toJpeg(f: Frame, width: number): Promise<Buffer> {
  if (f.format === 'jpeg') return Buffer.from(f.jpeg);
  return sharp(f.rgb.data, { raw: { width: f.rgb.width, height: f.rgb.height, channels: 3 } })
    .resize({ width: Math.min(width, f.rgb.width) })
    .jpeg({ quality: 70 })
    .toBuffer();
}

class LaneLiveFeed {
  readonly #viewers = new Map<(j: LiveJpeg) => void, () => void>();
  #timer: NodeJS.Timeout | null = null;
  #busy = false;
  #lastSeq = -1;
  last: LiveJpeg | null = null;
  /** JPEGs encoded since start (for the tests: bounded by fps, not by viewers). */
  encoded = 0;

  constructor(
    private readonly latest: () => Frame | null,
    private readonly fps: number,
    private readonly width: number,
  ) {}

  /** `end` is called when the feed stops (core shutdown) so the viewer's response can close. */
  watch(viewer: (j: LiveJpeg) => void, end: () => void = () => undefined): () => void {
    this.#viewers.set(viewer, end);
    if (this.last) viewer(this.last);
    if (!this.#timer) this.#timer = setInterval(() => void this.#tick(), Math.round(1000 / this.fps));
    return () => {
      this.#viewers.delete(viewer);
      if (this.#viewers.size === 0 && this.#timer) {
        clearInterval(this.#timer);
        this.#timer = null;
      }
    };
  }

  async still(): Promise<LiveJpeg | null> {
    const f = this.latest();
    if (!f) return this.last;
    if (this.last && this.last.seq === f.seq) return this.last;
    this.last = { seq: f.seq, jpeg: await toJpeg(f, this.width) };
    this.encoded++;
    return this.last;
  }

  async #tick(): Promise<void> {
    const f = this.latest();
    if (this.#busy || !f || f.seq === this.#lastSeq) return;
    this.#busy = true;
    try {
      this.#lastSeq = f.seq;
      const j = { seq: f.seq, jpeg: await toJpeg(f, this.width) };
      this.encoded++;
      this.last = j;
      for (const v of this.#viewers.keys()) v(j);
    } catch {
      // a frame that cannot be encoded is skipped; the next tick tries the next one
    } finally {
      this.#busy = false;
    }
  }

  stop(): void {
    if (this.#timer) clearInterval(this.#timer);
    this.#timer = null;
    const ends = [...this.#viewers.values()];
    this.#viewers.clear();
    for (const end of ends) end();
  }
}

export class LiveView {
  readonly feeds = new Map<string, LaneLiveFeed>();

  constructor(cameras: LaneCameras, opts: { fps?: number; width?: number } = {}) {
    for (const [laneId, cam] of cameras.cameras) this.feeds.set(laneId, new LaneLiveFeed(() => cam.source.latest(), opts.fps ?? DEFAULT_FPS, opts.width ?? 640));
  }

  feed(laneId: string): LaneLiveFeed | undefined {
    return this.feeds.get(laneId);
  }

  stop(): void {
    for (const f of this.feeds.values()) f.stop();
  }
}
