// Device heartbeat with health, and clock-skew measurement against the platform's time. The
// heartbeat method is not part of the national interface list (configure it per province);
// when the platform refuses it, the HTTP Date header of its answer still gives the time.
import type { ClockSkew, Bilingual } from '../../../edge-core/src/ports/platform.js';
import type { PlatformClient, ReplyTiming } from '../platform/client.js';
import { isPlatformError, type PlatformError } from '../platform/errors.js';
import type { CorrectedClock } from './corrected-clock.js';

export interface SkewSample {
  sentAt: number;
  receivedAt: number;
  /** Platform time, ms. */
  serverTime: number;
  /** Resolution of serverTime (1000 for the HTTP Date header). */
  resolutionMs: number;
}

export function estimateSkew(s: SkewSample, warnAboveMs: number): ClockSkew {
  const mid = (s.sentAt + s.receivedAt) / 2;
  // A Date header truncates to the second: the true time is up to 1 s later.
  const offsetMs = Math.round(s.serverTime + s.resolutionMs / 2 - mid);
  const uncertaintyMs = Math.round((s.receivedAt - s.sentAt) / 2 + s.resolutionMs / 2);
  const significant = Math.abs(offsetMs) > warnAboveMs;
  const secs = Math.round(offsetMs / 1000);
  const message: Bilingual | null = significant
    ? {
        zh: `设备时间与平台相差 ${Math.abs(secs)} 秒（设备${secs > 0 ? '偏慢' : '偏快'}），记录已按平台时间校正`,
        en: `Device clock is ${Math.abs(secs)} s ${secs > 0 ? 'behind' : 'ahead of'} the platform; records are stamped with the corrected time`,
      }
    : null;
  return { offsetMs, uncertaintyMs, measuredAt: s.receivedAt, significant, message };
}

/**
 * A remote command from the platform (variant: delivered in the heartbeat reply as
 * `data.commands`). The app executes and audits it: `set_param` (remote parameter change),
 * `restart`, `update` (params: `url` of an electron-updater generic provider, `version`).
 */
export interface RemoteCommand {
  commandId: string;
  type: 'set_param' | 'restart' | 'update';
  params: Record<string, unknown>;
}

export interface CommandOutcome {
  ok: boolean;
  message: string;
}

export interface HeartbeatOptions {
  client: PlatformClient;
  clock: CorrectedClock;
  deviceSn: string;
  health: () => Record<string, unknown>;
  /** Identity fields sent with each heartbeat (SiteGate extension): the device's Ed25519 public key, its ledger head. */
  identity?: () => { devicePublicKey?: string; ledgerHead?: unknown };
  /** Heartbeat method name (default 'Device.Heartbeat'; null: use Team.Query only for time). */
  method?: string | null;
  intervalMs?: number;
  /** Warn the supervisor above this skew (default 30 s, or half the timestamp window if smaller). */
  warnAboveMs?: number;
  onSkew?: (skew: ClockSkew) => void;
  /** Executes (and audits) a remote command; its outcome is acknowledged with the next heartbeat. */
  onCommand?: (cmd: RemoteCommand) => Promise<CommandOutcome> | CommandOutcome;
  /** Each beat's outcome (the outbox worker shows its refusals: the device key travels with it). */
  onResult?: (r: HeartbeatResult) => void;
  /**
   * Where unacknowledged outcomes wait for the next heartbeat (default: memory). A durable store
   * keeps them across a restart — the outcome of a `restart` command is sent by the next process.
   */
  ackStore?: { load(): CommandAck[]; save(acks: CommandAck[]): void };
}

export type CommandAck = { commandId: string } & CommandOutcome;

export interface HeartbeatResult {
  ok: boolean;
  /** The method called (null: none configured, Team.Query asked for the time). */
  method: string | null;
  commands: RemoteCommand[];
  skew: ClockSkew | null;
  error: Bilingual | null;
  /** Why it failed, as the platform error's kind, advice and result code. */
  failure: { kind: PlatformError['kind']; retry: PlatformError['retry']; message: Bilingual; code?: number; detail?: string } | null;
}

function sampleFrom(timing: ReplyTiming | null, data: unknown): SkewSample | null {
  if (!timing) return null;
  const ms = (data as { serverTimeMs?: unknown } | null)?.serverTimeMs;
  if (typeof ms === 'number') return { sentAt: timing.sentAt, receivedAt: timing.receivedAt, serverTime: ms, resolutionMs: 0 };
  if (timing.serverDate !== null) return { sentAt: timing.sentAt, receivedAt: timing.receivedAt, serverTime: timing.serverDate, resolutionMs: 1000 };
  return null;
}

function readCommands(data: unknown): RemoteCommand[] {
  const list = (data as { commands?: unknown } | null)?.commands;
  if (!Array.isArray(list)) return [];
  return list.flatMap((c: unknown) => {
    const o = c as Record<string, unknown>;
    const type = o?.type;
    if (typeof o?.commandId !== 'string' || (type !== 'set_param' && type !== 'restart' && type !== 'update')) return [];
    return [{ commandId: o.commandId, type, params: typeof o.params === 'object' && o.params !== null ? (o.params as Record<string, unknown>) : {} }];
  });
}

const pendingAcks = new WeakMap<HeartbeatOptions, CommandAck[]>();
const loadAcks = (o: HeartbeatOptions): CommandAck[] => (o.ackStore ? o.ackStore.load() : (pendingAcks.get(o) ?? []));
const saveAcks = (o: HeartbeatOptions, acks: CommandAck[]): void => {
  if (o.ackStore) o.ackStore.save(acks);
  else pendingAcks.set(o, acks);
};

export async function heartbeatOnce(o: HeartbeatOptions): Promise<HeartbeatResult> {
  // Warn before the platform's timestamp window starts refusing requests.
  const warn = o.warnAboveMs ?? Math.min(30_000, o.client.config.timestampWindowMs / 2);
  const method = o.method === undefined ? 'Device.Heartbeat' : o.method;
  let data: unknown = null;
  let error: Bilingual | null = null;
  let failure: HeartbeatResult['failure'] = null;
  const acks = loadAcks(o);
  try {
    data = method
      ? await o.client.call(method, { deviceSn: o.deviceSn, projectCode: o.client.config.projectCode, health: o.health(), acks, ...(o.identity?.() ?? {}) })
      : await o.client.call('Team.Query', { projectCode: o.client.config.projectCode, pageIndex: 0, pageSize: 1 });
  } catch (e) {
    if (!isPlatformError(e)) throw e;
    error = e.userMessage;
    failure = { kind: e.kind, retry: e.retry, message: e.userMessage, ...(e.code !== undefined ? { code: e.code } : {}), ...(e.detail !== undefined ? { detail: e.detail } : {}) };
  }
  // Delivered: keep only outcomes that arrived while the request was under way.
  if (error === null) saveAcks(o, loadAcks(o).filter((a) => !acks.some((s) => s.commandId === a.commandId)));
  const commands = readCommands(data);
  for (const cmd of commands) {
    let outcome: CommandOutcome;
    try {
      outcome = o.onCommand ? await o.onCommand(cmd) : { ok: false, message: 'commands not supported by this device' };
    } catch (e) {
      outcome = { ok: false, message: (e as Error).message };
    }
    saveAcks(o, [...loadAcks(o), { commandId: cmd.commandId, ...outcome }]);
  }
  const sample = sampleFrom(o.client.lastTiming, data);
  // Only trust a timing from a reply that arrived just now.
  const fresh = sample && o.client.config.localClock.now() - sample.receivedAt < 5000 ? sample : null;
  const skew = fresh ? estimateSkew(fresh, warn) : null;
  if (skew) {
    o.clock.update(skew);
    o.onSkew?.(skew);
  }
  return { ok: error === null, method, commands, skew, error, failure };
}

export function startHeartbeat(o: HeartbeatOptions): { stop(): void; last(): HeartbeatResult | null; beatNow(): Promise<HeartbeatResult> } {
  let last: HeartbeatResult | null = null;
  let stopped = false;
  let timer: NodeJS.Timeout | null = null;
  const beat = async (): Promise<HeartbeatResult> => {
    let r: HeartbeatResult;
    try {
      r = await heartbeatOnce(o);
    } catch (e) {
      r = { ok: false, method: o.method === undefined ? 'Device.Heartbeat' : o.method, commands: [], skew: null, error: { zh: `心跳失败：${(e as Error).message}`, en: `Heartbeat failed: ${(e as Error).message}` }, failure: null };
    }
    last = r;
    o.onResult?.(r);
    return r;
  };
  const tick = async (): Promise<void> => {
    await beat();
    if (!stopped) {
      timer = setTimeout(() => void tick(), o.intervalMs ?? 60_000);
      timer.unref();
    }
  };
  void tick();
  return {
    stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
    },
    last: () => last,
    /** One beat now, besides the schedule (after a settings change; tests). */
    beatNow: beat,
  };
}
