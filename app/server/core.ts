// Composition root of the core service: store, API, background jobs. Used by `npm start`,
// by the Electron utility process and by the tests.
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { existsSync, readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';
import { openStore, systemClock, type Clock, type RecoveryReport, type KeyProtector } from '../../edge-core/src/index.js';
import type { AppConfig } from './config.js';
import { createLogger, type Logger } from './logger.js';
import { EventHub } from './events.js';
import { createServices, HealthRegistry, type CoreServices } from './services.js';
import { buildApiServer } from './api/server.js';
import { seedDemo } from './demo-seed.js';

const here = dirname(fileURLToPath(import.meta.url));
export const REPO_ROOT = join(here, '..', '..');

export function appVersion(): string {
  try {
    return (JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as { version: string }).version;
  } catch {
    return '0.0.0';
  }
}

export class StartupError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'StartupError';
  }
}

export interface CoreOptions {
  config: AppConfig;
  dataDir: string;
  clock?: Clock;
  logger?: Logger;
  protector?: KeyProtector;
  /** Directory of the built UI; default app/ui/dist. */
  uiDir?: string | null;
}

export interface CoreHandle {
  url: string;
  port: number;
  services: CoreServices;
  recovered: RecoveryReport | null;
  app: FastifyInstance;
  close(): Promise<void>;
}

export async function startCore(opts: CoreOptions): Promise<CoreHandle> {
  const { config, dataDir } = opts;
  const logger = opts.logger ?? createLogger({ level: config.log.level, dir: config.log.dir ?? join(dataDir, 'logs'), maxFileMb: config.log.maxFileMb, keepFiles: config.log.keepFiles });
  const { store, recovered, migrationsRun } = openStore({ dataDir, clock: opts.clock ?? systemClock, protector: opts.protector, keepBackups: config.backup.keep });
  if (recovered) logger.error({ recovered }, 'database was corrupted: set aside and restored');
  if (migrationsRun.length) logger.info({ migrationsRun }, 'schema migrated');

  const health = new HealthRegistry();
  const events = new EventHub();
  const services = createServices({ config, version: appVersion(), store, logger, events, health });
  services.project.upsert({ code: config.project.code, name: config.project.name, timeZone: config.project.timeZone, lng: config.project.lng ?? null, lat: config.project.lat ?? null });
  for (const lane of config.lanes) services.project.upsertLane({ id: lane.id, name: lane.name, directionMode: lane.direction, enabled: true });
  if (config.demo && seedDemo(services)) logger.info('demo data seeded');
  health.set('store', { ok: true });

  store.scheduleCheckpoints();
  const backupTimer = setInterval(() => {
    store.autoBackup().then(
      (file) => logger.info({ file }, 'automatic backup written'),
      (err) => logger.error({ err }, 'automatic backup failed'),
    );
  }, config.backup.everyHours * 3600_000);
  backupTimer.unref();

  const uiDir = opts.uiDir === undefined ? join(REPO_ROOT, 'app', 'ui', 'dist') : opts.uiDir;
  const app = await buildApiServer({ services, uiDir: uiDir && existsSync(uiDir) ? uiDir : null, lan: config.server.lan });
  const host = config.server.lan.enabled ? '0.0.0.0' : config.server.host;
  try {
    await app.listen({ host, port: config.server.port });
  } catch (err) {
    clearInterval(backupTimer);
    store.close();
    const e = err as { code?: string };
    if (e.code === 'EADDRINUSE') {
      throw new StartupError(
        `port ${config.server.port} on ${host} is already in use (is SiteGate already running?) — stop the other program or set server.port in the configuration`,
      );
    }
    throw err;
  }
  const port = (app.server.address() as AddressInfo).port;
  const scheme = config.server.lan.enabled && config.server.lan.tlsCertFile ? 'https' : 'http';
  const url = `${scheme}://${host === '0.0.0.0' ? '127.0.0.1' : host}:${port}`;
  logger.info({ url }, 'core service listening');

  return {
    url,
    port,
    services,
    recovered,
    app,
    async close() {
      clearInterval(backupTimer);
      await app.close();
      store.close();
      logger.flush?.();
    },
  };
}
