// Request/reply over a serial link for GA/T 467 frames: one command at a time, reply timeout,
// stale bytes dropped.
import { DeviceError, deviceError } from '../errors.js';
import type { SerialLink } from '../serial/serial-link.js';
import { FrameAssembler, encodeCommand, parseReply, type CommandName, type Reply } from './frame-codec.js';

export class FrameTransport {
  private readonly assembler = new FrameAssembler();
  private waiter: { resolve: (r: Reply) => void; reject: (e: Error) => void } | null = null;
  private queue: Promise<unknown> = Promise.resolve();

  constructor(private readonly link: SerialLink) {
    link.onData((chunk) => {
      for (const e of this.assembler.push(chunk)) {
        const w = this.waiter;
        if (!w) continue;
        this.waiter = null;
        if (e.kind === 'error') {
          w.reject(new DeviceError(e.error.code, e.error.message));
        } else {
          const r = parseReply(e.body);
          if (r.ok) w.resolve(r.value);
          else w.reject(new DeviceError(r.code, r.message));
        }
      }
    });
  }

  request(name: CommandName, timeoutMs: number): Promise<Reply> {
    const run = (): Promise<Reply> =>
      new Promise<Reply>((resolve, reject) => {
        this.assembler.reset();
        const timer = setTimeout(() => {
          this.waiter = null;
          reject(deviceError('reply_timeout', '读卡器无应答', `Reader did not answer ${name} within ${timeoutMs} ms`));
        }, timeoutMs);
        this.waiter = {
          resolve: (r) => {
            clearTimeout(timer);
            resolve(r);
          },
          reject: (e) => {
            clearTimeout(timer);
            reject(e);
          },
        };
        this.link.write(encodeCommand(name)).catch((err: unknown) => {
          clearTimeout(timer);
          this.waiter = null;
          reject(err instanceof Error ? err : new Error(String(err)));
        });
      });
    const p = this.queue.then(run, run);
    this.queue = p.catch(() => undefined);
    return p;
  }
}
