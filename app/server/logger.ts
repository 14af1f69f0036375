// Structured JSON logs (pino), rotated by size and day, with personal data scrubbed from every
// record before it is written. The file in the data directory never takes the core down: a
// disk that is full or fails makes it keep lines in memory and count what it drops (see
// log-file.ts); `logFileOf` gives its state for `/health`.
import pino, { type Logger, type DestinationStream } from 'pino';
import { scrubString, scrubValue } from './redact.js';
import { RotatingLogFile } from './log-file.js';

export type { Logger };

export interface LoggerOptions {
  level: string;
  /** Directory for rotated files; stdout when absent. */
  dir?: string;
  maxFileMb?: number;
  keepFiles?: number;
  /** Explicit destination (tests). */
  destination?: DestinationStream;
}

const files = new WeakMap<Logger, RotatingLogFile>();
const open = new Set<RotatingLogFile>();
let flushAtExit = false;

/** The rotating file a logger writes (null for stdout and explicit destinations). */
export function logFileOf(logger: Logger): RotatingLogFile | null {
  return files.get(logger) ?? null;
}

export function createLogger(opts: LoggerOptions): Logger {
  const options: pino.LoggerOptions = {
    level: opts.level,
    base: { app: 'sitegate' },
    timestamp: pino.stdTimeFunctions.isoTime,
    formatters: { log: (obj) => scrubValue(obj) as Record<string, unknown> },
    hooks: {
      logMethod(args, method) {
        const scrubbed = args.map((a) => (typeof a === 'string' ? scrubString(a) : a)) as Parameters<
          typeof method
        >;
        method.apply(this, scrubbed);
      },
    },
  };
  if (opts.destination) return pino(options, opts.destination);
  if (!opts.dir) {
    const stdout = pino.destination({ dest: 1, sync: false });
    // A closed pipe (the parent went away) must not take the core down: the lines are lost.
    stdout.on('error', () => undefined);
    return pino(options, stdout);
  }
  const file = new RotatingLogFile({
    dir: opts.dir,
    maxBytes: (opts.maxFileMb ?? 20) * 1024 * 1024,
    keepFiles: opts.keepFiles ?? 10,
  });
  const logger = pino(options, file);
  files.set(logger, file);
  open.add(file);
  if (!flushAtExit) {
    flushAtExit = true;
    process.once('exit', () => {
      for (const f of open) f.flushSync();
    });
  }
  return logger;
}

/** Writes what the logger's file holds and closes it (the core's close). */
export function closeLogFile(logger: Logger): void {
  const file = files.get(logger);
  if (!file) return;
  file.end();
  open.delete(file);
}
