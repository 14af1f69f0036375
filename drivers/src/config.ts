// Device configuration as data (e.g. from the appliance's YAML settings), validated with zod.
import { z } from 'zod';

const laneMap = z.record(z.string().min(1), z.strictObject({ in: z.number().int().nonnegative(), out: z.number().int().nonnegative() }));

export const externalDecoderSchema = z.strictObject({
  command: z.string().min(1),
  args: z.array(z.string()),
  outputName: z.string().optional(),
  timeoutMs: z.number().int().positive().optional(),
});

export const idCardReaderSchema = z.strictObject({
  deviceId: z.string().optional(),
  path: z.string().min(1),
  baudRate: z.union([z.literal(115200), z.literal(57600), z.literal(38400), z.literal(19200), z.literal(9600)]).optional(),
  pollMs: z.number().int().min(300).optional(),
  commandTimeoutMs: z.number().int().positive().optional(),
  readTimeoutMs: z.number().int().positive().optional(),
  withFingerprint: z.boolean().optional(),
  photoDecoder: externalDecoderSchema.optional(),
});

export const turnstileSchema = z.discriminatedUnion('type', [
  z.strictObject({
    type: z.literal('modbus_relay'),
    deviceId: z.string().optional(),
    path: z.string().min(1),
    baudRate: z.number().int().positive().optional(),
    unit: z.number().int().min(0).max(247).optional(),
    lanes: laneMap,
    pulseMs: z.number().int().positive().optional(),
    timeoutMs: z.number().int().positive().optional(),
    retries: z.number().int().min(0).max(5).optional(),
    probeMs: z.number().int().nonnegative().optional(),
  }),
  z.strictObject({
    type: z.literal('wiegand_converter'),
    deviceId: z.string().optional(),
    path: z.string().min(1),
    baudRate: z.number().int().positive().optional(),
    format: z.union([z.literal(26), z.literal(34)]),
    facility: z.number().int().nonnegative().max(65535),
    lanes: laneMap,
    requireAck: z.boolean().optional(),
    ackTimeoutMs: z.number().int().positive().optional(),
    lateAnswerGraceMs: z.number().int().positive().max(60_000).optional(),
  }),
  z.strictObject({
    type: z.literal('lcus_relay'),
    deviceId: z.string().optional(),
    path: z.string().min(1),
    lanes: laneMap,
    pulseMs: z.number().int().positive().optional(),
    confirmByStatus: z.boolean().optional(),
    statusTimeoutMs: z.number().int().positive().optional(),
  }),
]);

export const announcerSchema = z.strictObject({
  deviceId: z.string().optional(),
  voice: z.string().optional(),
  engine: z.enum(['espeak', 'sapi']).optional(),
  speed: z.number().int().min(80).max(450).optional(),
  wavDir: z.string().optional(),
  command: z.string().optional(),
  templates: z.record(z.string(), z.string()).optional(),
  maxAgeMs: z.number().int().positive().optional(),
  maxPending: z.number().int().positive().optional(),
});

export const codeScannerSchema = z.strictObject({
  deviceId: z.string().optional(),
  /** The lane whose visitor passes (访客码) this scanner reads. */
  lane: z.string().min(1).optional(),
  vendorId: z.number().int().min(0).max(0xffff),
  productId: z.number().int().min(0).max(0xffff),
  mode: z.enum(['hid_pos', 'keyboard_wedge']),
  dedupeMs: z.number().int().nonnegative().optional(),
  rescanMs: z.number().int().positive().optional(),
});

/** Camera options shared by `frameSources` and the lanes' `camera` (see frames/ffmpeg-args.ts). */
export const cameraOptionsShape = {
  format: z.string().regex(/^[a-z0-9_]{1,32}$/).optional(),
  fps: z.number().positive().max(60).optional(),
  width: z.number().int().min(64).max(4096).optional(),
  quality: z.number().int().min(2).max(31).optional(),
  realtime: z.boolean().optional(),
  loop: z.boolean().optional(),
  rtspTransport: z.enum(['tcp', 'udp']).optional(),
  ioTimeoutMs: z.number().int().min(500).max(60_000).optional(),
  inputArgs: z.array(z.string()).optional(),
  restartMs: z.number().int().positive().optional(),
  maxRestartMs: z.number().int().positive().optional(),
  stallMs: z.number().int().min(500).optional(),
  command: z.string().optional(),
};

export const frameSourceSchema = z.strictObject({
  deviceId: z.string().optional(),
  input: z.string().min(1),
  output: z.enum(['rgb', 'jpeg']).optional(),
  ...cameraOptionsShape,
});

export const devicesConfigSchema = z.strictObject({
  idCardReader: idCardReaderSchema.optional(),
  turnstiles: z.array(turnstileSchema).default([]),
  announcer: announcerSchema.optional(),
  codeScanner: codeScannerSchema.optional(),
  /** One scanner per lane (each with its `lane`); `codeScanner` is the single-scanner form. */
  codeScanners: z.array(codeScannerSchema).default([]),
  frameSources: z.array(frameSourceSchema).default([]),
});

export type DevicesConfig = z.input<typeof devicesConfigSchema>;
