// Public API of the drivers: factories that compose devices from configuration data, the
// simulators for the demo mode, and the pure codecs for whoever needs them.
import type { Announcer, CodeScanner, FrameSource, IdCardReader, Turnstile } from '../../edge-core/src/ports/devices.js';
import { EspeakAnnouncer, type EspeakAnnouncerConfig } from './announcer/espeak-announcer.js';
import { devicesConfigSchema, type DevicesConfig } from './config.js';
import { FfmpegFrameSource, type FfmpegSourceConfig } from './frames/ffmpeg-source.js';
import { SerialIdCardReader, type IdCardReaderConfig } from './idcard/idcard-reader.js';
import { HidCodeScanner, nodeHidBackend, type HidBackend, type HidScannerConfig } from './scanner/hid-scanner.js';
import { LcusTurnstile, type LcusTurnstileConfig } from './turnstile/lcus-turnstile.js';
import { ModbusRelayTurnstile, type ModbusTurnstileConfig } from './turnstile/modbus-turnstile.js';
import { WiegandTurnstile, type WiegandTurnstileConfig } from './turnstile/wiegand-turnstile.js';

export type TurnstileConfig = ModbusTurnstileConfig | WiegandTurnstileConfig | LcusTurnstileConfig;

export function createIdCardReader(config: IdCardReaderConfig): IdCardReader {
  return new SerialIdCardReader(config);
}

export function createTurnstile(config: TurnstileConfig): Turnstile {
  switch (config.type) {
    case 'modbus_relay':
      return new ModbusRelayTurnstile(config);
    case 'wiegand_converter':
      return new WiegandTurnstile(config);
    case 'lcus_relay':
      return new LcusTurnstile(config);
  }
}

export function createAnnouncer(config: EspeakAnnouncerConfig = {}): Announcer {
  return new EspeakAnnouncer(config);
}

export function createCodeScanner(config: HidScannerConfig, hid: HidBackend = nodeHidBackend): CodeScanner {
  return new HidCodeScanner(config, hid);
}

/** Transports that are not plain data (the simulated USB link of the demo and the tests). */
export interface DeviceTransports {
  hid?: HidBackend;
}

export function createFrameSource(config: FfmpegSourceConfig): FrameSource {
  return new FfmpegFrameSource(config);
}

export interface Devices {
  idCardReader?: IdCardReader;
  /** One turnstile per configured controller; `turnstileForLane` finds the one serving a lane. */
  turnstiles: Turnstile[];
  turnstileForLane(lane: string): Turnstile | undefined;
  announcer?: Announcer;
  codeScanner?: CodeScanner;
  /** Every code scanner with the lane it serves (null: none configured). */
  codeScanners: Array<{ lane: string | null; scanner: CodeScanner }>;
  frameSources: FrameSource[];
  /** Starts every device (each keeps reconnecting by itself). */
  start(): Promise<void>;
  stop(): Promise<void>;
}

/** Validates a DevicesConfig (throws zod's error on bad config) and creates every device. */
export function createDevices(input: DevicesConfig, transports: DeviceTransports = {}): Devices {
  const config = devicesConfigSchema.parse(input);
  const idCardReader = config.idCardReader ? createIdCardReader(config.idCardReader) : undefined;
  const turnstiles = config.turnstiles.map((t) => createTurnstile(t));
  const laneOwner = new Map<string, Turnstile>();
  config.turnstiles.forEach((t, i) => {
    for (const lane of Object.keys(t.lanes)) {
      if (laneOwner.has(lane)) throw new Error(`lane '${lane}' is configured on two turnstile controllers`);
      laneOwner.set(lane, turnstiles[i]!);
    }
  });
  const announcer = config.announcer ? createAnnouncer(config.announcer) : undefined;
  const scannerConfigs = [...(config.codeScanner ? [config.codeScanner] : []), ...config.codeScanners];
  const codeScanners = scannerConfigs.map((c) => ({ lane: c.lane ?? null, scanner: createCodeScanner(c, transports.hid) }));
  const codeScanner = codeScanners[0]?.scanner;
  const frameSources = config.frameSources.map((f) => createFrameSource(f));
  const devices: Devices = {
    turnstiles,
    turnstileForLane: (lane) => laneOwner.get(lane),
    codeScanners,
    frameSources,
    async start() {
      await Promise.all([idCardReader?.start(), ...turnstiles.map((t) => t.start()), ...codeScanners.map((c) => c.scanner.start()), ...frameSources.map((f) => f.start())]);
    },
    async stop() {
      await Promise.all([idCardReader?.stop(), ...turnstiles.map((t) => t.close()), announcer?.close(), ...codeScanners.map((c) => c.scanner.stop()), ...frameSources.map((f) => f.stop())]);
    },
  };
  if (idCardReader) devices.idCardReader = idCardReader;
  if (announcer) devices.announcer = announcer;
  if (codeScanner) devices.codeScanner = codeScanner;
  return devices;
}

export { devicesConfigSchema, cameraOptionsShape, type DevicesConfig } from './config.js';
export { DeviceError } from './errors.js';
export type { IdCardReaderConfig } from './idcard/idcard-reader.js';
export type { ExternalDecoderConfig } from './idcard/photo-decoder.js';
export type { ModbusTurnstileConfig, TimedOpenResult } from './turnstile/modbus-turnstile.js';
export type { WiegandTurnstileConfig } from './turnstile/wiegand-turnstile.js';
export type { LcusTurnstileConfig } from './turnstile/lcus-turnstile.js';
export type { EspeakAnnouncerConfig } from './announcer/espeak-announcer.js';
export { DEFAULT_TEMPLATES, renderTemplate } from './announcer/templates.js';
export type { HidScannerConfig, HidBackend, HidDeviceHandle } from './scanner/hid-scanner.js';
export { HidScannerSimulator } from './simulators/hid-scanner-sim.js';
export type { FfmpegSourceConfig } from './frames/ffmpeg-source.js';
export { FfmpegFrameSource } from './frames/ffmpeg-source.js';
export { listCameras, type CameraDevice } from './frames/camera-list.js';
export { RtspCameraSimulator, type RtspCameraSimOptions } from './simulators/rtsp-camera-sim.js';
export { startSimulators, removeStaleSimulatorDirs, type SimulatorSet, type StartSimulatorsOptions } from './simulators/start-simulators.js';
export { deck as simulatedCardDeck, type DeckCard } from './simulators/card-deck.js';
export { startPtyPair, type PtyPair } from './simulators/pty-pair.js';
export { parseCardText, encodeCardText } from './idcard/text-codec.js';
export { isValidIdNumber } from './idcard/id-number.js';
