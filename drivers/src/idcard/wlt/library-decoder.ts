// The vendor's WLT library, called off the core's event loop and outside its process: a child
// process (decoder-host.ts) loads the library through koffi and decodes on request. A library
// that crashes (SIGSEGV in vendor code), hangs (timeout) or cannot be loaded gives a clear
// error for that card — the clerk photographs the card instead — and the next card starts a
// fresh decoder process. The core never goes down with it.
import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { Bilingual } from '../../../../edge-core/src/ports/devices.js';
import { adopt, terminate } from '../../frames/child-reaper.js';
import type { LibraryDecoderConfig } from './decoder-config.js';
import type { HostReady, HostReply, HostRequest } from './decoder-host.js';

export class WltDecodeFailure extends Error {
  constructor(
    readonly code: string,
    readonly reason: Bilingual,
  ) {
    super(`${code}: ${reason.en}`);
  }
}

interface Pending {
  resolve: (bmp: Uint8Array) => void;
  reject: (e: WltDecodeFailure) => void;
  timer: NodeJS.Timeout;
}

const WORDS: Record<string, string> = {
  library_load_failed: '照片解码库无法加载',
  function_missing: '照片解码库中没有配置的函数',
  decode_failed: '照片解码库解码失败',
  bad_output: '照片解码库输出的不是图片',
  decoder_crashed: '照片解码库崩溃',
  decoder_timeout: '照片解码超时',
};

function failure(code: string, en: string): WltDecodeFailure {
  return new WltDecodeFailure(code, { zh: WORDS[code] ?? '照片解码失败', en });
}

function hostEntry(): { file: string; execArgv: string[] } {
  const here = import.meta.url;
  if (here.endsWith('.ts')) {
    // Running from the TypeScript sources (tests, `npm run dev`): load the host through tsx.
    return { file: fileURLToPath(new URL('./decoder-host.ts', here)), execArgv: ['--import', import.meta.resolve('tsx')] };
  }
  return { file: fileURLToPath(new URL('./decoder-host.js', here)), execArgv: [] };
}

export class LibraryWltDecoder {
  #child: ChildProcess | null = null;
  #ready: Promise<void> | null = null;
  readonly #pending = new Map<number, Pending>();
  #seq = 0;
  #closed = false;
  /** Decoder processes started (the first, and one after each crash or timeout). */
  started = 0;

  constructor(private readonly cfg: LibraryDecoderConfig) {}

  /** The decoder process id (tests). */
  get pid(): number | undefined {
    return this.#child?.pid;
  }

  /** Starts the decoder process ahead of the first card (a load failure is reported at that card). */
  warm(): void {
    if (!this.#closed) this.#start().catch(() => undefined);
  }

  async decode(wlt: Uint8Array): Promise<Uint8Array> {
    if (this.#closed) throw failure('decoder_closed', 'the decoder was stopped');
    await this.#start();
    const child = this.#child;
    if (!child?.connected) throw failure('decoder_crashed', 'the decoder process is gone');
    const id = ++this.#seq;
    return new Promise<Uint8Array>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.#pending.delete(id);
        reject(failure('decoder_timeout', `no answer from ${this.cfg.function} within ${this.cfg.timeoutMs ?? 5000} ms; the decoder process was stopped`));
        // A hung library is not trusted with the next card either.
        this.#kill(child);
      }, this.cfg.timeoutMs ?? 5000);
      this.#pending.set(id, { resolve, reject, timer });
      const req: HostRequest = { id, wlt };
      child.send(req, (err) => {
        if (!err) return;
        const p = this.#pending.get(id);
        if (!p) return;
        this.#pending.delete(id);
        clearTimeout(p.timer);
        p.reject(failure('decoder_crashed', `cannot reach the decoder process: ${err.message}`));
      });
    });
  }

  async close(): Promise<void> {
    this.#closed = true;
    const c = this.#child;
    this.#child = null;
    this.#ready = null;
    this.#failAll(failure('decoder_closed', 'the decoder was stopped'));
    if (c) await terminate(c, 1000);
  }

  #start(): Promise<void> {
    if (this.#ready) return this.#ready;
    const { file, execArgv } = hostEntry();
    const child = fork(file, [], {
      execArgv,
      serialization: 'advanced',
      stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
      env: { ...process.env, SITEGATE_WLT_DECODER: JSON.stringify(this.cfg) },
    });
    this.started++;
    adopt(child);
    this.#child = child;
    let stderr = '';
    child.stderr?.on('data', (d: Buffer) => {
      if (stderr.length < 2000) stderr += d.toString();
    });
    this.#ready = new Promise<void>((resolve, reject) => {
      const onFirst = (m: HostReady | HostReply): void => {
        if (!('ready' in m)) return;
        child.off('message', onFirst);
        if (m.ready) resolve();
        else {
          reject(failure(m.code, m.message));
          this.#forget(child);
          this.#kill(child);
        }
      };
      child.on('message', onFirst);
      child.once('exit', (code, signal) => reject(failure('decoder_crashed', `the decoder process ended while loading (${signal ?? `exit ${code}`}) ${stderr.trim().slice(0, 300)}`)));
    });
    // A load failure is reported to this decode; the next one tries again.
    this.#ready.catch(() => undefined);
    child.on('message', (m: HostReady | HostReply) => {
      if ('ready' in m) return;
      const p = this.#pending.get(m.id);
      if (!p) return;
      this.#pending.delete(m.id);
      clearTimeout(p.timer);
      if (m.ok) p.resolve(m.bmp);
      else p.reject(failure(m.code, m.message));
    });
    child.once('exit', (code, signal) => {
      const how = signal ? `killed by ${signal}` : `exit code ${code}`;
      this.#forget(child);
      this.#failAll(failure('decoder_crashed', `the decoder process ended (${how}) while decoding; the library may have crashed`));
    });
    return this.#ready;
  }

  #forget(child: ChildProcess): void {
    if (this.#child !== child) return;
    this.#child = null;
    this.#ready = null;
  }

  #kill(child: ChildProcess): void {
    this.#forget(child);
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  }

  #failAll(e: WltDecodeFailure): void {
    for (const [id, p] of this.#pending) {
      this.#pending.delete(id);
      clearTimeout(p.timer);
      p.reject(e);
    }
  }
}
