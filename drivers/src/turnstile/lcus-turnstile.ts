// Turnstile opened by a CH340 "LCUS" USB relay (9600 baud): relay ON, OFF after the pulse.
// These boards have no acknowledgement; with `confirmByStatus` the multi-channel status query
// (FF → "CH1:ON") confirms, otherwise the result says `confirmed: false`.
import type { OpenRequest, Turnstile } from '../../../edge-core/src/ports/devices.js';
import { SerialTurnstile } from './serial-turnstile.js';
import { deviceError } from '../errors.js';
import { LCUS_STATUS_QUERY, encodeLcus, parseLcusStatus } from '../lcus/lcus-codec.js';
import { SerialLink } from '../serial/serial-link.js';
import { Mutex, controllerOffline, laneTarget, toDeviceError, type LaneMap } from './lanes.js';
import type { TimedOpenResult } from './modbus-turnstile.js';

export interface LcusTurnstileConfig {
  type: 'lcus_relay';
  deviceId?: string;
  path: string;
  /** lane → { in: channel, out: channel } (1-based relay channels). */
  lanes: LaneMap<number>;
  pulseMs?: number;
  /** Query "CHn:ON" status after switching (multi-channel boards only). Default false. */
  confirmByStatus?: boolean;
  statusTimeoutMs?: number;
}

export class LcusTurnstile extends SerialTurnstile implements Turnstile {
  readonly link: SerialLink;
  private readonly bus = new Mutex();
  private text = '';
  private readonly offTimers = new Map<number, NodeJS.Timeout>();

  constructor(private readonly config: LcusTurnstileConfig) {
    super();
    this.link = new SerialLink({ path: config.path, baudRate: 9600, deviceId: config.deviceId ?? 'turnstile', kind: 'turnstile' });
    this.link.onData((c) => {
      this.text = (this.text + c.toString('latin1')).slice(-256);
    });
  }

  async open(req: OpenRequest): Promise<TimedOpenResult> {
    try {
      const channel = laneTarget(this.config.lanes, req);
      const cmd = encodeLcus(channel, true);
      if (!this.link.isOpen) throw controllerOffline(this.config.path);
      return await this.bus.run(async () => {
        try {
          await this.link.write(cmd);
        } catch (err) {
          throw controllerOffline(this.config.path, err);
        }
        const wireNs = process.hrtime.bigint();
        const wireAt = Date.now();
        let confirmed = false;
        if (this.config.confirmByStatus) {
          confirmed = await this.queryOn(channel);
          if (!confirmed) throw deviceError('not_confirmed', '继电器状态未显示闭合，未确认开闸', 'Relay status does not show the channel on; not confirmed');
        }
        this.scheduleOff(channel);
        return { lane: req.lane, direction: req.direction, confirmed, wireAt, wireNs };
      });
    } catch (err) {
      throw toDeviceError(err);
    }
  }

  private async queryOn(channel: number): Promise<boolean> {
    this.text = '';
    await this.link.write(LCUS_STATUS_QUERY);
    const deadline = Date.now() + (this.config.statusTimeoutMs ?? 300);
    while (Date.now() < deadline) {
      const complete = this.text.lastIndexOf('\n');
      if (complete >= 0) {
        const parsed = parseLcusStatus(this.text.slice(0, complete + 1));
        if (parsed.ok && parsed.value.has(channel)) return parsed.value.get(channel) === true;
      }
      await new Promise((r) => setTimeout(r, 5));
    }
    return false;
  }

  private scheduleOff(channel: number): void {
    const prev = this.offTimers.get(channel);
    if (prev) clearTimeout(prev);
    this.offTimers.set(
      channel,
      setTimeout(() => {
        this.offTimers.delete(channel);
        void this.bus.run(() => this.link.write(encodeLcus(channel, false))).catch(() =>
          this.link.health.set('degraded', { zh: '继电器未能断开', en: `Relay channel ${channel} could not be switched off` }),
        );
      }, this.config.pulseMs ?? 300),
    );
  }

  async close(): Promise<void> {
    for (const [channel, t] of this.offTimers) {
      clearTimeout(t);
      if (this.link.isOpen) await this.link.write(encodeLcus(channel, false)).catch(() => undefined);
    }
    this.offTimers.clear();
    await this.link.close();
  }
}
