// Structured JSON logs (pino), rotated by size, with personal data scrubbed from every
// record before it is written.
import pino, { type Logger, type DestinationStream } from 'pino';
import { join } from 'node:path';
import { scrubString, scrubValue } from './redact.js';

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

export function createLogger(opts: LoggerOptions): Logger {
  const options: pino.LoggerOptions = {
    level: opts.level,
    base: { app: 'sitegate' },
    timestamp: pino.stdTimeFunctions.isoTime,
    formatters: { log: (obj) => scrubValue(obj) as Record<string, unknown> },
    hooks: {
      logMethod(args, method) {
        const scrubbed = args.map((a) => (typeof a === 'string' ? scrubString(a) : a)) as Parameters<typeof method>;
        method.apply(this, scrubbed);
      },
    },
  };
  if (opts.destination) return pino(options, opts.destination);
  if (!opts.dir) return pino(options, pino.destination({ dest: 1, sync: false }));
  const transport = pino.transport({
    target: 'pino-roll',
    options: {
      file: join(opts.dir, 'sitegate'),
      extension: '.log',
      size: `${opts.maxFileMb ?? 20}m`,
      frequency: 'daily',
      mkdir: true,
      limit: { count: opts.keepFiles ?? 10 },
    },
  });
  return pino(options, transport);
}
