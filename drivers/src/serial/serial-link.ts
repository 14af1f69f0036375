// A serial port that keeps itself open: opens when the path exists, reports health changes,
// and reopens by itself after an unplug (port closed with an error, pty gone, path vanished).
import { existsSync } from 'node:fs';
import { SerialPort } from 'serialport';
import type { DeviceKind } from '../../../edge-core/src/ports/devices.js';
import { DeviceError, deviceError } from '../errors.js';
import { HealthTracker, Listeners } from '../health.js';
import type { Bilingual } from '../../../edge-core/src/ports/devices.js';

export interface SerialLinkOptions {
  path: string;
  baudRate: number;
  deviceId: string;
  kind: DeviceKind;
  /** How often to retry opening while the device is gone. Default 400 ms. */
  reconnectMs?: number;
}

/** Whether the device path is there. Windows COM names are not files: let open() decide. */
export function pathPresent(path: string): boolean {
  if (/^(\\\\\.\\)?COM\d+$/i.test(path)) return true;
  return existsSync(path);
}

export class SerialLink {
  readonly health: HealthTracker;
  private port: SerialPort | null = null;
  private opening = false;
  private closed = false;
  private timer: NodeJS.Timeout | null = null;
  private readonly data = new Listeners<Buffer>();
  private readonly opened = new Listeners<void>();

  constructor(private readonly options: SerialLinkOptions) {
    this.health = new HealthTracker(options.deviceId, options.kind, 'offline', {
      zh: '设备未连接',
      en: 'Device not connected yet',
    });
  }

  /** Starts trying to open; resolves after the first attempt (the link may still be offline). */
  async start(): Promise<void> {
    this.closed = false;
    await this.tryOpen();
    this.schedule();
  }

  get isOpen(): boolean {
    return this.port?.isOpen === true;
  }

  onData(listener: (chunk: Buffer) => void): () => void {
    return this.data.add(listener);
  }

  onOpen(listener: () => void): () => void {
    return this.opened.add(listener);
  }

  /** Writes and waits until the bytes are handed to the OS (drain). Rejects 'device_offline'. */
  async write(bytes: Uint8Array): Promise<void> {
    const port = this.port;
    if (!port || !port.isOpen) throw this.offlineError();
    await new Promise<void>((resolve, reject) => {
      port.write(Buffer.from(bytes), (err) => {
        if (err) reject(deviceError('write_failed', '写入串口失败', `Write failed: ${err.message}`, err));
      });
      port.drain((err) => (err ? reject(deviceError('write_failed', '写入串口失败', `Drain failed: ${err.message}`, err)) : resolve()));
    });
  }

  offlineError(): DeviceError {
    return deviceError('device_offline', `设备未连接（${this.options.path}）`, `Device not connected (${this.options.path})`);
  }

  async close(): Promise<void> {
    this.closed = true;
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    const port = this.port;
    this.port = null;
    if (port?.isOpen) await new Promise<void>((resolve) => port.close(() => resolve()));
    this.health.set('offline', { zh: '已关闭', en: 'Closed' });
  }

  private schedule(): void {
    if (this.timer) return;
    this.timer = setInterval(() => {
      if (this.closed) return;
      if (!this.isOpen) void this.tryOpen();
      else if (!pathPresent(this.options.path)) this.dropPort({ zh: '设备已拔出', en: 'Device path vanished' });
    }, this.options.reconnectMs ?? 400);
    this.timer.unref();
  }

  private dropPort(reason: Bilingual): void {
    const port = this.port;
    this.port = null;
    if (port?.isOpen) port.close(() => undefined);
    this.health.set('offline', reason);
  }

  private async tryOpen(): Promise<void> {
    if (this.opening || this.closed || this.isOpen) return;
    if (!pathPresent(this.options.path)) {
      this.health.set('offline', { zh: `找不到设备 ${this.options.path}`, en: `Device path ${this.options.path} not found` });
      return;
    }
    this.opening = true;
    try {
      const port = new SerialPort({ path: this.options.path, baudRate: this.options.baudRate, autoOpen: false });
      await new Promise<void>((resolve, reject) => port.open((err) => (err ? reject(err) : resolve())));
      if (this.closed) {
        port.close(() => undefined);
        return;
      }
      port.on('data', (chunk: Buffer) => this.data.emit(chunk));
      port.on('error', () => {
        if (this.port === port) this.dropPort({ zh: '串口错误，设备可能已拔出', en: 'Serial error; device may be unplugged' });
      });
      port.on('close', () => {
        if (this.port === port) this.dropPort({ zh: '串口已断开', en: 'Serial port closed' });
      });
      this.port = port;
      this.health.set('ok');
      this.opened.emit();
    } catch (err) {
      const msg = err instanceof Error ? err.message : String(err);
      this.health.set('offline', { zh: `无法打开串口 ${this.options.path}`, en: `Cannot open ${this.options.path}: ${msg}` });
    } finally {
      this.opening = false;
    }
  }
}
