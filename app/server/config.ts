// The appliance configuration file (YAML or JSON), validated strictly: an unknown key or a
// wrong type stops the start with the path of the offending entry and what was expected.
import { readFileSync, existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { join, extname } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { devicesConfigSchema, cameraOptionsShape } from '../../drivers/src/index.js';

export const laneSchema = z.strictObject({
  id: z.string().regex(/^[a-z0-9-]{1,32}$/, 'lowercase letters, digits and dashes'),
  name: z.string().min(1),
  direction: z.enum(['in', 'out', 'both']),
  camera: z
    .discriminatedUnion('type', [
      z.strictObject({ type: z.literal('browser') }),
      // A camera the core reads itself (V4L2, RTSP, HTTP MJPEG, DirectShow): drivers/README.md.
      z.strictObject({ type: z.literal('ffmpeg'), input: z.string().min(1), ...cameraOptionsShape }),
      // A recorded clip played in a loop (demo, tests).
      z.strictObject({ type: z.literal('file'), path: z.string().min(1) }),
    ])
    .default({ type: 'browser' }),
});

/**
 * Upload of helmet refusals (Jiangxi device standard 5: 禁止该人员通行，并将记录上传给业务平台;
 * decision 0012). `enabled` defaults by the platform's profile: on for 'jiangxi', off otherwise.
 * The method is ours (no national one exists): configurable, like the heartbeat's.
 */
export const refusalUploadSchema = z.strictObject({
  enabled: z.boolean().optional(),
  method: z.string().regex(/^[A-Za-z][A-Za-z0-9_]*(\.[A-Za-z][A-Za-z0-9_]*)+$/, 'a method name of the form Object.Action').max(64).default('WorkerAccessRefusal.Add'),
  /** At most one upload per worker within this many seconds (the person still at the camera). */
  minIntervalSeconds: z.number().int().min(0).max(3600).default(60),
});

/** Which device standard beyond the national interface applies ('jiangxi': 赣建建〔2022〕9号). */
const platformProfile = z.enum(['jiangxi', 'national']).default('jiangxi');

export const configSchema = z.strictObject({
  /** Demo mode: simulated devices and the embedded platform simulator. */
  demo: z.boolean().default(true),
  dataDir: z.string().min(1).optional(),
  server: z
    .strictObject({
      host: z.string().default('127.0.0.1'),
      port: z.number().int().min(0).max(65535).default(8686),
      lan: z
        .strictObject({
          enabled: z.boolean().default(false),
          tlsCertFile: z.string().optional(),
          tlsKeyFile: z.string().optional(),
          /** Host names the LAN dashboard is reached by besides this machine's addresses and host name (e.g. a DNS name in the certificate); any other Host header is refused. */
          hostnames: z.array(z.string().min(1).max(253)).max(32).optional(),
        })
        .refine((l) => !l.enabled || (l.tlsCertFile !== undefined && l.tlsKeyFile !== undefined), {
          message: 'the LAN dashboard is served only over HTTPS: set tlsCertFile and tlsKeyFile (npm run lan-cert makes a self-signed pair)',
        })
        .default({ enabled: false }),
    })
    .default({ host: '127.0.0.1', port: 8686, lan: { enabled: false } }),
  project: z
    .strictObject({
      code: z.string().min(1),
      name: z.string().min(1),
      timeZone: z.string().default('Asia/Shanghai'),
      lng: z.number().min(-180).max(180).optional(),
      lat: z.number().min(-90).max(90).optional(),
    })
    .default({ code: 'DEMO-360100-0001', name: '演示项目', timeZone: 'Asia/Shanghai' }),
  lanes: z
    .array(laneSchema)
    .min(1)
    .default([
      // Names as the screens show them (Chinese; the English screen shows them as entered).
      { id: 'lane-1', name: '1号通道（进）', direction: 'in', camera: { type: 'browser' } },
      { id: 'lane-2', name: '2号通道（出）', direction: 'out', camera: { type: 'browser' } },
      { id: 'lane-3', name: '3号通道（进）', direction: 'in', camera: { type: 'browser' } },
    ]),
  /**
   * Devices, in the drivers' own schema (drivers/README.md): idCardReader, turnstiles (each maps
   * lanes to coils, Wiegand numbers or relay channels), announcer, codeScanner, frameSources.
   * `simulate: true` starts a simulator for the reader and one turnstile of each kind on
   * lane-1..lane-3 and uses them unless the same device is configured here.
   */
  devices: devicesConfigSchema.extend({ simulate: z.boolean().default(true) }).default({ simulate: true, turnstiles: [], codeScanners: [], frameSources: [] }),
  platform: z
    .discriminatedUnion('type', [
      z.strictObject({
        type: z.literal('simulator'),
        port: z.number().int().min(0).max(65535).default(0),
        profile: platformProfile,
        refusalUpload: refusalUploadSchema.prefault({}),
      }),
      z.strictObject({
        type: z.literal('remote'),
        /** The URL the signed form is POSTed to. */
        endpoint: z.url(),
        appId: z.string().min(1),
        /** The appsecret is not kept in this file: an admin enters it once in Settings; it is stored encrypted. */
        signature: z.enum(['sha256', 'md5']).default('sha256'),
        fieldCipher: z.enum(['aes-256-cbc', 'des-cbc']).default('aes-256-cbc'),
        /** How a secret that is not 32 bytes becomes the AES key: refuse (strict) or zero-pad. */
        fieldKeyFit: z.enum(['strict', 'zero-pad']).default('strict'),
        timeoutMs: z.number().int().min(1000).max(120_000).default(20_000),
        /** Accepted device/platform time difference (±6 min on some provinces). */
        timestampWindowMs: z.number().int().min(10_000).max(3_600_000).default(300_000),
        pageSize: z.number().int().min(10).max(500).default(50),
        /** Device serial reported with the heartbeat (default: the host name). */
        deviceSn: z.string().min(1).max(64).optional(),
        /** The platform's heartbeat method (it registers the device key); null: none, Team.Query gives the time. */
        heartbeatMethod: z.string().min(1).max(64).nullable().default('Device.Heartbeat'),
        /** Heartbeat period (health, clock, remote commands). */
        heartbeatSeconds: z.number().int().min(5).max(3600).default(60),
        /** Construction-calendar query (an assumption, not in the national list; null: do not import). */
        calendarMethod: z.string().min(1).max(64).nullable().default('ProjectCalendar.Query'),
        /**
         * The roster query by change time (an assumption where Jiangxi's is unconfirmed; decision
         * 0011): method, the parameter of the earliest change time, the row's change-time field.
         * Null: the platform has none, the whole roster is pulled every 15 minutes.
         */
        rosterChanges: z
          .strictObject({
            method: z.string().min(1).max(64).default('ProjectWorker.Query'),
            sinceParam: z.string().min(1).max(64).default('updateTimeBegin'),
            timeField: z.string().min(1).max(64).default('updateTime'),
          })
          .nullable()
          .default({ method: 'ProjectWorker.Query', sinceParam: 'updateTimeBegin', timeField: 'updateTime' }),
        /** Incremental roster pulls while online: a change reaches this gate within this plus one pull. */
        rosterChangesSeconds: z.number().int().min(5).max(3600).default(25),
        /** Full roster reconciliation (catches anything the change query missed). */
        rosterFullMinutes: z.number().int().min(5).max(24 * 60).default(60),
        /** How late a platform row may appear after its change time (re-read window). */
        rosterOverlapSeconds: z.number().int().min(0).max(3600).default(120),
        profile: platformProfile,
        refusalUpload: refusalUploadSchema.prefault({}),
        /** Worker lifecycle methods (national names by default; a province may name them otherwise). */
        workerUpdateMethod: z.string().min(1).max(64).default('ProjectWorker.Update'),
        entryExitMethod: z.string().min(1).max(64).default('WorkerEntryExit.Add'),
        entryExitQueryMethod: z.string().min(1).max(64).default('WorkerEntryExit.Query'),
        /** Field and codes of a manager's post (the notice's six; codes are an assumption, decision 0012). */
        managementPostField: z.string().min(1).max(64).default('manageType'),
        managementPostCodes: z
          .strictObject({
            project_manager: z.string().min(1).max(16),
            technical_lead: z.string().min(1).max(16),
            quality_officer: z.string().min(1).max(16),
            safety_officer: z.string().min(1).max(16),
            construction_officer: z.string().min(1).max(16),
            labour_officer: z.string().min(1).max(16),
          })
          .partial()
          .optional(),
      }),
      z.strictObject({ type: z.literal('off') }),
    ])
    .prefault({ type: 'simulator' }),
  log: z
    .strictObject({
      level: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace']).default('info'),
      dir: z.string().optional(),
      maxFileMb: z.number().int().min(1).max(1024).default(20),
      keepFiles: z.number().int().min(1).max(100).default(10),
    })
    .default({ level: 'info', maxFileMb: 20, keepFiles: 10 }),
  gate: z
    .strictObject({
      /** Named liveness policy; `test-only:*` policies exist for end-to-end tests and mark the core degraded. */
      livenessPolicy: z.enum(['gate-default', 'test-only:temporal-off']).default('gate-default'),
      /** Rest of a lane after a decision, so one person makes one record (ms). */
      cooldownMs: z.number().int().min(0).max(10_000).default(2000),
      /**
       * Let a worker through on the first this-many frames when they already pass liveness
       * (0: always wait for the policy's full window). Refusals always take the full window.
       */
      earlyFrames: z.number().int().min(0).max(12).default(3),
      /**
       * Face model set: `default` (models/manifest.json, every licence clear) or
       * `legacy-unclear` (models/legacy/, models of unclear provenance: not for commercial use;
       * the core reports itself degraded while it runs them).
       */
      faceModels: z.enum(['default', 'legacy-unclear']).default('default'),
    })
    .default({ livenessPolicy: 'gate-default', cooldownMs: 2000, earlyFrames: 3, faceModels: 'default' }),
  backup: z
    .strictObject({
      /** Hours between automatic backups (tests use fractions of an hour). */
      everyHours: z.number().min(0.0001).max(24 * 7).default(24),
      keep: z.number().int().min(1).max(60).default(7),
    })
    .default({ everyHours: 24, keep: 7 }),
  /** How long personal data is kept (see README "Security and data protection"). */
  retention: z
    .strictObject({
      /** Photo of a pass, counted from the pass, once it reached the platform. */
      passPhotoDays: z.number().int().min(1).max(3650).default(90),
      /** Photo of a refused attempt (stranger, spoof). */
      refusalPhotoDays: z.number().int().min(1).max(3650).default(30),
      /** Photos, face templates, address, phone, bank card of a worker who left the project. */
      departedWorkerDays: z.number().int().min(1).max(3650).default(180),
      /** Hours between two retention runs (the first runs a minute after the start, or sooner when this is shorter). */
      everyHours: z.number().min(0.0001).max(24 * 7).default(6),
    })
    .default({ passPhotoDays: 90, refusalPhotoDays: 30, departedWorkerDays: 180, everyHours: 6 }),
  /** Free space of the data disk below which the dashboard warns (see README "Configuration"). */
  storage: z
    .strictObject({
      warnFreeMb: z.number().int().min(1).default(2048),
      criticalFreeMb: z.number().int().min(1).default(512),
      /** Space held in reserve for attendance records, released when the disk fills (0: none). */
      reserveMb: z.number().int().min(0).max(4096).default(128),
      /** Seconds between two measurements of the free space. */
      checkEverySeconds: z.number().min(0.05).max(3600).default(60),
      /** Seconds between two passive WAL checkpoints (a truncating one every `truncateEverySeconds`). */
      checkpointEverySeconds: z.number().min(0.05).max(3600).default(30),
      truncateEverySeconds: z.number().min(0.05).max(24 * 3600).default(900),
    })
    .refine((s) => s.criticalFreeMb <= s.warnFreeMb, { message: 'storage.criticalFreeMb must not exceed storage.warnFreeMb' })
    .default({ warnFreeMb: 2048, criticalFreeMb: 512, reserveMb: 128, checkEverySeconds: 60, checkpointEverySeconds: 30, truncateEverySeconds: 900 }),
});

export type AppConfig = z.infer<typeof configSchema>;
export type LaneConfig = z.infer<typeof laneSchema>;

export class ConfigError extends Error {
  constructor(
    readonly file: string,
    readonly problems: string[],
  ) {
    super(`configuration ${file} is invalid:\n${problems.map((p) => `  - ${p}`).join('\n')}\nFix these entries (see README "Configuration") and start again.`);
    this.name = 'ConfigError';
  }
}

function describeIssues(error: z.ZodError): string[] {
  return error.issues.map((i) => {
    const where = i.path.length ? i.path.join('.') : '(top level)';
    if (i.code === 'unrecognized_keys') return `${where}: unknown key(s) ${i.keys.map((k) => `"${k}"`).join(', ')}`;
    return `${where}: ${i.message}`;
  });
}

export function parseConfig(raw: unknown, file = '(inline)'): AppConfig {
  const r = configSchema.safeParse(raw ?? {});
  if (!r.success) throw new ConfigError(file, describeIssues(r.error));
  return r.data;
}

export function loadConfigFile(file: string): AppConfig {
  if (!existsSync(file)) throw new ConfigError(file, ['the file does not exist']);
  const text = readFileSync(file, 'utf8');
  let raw: unknown;
  try {
    raw = extname(file).toLowerCase() === '.json' ? JSON.parse(text) : parseYaml(text);
  } catch (err) {
    throw new ConfigError(file, [`cannot be parsed: ${(err as Error).message.split('\n')[0]}`]);
  }
  return parseConfig(raw, file);
}

/**
 * The folder a core keeps its data in: the data directory itself, or for the demo its `demo`
 * subfolder, so demo PINs and synthetic workers never land in a production data folder.
 */
export function dataDirFor(config: Pick<AppConfig, 'demo' | 'dataDir'>, baseDir: string): string {
  const dir = config.dataDir ?? baseDir;
  return config.demo ? join(dir, 'demo') : dir;
}

/** Data directory per OS convention; SITEGATE_DATA_DIR overrides. */
export function defaultDataDir(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform): string {
  if (env.SITEGATE_DATA_DIR) return env.SITEGATE_DATA_DIR;
  if (platform === 'win32') return join(env.APPDATA ?? join(homedir(), 'AppData', 'Roaming'), 'SiteGate');
  if (platform === 'darwin') return join(homedir(), 'Library', 'Application Support', 'SiteGate');
  return join(env.XDG_DATA_HOME ?? join(homedir(), '.local', 'share'), 'sitegate');
}
