// Offline Mandarin announcements, spoken one at a time from a SpeechQueue so they never pile up:
// espeak-ng with the `cmn-latn-pinyin` voice on Linux, Windows' SAPI voice through PowerShell
// on Windows (speech-engines.ts). `wavDir` renders each announcement to a WAV file instead of
// the sound card (tests, headless machines). A machine with no sound device is a fault.
import { spawn } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Announcement, Announcer, DeviceHealth, Unsubscribe } from '../../../edge-core/src/ports/devices.js';
import { HealthTracker, Listeners } from '../health.js';
import { DEFAULT_TEMPLATES, renderTemplate } from './templates.js';
import { SpeechQueue, type SpeechQueueOptions } from './speech-queue.js';
import { DEFAULT_ESPEAK_VOICE, espeakArgs, noAudioDevice, sapiCommand, speakable, type SpeechEngine } from './speech-engines.js';

export interface EspeakAnnouncerConfig extends SpeechQueueOptions {
  deviceId?: string;
  /** espeak-ng voice. Default 'cmn-latn-pinyin' (Mandarin with tones; 'cmn' reads tone numbers in English). */
  voice?: string;
  /** Default: 'sapi' on Windows, 'espeak' elsewhere. */
  engine?: SpeechEngine;
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

export class SpeechError extends Error {
  constructor(
    readonly code: 'no_audio_device' | 'engine_failed',
    message: string,
  ) {
    super(message);
    this.name = 'SpeechError';
  }
}

/** Speaks once (espeak-ng or SAPI); resolves when it has finished speaking (or writing `wavPath`). */
export function speak(text: string, opts: { voice?: string; speed?: number; wavPath?: string; command?: string; engine?: SpeechEngine } = {}): Promise<void> {
  const engine = opts.engine ?? (process.platform === 'win32' ? 'sapi' : 'espeak');
  const spoken = speakable(text);
  const sapi = engine === 'sapi' ? sapiCommand(opts) : null;
  const command = sapi ? sapi.command : (opts.command ?? 'espeak-ng');
  const args = sapi ? sapi.args : espeakArgs(spoken, opts);
  return new Promise<void>((resolve, reject) => {
    const child = spawn(command, args, { stdio: [sapi ? 'pipe' : 'ignore', 'ignore', 'pipe'], windowsHide: true });
    let err = '';
    child.stderr?.on('data', (d: Buffer) => {
      if (err.length < 2000) err += d.toString();
    });
    if (sapi && child.stdin) {
      child.stdin.on('error', () => undefined);
      child.stdin.end(spoken, 'utf8');
    }
    child.once('error', (e) => reject(new SpeechError('engine_failed', e.message)));
    child.once('exit', (code) => {
      if (code !== 0) reject(new SpeechError('engine_failed', `${command} exited with ${code}: ${err.slice(0, 200)}`));
      else if (!opts.wavPath && noAudioDevice(err)) reject(new SpeechError('no_audio_device', err.trim().split('\n').pop() ?? 'no audio device'));
      else resolve();
    });
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
    if (config.wavDir) {
      try {
        mkdirSync(config.wavDir, { recursive: true });
      } catch {
        // Not creatable: the first announcement fails and the announcer reports it in words.
      }
    }
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
    const opts: Parameters<typeof speak>[1] = { voice: this.config.voice ?? DEFAULT_ESPEAK_VOICE, speed: this.config.speed ?? 170 };
    if (this.config.engine) opts.engine = this.config.engine;
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
        if (err instanceof SpeechError && err.code === 'no_audio_device') this.tracker.set('offline', { zh: '没有可用的音箱或声卡，语音播报无声', en: `No sound device plays: ${msg.slice(0, 120)}` });
        else this.tracker.set('offline', { zh: '语音播报不可用', en: `Speech unavailable: ${msg.slice(0, 120)}` });
      })
      .finally(() => {
        this.busy = false;
        this.pump();
      });
  }
}
