// A simulated USB QR scanner. The machines that build and test SiteGate have no USB scanner and
// no uhid/hidraw to fake one at the kernel level, so this stands in for the one thing that
// cannot run here — the USB link — and nothing else: it presents node-hid's surface
// (HidBackend: enumerate by vendor/product id, open a path, 'data' and 'error' events, close)
// and delivers the real report bytes a scanner sends — HID-POS 64-byte reports (report id 2,
// length, data, AIM symbology ]Q1, continuation flag) or 8-byte boot-keyboard reports —
// one interrupt report every `reportIntervalMs`, as a full-speed device polled at that rate
// would. The driver decodes them with its real codec, exactly as from a device.
import { EventEmitter } from 'node:events';
import type { HidBackend, HidDeviceHandle } from '../scanner/hid-scanner.js';
import { encodeHidPosReports, encodeKeyboardReports } from '../scanner/hid-codec.js';

export interface HidScannerSimulatorOptions {
  vendorId?: number;
  productId?: number;
  mode?: 'hid_pos' | 'keyboard_wedge';
  /** Time between interrupt reports (USB full-speed HID: 1–8 ms). Default 2 ms. */
  reportIntervalMs?: number;
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

export class HidScannerSimulator {
  readonly vendorId: number;
  readonly productId: number;
  readonly mode: 'hid_pos' | 'keyboard_wedge';
  readonly path: string;
  /** Every report written to the (simulated) interrupt pipe, in order. */
  readonly wire: Uint8Array[] = [];
  #plugged = true;
  #handle: (EventEmitter & HidDeviceHandle) | null = null;
  readonly #interval: number;
  static #count = 0;

  constructor(o: HidScannerSimulatorOptions = {}) {
    this.vendorId = o.vendorId ?? 0x1eab;
    this.productId = o.productId ?? 0x1a03;
    this.mode = o.mode ?? 'hid_pos';
    this.#interval = o.reportIntervalMs ?? 2;
    this.path = `sim-hid:${this.vendorId.toString(16)}:${this.productId.toString(16)}:${++HidScannerSimulator.#count}`;
  }

  /** node-hid's surface, served by this simulated device. */
  readonly backend: HidBackend = {
    devicesAsync: async (vendorId, productId) => (this.#plugged && vendorId === this.vendorId && productId === this.productId ? [{ path: this.path }] : []),
    open: async (path) => {
      if (!this.#plugged || path !== this.path) throw new Error(`cannot open HID device ${path}`);
      const handle = Object.assign(new EventEmitter(), {
        close: async () => {
          if (this.#handle === handle) this.#handle = null;
        },
      });
      this.#handle = handle;
      return handle;
    },
  };

  /** True while the driver has the device open. */
  get opened(): boolean {
    return this.#handle !== null;
  }

  /** Scans a code: its reports go out one per interval. Resolves when the last was delivered. */
  async scan(text: string): Promise<void> {
    const reports = this.mode === 'hid_pos' ? encodeHidPosReports(text) : encodeKeyboardReports(text);
    for (const r of reports) {
      const h = this.#handle;
      if (!h) throw new Error('the scanner is not opened by a driver (unplugged, or not started)');
      this.wire.push(r);
      h.emit('data', Buffer.from(r));
      await sleep(this.#interval);
    }
  }

  /** Pulls the cable: the open handle fails and the device disappears from enumeration. */
  unplug(): void {
    this.#plugged = false;
    const h = this.#handle;
    this.#handle = null;
    h?.emit('error', new Error('could not read from HID device'));
  }

  replug(): void {
    this.#plugged = true;
  }
}
