// The simulator's end of a pty pair: a self-reopening serial link plus optional wire-time
// pacing, so a simulated 115200-baud device takes as long as the real one to send a reply.
import { SerialLink } from '../serial/serial-link.js';

export interface SimPortOptions {
  path: string;
  baudRate: number;
  /** Delay replies by their time on the wire at baudRate (10 bits per byte). Default true. */
  paceToBaud?: boolean;
  name: string;
}

export class SimPort {
  readonly link: SerialLink;
  private chain: Promise<void> = Promise.resolve();

  constructor(private readonly options: SimPortOptions) {
    this.link = new SerialLink({ path: options.path, baudRate: options.baudRate, deviceId: options.name, kind: 'turnstile', reconnectMs: 200 });
  }

  async start(): Promise<void> {
    await this.link.start();
  }

  onData(l: (chunk: Buffer) => void): void {
    this.link.onData(l);
  }

  /** Sends bytes in order, after their wire time when pacing. Errors (port gone) are dropped. */
  send(bytes: Uint8Array): Promise<void> {
    const paced = this.options.paceToBaud ?? true;
    const wireMs = paced ? (bytes.length * 10 * 1000) / this.options.baudRate : 0;
    this.chain = this.chain.then(async () => {
      if (wireMs >= 1) await new Promise((r) => setTimeout(r, wireMs));
      try {
        await this.link.write(bytes);
      } catch {
        // unplugged while sending: a real device's bytes would be lost too
      }
    });
    return this.chain;
  }

  async close(): Promise<void> {
    await this.chain;
    await this.link.close();
  }
}
