// The core's link to the provincial platform: the outbox worker (attendance and enrollments
// out), the roster pull (enrollments made elsewhere in), the heartbeat (health out, clock skew
// and remote commands in). In demo mode an embedded platform simulator plays the platform.
import { join } from 'node:path';
import {
  createPrivateFile,
  OutboxRepo,
  SyncCursorRepo,
  type SyncProblem,
  type SyncProgressEvent,
  type SyncStatus,
  type Bilingual,
} from '../../edge-core/src/index.js';
import {
  createPlatformClient,
  createRosterSink,
  startHeartbeat,
  startOutboxWorker,
  startPlatformSimulator,
  startRosterSync,
  pullPlatformCalendar,
  DEFAULT_CALENDAR_METHOD,
  DEFAULT_SIM_APP,
  DEFAULT_REFUSAL_METHOD,
  CorrectedClock,
  type OutboxWorker,
  type PlatformClient,
  type PlatformSimulator,
  type HeartbeatOptions,
  type HeartbeatResult,
  type RosterSync,
} from '../../sync/src/index.js';
import type { CoreServices } from './services.js';
import { syncProblemText } from '../shared/i18n/sync-texts.js';
import type { ComponentHealth } from '../shared/api-types.js';
import type { RemoteCommandService } from './remote-commands.js';
import { chainAnchor, deviceSerial } from './chain-anchor.js';

export const APPSECRET_KEY = 'platform.appsecret';
const HISTORY_EVERY_MS = 5 * 60_000;
const HISTORY_POINTS = 288;

export interface SyncOverview {
  enabled: boolean;
  connectivity: SyncStatus['connectivity'] | 'off';
  reason: Bilingual | null;
  backlog: number;
  parked: number;
  oldestUnsentAt: number | null;
  lastSentAt: number | null;
  lastError: { at: number; code: string; message: Bilingual; platformMessage: string | null } | null;
  /** Standing problems a person must act on, as codes (words: app/shared/i18n/sync-texts.ts). */
  problems: SyncProblem[];
  clockSkew: SyncStatus['clockSkew'];
  history: Array<{ at: number; backlog: number }>;
}

export class SyncService {
  simulator: PlatformSimulator | null = null;
  client: PlatformClient | null = null;
  worker: OutboxWorker | null = null;
  roster: RosterSync | null = null;
  #heartbeat: { stop(): void; beatNow(): Promise<HeartbeatResult> } | null = null;
  #lastError: SyncOverview['lastError'] = null;
  #history: Array<{ at: number; backlog: number }> = [];
  #timer: NodeJS.Timeout | null = null;
  #unsubscribe: (() => void) | null = null;
  readonly outbox: OutboxRepo;
  #disabledReason: Bilingual | null = null;
  #problemCodes = '';
  /** Carries out the platform's remote commands (set by the core before start). */
  remote: RemoteCommandService | null = null;
  #heartbeatOptions: HeartbeatOptions | null = null;
  /** Called when the roster pull brought new or changed workers (the gate computes their templates). */
  onRosterChanged: (() => void) | null = null;

  constructor(
    private readonly s: CoreServices,
    private readonly clock: CorrectedClock | null,
    private readonly dataDir: string,
  ) {
    this.outbox = new OutboxRepo(s.store);
  }

  async start(): Promise<void> {
    const p = this.s.config.platform;
    if (p.type === 'off') {
      this.#disabledReason = { zh: '未配置省平台，记录仅保存在本机', en: 'No platform configured; records stay on this device' };
      this.s.health.set('platform', { ok: true, detail: 'off' });
      return;
    }
    const projectCode = this.s.config.project.code;
    let endpoint: string;
    let appid: string;
    let appsecret: string | null;
    if (p.type === 'simulator') {
      // The embedded platform keeps the device's clock (no skew in the demo).
      // It requires the device signature on every attendance item; the device is registered
      // with it as a real platform would have it registered at commissioning.
      // Created owner-only before SQLite would make it 0644 (it holds the demo's ID numbers).
      const dbPath = join(this.dataDir, 'platform-simulator.db');
      createPrivateFile(dbPath);
      this.simulator = await startPlatformSimulator({
        port: p.port,
        host: '127.0.0.1',
        dbPath,
        // ID numbers and photos in that file are sealed with the appliance's field cipher.
        sealer: this.s.store.cipher,
        projects: [projectCode],
        now: () => this.s.clock.now(),
        requireDeviceSignatures: true,
        // A refusal method configured under another name is still the simulator's own.
        ...(p.refusalUpload.method !== DEFAULT_REFUSAL_METHOD ? { methodAliases: { [p.refusalUpload.method]: DEFAULT_REFUSAL_METHOD } } : {}),
      });
      this.simulator.registerDeviceKey(this.#deviceSn(), this.s.store.ledger.signer.publicKey);
      endpoint = this.simulator.url;
      appid = DEFAULT_SIM_APP.appid;
      appsecret = DEFAULT_SIM_APP.appsecret;
    } else {
      endpoint = p.endpoint;
      appid = p.appId;
      appsecret = this.s.settings.getSecret(APPSECRET_KEY);
    }
    if (!appsecret) {
      this.#disabledReason = { zh: '尚未设置平台密钥（appsecret），请管理员在设置中填写', en: 'The platform appsecret is not set; an admin enters it in Settings' };
      this.s.health.set('platform', { ok: false, detail: this.#disabledReason.zh });
      return;
    }
    const clock = this.clock ?? this.s.clock;
    const deviceSn = this.#deviceSn();
    const signer = this.s.store.ledger.signer;
    this.client = createPlatformClient({
      attestor: { deviceSn, publicKey: signer.publicKey, sign: (m) => signer.sign(m) },
      endpoint,
      appid,
      appsecret,
      projectCode,
      timeZone: this.s.config.project.timeZone,
      clock,
      refusalMethod: p.refusalUpload.method,
      ...(p.type === 'remote'
        ? {
            signature: p.signature,
            fieldCipher: p.fieldCipher,
            fieldKeyFit: p.fieldKeyFit,
            timeoutMs: p.timeoutMs,
            timestampWindowMs: p.timestampWindowMs,
            pageSize: p.pageSize,
            rosterChanges: p.rosterChanges,
            workerUpdateMethod: p.workerUpdateMethod,
            entryExitMethod: p.entryExitMethod,
            entryExitQueryMethod: p.entryExitQueryMethod,
            managementPostField: p.managementPostField,
            ...(p.managementPostCodes ? { managementPostCodes: p.managementPostCodes } : {}),
          }
        : {}),
    });
    const onProgress = (e: SyncProgressEvent) => this.#progress(e);
    this.worker = startOutboxWorker({
      outbox: this.outbox,
      client: this.client,
      clock,
      onProgress,
      ...(this.clock ? { clockSkew: () => this.clock?.skew() ?? null } : {}),
    });
    // The construction calendar, where the platform offers it (method configurable).
    const calendarMethod = p.type === 'remote' ? p.calendarMethod : DEFAULT_CALENDAR_METHOD;
    const client = this.client;
    this.s.calendar.setPuller(calendarMethod ? (range) => pullPlatformCalendar({ client, method: calendarMethod, ...range }) : null);
    this.s.calendar.startImports();
    // The roster's changes every 25 s (status changes applied first), the whole roster hourly.
    this.roster = startRosterSync({
      client: this.client,
      cursors: new SyncCursorRepo(this.s.store),
      sink: createRosterSink(this.s.workers),
      clock,
      onProgress,
      ...(p.type === 'remote'
        ? { changesIntervalMs: p.rosterChangesSeconds * 1000, fullIntervalMs: p.rosterFullMinutes * 60_000, overlapMs: p.rosterOverlapSeconds * 1000 }
        : {}),
    });
    // Always beat: the heartbeat registers the device key the platform verifies uploads with.
    // With a clock given from outside (tests, a host that corrects time itself) skew is
    // measured and reported but never applied.
    const remote = this.remote;
    this.#heartbeatOptions = {
      client: this.client,
      clock: this.clock ?? new CorrectedClock(this.s.clock, Number.POSITIVE_INFINITY),
      deviceSn,
      method: p.type === 'remote' ? p.heartbeatMethod : 'Device.Heartbeat',
      // The signed chain head: the platform keeps it as an anchor `verify` can compare with.
      identity: () => ({ devicePublicKey: signer.publicKey.toString('hex'), ledgerHead: chainAnchor(this.s, 'heartbeat') }),
      health: () => ({ status: this.s.health.allOk() ? 'ok' : 'degraded', components: this.s.health.snapshot(), version: this.s.version }),
      onSkew: (skew) => {
        if (skew.significant) this.s.logger.warn({ offsetMs: skew.offsetMs }, 'clock skew against the platform');
        // A corrected clock may end a refusal of the request time: try again now.
        this.worker?.wake();
      },
      intervalMs: (p.type === 'remote' ? p.heartbeatSeconds : 60) * 1000,
      ...(remote ? { onCommand: (cmd) => remote.handle(cmd), ackStore: remote.ackStore } : {}),
      // Its refusals are standing problems in the sync status (the device key travels with it).
      onResult: (r) => this.worker?.noteHeartbeat(r),
    };
    this.#heartbeat = startHeartbeat(this.#heartbeatOptions);
    // Every committed passage or enrollment wakes the worker at once.
    this.#unsubscribe = this.s.events.subscribe((e) => {
      if ((e.type === 'passage' && e.eventId) || e.type === 'worker.saved') this.worker?.wake();
    });
    this.#timer = setInterval(() => this.#sample(), HISTORY_EVERY_MS);
    this.#timer.unref();
    this.#sample();
    this.s.health.set('platform', { ok: true });
  }

  #sample(): void {
    const c = this.outbox.counts();
    this.#history.push({ at: this.s.clock.now(), backlog: c.pending + c.inflight + c.ambiguous });
    if (this.#history.length > HISTORY_POINTS) this.#history.shift();
  }

  #deviceSn(): string {
    return deviceSerial(this.s.config);
  }

  #progress(e: SyncProgressEvent): void {
    if (e.type === 'notice') this.s.logger.info({ notice: e.code, params: e.params }, 'sync');
    if (e.type === 'error') {
      this.#lastError = { at: e.at, code: e.kind, message: e.message, platformMessage: null };
      this.s.logger.warn({ kind: e.kind, message: e.message.en }, 'sync error');
    }
    if (e.type === 'parked') {
      this.#lastError = { at: e.at, code: 'parked', message: { zh: `平台拒收 ${e.outboxIds.length} 条记录`, en: `The platform refused ${e.outboxIds.length} record(s)` }, platformMessage: e.reason };
    }
    if (e.type === 'roster' && (e.statusChanged ?? 0) > 0) this.s.logger.info({ statusChanged: e.statusChanged }, 'roster: status changes from the platform applied');
    if (e.type === 'roster' && e.created + e.updated > 0) this.onRosterChanged?.();
    if (e.type === 'status') {
      const c = e.status.counts;
      this.#logProblems(e.status.problems);
      this.s.health.set('platform', platformHealth(e.status));
      this.s.events.publish({ type: 'sync.progress', backlog: c.pending + c.inflight + c.ambiguous, sent: c.sent, parked: c.parked, ...(e.status.reason ? { lastError: e.status.reason.zh } : {}), at: this.s.clock.now() });
    }
  }

  /** A problem that appears or ends is logged once, in plain words. */
  #logProblems(problems: SyncProblem[]): void {
    const codes = problems.map((p) => `${p.code}:${JSON.stringify(p.params)}`).sort().join(',');
    if (codes === this.#problemCodes) return;
    const before = this.#problemCodes;
    this.#problemCodes = codes;
    for (const p of problems) {
      if (before.includes(`${p.code}:${JSON.stringify(p.params)}`)) continue;
      const words = syncProblemText(p);
      this.s.logger.warn({ problem: p.code, params: p.params }, `sync problem: ${words.zh} / ${words.en}`);
    }
    if (problems.length === 0) this.s.logger.info('sync problems resolved');
  }

  /**
   * One heartbeat now, besides the schedule (commands are delivered with it; its outcome reaches
   * the sync status as the scheduled ones do); null without a platform link.
   */
  async beatNow(): Promise<HeartbeatResult | null> {
    return this.#heartbeat ? this.#heartbeat.beatNow() : null;
  }

  overview(): SyncOverview {
    const c = this.outbox.counts();
    const status = this.worker?.status() ?? null;
    return {
      enabled: this.worker !== null,
      connectivity: status?.connectivity ?? 'off',
      reason: status?.reason ?? this.#disabledReason,
      backlog: c.pending + c.inflight + c.ambiguous,
      parked: c.parked,
      oldestUnsentAt: c.oldestPendingAt,
      lastSentAt: status?.lastSuccessAt ?? null,
      lastError: this.#lastError,
      problems: status?.problems ?? [],
      clockSkew: status?.clockSkew ?? null,
      history: this.#history,
    };
  }

  /** Retry now: parked records go back to the queue, and the worker runs at once. */
  retry(actor: string): number {
    const n = this.s.store.tx(() => {
      const count = this.outbox.requeueParked('all', this.s.clock.now());
      this.s.audit.append(actor, 'sync.retry', null, { requeued: count });
      return count;
    });
    this.worker?.wake();
    return n;
  }

  async stop(): Promise<void> {
    this.#unsubscribe?.();
    if (this.#timer) clearInterval(this.#timer);
    this.#heartbeat?.stop();
    this.s.calendar.stopImports();
    this.roster?.stop();
    await this.worker?.stop();
    await this.simulator?.close();
  }

  /**
   * Stops the link and starts it again with what is stored now (a new appsecret takes effect
   * without restarting the core). The outbox is in the store: nothing queued is lost.
   */
  reload(): Promise<void> {
    // One reload at a time: two quick secret changes must not start the link twice.
    const next = this.#reloading.then(() => this.#reloadNow());
    this.#reloading = next.catch(() => undefined);
    return next;
  }

  #reloading: Promise<void> = Promise.resolve();

  async #reloadNow(): Promise<void> {
    await this.stop();
    this.#unsubscribe = null;
    this.#timer = null;
    this.#heartbeat = null;
    this.roster = null;
    this.worker = null;
    this.client = null;
    this.simulator = null;
    this.#disabledReason = null;
    this.#lastError = null;
    await this.start();
  }
}

/** /health's view of the platform link: fine only when online (or not yet tried) with no standing problem. */
export function platformHealth(status: Pick<SyncStatus, 'connectivity' | 'reason' | 'problems'>): ComponentHealth {
  if (status.problems.length > 0) {
    return { ok: false, detail: status.problems.map((p) => syncProblemText(p)).map((w) => `${w.zh} — ${w.en}`).join(' | ') };
  }
  if (status.connectivity === 'online' || status.connectivity === 'unknown') return { ok: true };
  return { ok: false, detail: status.reason ? `${status.reason.zh} — ${status.reason.en}` : status.connectivity };
}
