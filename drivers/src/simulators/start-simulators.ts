// Starts every serial simulator on its own socat pty pair, for the demo mode and e2e tests,
// and returns a DevicesConfig whose paths point at them.
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DevicesConfig } from '../config.js';
import { IdCardReaderSimulator } from './idcard-reader-sim.js';
import { startPtyPair, type PtyPair } from './pty-pair.js';
import { LcusRelaySimulator, ModbusRelaySimulator, WiegandConverterSimulator } from './relay-sims.js';
import { HidScannerSimulator } from './hid-scanner-sim.js';

export interface SimulatorSet {
  dir: string;
  idCardReader: IdCardReaderSimulator;
  modbusRelay: ModbusRelaySimulator;
  wiegandConverter: WiegandConverterSimulator;
  lcusRelay: LcusRelaySimulator;
  /** The QR scanner of lane-1 (its USB link simulated; pass `transports` to createDevices). */
  codeScanner: HidScannerSimulator;
  transports: { hid: HidScannerSimulator['backend'] };
  /** Device paths (driver ends), by simulator. */
  paths: { idCardReader: string; modbusRelay: string; wiegandConverter: string; lcusRelay: string };
  /** A ready configuration: reader + one turnstile per kind on lane 'lane-1'..'lane-3'. */
  config: DevicesConfig;
  /** Simulates unplugging a device (its pty pair vanishes) and plugging it back. */
  unplug(device: keyof SimulatorSet['paths']): Promise<void>;
  replug(device: keyof SimulatorSet['paths']): Promise<void>;
  stop(): Promise<void>;
}

export interface StartSimulatorsOptions {
  /** Directory for the pty links. Default: a fresh temp dir. */
  dir?: string;
  /** Reader photo mode. Default 'wlt'. */
  photo?: 'wlt' | 'bmp' | 'jpeg';
  /** With photo 'jpeg': the decoded photo the reader returns (demo and e2e). */
  decodedJpeg?: Uint8Array;
  /** Pace replies to the baud rate (realistic timing). Default true. */
  paceToBaud?: boolean;
}

const TEMP_PREFIX = 'sitegate-sim-';
const OWNER_FILE = 'owner.pid';
/** A temp dir of an older version (no owner file) is removed once it is this old. */
const LEGACY_STALE_MS = 24 * 3600_000;

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM'; // exists, another user's
  }
}

/**
 * Removes the pty directories that simulators of a process that no longer runs left in the
 * temp directory (a crash or SIGKILL gives no chance to clean up; their socat ended with them).
 * Directories of running processes are left alone. Returns the paths removed.
 */
export function removeStaleSimulatorDirs(base = tmpdir(), now = Date.now()): string[] {
  const removed: string[] = [];
  let names: string[];
  try {
    names = readdirSync(base).filter((n) => n.startsWith(TEMP_PREFIX));
  } catch {
    return removed;
  }
  for (const name of names) {
    const dir = join(base, name);
    try {
      let stale: boolean;
      try {
        const pid = Number(readFileSync(join(dir, OWNER_FILE), 'utf8').trim());
        stale = Number.isInteger(pid) && pid > 0 && pid !== process.pid && !alive(pid);
      } catch {
        stale = now - statSync(dir).mtimeMs > LEGACY_STALE_MS;
      }
      if (stale) {
        rmSync(dir, { recursive: true, force: true });
        removed.push(dir);
      }
    } catch {
      // vanished meanwhile, or not ours to remove
    }
  }
  return removed;
}

export async function startSimulators(options: StartSimulatorsOptions = {}): Promise<SimulatorSet> {
  if (options.dir === undefined) removeStaleSimulatorDirs();
  const dir = options.dir ?? mkdtempSync(join(tmpdir(), TEMP_PREFIX));
  if (options.dir === undefined) writeFileSync(join(dir, OWNER_FILE), `${process.pid}\n`);
  const names = ['idCardReader', 'modbusRelay', 'wiegandConverter', 'lcusRelay'] as const;
  const pairs = new Map<(typeof names)[number], PtyPair>();
  const link = (n: (typeof names)[number]) => ({ dev: join(dir, `${n}.dev`), sim: join(dir, `${n}.sim`) });
  try {
    for (const n of names) pairs.set(n, await startPtyPair(link(n).dev, link(n).sim));
  } catch (err) {
    for (const p of pairs.values()) await p.stop();
    if (options.dir === undefined) rmSync(dir, { recursive: true, force: true });
    throw err;
  }
  const pace = options.paceToBaud ?? true;
  const idCardReader = new IdCardReaderSimulator({ path: link('idCardReader').sim, photo: options.photo ?? 'wlt', paceToBaud: pace, ...(options.decodedJpeg ? { decodedJpeg: options.decodedJpeg } : {}) });
  const modbusRelay = new ModbusRelaySimulator({ path: link('modbusRelay').sim, unit: 1, paceToBaud: pace });
  const wiegandConverter = new WiegandConverterSimulator({ path: link('wiegandConverter').sim, paceToBaud: pace });
  const lcusRelay = new LcusRelaySimulator({ path: link('lcusRelay').sim, channels: 2, paceToBaud: pace });
  await Promise.all([idCardReader.start(), modbusRelay.start(), wiegandConverter.start(), lcusRelay.start()]);
  const codeScanner = new HidScannerSimulator({ mode: 'hid_pos' });
  const paths = {
    idCardReader: link('idCardReader').dev,
    modbusRelay: link('modbusRelay').dev,
    wiegandConverter: link('wiegandConverter').dev,
    lcusRelay: link('lcusRelay').dev,
  };
  return {
    dir,
    idCardReader,
    modbusRelay,
    wiegandConverter,
    lcusRelay,
    codeScanner,
    transports: { hid: codeScanner.backend },
    paths,
    config: {
      codeScanners: [{ deviceId: 'scanner-1', vendorId: codeScanner.vendorId, productId: codeScanner.productId, mode: 'hid_pos', lane: 'lane-1' }],
      idCardReader: { deviceId: 'reader-1', path: paths.idCardReader, baudRate: 115200 },
      turnstiles: [
        { type: 'modbus_relay', deviceId: 'turnstile-modbus', path: paths.modbusRelay, unit: 1, lanes: { 'lane-1': { in: 0, out: 1 } } },
        { type: 'wiegand_converter', deviceId: 'turnstile-wiegand', path: paths.wiegandConverter, format: 26, facility: 1, lanes: { 'lane-2': { in: 1001, out: 1002 } } },
        { type: 'lcus_relay', deviceId: 'turnstile-lcus', path: paths.lcusRelay, lanes: { 'lane-3': { in: 1, out: 2 } } },
      ],
    },
    async unplug(device) {
      await pairs.get(device)?.stop();
    },
    async replug(device) {
      await pairs.get(device)?.stop();
      pairs.set(device, await startPtyPair(link(device).dev, link(device).sim));
    },
    async stop() {
      await Promise.all([idCardReader.close(), modbusRelay.close(), wiegandConverter.close(), lcusRelay.close()]);
      for (const p of pairs.values()) await p.stop();
      if (options.dir === undefined) rmSync(dir, { recursive: true, force: true });
    },
  };
}
