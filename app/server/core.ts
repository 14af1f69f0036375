// Composition root of the core service: store, API, background jobs. Used by `npm start`,
// by the Electron utility process and by the tests.
import { join } from 'node:path';
import { REPO_ROOT } from './paths.js';
import { existsSync, readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';
import { applyRetention, openStore, StoreError, systemClock, type Clock, type RecoveryReport, type KeyProtector, type DeviceKeys, type StoreOpenResult } from '../../edge-core/src/index.js';
import type { AppConfig } from './config.js';
import { closeLogFile, createLogger, logFileOf, type Logger } from './logger.js';
import { prepareDataDir } from './data-dir.js';
import { DeferredWrites } from './deferred-writes.js';
import { checkpointHealth, logFileHealth } from './background-health.js';
import { storeFailure } from './store-failures.js';
import { EventHub } from './events.js';
import { createServices, HealthRegistry, type CoreServices } from './services.js';
import { buildApiServer } from './api/server.js';
import { seedDemo } from './demo-seed.js';
import { DevicesService } from './devices-service.js';
import { GateService } from './gate-service.js';
import { LaneCameras } from './lane-cameras.js';
import { LiveView } from './live-view.js';
import { SyncService } from './sync-service.js';
import { VisitorService } from './visitor-service.js';
import { RemoteCommandService } from './remote-commands.js';
import { DiskReserve, DiskWatch } from './disk-watch.js';
import { CorrectedClock } from '../../sync/src/index.js';

export { REPO_ROOT };

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
  /** The device key's directory, outside dataDir (default: edge-core defaultKeyDir()); or the keys, loaded by the host. */
  keyDir?: string;
  deviceKeys?: DeviceKeys;
  /** Directory of the built UI; default app/ui/dist. */
  uiDir?: string | null;
  /** Load the face engine and run the lanes (default true). API-only tests switch it off. */
  gate?: boolean;
  /** Wait for the face engine before listening (default true; `npm start` does not wait). */
  waitForGate?: boolean;
  /** Decoded ID-card photo the simulated reader returns (demo/e2e); default: WLT bytes, no photo. */
  simulatorPhoto?: Uint8Array;
}

export interface CoreHandle {
  url: string;
  port: number;
  services: CoreServices;
  devices: DevicesService;
  gate: GateService;
  /** The lanes' own cameras (lanes[].camera of type ffmpeg or file). */
  cameras: LaneCameras;
  sync: SyncService;
  /** Visitor passes and the lanes' QR admission. */
  visitors: VisitorService;
  /** Remote commands from the platform (set `remote.restartHandler` where a supervisor restarts the core). */
  remote: RemoteCommandService;
  recovered: RecoveryReport | null;
  /** The data disk's free-space watch (`storage` in /health). */
  disk: DiskWatch;
  app: FastifyInstance;
  /** Resolves when the face engine is loaded (or failed to load; see /health). */
  gateReady: Promise<void>;
  close(): Promise<void>;
}

export async function startCore(opts: CoreOptions): Promise<CoreHandle> {
  const { config, dataDir } = opts;
  const prepared = prepareDataDir(dataDir);
  const logger = opts.logger ?? createLogger({ level: config.log.level, dir: config.log.dir ?? join(dataDir, 'logs'), maxFileMb: config.log.maxFileMb, keepFiles: config.log.keepFiles });
  for (const file of prepared.removed) logger.warn({ file }, 'unfinished file of an interrupted run removed');
  const health = new HealthRegistry();
  const logFile = logFileOf(logger);
  if (logFile) {
    health.set('logs', logFileHealth(logFile.state()));
    logFile.onState((s) => health.set('logs', logFileHealth(s)));
  }
  // The data disk, watched; when it is already almost full the reserve goes first, so the
  // store can open and the start-up has room.
  const reserve = config.storage.reserveMb > 0 ? new DiskReserve(join(dataDir, 'reserve.bin'), config.storage.reserveMb * 1024 * 1024) : null;
  const disk = new DiskWatch(dataDir, config.storage, health, logger, reserve);
  disk.releaseIfCritical();
  // The wall clock, corrected by the skew measured against the platform (heartbeat).
  const corrected = opts.clock ? null : new CorrectedClock(systemClock);
  const { store, recovered, migrationsRun, keyMoved } = openStoreWithRoom(
    () => openStore({ dataDir, keyDir: opts.keyDir, deviceKeys: opts.deviceKeys, clock: opts.clock ?? (corrected as CorrectedClock), protector: opts.protector, keepBackups: config.backup.keep }),
    () => disk.reclaimForRecords(),
  );
  if (keyMoved) logger.warn({ keyMoved }, 'device key moved out of the data directory (kept apart from the data it signs)');
  if (recovered) logger.error({ recovered }, 'database was corrupted: set aside and restored');
  if (migrationsRun.length) logger.info({ migrationsRun }, 'schema migrated');

  const events = new EventHub();
  const services = createServices({ config, version: appVersion(), store, logger, events, health });
  // Start-up writes a full disk refuses are tried again after each disk check (see deferred-writes.ts).
  const deferred = new DeferredWrites(health, logger);
  deferred.run('project', () => writeProjectAndLanes(services, config));
  if (config.demo) deferred.run('demo', () => store.tx(() => seedDemo(services) && logger.info('demo data seeded')));
  health.set('store', { ok: true });
  if (store.exclusive) {
    health.set('store.exclusive', {
      ok: true,
      detail: '启动时磁盘已满，数据库以独占方式打开：备份和校验命令须等到下次启动 — the disk was full at start: the database is open exclusively; the backup and verify commands wait until the next start',
    });
    logger.warn('data disk full at start: database opened in exclusive locking mode (no room for its shared index)');
  }

  const devices = new DevicesService(services);
  const gate = new GateService(services, {
    turnstileForLane: (lane) => devices.devices?.turnstileForLane(lane),
    get announcer() {
      return devices.devices?.announcer;
    },
  });
  try {
    await devices.start(opts.simulatorPhoto ? { simulatorPhoto: opts.simulatorPhoto } : {});
  } catch (err) {
    logger.error({ err }, 'devices could not start');
    health.set('devices', { ok: false, detail: (err as Error).message });
  }
  // Lane cameras the core owns start with the devices and feed their lanes once the gate is up.
  const cameras = new LaneCameras(config.lanes, logger);
  for (const source of cameras.sources) devices.watch(source);
  await cameras.start();
  // Visitor passes at the lanes' QR scanners (independent of the face engine).
  const visitors = new VisitorService(services, devices, gate);
  visitors.start();
  // The face models load in the background unless the caller waits: /health answers at once
  // and reports `face` as loading, the UI shows the warm-up as a task in progress.
  const gateReady =
    opts.gate === false
      ? Promise.resolve()
      : gate.start().catch((err: unknown) => {
          logger.error({ err }, 'gate failed to start');
          health.set('face', { ok: false, detail: (err as Error).message });
        });
  void gateReady.then(() => cameras.feed(gate));
  if (opts.waitForGate !== false) await gateReady;

  const sync = new SyncService(services, corrected, dataDir);
  const remote = new RemoteCommandService(services, dataDir);
  sync.remote = remote;
  sync.onRosterChanged = () => void gateReady.then(() => gate.computeMissingTemplates());
  // A sync that cannot start for the disk (its cursors, the demo platform's database) starts
  // after a later disk check finds room; other failures wait for a restart.
  let syncStarting: Promise<void> | null = null;
  let syncWaitsForDisk = false;
  const startSync = async (): Promise<void> => {
    try {
      await sync.start();
      if (syncWaitsForDisk) logger.info('platform sync started now that the data disk has room');
      syncWaitsForDisk = false;
    } catch (err) {
      const disk = storeFailure(err);
      syncWaitsForDisk = disk !== undefined || ['ENOSPC', 'EROFS', 'EIO', 'EDQUOT'].includes((err as NodeJS.ErrnoException).code ?? '');
      logger.error({ err, retried: syncWaitsForDisk }, 'platform sync could not start');
      health.set('platform', {
        ok: false,
        detail: disk ? `${disk.zh}，平台同步在磁盘有空间后启动 — ${disk.en}; platform sync starts once the disk has room` : (err as Error).message,
      });
      if (syncWaitsForDisk) await sync.stop().catch(() => undefined);
    }
  };
  await startSync();

  // Background work: none of it may take the core down on a full or failing disk.
  const storage = config.storage;
  store.scheduleCheckpoints(storage.checkpointEverySeconds * 1000, storage.truncateEverySeconds * 1000, (s) => {
    health.set('store.checkpoint', checkpointHealth(s));
    if (s.failing && s.failures === 1) logger.error({ checkpoint: s }, 'WAL checkpoint failed; retried at each tick (saved records are safe)');
    else if (!s.failing) logger.info({ checkpoint: s }, 'WAL checkpoints succeed again');
  });
  gate.reclaimSpace = () => disk.reclaimForRecords();
  disk.afterCheck(() => {
    deferred.retry();
    if (syncWaitsForDisk && !syncStarting && deferred.pending.length === 0) {
      syncStarting = startSync().finally(() => {
        syncStarting = null;
      });
    }
  });
  disk.start(storage.checkEverySeconds * 1000);
  const backupTimer = setInterval(() => {
    const reserveBytes = config.storage.criticalFreeMb * 1024 * 1024;
    const onPruned = (file: string): void => logger.warn({ file }, 'oldest backup removed to make room (data disk low)');
    store.autoBackup({ reserveBytes, onPruned }).then(
      (file) => logger.info({ file }, 'automatic backup written'),
      (err) => logger.error({ err }, 'automatic backup failed'),
    );
  }, config.backup.everyHours * 3600_000);
  backupTimer.unref();
  const { passPhotoDays, refusalPhotoDays, departedWorkerDays, everyHours: retentionHours } = config.retention;
  const runRetention = (): void => {
    try {
      const r = applyRetention(store, { passPhotoDays, refusalPhotoDays, departedWorkerDays });
      if (r.passPhotos + r.refusalPhotos + r.workersErased > 0) logger.info({ retention: r }, 'retention removed expired personal data');
    } catch (err) {
      logger.error({ err }, 'retention run failed; it is retried at the next run');
    }
  };
  const retentionTimers = [setTimeout(runRetention, Math.min(60_000, retentionHours * 3600_000)), setInterval(runRetention, retentionHours * 3600_000)];
  for (const t of retentionTimers) t.unref();

  const uiDir = opts.uiDir === undefined ? join(REPO_ROOT, 'app', 'ui', 'dist') : opts.uiDir;
  const live = new LiveView(cameras);
  const app = await buildApiServer({ services, devices, gate, sync, live, visitors, remote, uiDir: uiDir && existsSync(uiDir) ? uiDir : null, lan: config.server.lan });
  const host = config.server.lan.enabled ? '0.0.0.0' : config.server.host;
  try {
    await app.listen({ host, port: config.server.port });
  } catch (err) {
    clearInterval(backupTimer);
    for (const t of retentionTimers) clearTimeout(t);
    await disk.stop();
    await sync.stop();
    live.stop();
    await cameras.stop();
    await devices.stop();
    services.pins.close();
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

  /** Each step of the close runs even when an earlier one failed (a full disk refuses the snapshot). */
  const step = async (what: string, fn: () => unknown): Promise<void> => {
    try {
      await fn();
    } catch (err) {
      logger.error({ err, what }, 'close: step failed, going on');
    }
  };
  return {
    url,
    port,
    services,
    devices,
    gate,
    cameras,
    sync,
    visitors,
    remote,
    recovered,
    disk,
    app,
    gateReady,
    async close() {
      await gateReady;
      clearInterval(backupTimer);
      for (const t of retentionTimers) clearTimeout(t);
      await step('disk watch', () => disk.stop());
      await step('live events', () => live.stop());
      await step('API', () => app.close());
      await step('cameras', () => cameras.stop());
      await step('visitor lanes', () => visitors.stop());
      await step('gate', () => gate.stop());
      await step('gallery snapshot', () => gate.saveSnapshot());
      await step('face engine', () => gate.release());
      await step('sync', async () => {
        await syncStarting;
        await sync.stop();
      });
      await step('devices', () => devices.stop());
      // The sign-in audit's coalesced rows (and any waiting for disk space) before the store closes.
      await step('sign-in audit', () => services.pins.close());
      await step('store', () => store.close());
      logger.flush?.();
      if (!opts.logger) closeLogFile(logger);
    },
  };
}

/** The project and lanes of the configuration, written only when they differ from the store's. */
function writeProjectAndLanes(services: CoreServices, config: AppConfig): void {
  const want = { code: config.project.code, name: config.project.name, timeZone: config.project.timeZone, lng: config.project.lng ?? null, lat: config.project.lat ?? null };
  const have = services.project.get();
  const lanes = new Map(services.project.lanes().map((l) => [l.id, l]));
  const changedLanes = config.lanes.filter((l) => {
    const h = lanes.get(l.id);
    return !h || h.name !== l.name || h.directionMode !== l.direction || !h.enabled;
  });
  const same = have !== null && (Object.keys(want) as Array<keyof typeof want>).every((k) => have[k] === want[k]);
  if (same && changedLanes.length === 0) return;
  services.store.tx(() => {
    if (!same) services.project.upsert(want);
    for (const lane of changedLanes) services.project.upsertLane({ id: lane.id, name: lane.name, directionMode: lane.direction, enabled: true });
  });
}

/**
 * Opens the store; when the disk is too full even for that (the WAL index, a migration) and
 * space is held in reserve, the reserve is released and the store opened again.
 */
function openStoreWithRoom(open: () => StoreOpenResult, release: () => boolean): StoreOpenResult {
  try {
    return open();
  } catch (err) {
    if (err instanceof StoreError && err.code === 'disk_full' && release()) return open();
    throw err;
  }
}
