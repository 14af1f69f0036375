// Offline Mandarin announcements through espeak-ng (`espeak-ng -v cmn`), spoken one at a time
// from a SpeechQueue so they never pile up. `wavDir` renders each announcement to a WAV file
// instead of the sound card (tests, headless machines).
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import type { Announcement, Announcer, DeviceHealth, Unsubscribe } from '../../../edge-core/src/ports/devices.js';
import { HealthTracker, Listeners } from '../health.js';
import { DEFAULT_TEMPLATES, renderTemplate } from './templates.js';
import { SpeechQueue, type SpeechQueueOptions } from './speech-queue.js';

export interface EspeakAnnouncerConfig extends SpeechQueueOptions {
  deviceId?: string;
  /** espeak-ng voice. Default 'cmn' (Mandarin). */
  voice?: string;
  /** Words per minute. Default 170. */
  speed?: number;
  /** Render to WAV files in this directory instead of playing. */
  wavDir?: string;
  /** Executable. Default 'espeak-ng'. */
  command?: string;
  templates?: Record<string, string>;
}

export interface SpokenEvent {
  text: string;
  lane: string;
  /** WAV path when rendering to files. */
  wavPath?: string;
}

/** Runs espeak-ng once; resolves when it has finished speaking (or writing `wavPath`). */
export function speak(text: string, opts: { voice?: string; speed?: number; wavPath?: string; command?: string } = {}): Promise<void> {
  const args = ['-v', opts.voice ?? 'cmn', '-s', String(opts.speed ?? 170)];
  if (opts.wavPath) args.push('-w', opts.wavPath);
  args.push('--', text);
  return new Promise<void>((resolve, reject) => {
    const child = spawn(opts.command ?? 'espeak-ng', args, { stdio: ['ignore', 'ignore', 'pipe'] });
    let err = '';
    child.stderr.on('data', (d: Buffer) => {
      if (err.length < 2000) err += d.toString();
    });
    child.once('error', reject);
    child.once('exit', (code) => (code === 0 ? resolve() : reject(new Error(`espeak-ng exited with ${code}: ${err.slice(0, 200)}`))));
  });
}

export class EspeakAnnouncer implements Announcer {
  private templates: Record<string, string>;
  private readonly queue: SpeechQueue;
  private busy = false;
  private closed = false;
  private seq = 0;
  private readonly tracker: HealthTracker;
  private readonly spoken = new Listeners<SpokenEvent>();
  private idle: Promise<void> = Promise.resolve();

  constructor(private readonly config: EspeakAnnouncerConfig = {}) {
    this.templates = { ...DEFAULT_TEMPLATES, ...config.templates };
    this.queue = new SpeechQueue(config);
    this.tracker = new HealthTracker(config.deviceId ?? 'announcer', 'announcer', 'ok');
  }

  health(): DeviceHealth {
    return this.tracker.get();
  }

  onHealth(listener: (h: DeviceHealth) => void): Unsubscribe {
    return this.tracker.on(listener);
  }

  onSpoken(listener: (e: SpokenEvent) => void): Unsubscribe {
    return this.spoken.add(listener);
  }

  get dropped(): number {
    return this.queue.dropped;
  }

  setTemplates(templates: Record<string, string>): void {
    this.templates = { ...DEFAULT_TEMPLATES, ...templates };
  }

  announce(a: Announcement): string | null {
    const template = Object.hasOwn(this.templates, a.template) ? this.templates[a.template] : undefined;
    if (template === undefined || this.closed) return null;
    const text = renderTemplate(template, a.values);
    if (text === '') return null;
    this.queue.push({ text, lane: a.lane ?? 'default', enqueuedAt: Date.now() });
    this.pump();
    return text;
  }

  /** Resolves when nothing is queued or speaking. */
  async drained(): Promise<void> {
    while (this.busy || this.queue.length > 0) await this.idle;
  }

  async close(): Promise<void> {
    this.closed = true;
    await this.drained();
  }

  private pump(): void {
    if (this.busy) return;
    const item = this.queue.next(Date.now());
    if (!item) return;
    this.busy = true;
    const wavPath = this.config.wavDir ? join(this.config.wavDir, `announce-${Date.now()}-${this.seq++}.wav`) : undefined;
    const opts: Parameters<typeof speak>[1] = { voice: this.config.voice ?? 'cmn', speed: this.config.speed ?? 170 };
    if (wavPath) opts.wavPath = wavPath;
    if (this.config.command) opts.command = this.config.command;
    this.idle = speak(item.text, opts)
      .then(() => {
        this.tracker.set('ok');
        const ev: SpokenEvent = { text: item.text, lane: item.lane };
        if (wavPath) ev.wavPath = wavPath;
        this.spoken.emit(ev);
      })
      .catch((err: unknown) => {
        const msg = err instanceof Error ? err.message : String(err);
        this.tracker.set('offline', { zh: '语音播报不可用', en: `Speech unavailable: ${msg.slice(0, 120)}` });
      })
      .finally(() => {
        this.busy = false;
        this.pump();
      });
  }
}
