// Shared by the two entry points (`npm start` and the Electron shell's core process):
// parse the command line, find and validate the configuration, start the core.
import { parseArgs } from 'node:util';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { defaultDataDir, loadConfigFile, parseConfig, ConfigError, type AppConfig } from './config.js';
import { startCore, StartupError, type CoreHandle } from './core.js';
import { mergeOverlay, readOverlay, OVERLAY_FILE } from './remote-params.js';
import { RESTART_EXIT_CODE, SUPERVISED_ENV } from './remote-commands.js';
import { privateUmask } from './data-dir.js';
import { StoreError, DeviceKeyError } from '../../edge-core/src/index.js';
import { loadShellKeys, resolveKeyDir } from './key-setup.js';

export interface Booted {
  core: CoreHandle;
  config: AppConfig;
  dataDir: string;
  /** Where the device key is (outside the data directory). */
  keyDir: string;
  configFile: string | null;
  flags: { open: boolean; kiosk: boolean };
}

export async function bootFromArgs(argv: string[] = process.argv.slice(2)): Promise<Booted> {
  // Everything the core creates (database, WAL, keys, logs, backups) is the SiteGate user's only.
  privateUmask();
  const { values } = parseArgs({
    args: argv,
    options: {
      config: { type: 'string' },
      'data-dir': { type: 'string' },
      'key-dir': { type: 'string' },
      /** `shell`: the Electron shell seals the device key with safeStorage (DPAPI). */
      'key-protector': { type: 'string' },
      port: { type: 'string' },
      'no-open': { type: 'boolean', default: false },
      kiosk: { type: 'boolean', default: false },
    },
  });
  const baseDir = values['data-dir'] ?? defaultDataDir();
  const configFile =
    values.config || process.env.SITEGATE_CONFIG || (existsSync(join(baseDir, 'config.yaml')) ? join(baseDir, 'config.yaml') : null);
  let config: AppConfig = configFile ? loadConfigFile(configFile) : parseConfig({ demo: true });
  if (values.port !== undefined) {
    const port = Number(values.port);
    if (!Number.isInteger(port) || port < 0 || port > 65535) throw new ConfigError('--port', [`not a port number: ${values.port}`]);
    config = { ...config, server: { ...config.server, port } };
  }
  if (config.server.lan.enabled && !(config.server.lan.tlsCertFile && config.server.lan.tlsKeyFile)) {
    throw new ConfigError(configFile ?? '(defaults)', ['server.lan: LAN access requires tlsCertFile and tlsKeyFile (TLS and login are mandatory off the local machine)']);
  }
  const dataDir = config.dataDir ?? baseDir;
  config = withRemoteOverlay(config, dataDir);
  const keyDir = resolveKeyDir(values['key-dir']);
  const deviceKeys = values['key-protector'] ? await loadShellKeys(values['key-protector'], dataDir, keyDir) : undefined;
  const core = await startCore({ config, dataDir, keyDir, deviceKeys, waitForGate: false });
  if (process.env[SUPERVISED_ENV] === '1') {
    // The supervisor (npm start's, or the shell) starts the core again on this exit code.
    core.remote.restartHandler = () => {
      console.log('restart requested: stopping, the supervisor starts SiteGate again…');
      void core.close().finally(() => process.exit(RESTART_EXIT_CODE));
    };
  }
  return { core, config, dataDir, keyDir, configFile, flags: { open: !values['no-open'], kiosk: values.kiosk } };
}

/**
 * The parameters the platform changed remotely (remote-config.json in the data directory) over
 * the configuration file. An overlay this version cannot use is reported and left out — the
 * appliance starts with its own file rather than not at all.
 */
export function withRemoteOverlay(config: AppConfig, dataDir: string): AppConfig {
  try {
    const overlay = readOverlay(dataDir);
    if (Object.keys(overlay).length === 0) return config;
    return parseConfig(mergeOverlay(config, overlay), `configuration + ${OVERLAY_FILE}`);
  } catch (err) {
    console.error(`SiteGate: the remote parameters in ${OVERLAY_FILE} are not applied: ${(err as Error).message}`);
    return config;
  }
}

/** Prints a startup failure the way a site's IT person can act on, and exits. */
export function exitOnStartupError(err: unknown): never {
  if (err instanceof ConfigError || err instanceof StartupError || err instanceof StoreError || err instanceof DeviceKeyError) {
    console.error(`SiteGate cannot start: ${err.message}`);
  } else {
    console.error('SiteGate cannot start:', err);
  }
  process.exit(1);
}

export function stopOnSignals(core: CoreHandle): void {
  const stop = async (signal: string) => {
    console.log(`${signal}: stopping…`);
    try {
      await core.close();
    } catch (err) {
      console.error('SiteGate did not stop cleanly:', err);
      process.exit(1);
    }
    process.exit(0);
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
}
