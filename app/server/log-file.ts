// The rotating log file in the data directory (logs/sitegate.N.log), written so that a disk
// that fills up, turns read-only or fails never takes the core down: a line that cannot be
// written is kept in a bounded memory spool and written once the disk has room again, lines
// beyond the spool are dropped and counted, and the state is reported (`/health` "logs").
// Lines are gathered and written once per event-loop turn, synchronously (like SQLite's own
// writes): no write is ever in flight, so nothing is lost or reordered at exit or on failure.
// Rotation: a new file past `maxBytes` or when the local date changes; the newest `keepFiles`
// are kept. File names continue the numbering of earlier installs (pino-roll's sitegate.N.log).
import { closeSync, fstatSync, mkdirSync, openSync, readdirSync, statSync, unlinkSync, writeSync } from 'node:fs';
import { join } from 'node:path';

export interface LogFileOptions {
  dir: string;
  /** File name stem: `${base}.${n}.log`. */
  base?: string;
  maxBytes: number;
  keepFiles: number;
  /** Bytes of lines kept in memory while the file cannot be written (default 1 MB). */
  spoolBytes?: number;
  /** Time between two attempts to write again while failing (default 2 s). */
  retryMs?: number;
}

export interface LogFileState {
  /** The file is being written. */
  ok: boolean;
  /** Lines lost since the start (could not be written and did not fit in the spool). */
  dropped: number;
  /** Lines held in memory, waiting for the disk. */
  spooled: number;
  /** Why the file cannot be written (errno code), null when ok. */
  error: string | null;
  /** Since when (ms) the file cannot be written, null when ok. */
  failingSince: number | null;
  file: string | null;
}

/** A write that failed after `written` of its `bytes` reached the file. */
type WriteFailure = NodeJS.ErrnoException & { written?: number; bytes?: Buffer };

function dayOf(ms: number): string {
  const d = new Date(ms);
  return `${d.getFullYear()}-${d.getMonth() + 1}-${d.getDate()}`;
}

export class RotatingLogFile {
  readonly #dir: string;
  readonly #base: string;
  readonly #maxBytes: number;
  readonly #keep: number;
  readonly #spoolMax: number;
  readonly #retryMs: number;
  #fd: number | null = null;
  #number = 0;
  #file: string | null = null;
  #size = 0;
  #day = '';
  /** Lines of this event-loop turn, written at its end. */
  #pending: string[] = [];
  #flushQueued = false;
  /** Lines kept while failing (oldest first). */
  #spool: string[] = [];
  #spoolBytes = 0;
  #dropped = 0;
  /** Lines dropped since the last notice was written into the file. */
  #droppedUnreported = 0;
  #error: string | null = null;
  #failingSince: number | null = null;
  #nextRetryAt = 0;
  #retryTimer: NodeJS.Timeout | null = null;
  #closed = false;
  /** A failed write left half a line at the end of the file. */
  #midLine = false;
  readonly #listeners = new Set<(s: LogFileState) => void>();

  constructor(o: LogFileOptions) {
    this.#dir = o.dir;
    this.#base = o.base ?? 'sitegate';
    this.#maxBytes = o.maxBytes;
    this.#keep = Math.max(1, o.keepFiles);
    this.#spoolMax = o.spoolBytes ?? 1024 * 1024;
    this.#retryMs = o.retryMs ?? 2000;
    try {
      this.#open(false);
    } catch (err) {
      this.#fail(err);
    }
  }

  /** pino's destination: one JSON line per call. Never throws. */
  write(line: string): boolean {
    if (this.#closed) return true;
    if (this.#error !== null) {
      this.#keepInSpool(line);
      this.#retrySoon();
      return true;
    }
    this.#pending.push(line);
    if (!this.#flushQueued) {
      this.#flushQueued = true;
      setImmediate(() => this.flushSync());
    }
    return true;
  }

  state(): LogFileState {
    return {
      ok: this.#error === null,
      dropped: this.#dropped,
      spooled: this.#spool.length,
      error: this.#error,
      failingSince: this.#failingSince,
      file: this.#file,
    };
  }

  /** Hears each change between writing and failing, and each failed retry (with the counts then). */
  onState(fn: (s: LogFileState) => void): () => void {
    this.#listeners.add(fn);
    return () => this.#listeners.delete(fn);
  }

  /** Writes what is gathered now (and, while failing, tries the spool once more if it is time). */
  flushSync(): void {
    this.#flushQueued = false;
    if (this.#error !== null) this.#retry();
    const text = this.#pending.join('');
    this.#pending = [];
    if (!text) return;
    if (this.#error !== null) {
      this.#spoolText(text);
      return;
    }
    try {
      this.#writeNow(text);
    } catch (err) {
      const e = err as WriteFailure;
      this.#spoolText(e.bytes ? this.#afterWritten(e.bytes, e.written ?? 0) : text);
      this.#fail(err);
    }
  }

  /** pino calls flush(cb) on logger.flush(). */
  flush(cb?: (err?: Error) => void): void {
    this.flushSync();
    cb?.();
  }

  end(): void {
    this.flushSync();
    this.#closed = true;
    if (this.#retryTimer) clearTimeout(this.#retryTimer);
    this.#closeFd();
  }

  // --- writing ------------------------------------------------------------------------

  /** Writes `text` at the end of the current file (rotating first when due); throws a WriteFailure. */
  #writeNow(text: string): void {
    const bytes = Buffer.from(text);
    this.#rotateIfDue(bytes.length);
    const fd = this.#fd as number;
    if (this.#midLine) {
      // A failed write left half a line: end it there (it stays a broken line of its own).
      writeSync(fd, '\n');
      this.#size += 1;
      this.#midLine = false;
    }
    let off = 0;
    try {
      while (off < bytes.length) off += writeSync(fd, bytes, off, bytes.length - off);
    } catch (err) {
      this.#size += off;
      throw Object.assign(err as Error, { written: off, bytes });
    }
    this.#size += bytes.length;
  }

  /** After `written` bytes of `bytes` reached the file: the lines not wholly written; notes a half line. */
  #afterWritten(bytes: Buffer, written: number): string {
    const complete = written > 0 ? bytes.lastIndexOf(0x0a, written - 1) + 1 : 0;
    this.#midLine = written > complete;
    return bytes.subarray(complete).toString();
  }

  // --- failing and recovering ---------------------------------------------------------

  #fail(err: unknown): void {
    const e = err as NodeJS.ErrnoException;
    const first = this.#error === null;
    this.#error = e.code ?? e.message ?? String(err);
    this.#failingSince ??= Date.now();
    this.#closeFd();
    this.#nextRetryAt = Date.now() + this.#retryMs;
    this.#retrySoon();
    if (first) this.#notify();
  }

  #spoolText(text: string): void {
    for (const line of text.split(/(?<=\n)/)) if (line) this.#keepInSpool(line);
  }

  #keepInSpool(line: string): void {
    this.#spool.push(line);
    this.#spoolBytes += line.length;
    while (this.#spoolBytes > this.#spoolMax && this.#spool.length > 0) {
      const old = this.#spool.shift() as string;
      this.#spoolBytes -= old.length;
      this.#dropped++;
      this.#droppedUnreported++;
    }
  }

  #retrySoon(): void {
    if (this.#retryTimer || this.#closed) return;
    this.#retryTimer = setTimeout(
      () => {
        this.#retryTimer = null;
        this.#retry();
        if (this.#error !== null) this.#retrySoon();
      },
      Math.max(10, this.#nextRetryAt - Date.now()),
    );
    this.#retryTimer.unref();
  }

  /** Writes a notice of the outage and the spool; on success the file is written normally again. */
  #retry(): void {
    if (this.#error === null || this.#closed || Date.now() < this.#nextRetryAt) return;
    const lost = this.#droppedUnreported;
    const kept = this.#spool.length;
    const notice = `${JSON.stringify({
      level: lost > 0 ? 40 : 30,
      time: new Date().toISOString(),
      app: 'sitegate',
      logFile: { error: this.#error, failingSince: new Date(this.#failingSince ?? Date.now()).toISOString(), dropped: lost, spooled: kept },
      msg: `log file could not be written (${this.#error}): ${lost} line(s) lost, the ${kept} kept in memory follow`,
    })}\n`;
    const spool = this.#spool.join('');
    try {
      this.#writeNow(notice + spool);
    } catch (err) {
      const e = err as WriteFailure;
      if (e.bytes && e.written && e.written >= Buffer.byteLength(notice)) {
        // The notice and part of the spool reached the file: keep only what did not.
        this.#droppedUnreported = 0;
        this.#spool = [];
        this.#spoolBytes = 0;
        this.#spoolText(this.#afterWritten(e.bytes, e.written));
      } else if (e.bytes && e.written) {
        this.#afterWritten(e.bytes, e.written); // half a notice: ended at the next write
      }
      this.#closeFd();
      this.#error = e.code ?? e.message;
      this.#nextRetryAt = Date.now() + this.#retryMs;
      this.#notify();
      return;
    }
    this.#spool = [];
    this.#spoolBytes = 0;
    this.#droppedUnreported = 0;
    this.#error = null;
    this.#failingSince = null;
    this.#notify();
  }

  #notify(): void {
    const s = this.state();
    for (const fn of this.#listeners) {
      try {
        fn(s);
      } catch {
        // a listener's problem is not the log's
      }
    }
  }

  // --- files --------------------------------------------------------------------------

  #name(n: number): string {
    return join(this.#dir, `${this.#base}.${n}.log`);
  }

  #numbers(): number[] {
    const re = new RegExp(`^${this.#base.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\.(\\d+)\\.log$`);
    return readdirSync(this.#dir)
      .map((f) => re.exec(f)?.[1])
      .filter((n): n is string => n !== undefined)
      .map(Number)
      .sort((a, b) => a - b);
  }

  /** Opens the newest file when it is today's and has room, else the next number. */
  #open(forceNext: boolean): void {
    mkdirSync(this.#dir, { recursive: true, mode: 0o700 });
    const numbers = this.#numbers();
    const last = numbers[numbers.length - 1] ?? 0;
    let n = Math.max(1, last);
    if (last > 0) {
      const st = statSync(this.#name(last));
      if (forceNext || dayOf(st.mtimeMs) !== dayOf(Date.now()) || st.size >= this.#maxBytes) n = last + 1;
    }
    this.#openNumber(n);
  }

  #openNumber(n: number): void {
    this.#closeFd();
    const file = this.#name(n);
    const fd = openSync(file, 'a', 0o600);
    if (n !== this.#number) this.#midLine = false; // a half line stays in the file before
    this.#fd = fd;
    this.#number = n;
    this.#file = file;
    this.#size = fstatSync(fd).size;
    this.#day = dayOf(Date.now());
    this.#prune();
  }

  #rotateIfDue(incoming: number): void {
    if (this.#fd === null) this.#open(false);
    else if (this.#size > 0 && (this.#size + incoming > this.#maxBytes || dayOf(Date.now()) !== this.#day)) this.#openNumber(this.#number + 1);
  }

  #prune(): void {
    const numbers = this.#numbers();
    for (const n of numbers.slice(0, Math.max(0, numbers.length - this.#keep))) {
      try {
        unlinkSync(this.#name(n));
      } catch {
        // gone already: the next rotation looks again
      }
    }
  }

  #closeFd(): void {
    if (this.#fd === null) return;
    try {
      closeSync(this.#fd);
    } catch {
      // closing a file on a failed disk may fail too; the descriptor is released either way
    }
    this.#fd = null;
  }
}
