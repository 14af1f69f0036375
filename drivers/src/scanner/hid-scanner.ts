// QR/barcode scanner over USB HID (node-hid): HID-POS or keyboard-wedge reports, decoded by
// the pure functions in hid-codec.ts. Re-finds the device by vendor/product id after unplug.
// Note: on Windows, and on Linux without hidraw access, keyboard-wedge scanners cannot be
// opened through HID (the OS owns keyboards); they type into the UI instead.
import HID from 'node-hid';
import type { CodeScanner, DeviceHealth, ScannedCode, Unsubscribe } from '../../../edge-core/src/ports/devices.js';
import { HealthTracker, Listeners } from '../health.js';
import { HidPosAssembler, KeyboardWedgeDecoder } from './hid-codec.js';

/** The node-hid surface the scanner uses; the simulator (simulators/hid-scanner-sim.ts) provides the same. */
export interface HidDeviceHandle {
  on(event: 'data', listener: (data: Buffer) => void): unknown;
  on(event: 'error', listener: (err: unknown) => void): unknown;
  close(): Promise<void>;
}
export interface HidBackend {
  devicesAsync(vendorId: number, productId: number): Promise<Array<{ path?: string | undefined }>>;
  open(path: string): Promise<HidDeviceHandle>;
}

/** node-hid itself (hidraw on Linux, the OS HID API on Windows). */
export const nodeHidBackend: HidBackend = {
  devicesAsync: (vendorId, productId) => HID.devicesAsync(vendorId, productId),
  open: (path) => HID.HIDAsync.open(path, { nonExclusive: true }) as Promise<HidDeviceHandle>,
};

export interface HidScannerConfig {
  deviceId?: string;
  /** The lane whose visitor passes this scanner reads (the core routes its codes there). */
  lane?: string;
  vendorId: number;
  productId: number;
  mode: 'hid_pos' | 'keyboard_wedge';
  /** Ignore the same code again within this window. Default 1500 ms. */
  dedupeMs?: number;
  /** How often to look for the device while it is absent. Default 1000 ms. */
  rescanMs?: number;
}

/** Turns raw reports into codes: the testable part of the scanner. */
export class ScanDecoder {
  private readonly wedge = new KeyboardWedgeDecoder();
  private readonly pos = new HidPosAssembler();
  private last: { text: string; at: number } | null = null;

  constructor(
    private readonly mode: 'hid_pos' | 'keyboard_wedge',
    private readonly dedupeMs = 1500,
  ) {}

  /** Returns completed codes (after de-duplication); malformed reports are skipped. */
  push(report: Uint8Array, now: number): string[] {
    const raw: string[] = [];
    if (this.mode === 'keyboard_wedge') {
      const r = this.wedge.push(report);
      if (r.ok) raw.push(...r.value);
    } else {
      const r = this.pos.push(report);
      if (r.ok && r.value !== null) raw.push(r.value);
    }
    const out: string[] = [];
    for (const text of raw) {
      if (text === '') continue;
      if (this.last && this.last.text === text && now - this.last.at < this.dedupeMs) continue;
      this.last = { text, at: now };
      out.push(text);
    }
    return out;
  }
}

export class HidCodeScanner implements CodeScanner {
  private readonly tracker: HealthTracker;
  private readonly codes = new Listeners<ScannedCode>();
  private device: HidDeviceHandle | null = null;
  private timer: NodeJS.Timeout | null = null;
  private decoder: ScanDecoder;
  private running = false;
  readonly deviceId: string;
  readonly lane: string | null;

  constructor(
    private readonly config: HidScannerConfig,
    private readonly hid: HidBackend = nodeHidBackend,
  ) {
    this.deviceId = config.deviceId ?? 'code-scanner';
    this.lane = config.lane ?? null;
    this.tracker = new HealthTracker(this.deviceId, 'code_scanner', 'offline', { zh: '扫码器未连接', en: 'Scanner not connected yet' });
    this.decoder = new ScanDecoder(config.mode, config.dedupeMs);
  }

  health(): DeviceHealth {
    return this.tracker.get();
  }

  onHealth(listener: (h: DeviceHealth) => void): Unsubscribe {
    return this.tracker.on(listener);
  }

  onCode(listener: (code: ScannedCode) => void): Unsubscribe {
    return this.codes.add(listener);
  }

  async start(): Promise<void> {
    this.running = true;
    await this.tryOpen();
    this.timer = setInterval(() => void this.tryOpen(), this.config.rescanMs ?? 1000);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    this.running = false;
    if (this.timer) clearInterval(this.timer);
    const d = this.device;
    this.device = null;
    await d?.close().catch(() => undefined);
  }

  private async tryOpen(): Promise<void> {
    if (!this.running || this.device) return;
    const { vendorId, productId } = this.config;
    const hex = (n: number): string => n.toString(16).padStart(4, '0');
    try {
      const found = await this.hid.devicesAsync(vendorId, productId);
      const info = found.find((d) => d.path);
      if (!info?.path) {
        this.tracker.set('offline', { zh: '未找到扫码器', en: `No HID device ${hex(vendorId)}:${hex(productId)}` });
        return;
      }
      const dev = await this.hid.open(info.path);
      this.decoder = new ScanDecoder(this.config.mode, this.config.dedupeMs);
      dev.on('data', (data: Buffer) => {
        for (const text of this.decoder.push(new Uint8Array(data), Date.now())) {
          this.codes.emit({ text, mode: this.config.mode, at: Date.now(), deviceId: this.deviceId });
        }
      });
      dev.on('error', () => {
        if (this.device === dev) this.device = null;
        void dev.close().catch(() => undefined);
        this.tracker.set('offline', { zh: '扫码器已断开', en: 'Scanner disconnected' });
      });
      this.device = dev;
      this.tracker.set('ok');
    } catch (err) {
      const msg = err instanceof Error ? err.message : String(err);
      this.tracker.set('offline', { zh: '无法打开扫码器', en: `Cannot open scanner: ${msg.slice(0, 120)}` });
    }
  }
}
