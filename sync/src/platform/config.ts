// Platform connection settings. Endpoint and credentials come from the site's settings; the
// variant knobs cover provinces that deviate from the national shape (PROTOCOLS.md §1).
import { systemClock, type Clock } from '../../../edge-core/src/ports/clock.js';
import { type FieldCrypto, type FieldCryptoName, type KeyFit, fieldCryptoByName } from './field-crypto.js';
import { type Signer, signerByName } from './signer.js';
import type { DeviceAttestor } from './attestation.js';
import { MANAGEMENT_ROLES, type ManagementRole } from '../../../edge-core/src/index.js';

/**
 * Codes of the notice's six management posts (赣建建〔2022〕9号 第五条) in the field
 * `managementPostField`. No public national or Jiangxi dictionary gives them: these are ours, in
 * the notice's order, and configurable (decision 0012).
 */
export const DEFAULT_MANAGEMENT_POST_CODES: Readonly<Record<ManagementRole, string>> = {
  project_manager: '01', // 项目负责人
  technical_lead: '02', // 技术负责人
  quality_officer: '03', // 质量员
  safety_officer: '04', // 安全员
  construction_officer: '05', // 施工员
  labour_officer: '06', // 劳务员
};
export const DEFAULT_MANAGEMENT_POST_FIELD = 'manageType';
/**
 * Method of helmet-refusal uploads (Jiangxi device standard 5). No national method exists: the
 * name is ours, configurable (decision 0012).
 */
export const DEFAULT_REFUSAL_METHOD = 'WorkerAccessRefusal.Add';

export interface PlatformConfig {
  /** Full URL the form is POSTed to, e.g. https://platform.example.gov.cn/api. */
  endpoint: string;
  appid: string;
  appsecret: string;
  /** projectCode of this site (项目编码). */
  projectCode: string;
  /** `version` parameter (default '1.0'). */
  version?: string;
  /** 'sha256' (national, default) or 'md5' (some cities), or a custom Signer. */
  signature?: 'sha256' | 'md5' | Signer;
  /** 'aes-256-cbc' (national, default) or 'des-cbc', or a custom FieldCrypto. */
  fieldCipher?: FieldCryptoName | FieldCrypto;
  /** How a secret that is not 32 bytes becomes the AES key (default 'strict': refuse). */
  fieldKeyFit?: KeyFit;
  /** Zone of the platform's wall-clock times (default Asia/Shanghai). */
  timeZone?: string;
  /** Accepted |device − platform| time difference (±6 min on some platforms; default 5 min). */
  timestampWindowMs?: number;
  /** Per-request deadline (default 20 s). */
  timeoutMs?: number;
  /** Largest reply accepted (default 8 MiB). */
  maxReplyBytes?: number;
  /** Verify a `sign` field on replies: 'if-present' (default), 'required' or 'ignore'. */
  replySignature?: 'if-present' | 'required' | 'ignore';
  /** Platform messages that mean the secret expired (default matches 过期/expired/失效). */
  expiredSecretPattern?: RegExp;
  /** Items per WorkerAttendance.Add (platform maximum 20). */
  attendanceBatchSize?: number;
  /** Items per ProjectWorker.Add (default 5: worker records carry photos). */
  workerBatchSize?: number;
  /** Rows per page for queries (default 50; 100 on some platforms). */
  pageSize?: number;
  /** Largest Base64-decoded JPEG sent (default 50 KB). */
  maxPhotoBytes?: number;
  /** Extra CA certificates (PEM) for a platform with a private CA. */
  ca?: string | Buffer;
  /** Clock used for `timestamp` (pass the skew-corrected clock). */
  clock?: Clock;
  /** The device's own, uncorrected clock: times a request's round trip for the skew estimate (default: system clock). */
  localClock?: Clock;
  /** Platform messages (with −1 or −2) that mean "request time outside the accepted window" (default matches 时间戳/timestamp … 超出/窗口/window…). */
  clockRefusalPattern?: RegExp;
  /** Reason texts of per-item async failures that mean "try again later" (not bad data). */
  transientItemPattern?: RegExp;
  /** Signs each attendance item with the device key (SiteGate extension fields). */
  attestor?: DeviceAttestor;
  /**
   * The roster query by change time (ASSUMPTION, decision 0011; Jiangxi's unconfirmed): the
   * method, the parameter carrying the earliest change time asked for, and the row field
   * holding a row's change time. Null: the platform has none (full pulls only).
   */
  rosterChanges?: Partial<RosterChangesQuery> | null;
  /** Method of a worker edit (national 'ProjectWorker.Update'; a province may name it otherwise). */
  workerUpdateMethod?: string;
  /** Method of departures (退场) and re-entries (进场) (national 'WorkerEntryExit.Add'). */
  entryExitMethod?: string;
  /** Query of a worker's departures and re-entries, to settle an unclear send (national 'WorkerEntryExit.Query'). */
  entryExitQueryMethod?: string;
  /** Items per entry/exit request (default 20). */
  entryExitBatchSize?: number;
  /** Method of helmet-refusal uploads (default DEFAULT_REFUSAL_METHOD). */
  refusalMethod?: string;
  /** Device serial sent with refusals (default: the attestor's). */
  deviceSn?: string;
  /** Worker field carrying a manager's post (default 'manageType'). */
  managementPostField?: string;
  /** Codes of the six posts, where the platform's differ from DEFAULT_MANAGEMENT_POST_CODES. */
  managementPostCodes?: Partial<Record<ManagementRole, string>>;
}

export interface RosterChangesQuery {
  method: string;
  sinceParam: string;
  timeField: string;
}

export const DEFAULT_ROSTER_CHANGES: RosterChangesQuery = { method: 'ProjectWorker.Query', sinceParam: 'updateTimeBegin', timeField: 'updateTime' };

export interface ResolvedPlatformConfig {
  endpoint: URL;
  appid: string;
  appsecret: string;
  projectCode: string;
  version: string;
  signer: Signer;
  fieldCrypto: FieldCrypto;
  timeZone: string;
  timestampWindowMs: number;
  timeoutMs: number;
  maxReplyBytes: number;
  replySignature: 'if-present' | 'required' | 'ignore';
  expiredSecretPattern: RegExp;
  attendanceBatchSize: number;
  workerBatchSize: number;
  pageSize: number;
  maxPhotoBytes: number;
  ca: string | Buffer | undefined;
  clock: Clock;
  localClock: Clock;
  clockRefusalPattern: RegExp;
  transientItemPattern: RegExp;
  attestor: DeviceAttestor | null;
  rosterChanges: RosterChangesQuery | null;
  workerUpdateMethod: string;
  entryExitMethod: string;
  entryExitQueryMethod: string;
  entryExitBatchSize: number;
  refusalMethod: string;
  /** Null: unknown (a refusal cannot be sent without it). */
  deviceSn: string | null;
  managementPosts: { field: string; codes: Readonly<Record<ManagementRole, string>> };
}

export const PLATFORM_MAX_ATTENDANCE_BATCH = 20;

function methodName(v: string | undefined, national: string): string {
  if (v === undefined) return national;
  if (!/^[A-Za-z][A-Za-z0-9_]*(\.[A-Za-z][A-Za-z0-9_]*)+$/.test(v)) throw new Error(`platform method name '${v}' is not of the form Object.Action`);
  return v;
}

function batchOf(name: string, n: number): number {
  if (!Number.isInteger(n) || n < 1 || n > PLATFORM_MAX_ATTENDANCE_BATCH) throw new Error(`${name} must be 1..${PLATFORM_MAX_ATTENDANCE_BATCH}`);
  return n;
}

function managementPosts(field: string | undefined, codes: Partial<Record<ManagementRole, string>> | undefined): ResolvedPlatformConfig['managementPosts'] {
  const f = field ?? DEFAULT_MANAGEMENT_POST_FIELD;
  if (!/^[A-Za-z][A-Za-z0-9_]*$/.test(f)) throw new Error(`managementPostField '${f}' is not a field name`);
  for (const k of Object.keys(codes ?? {})) if (!(MANAGEMENT_ROLES as readonly string[]).includes(k)) throw new Error(`managementPostCodes: '${k}' is not one of ${MANAGEMENT_ROLES.join(', ')}`);
  const all = { ...DEFAULT_MANAGEMENT_POST_CODES, ...codes };
  const values = Object.values(all);
  if (values.some((v) => typeof v !== 'string' || v.trim() === '')) throw new Error('managementPostCodes: every post needs a non-empty code');
  if (new Set(values).size !== values.length) throw new Error('managementPostCodes: two posts share a code');
  return { field: f, codes: all };
}

export function resolvePlatformConfig(c: PlatformConfig): ResolvedPlatformConfig {
  let endpoint: URL;
  try {
    endpoint = new URL(c.endpoint);
  } catch {
    throw new Error(`platform endpoint '${c.endpoint}' is not a URL`);
  }
  if (endpoint.protocol !== 'https:' && endpoint.protocol !== 'http:') throw new Error(`platform endpoint must be http(s): ${c.endpoint}`);
  if (!c.appid) throw new Error('platform appid is empty');
  if (!c.appsecret) throw new Error('platform appsecret is empty');
  const signer = typeof c.signature === 'object' ? c.signature : signerByName(c.signature ?? 'sha256');
  const fieldCrypto =
    typeof c.fieldCipher === 'object' ? c.fieldCipher : fieldCryptoByName(c.fieldCipher ?? 'aes-256-cbc', c.appsecret, c.fieldKeyFit ?? 'strict');
  const batch = c.attendanceBatchSize ?? PLATFORM_MAX_ATTENDANCE_BATCH;
  if (batch < 1 || batch > PLATFORM_MAX_ATTENDANCE_BATCH) throw new Error(`attendanceBatchSize must be 1..${PLATFORM_MAX_ATTENDANCE_BATCH}`);
  return {
    endpoint,
    appid: c.appid,
    appsecret: c.appsecret,
    projectCode: c.projectCode,
    version: c.version ?? '1.0',
    signer,
    fieldCrypto,
    timeZone: c.timeZone ?? 'Asia/Shanghai',
    timestampWindowMs: c.timestampWindowMs ?? 5 * 60_000,
    timeoutMs: c.timeoutMs ?? 20_000,
    maxReplyBytes: c.maxReplyBytes ?? 8 * 1024 * 1024,
    replySignature: c.replySignature ?? 'if-present',
    expiredSecretPattern: c.expiredSecretPattern ?? /过期|失效|expired/i,
    attendanceBatchSize: batch,
    workerBatchSize: c.workerBatchSize ?? 5,
    pageSize: c.pageSize ?? 50,
    maxPhotoBytes: c.maxPhotoBytes ?? 50 * 1024,
    ca: c.ca,
    clock: c.clock ?? systemClock,
    localClock: c.localClock ?? systemClock,
    clockRefusalPattern: c.clockRefusalPattern ?? /(时间戳|timestamp).*(超出|超过|过期|窗口|无效|outside|window|expired|invalid|skew)|时间窗|请求时间.*(超出|无效|过期)/i,
    transientItemPattern: c.transientItemPattern ?? /繁忙|稍后|超时|重试|busy|later|timeout|retry/i,
    attestor: c.attestor ?? null,
    rosterChanges: c.rosterChanges === null ? null : { ...DEFAULT_ROSTER_CHANGES, ...c.rosterChanges },
    workerUpdateMethod: methodName(c.workerUpdateMethod, 'ProjectWorker.Update'),
    entryExitMethod: methodName(c.entryExitMethod, 'WorkerEntryExit.Add'),
    entryExitQueryMethod: methodName(c.entryExitQueryMethod, 'WorkerEntryExit.Query'),
    entryExitBatchSize: batchOf('entryExitBatchSize', c.entryExitBatchSize ?? 20),
    refusalMethod: methodName(c.refusalMethod, DEFAULT_REFUSAL_METHOD),
    deviceSn: c.deviceSn ?? c.attestor?.deviceSn ?? null,
    managementPosts: managementPosts(c.managementPostField, c.managementPostCodes),
  };
}
