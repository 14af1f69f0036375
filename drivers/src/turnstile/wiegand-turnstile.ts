// Turnstile opened through a serial→Wiegand converter: the lane's Wiegand 26/34 number (or the
// passage's card number) is sent; the turnstile controller maps it to "open". Confirmed by the
// converter's ACK; without it the open is refused, never reported as done.
import type { OpenRequest, Turnstile } from '../../../edge-core/src/ports/devices.js';
import { SerialTurnstile } from './serial-turnstile.js';
import { deviceError } from '../errors.js';
import { SerialLink } from '../serial/serial-link.js';
import { ACK, NAK, encodeConverterFrame } from '../wiegand/converter-codec.js';
import type { WiegandFormat } from '../wiegand/wiegand-codec.js';
import { Mutex, controllerOffline, laneTarget, toDeviceError, type LaneMap } from './lanes.js';
import type { TimedOpenResult } from './modbus-turnstile.js';

export interface WiegandTurnstileConfig {
  type: 'wiegand_converter';
  deviceId?: string;
  path: string;
  baudRate?: number;
  format: WiegandFormat;
  facility: number;
  /** lane → { in: card number, out: card number } the controller maps to open. */
  lanes: LaneMap<number>;
  /** Wait for the converter's ACK (default true). Without ACK support results are unconfirmed. */
  requireAck?: boolean;
  ackTimeoutMs?: number;
}

export class WiegandTurnstile extends SerialTurnstile implements Turnstile {
  readonly link: SerialLink;
  private readonly bus = new Mutex();
  private waiter: ((b: number) => void) | null = null;

  constructor(private readonly config: WiegandTurnstileConfig) {
    super();
    this.link = new SerialLink({ path: config.path, baudRate: config.baudRate ?? 9600, deviceId: config.deviceId ?? 'turnstile', kind: 'turnstile' });
    this.link.onData((chunk) => {
      for (const b of chunk) {
        if (b !== ACK && b !== NAK) continue;
        const w = this.waiter;
        this.waiter = null;
        w?.(b);
      }
    });
  }

  async open(req: OpenRequest): Promise<TimedOpenResult> {
    try {
      const card = req.cardNumber ?? laneTarget(this.config.lanes, req);
      const frame = encodeConverterFrame({ format: this.config.format, facility: this.config.facility, card });
      if (!frame.ok) throw deviceError(frame.code, frame.message.zh, frame.message.en);
      if (!this.link.isOpen) throw controllerOffline(this.config.path);
      const requireAck = this.config.requireAck ?? true;
      return await this.bus.run(async () => {
        const ack = requireAck
          ? new Promise<number | null>((resolve) => {
              const t = setTimeout(() => {
                this.waiter = null;
                resolve(null);
              }, this.config.ackTimeoutMs ?? 300);
              this.waiter = (b) => {
                clearTimeout(t);
                resolve(b);
              };
            })
          : Promise.resolve(ACK);
        try {
          await this.link.write(frame.value);
        } catch (err) {
          this.waiter = null;
          throw controllerOffline(this.config.path, err);
        }
        const wireNs = process.hrtime.bigint();
        const wireAt = Date.now();
        const answer = await ack;
        if (answer === NAK) throw deviceError('converter_rejected', '韦根转换器拒绝了命令，未开闸', 'Wiegand converter rejected the frame; not opened');
        if (answer === null) {
          this.link.health.set('degraded', { zh: '韦根转换器无应答', en: 'Wiegand converter does not acknowledge' });
          throw deviceError('confirm_timeout', '韦根转换器无应答，未确认开闸', 'Wiegand converter did not acknowledge; opening not confirmed');
        }
        this.link.health.set('ok');
        return { lane: req.lane, direction: req.direction, confirmed: requireAck, wireAt, wireNs };
      });
    } catch (err) {
      throw toDeviceError(err);
    }
  }

  close(): Promise<void> {
    return this.link.close();
  }
}
