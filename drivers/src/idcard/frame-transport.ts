// Request/reply over a serial link for GA/T 467 frames: one command at a time, reply timeout,
// stale bytes dropped. A reply that arrives damaged is told apart from no reply at all:
// `bad_checksum` / `bad_length` (a whole frame that does not check), `truncated` (the start of a
// frame, then silence for `frameGapMs`) and `garbage` (bytes that hold no frame) reject with
// a DeviceError whose code says which, `reply_timeout` only when nothing came back.
import { DeviceError, deviceError } from '../errors.js';
import type { SerialLink } from '../serial/serial-link.js';
import { FrameAssembler, encodeCommand, parseReply, type CommandName, type Reply } from './frame-codec.js';

/** Codes of a reply that came back damaged (the reader answered; the bytes did not survive). */
export const FRAME_FAULTS = ['bad_checksum', 'bad_length', 'bad_preamble', 'truncated', 'garbage', 'trailing_bytes'] as const;
export type FrameFault = (typeof FRAME_FAULTS)[number];

export function isFrameFault(code: string): code is FrameFault {
  return (FRAME_FAULTS as readonly string[]).includes(code);
}

export interface FrameTransportOptions {
  /** Silence after the start of a frame that makes it truncated. Default 250 ms. */
  frameGapMs?: number;
}

interface Waiter {
  resolve: (r: Reply) => void;
  reject: (e: Error) => void;
  /** Bytes received since the request was written. */
  bytes: number;
  gap: NodeJS.Timeout | null;
}

export class FrameTransport {
  private readonly assembler = new FrameAssembler();
  private waiter: Waiter | null = null;
  private queue: Promise<unknown> = Promise.resolve();
  private readonly frameGapMs: number;

  constructor(
    private readonly link: SerialLink,
    options: FrameTransportOptions = {},
  ) {
    this.frameGapMs = options.frameGapMs ?? 250;
    link.onData((chunk) => {
      const w = this.waiter;
      if (w) w.bytes += chunk.length;
      for (const e of this.assembler.push(chunk)) {
        const cur = this.waiter;
        if (!cur) continue;
        if (e.kind === 'error') {
          cur.reject(new DeviceError(e.error.code, e.error.message));
        } else {
          const r = parseReply(e.body);
          if (r.ok) cur.resolve(r.value);
          else cur.reject(new DeviceError(r.code, r.message));
        }
      }
      const still = this.waiter;
      // Bytes came but no frame yet: if the line then stays silent, the rest never comes (a
      // reader sends a reply in one go, with no pause inside it).
      if (still) {
        if (still.gap) clearTimeout(still.gap);
        still.gap = setTimeout(() => {
          if (this.waiter === still) still.reject(damaged(still.bytes, this.assembler.partialFrame));
        }, this.frameGapMs);
      }
    });
  }

  request(name: CommandName, timeoutMs: number): Promise<Reply> {
    const run = (): Promise<Reply> =>
      new Promise<Reply>((resolve, reject) => {
        this.assembler.reset();
        const done = (): void => {
          clearTimeout(timer);
          if (w.gap) clearTimeout(w.gap);
          if (this.waiter === w) this.waiter = null;
        };
        const timer = setTimeout(() => {
          done();
          // Something came back, but no frame: the reply was damaged, not missing.
          if (w.bytes > 0) reject(damaged(w.bytes, this.assembler.partialFrame));
          else reject(deviceError('reply_timeout', '读卡器无应答', `Reader did not answer ${name} within ${timeoutMs} ms`));
        }, timeoutMs);
        const w: Waiter = {
          bytes: 0,
          gap: null,
          resolve: (r) => {
            done();
            resolve(r);
          },
          reject: (e) => {
            done();
            reject(e);
          },
        };
        this.waiter = w;
        this.link.write(encodeCommand(name)).catch((err: unknown) => {
          done();
          reject(err instanceof Error ? err : new Error(String(err)));
        });
      });
    const p = this.queue.then(run, run);
    this.queue = p.catch(() => undefined);
    return p;
  }
}

function damaged(bytes: number, partialFrame: boolean): DeviceError {
  return partialFrame
    ? deviceError('truncated', '读卡数据不完整', `The reply stopped in the middle of a frame (${bytes} bytes received)`)
    : deviceError('garbage', '读卡数据无法识别', `${bytes} bytes came back that hold no frame`);
}
