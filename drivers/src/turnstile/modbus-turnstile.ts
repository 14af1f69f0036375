// Turnstile opened by a Modbus RTU relay board over RS-485: write single coil ON, confirm by
// reading the coil back, switch it OFF after the pulse. Never reports "opened" without the
// board's echo and read-back; a silent board is refused as 'controller_timeout'.
import type { OpenRequest, OpenResult, Turnstile } from '../../../edge-core/src/ports/devices.js';
import { SerialTurnstile } from './serial-turnstile.js';
import { deviceError } from '../errors.js';
import { coilFromBytes, decodeResponse, encodeReadCoils, encodeWriteSingleCoil, responseLength, type ModbusResponse } from '../modbus/modbus-codec.js';
import { SerialLink } from '../serial/serial-link.js';
import { Mutex, controllerOffline, laneTarget, toDeviceError, type LaneMap } from './lanes.js';

export interface ModbusTurnstileConfig {
  type: 'modbus_relay';
  deviceId?: string;
  path: string;
  baudRate?: number;
  /** Modbus unit (slave) id. Default 1. */
  unit?: number;
  /** lane → { in: coil, out: coil } (0-based coil addresses). */
  lanes: LaneMap<number>;
  /** Dry-contact pulse length. Default 300 ms. */
  pulseMs?: number;
  /** Reply timeout per request. Default 200 ms. */
  timeoutMs?: number;
  /** Retries of a timed-out request. Default 1. */
  retries?: number;
  /** Health probe interval (read coils) so a dead board is noticed without traffic. Default 1000 ms; 0 disables. */
  probeMs?: number;
}

export interface TimedOpenResult extends OpenResult {
  /** process.hrtime.bigint() when the open command's last byte was written. */
  wireNs: bigint;
}

export class ModbusRelayTurnstile extends SerialTurnstile implements Turnstile {
  readonly link: SerialLink;
  private readonly bus = new Mutex();
  private rx: number[] = [];
  private waiter: ((r: ModbusResponse | Error) => void) | null = null;
  /** Function code of the request on the bus: a reply of another function is a late answer to an earlier, timed-out request. */
  private pendingFn = 0;
  private readonly offTimers = new Map<number, NodeJS.Timeout>();
  private probe: NodeJS.Timeout | null = null;
  private readonly unit: number;

  constructor(private readonly config: ModbusTurnstileConfig) {
    super();
    this.unit = config.unit ?? 1;
    this.link = new SerialLink({ path: config.path, baudRate: config.baudRate ?? 9600, deviceId: config.deviceId ?? 'turnstile', kind: 'turnstile' });
    this.link.onData((chunk) => this.onData(chunk));
  }

  override async start(): Promise<void> {
    await this.link.start();
    const every = this.config.probeMs ?? 1000;
    if (every > 0) {
      this.probe = setInterval(() => void this.probeOnce(), every);
      this.probe.unref();
    }
  }

  async open(req: OpenRequest): Promise<TimedOpenResult> {
    try {
      const coil = laneTarget(this.config.lanes, req);
      if (!this.link.isOpen) throw controllerOffline(this.config.path);
      return await this.bus.run(async () => {
        try {
          const { response: echo, wireNs } = await this.transact(encodeWriteSingleCoil(this.unit, coil, true));
          const wireAt = Date.now();
          this.expectEcho(echo, coil, true);
          const { response: back } = await this.transact(encodeReadCoils(this.unit, coil, 1));
          if (back.kind === 'exception') throw exceptionError(back);
          if (back.kind !== 'read_coils' || !coilFromBytes(back.bytes, 0)) {
            throw deviceError('not_confirmed', '继电器回读未闭合，未确认开闸', 'Relay read-back does not show the coil on; opening not confirmed');
          }
          this.scheduleOff(coil);
          return { lane: req.lane, direction: req.direction, confirmed: true, wireAt, wireNs };
        } catch (err) {
          // The ON command may have reached the relay even though we could not confirm it:
          // switch it off again (best effort) so a lost reply never leaves the gate held open.
          if (this.link.isOpen) await this.transact(encodeWriteSingleCoil(this.unit, coil, false)).catch(() => undefined);
          throw err;
        }
      });
    } catch (err) {
      throw toDeviceError(err);
    }
  }

  async close(): Promise<void> {
    if (this.probe) clearInterval(this.probe);
    for (const [coil, t] of this.offTimers) {
      clearTimeout(t);
      if (this.link.isOpen) await this.bus.run(() => this.transact(encodeWriteSingleCoil(this.unit, coil, false))).catch(() => undefined);
    }
    this.offTimers.clear();
    await this.link.close();
  }

  private scheduleOff(coil: number): void {
    const prev = this.offTimers.get(coil);
    if (prev) clearTimeout(prev);
    const t = setTimeout(() => {
      this.offTimers.delete(coil);
      void this.bus
        .run(async () => this.expectEcho((await this.transact(encodeWriteSingleCoil(this.unit, coil, false))).response, coil, false))
        .catch(() => this.link.health.set('degraded', { zh: '继电器未能断开', en: `Coil ${coil} could not be switched off` }));
    }, this.config.pulseMs ?? 300);
    this.offTimers.set(coil, t);
  }

  private expectEcho(r: ModbusResponse, coil: number, on: boolean): void {
    if (r.kind === 'exception') throw exceptionError(r);
    if (r.kind !== 'write_coil' || r.coil !== coil || r.on !== on) {
      throw deviceError('bad_echo', '控制器应答与命令不符', 'Controller echo does not match the command');
    }
  }

  private async probeOnce(): Promise<void> {
    if (!this.link.isOpen) return;
    await this.bus.run(() => this.transact(encodeReadCoils(this.unit, 0, 1))).catch(() => undefined);
  }

  private onData(chunk: Buffer): void {
    this.rx.push(...chunk);
    if (this.rx.length > 512) this.rx = [];
    for (;;) {
      const len = responseLength(Uint8Array.from(this.rx));
      if (len === null) return;
      const w = this.waiter;
      if (len === -1) {
        this.rx = [];
        if (w) {
          this.waiter = null;
          w(deviceError('bad_response', '控制器应答无法识别', 'Unrecognised controller response'));
        }
        return;
      }
      if (this.rx.length < len) return;
      const frame = Uint8Array.from(this.rx.splice(0, len));
      if (!w) continue; // nothing in flight: an unsolicited or stale frame
      // A slow controller's answer to a request that already timed out (e.g. a health probe on a
      // loaded host) is not the answer to the command now on the bus: drop it and keep reading.
      if (((frame[1] as number) & 0x7f) !== this.pendingFn) continue;
      this.rx = [];
      this.waiter = null;
      const r = decodeResponse(frame);
      w(r.ok ? r.value : deviceError(r.code, r.message.zh, r.message.en));
      return;
    }
  }

  /** One request/response on the bus, with retries on timeout. Call inside `bus.run`. */
  private async transact(frame: Uint8Array): Promise<{ response: ModbusResponse; wireNs: bigint }> {
    const attempts = 1 + (this.config.retries ?? 1);
    let last: Error = controllerOffline(this.config.path);
    for (let i = 0; i < attempts; i++) {
      if (!this.link.isOpen) throw controllerOffline(this.config.path);
      this.rx = [];
      this.pendingFn = frame[1] as number;
      const reply = new Promise<ModbusResponse | Error>((resolve) => {
        // Judged after the event loop has read pending input (setImmediate runs after the poll
        // phase): a busy loop (face analysis of several lanes) must not turn an answer that
        // arrived in time into a timeout.
        const timer = setTimeout(
          () =>
            setImmediate(() => {
              if (this.waiter !== settle) return;
              this.waiter = null;
              resolve(deviceError('controller_timeout', '闸机控制器无应答，未开闸', 'Turnstile controller did not answer; not opened'));
            }),
          this.config.timeoutMs ?? 200,
        );
        const settle = (r: ModbusResponse | Error): void => {
          clearTimeout(timer);
          resolve(r);
        };
        this.waiter = settle;
      });
      try {
        await this.link.write(frame);
      } catch (err) {
        this.waiter = null;
        throw controllerOffline(this.config.path, err);
      }
      const wireNs = process.hrtime.bigint();
      const r = await reply;
      if (!(r instanceof Error)) {
        this.link.health.set('ok');
        return { response: r, wireNs };
      }
      last = r;
      if ((r as { code?: string }).code !== 'controller_timeout') break;
    }
    if ((last as { code?: string }).code === 'controller_timeout') {
      this.link.health.set('offline', { zh: '闸机控制器无应答', en: 'Turnstile controller does not answer' });
    }
    throw last;
  }
}

function exceptionError(r: Extract<ModbusResponse, { kind: 'exception' }>) {
  return deviceError('controller_exception', `控制器拒绝：${r.zh}，未开闸`, `Controller refused: ${r.en}; not opened`);
}
