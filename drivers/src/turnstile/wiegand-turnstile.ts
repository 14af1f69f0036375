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
  /**
   * How long an answer to a timed-out frame is still expected (default 2 × ackTimeoutMs, at
   * least 1 s). The converter answers one byte per frame, in order, with no frame number: until
   * a late answer has come (or this grace has passed) the next frame is held back, so that the
   * late byte is not taken as the next frame's acknowledgement.
   */
  lateAnswerGraceMs?: number;
}

export class WiegandTurnstile extends SerialTurnstile implements Turnstile {
  readonly link: SerialLink;
  private readonly bus = new Mutex();
  private waiter: ((b: number) => void) | null = null;
  /** Answers still owed to frames whose acknowledgement timed out, and until when to expect them. */
  private owed = 0;
  private owedUntil = 0;
  private owedSettled: (() => void) | null = null;
  /** ACK/NAK bytes that arrived after their frame had timed out (each such open was refused). */
  lateAnswers = 0;

  constructor(private readonly config: WiegandTurnstileConfig) {
    super();
    this.link = new SerialLink({ path: config.path, baudRate: config.baudRate ?? 9600, deviceId: config.deviceId ?? 'turnstile', kind: 'turnstile' });
    this.link.onData((chunk) => {
      for (const b of chunk) {
        if (b !== ACK && b !== NAK) continue;
        if (this.owed > 0 && Date.now() <= this.owedUntil) {
          this.owed--;
          this.lateAnswers++;
          if (this.owed === 0) this.settleOwed();
          continue;
        }
        this.owed = 0;
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
        await this.awaitOwedAnswers();
        const ack = requireAck
          ? new Promise<number | null>((resolve) => {
              const t = setTimeout(() => {
                this.waiter = null;
                this.owed++;
                this.owedUntil = Date.now() + this.lateAnswerGraceMs();
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
    this.settleOwed();
    return this.link.close();
  }

  private lateAnswerGraceMs(): number {
    return this.config.lateAnswerGraceMs ?? Math.max(1000, 2 * (this.config.ackTimeoutMs ?? 300));
  }

  /** Holds the next frame until every owed late answer has come or its grace has passed. */
  private async awaitOwedAnswers(): Promise<void> {
    const wait = this.owedUntil - Date.now();
    if (this.owed === 0 || wait <= 0) {
      this.owed = 0;
      return;
    }
    await new Promise<void>((resolve) => {
      const t = setTimeout(() => this.settleOwed(), wait);
      this.owedSettled = () => {
        clearTimeout(t);
        resolve();
      };
    });
    this.owed = 0; // whatever has not come by now is taken as lost
  }

  private settleOwed(): void {
    const s = this.owedSettled;
    this.owedSettled = null;
    s?.();
  }
}
