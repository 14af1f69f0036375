// The camera's own H.264/H.265 stream, passed through without decoding: ffmpeg copies the RTSP
// video into fragmented MP4 (`-c copy`, no re-encode, a few % of one core) on a pipe, cut here
// into the init segment and fragments for Media Source Extensions in a browser.
import { spawn, type ChildProcess } from 'node:child_process';
import { Listeners } from '../health.js';
import { classifyCameraFailure, type CameraFailureCode } from './camera-failure.js';
import { adopt, terminate } from './child-reaper.js';
import { inputKind, type FfmpegInputConfig } from './ffmpeg-args.js';
import { Fmp4Splitter, type Fmp4Part } from './fmp4.js';

/** Inputs whose video can be passed through: network cameras that send H.264/H.265. */
export function canPassThrough(c: Pick<FfmpegInputConfig, 'input' | 'format'>): boolean {
  return inputKind(c) === 'rtsp';
}

/** ffmpeg's command line for the pass-through of a camera (pure). */
export function remuxArgs(c: FfmpegInputConfig, fragmentMs = 100): string[] {
  const timeoutUs = String((c.ioTimeoutMs ?? 5000) * 1000);
  return [
    '-hide_banner', '-loglevel', 'error', '-nostdin',
    '-fflags', 'nobuffer', '-flags', 'low_delay', '-analyzeduration', '1000000', '-probesize', '1000000',
    '-rtsp_transport', c.rtspTransport ?? 'tcp', '-timeout', timeoutUs,
    ...(c.inputArgs ?? []),
    '-i', c.input,
    '-map', '0:v:0', '-an', '-sn', '-dn',
    '-c:v', 'copy',
    // HEVC gets ffmpeg's default sample entry ('hev1', parameter sets also in band), which
    // Chromium with a platform HEVC decoder plays; H.264 is 'avc1'.
    '-f', 'mp4',
    '-movflags', 'empty_moov+default_base_moof+frag_keyframe',
    '-frag_duration', String(fragmentMs * 1000),
    '-flush_packets', '1',
    'pipe:1',
  ];
}

export interface RemuxEnd {
  code: CameraFailureCode;
  detail: string;
}

/** One ffmpeg copying a camera's stream into fMP4 parts. */
export class FfmpegRemux {
  readonly parts = new Listeners<Fmp4Part>();
  readonly ended = new Listeners<RemuxEnd>();
  #child: ChildProcess | null = null;

  constructor(
    private readonly config: FfmpegInputConfig,
    private readonly command = 'ffmpeg',
  ) {}

  get pid(): number | undefined {
    return this.#child?.pid;
  }

  start(): void {
    if (this.#child) return;
    const splitter = new Fmp4Splitter();
    const child = spawn(this.command, remuxArgs(this.config), { stdio: ['ignore', 'pipe', 'pipe'], windowsHide: true });
    adopt(child);
    this.#child = child;
    let err = '';
    child.stderr?.on('data', (d: Buffer) => {
      if (err.length < 4000) err += d.toString();
    });
    child.stdout?.on('data', (chunk: Buffer) => {
      if (this.#child !== child) return;
      let parts: Fmp4Part[];
      try {
        parts = splitter.push(chunk);
      } catch (e) {
        err += `\n${(e as Error).message}`;
        child.kill('SIGKILL');
        return;
      }
      for (const p of parts) this.parts.emit(p);
    });
    const end = (detail: string): void => {
      if (this.#child !== child) return;
      this.#child = null;
      this.ended.emit({ code: classifyCameraFailure(detail), detail });
    };
    child.once('error', (e) => end(`spawn ${e.message}`));
    child.once('exit', (code, signal) => end(err.trim() || (signal ? `ffmpeg killed by ${signal}` : `ffmpeg exited with ${code}`)));
  }

  async stop(): Promise<void> {
    const c = this.#child;
    this.#child = null;
    if (c) await terminate(c, 1000);
  }
}
