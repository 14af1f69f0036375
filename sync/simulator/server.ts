// The platform simulator: a real HTTP server speaking the national real-name OpenAPI shape
// (form POST, signed, encrypted fields, async writes) over its own SQLite store, with rate
// limits and fault injection controlled over HTTP (/admin/...) or from code.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomBytes } from 'node:crypto';
import { decodeForm, replySignatureParams } from '../src/platform/envelope.js';
import { type FieldCrypto, type FieldCryptoName, fieldCryptoByName } from '../src/platform/field-crypto.js';
import { type Signer, signerByName, signaturesEqual } from '../src/platform/signer.js';
import { formatDateTime, formatRequestTimestamp, parseDateTime, parseRequestTimestamp } from '../src/platform/timestamp.js';
import { isValidResidentId } from '../src/platform/id-number.js';
import { FaultInjector, type FaultKind, type FaultSpec, type RandomFaults } from './faults.js';
import { SimStore, type SimAsyncRow, type SimEntryExitRow, type SimRefusalRow, type SimSealer, type SimWorkerRow, type SimWorkerState } from './sim-store.js';
import { attestationMessage } from '../src/platform/attestation.js';
import { importPublicKey, verifySignature } from '../../edge-core/src/index.js';
import type { KeyObject } from 'node:crypto';
import { AnchorRecord, type DeviceAnchors } from './anchor-record.js';
import { DEFAULT_MANAGEMENT_POST_CODES, DEFAULT_MANAGEMENT_POST_FIELD } from '../src/platform/config.js';

const POST_CODES = new Set(Object.values(DEFAULT_MANAGEMENT_POST_CODES));

function jpegBytes(v: unknown, key: string): number {
  if (typeof v !== 'string' || v.length > MAX_IMAGE_B64) throw new BadRequest(`${key} 超过 50KB`);
  const img = Buffer.from(v, 'base64');
  if (img.length < 4 || img[0] !== 0xff || img[1] !== 0xd8) throw new BadRequest(`${key} 不是 JPEG`);
  return img.length;
}

export interface SimApp {
  appid: string;
  appsecret: string;
  signature?: 'sha256' | 'md5';
  fieldCipher?: FieldCryptoName;
  /** Answer -2 "appsecret expired" to every call. */
  expired?: boolean;
  /** When set, other client addresses get -4. */
  allowedIps?: string[];
  /** Methods allowed (default: all implemented). */
  methods?: string[];
}

export interface SimulatorOptions {
  port?: number;
  host?: string;
  /** SQLite file; ':memory:' for a throw-away store. */
  dbPath: string;
  /**
   * Seals ID numbers and photos in that file (the demo passes the appliance's field cipher, so
   * they stay readable across restarts); default: a key kept in memory for this run only.
   */
  sealer?: SimSealer;
  apps?: SimApp[];
  /** Project codes known to the platform (default ['TEST-PROJECT-001']). */
  projects?: string[];
  /** Accepted |request timestamp − platform time| (default 10 min). */
  timestampWindowMs?: number;
  /** Result code of a request outside that window (default −2; some platforms answer −1). */
  timestampRefusalCode?: -1 | -2;
  /** Requests per second per appid, with a burst allowance (default 200/s, burst 400). */
  rateLimit?: { perSecond: number; burst: number; answer?: 'code-5' | 'http429' } | null;
  /** Delay before an async write's result is available (default 50 ms). */
  asyncDelayMs?: number;
  /** Sign replies (a variant; default true). */
  signReplies?: boolean;
  /** Platform clock (default Date.now), for clock-skew tests. */
  now?: () => number;
  /** Seed of the fault randomness. */
  seed?: number;
  log?: (line: string) => void;
  /** Refuse attendance items without a valid device signature (default: verify when signed). */
  requireDeviceSignatures?: boolean;
  /**
   * Rows per query page at most, whatever pageSize is asked (a platform that caps its pages):
   * a page then holds min(pageSize, maxPageSize) rows from pageIndex × that size, and
   * `totalCount` stays truthful. Default: no cap (pageSize 1..100 as asked).
   */
  maxPageSize?: number;
  /**
   * Provincial method names taken as national ones (e.g. {"Worker.Exit": "WorkerEntryExit.Add"}),
   * for an appliance configured with a province's names.
   */
  methodAliases?: Record<string, string>;
}

export const DEFAULT_SIM_APP: Required<Pick<SimApp, 'appid' | 'appsecret'>> = {
  appid: 'sitegate-test-app',
  appsecret: '0123456789abcdefABCDEF0123456789',
};

export const ALL_METHODS = [
  'WorkerAttendance.Add',
  'WorkerAttendance.Query',
  'ProjectWorker.Add',
  'ProjectWorker.Update',
  'ProjectWorker.Query',
  'WorkerEntryExit.Add',
  'WorkerEntryExit.Query',
  'Team.Add',
  'Team.Query',
  'AsyncHandleResult.Query',
  'Device.Heartbeat',
  // ASSUMPTION: not in the national list (see sync/src/calendar/calendar-pull.ts).
  'ProjectCalendar.Query',
  // Ours (decision 0012): helmet refusals, Jiangxi device standard 5.
  'WorkerAccessRefusal.Add',
] as const;

/** Fields of a refusal item: required, then optional; any other field is refused. */
const REFUSAL_REQUIRED = ['idCardType', 'idCardNumber', 'date', 'direction', 'deviceSn', 'refuseType', 'refuseReason'] as const;
const REFUSAL_FIELDS = new Set<string>([...REFUSAL_REQUIRED, 'image']);
/** refuseType codes known (sync/src/platform/wire.ts REFUSE_TYPE): 01 no helmet. */
const REFUSE_TYPES = new Set(['01']);

export interface SimStats {
  requests: number;
  byMethod: Record<string, number>;
  byCode: Record<string, number>;
  injected: Partial<Record<FaultKind, number>>;
  attendanceRows: number;
  rateLimited: number;
  lastHeartbeat: { at: number; device: unknown } | null;
  /** Command acknowledgements received from devices. */
  acks: Array<{ deviceSn: string; commandId: string; ok: boolean; message: string }>;
  /** Attendance items whose device signature verified, and those refused for a bad or missing one. */
  signaturesVerified: number;
  signaturesRejected: number;
  /** Ledger heads reported by devices in their heartbeats. */
  ledgerHeads: Record<string, unknown>;
  /** Heartbeat anchors not kept, with the reason (bad signature, another key). */
  anchorsRefused: number;
}

/** A remote device command delivered with the heartbeat reply. */
export interface SimCommand {
  commandId: string;
  type: 'set_param' | 'restart' | 'update';
  params: Record<string, unknown>;
}

export interface PlatformSimulator {
  readonly url: string;
  readonly port: number;
  readonly store: SimStore;
  readonly faults: FaultInjector;
  stats(): SimStats;
  setApp(app: SimApp): void;
  setTimeOffset(ms: number): void;
  /** Seeds the roster directly (as if enrolled on the platform by someone else). */
  seedTeam(t: { teamSysNo?: string; teamName: string; corpCode: string; corpName: string; projectCode?: string }): string;
  seedWorker(w: { idCardNumber: string; workerName: string; teamSysNo: string; workType?: string; corpCode?: string; corpName?: string; headImage?: string | null; projectCode?: string; workRole?: '10' | '20'; managePost?: string | null }): void;
  /**
   * Records a worker's status on the roster (退场 with its date, or null for re-entry; blacklist;
   * contract end), as a device's upload or the platform's administrator does; false when the
   * worker is not on the roster.
   */
  setWorkerState(idCardNumber: string, state: SimWorkerState, projectCode?: string): boolean;
  /** Queues a remote command for a device ('*' = the next device that calls). */
  sendCommand(deviceSn: string, type: SimCommand['type'], params?: Record<string, unknown>): string;
  /** Declares (or with dayType null, withdraws) a day of the project's construction calendar (ProjectCalendar.Query). */
  setCalendarDay(d: { date: string; dayType: 'weather' | 'stoppage' | 'holiday' | 'workday' | null; reason?: string; projectCode?: string }): void;
  /** Registers a device's Ed25519 public key (as its first heartbeat does). */
  registerDeviceKey(deviceSn: string, publicKey: Buffer): void;
  /** The chain anchors a device sent with its heartbeats (also GET /admin/anchors?deviceSn=). */
  anchors(deviceSn: string): DeviceAnchors;
  enqueueFaults(...f: FaultSpec[]): void;
  setRandomFaults(r: RandomFaults | null, seed?: number): void;
  clearFaults(): void;
  close(): Promise<void>;
}

interface Reply {
  code: number;
  message: string;
  data?: unknown;
}

class BadRequest extends Error {}

const MAX_BODY = 16 * 1024 * 1024;
const MAX_IMAGE_B64 = 50 * 1024;

function readBody(req: http.IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > MAX_BODY) {
        reject(new BadRequest('body too large'));
        req.destroy();
        return;
      }
      chunks.push(c);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

function asRecord(v: unknown, what: string): Record<string, unknown> {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) throw new BadRequest(`${what} must be an object`);
  return v as Record<string, unknown>;
}

function reqStr(o: Record<string, unknown>, key: string): string {
  const v = o[key];
  if (typeof v !== 'string' || v.length === 0) throw new BadRequest(`${key} is required`);
  return v;
}

function pageArgs(d: Record<string, unknown>, cap: number | undefined, maxSize = 100): { offset: number; limit: number; pageIndex: number } {
  const pageIndex = Number(d.pageIndex ?? 0);
  const asked = Number(d.pageSize ?? 50);
  if (!Number.isInteger(pageIndex) || pageIndex < 0) throw new BadRequest('pageIndex must be an integer ≥ 0');
  if (!Number.isInteger(asked) || asked < 1 || asked > maxSize) throw new BadRequest(`pageSize must be 1..${maxSize}`);
  // A capping platform silently answers fewer rows than asked and pages by its own size.
  const pageSize = cap === undefined ? asked : Math.min(asked, cap);
  return { offset: pageIndex * pageSize, limit: pageSize, pageIndex };
}

export async function startPlatformSimulator(opts: SimulatorOptions): Promise<PlatformSimulator> {
  const store = new SimStore(opts.dbPath, opts.sealer);
  const faults = new FaultInjector(opts.seed ?? 1);
  const apps = new Map<string, { app: SimApp; signer: Signer; crypto: FieldCrypto }>();
  const setApp = (app: SimApp): void => {
    apps.set(app.appid, {
      app,
      signer: signerByName(app.signature ?? 'sha256'),
      crypto: fieldCryptoByName(app.fieldCipher ?? 'aes-256-cbc', app.appsecret, 'zero-pad'),
    });
  };
  for (const a of opts.apps ?? [DEFAULT_SIM_APP]) setApp(a);
  const projects = new Set(opts.projects ?? ['TEST-PROJECT-001']);
  const defaultProject = [...projects][0] ?? 'TEST-PROJECT-001';
  const window = opts.timestampWindowMs ?? 10 * 60_000;
  const rate = opts.rateLimit === undefined ? { perSecond: 200, burst: 400, answer: 'code-5' as const } : opts.rateLimit;
  const asyncDelayMs = opts.asyncDelayMs ?? 50;
  if (opts.maxPageSize !== undefined && (!Number.isInteger(opts.maxPageSize) || opts.maxPageSize < 1)) throw new Error('maxPageSize must be a positive integer');
  const signReplies = opts.signReplies ?? true;
  let offsetMs = 0;
  const now = (): number => (opts.now ?? Date.now)() + offsetMs;
  const log = opts.log ?? (() => {});
  const buckets = new Map<string, { tokens: number; at: number }>();
  const stats: SimStats = { requests: 0, byMethod: {}, byCode: {}, injected: {}, attendanceRows: 0, rateLimited: 0, lastHeartbeat: null, acks: [], signaturesVerified: 0, signaturesRejected: 0, ledgerHeads: {}, anchorsRefused: 0 };
  const anchorRecord = new AnchorRecord(store.db);
  const deviceKeys = new Map<string, { raw: string; key: KeyObject }>();
  const registerDeviceKey = (deviceSn: string, publicKey: Buffer): void => {
    const known = deviceKeys.get(deviceSn);
    const raw = publicKey.toString('hex');
    if (known && known.raw !== raw) throw new BadRequest(`设备 ${deviceSn} 的公钥与已登记的不一致 (device key differs from the registered one)`);
    if (!known) deviceKeys.set(deviceSn, { raw, key: importPublicKey(publicKey) });
  };
  // Checks an item's device signature; throws BadRequest (an item failure) when it does not hold.
  const checkAttestation = (it: Record<string, unknown>, f: { projectCode: string; idCardType: string; idCardNumber: string; date: string; direction: string }): void => {
    if (it.deviceSign === undefined) {
      if (opts.requireDeviceSignatures) {
        stats.signaturesRejected++;
        throw new BadRequest('缺少设备签名 (device signature missing)');
      }
      return;
    }
    const sn = typeof it.deviceSn === 'string' ? it.deviceSn : '';
    const device = deviceKeys.get(sn);
    const eventId = typeof it.deviceEventId === 'string' ? it.deviceEventId : '';
    const sig = typeof it.deviceSign === 'string' ? Buffer.from(it.deviceSign, 'base64') : Buffer.alloc(0);
    const attendType = typeof it.attendType === 'string' ? it.attendType : '001';
    if (!device || !eventId || !verifySignature(device.key, attestationMessage({ ...f, attendType, deviceEventId: eventId }), sig)) {
      stats.signaturesRejected++;
      // An unknown device may simply not have sent its first heartbeat yet: a transient failure.
      throw new BadRequest(device ? '设备签名无效 (device signature invalid)' : `设备 ${sn} 公钥尚未登记，请稍后重试 (device key not registered yet, retry later)`);
    }
    stats.signaturesVerified++;
  };
  const commands = new Map<string, SimCommand[]>(); // by deviceSn ('*' = any device)
  const calendar = new Map<string, Map<string, { date: string; dayType: string; reason: string }>>(); // by project, by date
  let commandCounter = 0;
  let serialCounter = 0;
  const newSerial = (): string => `RSC${Date.now().toString(36)}${(++serialCounter).toString(36)}${randomBytes(3).toString('hex')}`;
  const newTeamSysNo = (): string => `T${randomBytes(6).toString('hex').toUpperCase()}`;
  const sockets = new Set<import('node:net').Socket>();

  function takeToken(appid: string): boolean {
    if (!rate) return true;
    const t = Date.now();
    const b = buckets.get(appid) ?? { tokens: rate.burst, at: t };
    b.tokens = Math.min(rate.burst, b.tokens + ((t - b.at) / 1000) * rate.perSecond);
    b.at = t;
    buckets.set(appid, b);
    if (b.tokens < 1) return false;
    b.tokens -= 1;
    return true;
  }

  function projectOf(d: Record<string, unknown>): string {
    const p = reqStr(d, 'projectCode');
    if (!projects.has(p)) throw new BadRequest(`projectCode ${p} 不存在`);
    return p;
  }

  function decryptField(crypto: FieldCrypto, v: unknown, key: string): string {
    if (typeof v !== 'string') throw new BadRequest(`${key} is required`);
    try {
      return crypto.decrypt(v);
    } catch {
      throw new BadRequest(`${key} 解密失败 (cannot decrypt)`);
    }
  }

  function asyncReply(serial: string, method: string, itemCount: number, failList: SimAsyncRow['failList']): Reply {
    const allFailed = failList.length > 0;
    store.putAsync({
      serial,
      method,
      status: allFailed ? '10' : '20',
      result: allFailed ? `${failList.length}/${itemCount} 条处理失败` : '处理成功',
      failList,
      readyAt: now() + asyncDelayMs,
      itemCount,
    });
    return { code: 0, message: '请求已受理', data: { requestSerialCode: serial } };
  }

  function attendanceAdd(d: Record<string, unknown>, crypto: FieldCrypto, fault: FaultSpec | null): Reply {
    const projectCode = projectOf(d);
    const teamSysNo = reqStr(d, 'teamSysNo');
    if (!store.teamExists(projectCode, teamSysNo)) throw new BadRequest(`teamSysNo ${teamSysNo} 不存在`);
    const list = d.dataList;
    if (!Array.isArray(list) || list.length === 0 || list.length > 20) throw new BadRequest('dataList must hold 1..20 items');
    const serial = newSerial();
    const failList: SimAsyncRow['failList'] = [];
    const rows: Array<Parameters<SimStore['insertAttendance']>[0][number]> = [];
    const transientAt = new Set<number>();
    if (fault?.kind === 'async-item-failure') {
      for (let i = 0; i < list.length; i++) if (faults.random() < 0.5) transientAt.add(i);
      if (transientAt.size === 0) transientAt.add(0);
    }
    list.forEach((raw, index) => {
      try {
        const it = asRecord(raw, 'dataList item');
        const idType = reqStr(it, 'idCardType');
        const id = decryptField(crypto, it.idCardNumber, 'idCardNumber');
        if (idType === '01' && !isValidResidentId(id)) throw new BadRequest('身份证号码校验失败 (invalid ID number)');
        const date = reqStr(it, 'date');
        if (parseDateTime(date) === null) throw new BadRequest('date 格式应为 yyyy-MM-dd HH:mm:ss');
        const direction = reqStr(it, 'direction');
        if (direction !== '01' && direction !== '02') throw new BadRequest('direction 应为 01 或 02');
        let imageBytes = 0;
        if (it.image !== undefined) {
          if (typeof it.image !== 'string' || it.image.length > MAX_IMAGE_B64) throw new BadRequest('image 超过 50KB');
          const img = Buffer.from(it.image, 'base64');
          if (img.length < 4 || img[0] !== 0xff || img[1] !== 0xd8) throw new BadRequest('image 不是 JPEG');
          imageBytes = img.length;
        }
        const presence = store.workerPresence(projectCode, id);
        if (presence === 'unknown') throw new BadRequest('人员不在项目花名册中 (worker not on the project roster)');
        if (presence === 'departed') throw new BadRequest('人员已退场 (worker has left the project)');
        checkAttestation(it, { projectCode, idCardType: idType, idCardNumber: id, date, direction });
        if (transientAt.has(index)) {
          failList.push({ index, reason: '系统繁忙，请稍后重试 (busy, retry later)' });
          return;
        }
        // A make-up (补卡, attendType 002) names who at the authority confirmed it and the document.
        const attendType = typeof it.attendType === 'string' ? it.attendType : '001';
        if (attendType !== '001' && attendType !== '002') throw new BadRequest('attendType 应为 001（人脸）或 002（补卡）');
        const makeup = attendType === '002' ? { makeupConfirmedBy: reqStr(it, 'makeupConfirmedBy'), makeupDocumentNo: reqStr(it, 'makeupDocumentNo') } : {};
        if (attendType === '002') reqStr(it, 'makeupReason');
        rows.push({ projectCode, teamSysNo, idCardNumber: id, date, direction, imageBytes, requestSerialCode: serial, createdAt: now(), attendType, ...makeup });
      } catch (e) {
        if (!(e instanceof BadRequest)) throw e;
        failList.push({ index, reason: e.message });
      }
    });
    return store.tx(() => {
      store.insertAttendance(rows);
      stats.attendanceRows += rows.length;
      return asyncReply(serial, 'WorkerAttendance.Add', list.length, failList);
    });
  }

  /** A workerList item of ProjectWorker.Add/Update, checked strictly, as the store's row. */
  function workerRow(raw: unknown, projectCode: string, crypto: FieldCrypto): Omit<SimWorkerRow, 'id'> {
    const w = asRecord(raw, 'workerList item');
    const idType = reqStr(w, 'idCardType');
    const id = decryptField(crypto, w.idCardNumber, 'idCardNumber');
    if (idType === '01' && !isValidResidentId(id)) throw new BadRequest('身份证号码校验失败 (invalid ID number)');
    if (w.payRollBankCardNumber !== undefined) decryptField(crypto, w.payRollBankCardNumber, 'payRollBankCardNumber');
    const teamSysNo = reqStr(w, 'teamSysNo');
    if (!store.teamExists(projectCode, teamSysNo)) throw new BadRequest(`teamSysNo ${teamSysNo} 不存在`);
    const head = w.headImage;
    if (head !== undefined && (typeof head !== 'string' || head.length > MAX_IMAGE_B64)) throw new BadRequest('headImage 超过 50KB');
    const workRole = w.workRole === undefined ? '20' : String(w.workRole);
    if (workRole !== '10' && workRole !== '20') throw new BadRequest('workRole 应为 10（管理人员）或 20（建筑工人）');
    // A manager's post is one of the notice's six; a worker has none.
    const post = w[DEFAULT_MANAGEMENT_POST_FIELD] === undefined ? null : String(w[DEFAULT_MANAGEMENT_POST_FIELD]);
    if (workRole === '10' && (post === null || !POST_CODES.has(post))) throw new BadRequest(`管理人员须填写管理岗位 ${DEFAULT_MANAGEMENT_POST_FIELD}（${[...POST_CODES].join('/')}）`);
    if (workRole === '20' && post !== null) throw new BadRequest('建筑工人不应填写管理岗位');
    const issueCardDate = w.issueCardDate === undefined ? null : String(w.issueCardDate);
    if (issueCardDate !== null && !/^\d{4}-\d{2}-\d{2}$/.test(issueCardDate)) throw new BadRequest('issueCardDate 格式应为 yyyy-MM-dd');
    const issueCardPicBytes = w.issueCardPic === undefined ? null : jpegBytes(w.issueCardPic, 'issueCardPic');
    return {
      workRole,
      managePost: post,
      issueCardDate,
      issueCardPicBytes,
      projectCode,
      idCardType: idType,
      idCardNumber: id,
      workerName: reqStr(w, 'workerName'),
      teamSysNo,
      workType: reqStr(w, 'workType'),
      corpCode: reqStr(w, 'corpCode'),
      corpName: reqStr(w, 'corpName'),
      isTeamLeader: Number(w.isTeamLeader ?? 0) === 1 ? 1 : 0,
      hasContract: Number(w.hasContract ?? 0) === 1 ? 1 : 0,
      hasInsurance: Number(w.hasBuyInsurance ?? 0) === 1 ? 1 : 0,
      headImage: typeof head === 'string' ? head : null,
      updatedAt: now(),
    };
  }

  /** ProjectWorker.Add registers workers (an upsert); Update changes workers already on the project. */
  function workerWrite(method: 'ProjectWorker.Add' | 'ProjectWorker.Update', d: Record<string, unknown>, crypto: FieldCrypto): Reply {
    const projectCode = projectOf(d);
    const list = d.workerList;
    if (!Array.isArray(list) || list.length === 0 || list.length > 20) throw new BadRequest('workerList must hold 1..20 items');
    const serial = newSerial();
    const failList: SimAsyncRow['failList'] = [];
    return store.tx(() => {
      list.forEach((raw, index) => {
        try {
          const row = workerRow(raw, projectCode, crypto);
          if (method === 'ProjectWorker.Update' && !store.workerExists(projectCode, row.idCardNumber)) {
            throw new BadRequest('人员不在项目花名册中，无法修改 (worker not on the project roster)');
          }
          store.upsertWorker(row);
        } catch (e) {
          if (!(e instanceof BadRequest)) throw e;
          failList.push({ index, reason: e.message });
        }
      });
      return asyncReply(serial, method, list.length, failList);
    });
  }

  /** WorkerEntryExit.Add: departures (type 0, 退场) and re-entries (type 1, 进场) of one team's workers. */
  function entryExitAdd(d: Record<string, unknown>, crypto: FieldCrypto): Reply {
    const projectCode = projectOf(d);
    const teamSysNo = reqStr(d, 'teamSysNo');
    reqStr(d, 'corpCode');
    reqStr(d, 'corpName');
    if (!store.teamExists(projectCode, teamSysNo)) throw new BadRequest(`teamSysNo ${teamSysNo} 不存在`);
    const list = d.workerList;
    if (!Array.isArray(list) || list.length === 0 || list.length > 20) throw new BadRequest('workerList must hold 1..20 items');
    const serial = newSerial();
    const failList: SimAsyncRow['failList'] = [];
    const rows: Array<Omit<SimEntryExitRow, 'id'>> = [];
    list.forEach((raw, index) => {
      try {
        const it = asRecord(raw, 'workerList item');
        const idType = reqStr(it, 'idCardType');
        const id = decryptField(crypto, it.idCardNumber, 'idCardNumber');
        if (idType === '01' && !isValidResidentId(id)) throw new BadRequest('身份证号码校验失败 (invalid ID number)');
        const date = reqStr(it, 'date');
        if (!/^\d{4}-\d{2}-\d{2}$/.test(date)) throw new BadRequest('date 格式应为 yyyy-MM-dd');
        const type = typeof it.type === 'number' ? String(it.type) : it.type;
        if (type !== '0' && type !== '1') throw new BadRequest('type 应为 1（进场）或 0（退场）');
        if (!store.workerExists(projectCode, id)) throw new BadRequest('人员不在项目花名册中 (worker not on the project roster)');
        rows.push({ projectCode, teamSysNo, idCardNumber: id, date, type, requestSerialCode: serial, createdAt: now() });
      } catch (e) {
        if (!(e instanceof BadRequest)) throw e;
        failList.push({ index, reason: e.message });
      }
    });
    return store.tx(() => {
      store.addEntryExit(rows);
      return asyncReply(serial, 'WorkerEntryExit.Add', list.length, failList);
    });
  }

  /**
   * WorkerAccessRefusal.Add (ours, decision 0012): refused passages of a project's workers. The
   * request's shape is checked strictly (an unknown or missing field refuses it whole, −1); a
   * person not on the roster fails per item; a refusal already held (same person, time and
   * direction) is accepted again without a second row, so an unclear send may simply be re-sent.
   */
  function refusalAdd(d: Record<string, unknown>, crypto: FieldCrypto): Reply {
    for (const k of Object.keys(d)) if (k !== 'projectCode' && k !== 'dataList') throw new BadRequest(`未知字段 ${k} (unknown field)`);
    const projectCode = projectOf(d);
    const list = d.dataList;
    if (!Array.isArray(list) || list.length === 0 || list.length > 20) throw new BadRequest('dataList must hold 1..20 items');
    const items = list.map((raw, index) => {
      const it = asRecord(raw, `dataList[${index}]`);
      for (const k of Object.keys(it)) if (!REFUSAL_FIELDS.has(k)) throw new BadRequest(`dataList[${index}] 未知字段 ${k} (unknown field)`);
      for (const k of REFUSAL_REQUIRED) reqStr(it, k);
      const date = it.date as string;
      if (parseDateTime(date) === null) throw new BadRequest(`dataList[${index}] date 格式应为 yyyy-MM-dd HH:mm:ss`);
      if (it.direction !== '01' && it.direction !== '02') throw new BadRequest(`dataList[${index}] direction 应为 01 或 02`);
      if (!REFUSE_TYPES.has(it.refuseType as string)) throw new BadRequest(`dataList[${index}] refuseType 应为 01（未戴安全帽）`);
      const imageBytes = it.image === undefined ? 0 : jpegBytes(it.image, `dataList[${index}] image`);
      return { it, date, imageBytes, id: decryptField(crypto, it.idCardNumber, `dataList[${index}] idCardNumber`) };
    });
    const serial = newSerial();
    const failList: SimAsyncRow['failList'] = [];
    const rows: Array<Omit<SimRefusalRow, 'id'>> = [];
    items.forEach(({ it, date, imageBytes, id }, index) => {
      const idType = it.idCardType as string;
      if (idType === '01' && !isValidResidentId(id)) failList.push({ index, reason: '身份证号码校验失败 (invalid ID number)' });
      else if (store.workerPresence(projectCode, id) === 'unknown') failList.push({ index, reason: '人员不在项目花名册中 (worker not on the project roster)' });
      else rows.push({ projectCode, idCardType: idType, idCardNumber: id, date, direction: it.direction as string, deviceSn: it.deviceSn as string, refuseType: it.refuseType as string, refuseReason: it.refuseReason as string, imageBytes, requestSerialCode: serial, createdAt: now() });
    });
    return store.tx(() => {
      store.addRefusals(rows);
      return asyncReply(serial, 'WorkerAccessRefusal.Add', list.length, failList);
    });
  }

  function dispatch(method: string, d: Record<string, unknown>, crypto: FieldCrypto, fault: FaultSpec | null, client: string): Reply {
    switch (method) {
      case 'WorkerAttendance.Add':
        return attendanceAdd(d, crypto, fault);
      case 'ProjectWorker.Add':
      case 'ProjectWorker.Update':
        return workerWrite(method, d, crypto);
      case 'WorkerEntryExit.Add':
        return entryExitAdd(d, crypto);
      case 'WorkerAccessRefusal.Add':
        return refusalAdd(d, crypto);
      case 'WorkerEntryExit.Query': {
        const p = pageArgs(d, opts.maxPageSize);
        const id = d.idCardNumber === undefined ? null : decryptField(crypto, d.idCardNumber, 'idCardNumber');
        const r = store.entryExitFor(projectOf(d), id, p.offset, p.limit);
        const rows = r.rows.map((e) => ({ idCardNumber: crypto.encrypt(e.idCardNumber), date: e.date, type: e.type, teamSysNo: e.teamSysNo }));
        return { code: 0, message: 'success', data: { rows, totalCount: r.total, pageIndex: p.pageIndex } };
      }
      case 'Team.Add': {
        const projectCode = projectOf(d);
        const serial = newSerial();
        const ok = store.addTeam({ teamSysNo: newTeamSysNo(), projectCode, teamName: reqStr(d, 'teamName'), corpCode: reqStr(d, 'corpCode'), corpName: reqStr(d, 'corpName'), now: now() });
        return asyncReply(serial, 'Team.Add', 1, ok ? [] : [{ index: 0, reason: '班组已存在 (team exists)' }]);
      }
      case 'Team.Query': {
        const p = pageArgs(d, opts.maxPageSize);
        const r = store.teams(projectOf(d), typeof d.teamName === 'string' ? d.teamName : null, p.offset, p.limit);
        return { code: 0, message: 'success', data: { rows: r.rows, totalCount: r.total, pageIndex: p.pageIndex } };
      }
      case 'ProjectWorker.Query': {
        const p = pageArgs(d, opts.maxPageSize);
        // ASSUMPTION (decision 0011): a query by modification time, `updateTimeBegin` in the
        // platform's wall-clock format; rows then come oldest change first.
        let since: number | null = null;
        if (d.updateTimeBegin !== undefined) {
          since = typeof d.updateTimeBegin === 'string' ? parseDateTime(d.updateTimeBegin) : null;
          if (since === null) throw new BadRequest('updateTimeBegin 格式应为 yyyy-MM-dd HH:mm:ss');
        }
        const r = store.workers(projectOf(d), p.offset, p.limit, since);
        if (p.offset > 0 && p.offset >= r.total) throw new BadRequest(`pageIndex ${p.pageIndex} 超出范围 (beyond the last page)`);
        const rows = r.rows.map((w) => ({
          workerName: w.workerName,
          idCardType: w.idCardType,
          idCardNumber: crypto.encrypt(w.idCardNumber),
          teamSysNo: w.teamSysNo,
          workType: w.workType,
          corpCode: w.corpCode,
          corpName: w.corpName,
          isTeamLeader: w.isTeamLeader,
          hasContract: w.hasContract,
          hasBuyInsurance: w.hasInsurance,
          headImage: w.headImage,
          updateTime: formatDateTime(w.updatedAt),
          exitDate: w.exitDate ?? '',
          isBlacklist: w.blacklisted ? 1 : 0,
          contractEndDate: w.contractEnd ?? '',
          workRole: w.workRole,
          ...(w.managePost ? { [DEFAULT_MANAGEMENT_POST_FIELD]: w.managePost } : {}),
          ...(w.issueCardDate ? { issueCardDate: w.issueCardDate } : {}),
        }));
        return { code: 0, message: 'success', data: { rows, totalCount: r.total, pageIndex: p.pageIndex } };
      }
      case 'WorkerAttendance.Query': {
        const p = pageArgs(d, opts.maxPageSize);
        const day = reqStr(d, 'date');
        if (!/^\d{4}-\d{2}-\d{2}$/.test(day)) throw new BadRequest('date 格式应为 yyyy-MM-dd');
        const id = decryptField(crypto, d.idCardNumber, 'idCardNumber');
        const r = store.attendanceFor(projectOf(d), id, day, p.offset, p.limit);
        const rows = r.rows.map((a) => ({ idCardNumber: crypto.encrypt(a.idCardNumber), date: a.date, direction: a.direction, teamSysNo: a.teamSysNo }));
        return { code: 0, message: 'success', data: { rows, totalCount: r.total, pageIndex: p.pageIndex } };
      }
      case 'AsyncHandleResult.Query': {
        const a = store.getAsync(reqStr(d, 'requestSerialCode'));
        if (!a) throw new BadRequest('requestSerialCode 不存在');
        if (now() < a.readyAt) return { code: 0, message: 'success', data: { status: '0', result: '待处理' } };
        return { code: 0, message: 'success', data: { status: a.status, result: a.result, ...(a.failList.length ? { failList: a.failList } : {}) } };
      }
      case 'ProjectCalendar.Query': {
        const p = pageArgs(d, opts.maxPageSize);
        const from = reqStr(d, 'startDate');
        const to = reqStr(d, 'endDate');
        if (!/^\d{4}-\d{2}-\d{2}$/.test(from) || !/^\d{4}-\d{2}-\d{2}$/.test(to)) throw new BadRequest('startDate/endDate 格式应为 yyyy-MM-dd');
        const all = [...(calendar.get(projectOf(d))?.values() ?? [])].filter((c) => c.date >= from && c.date <= to).sort((a, b) => (a.date < b.date ? -1 : 1));
        return { code: 0, message: 'success', data: { rows: all.slice(p.offset, p.offset + p.limit), totalCount: all.length, pageIndex: p.pageIndex } };
      }
      case 'Device.Heartbeat': {
        stats.lastHeartbeat = { at: now(), device: { ...d, client } };
        const sn = typeof d.deviceSn === 'string' ? d.deviceSn : '';
        if (typeof d.devicePublicKey === 'string') registerDeviceKey(sn, Buffer.from(d.devicePublicKey, 'hex'));
        if (d.ledgerHead !== undefined) {
          stats.ledgerHeads[sn] = d.ledgerHead;
          const refused = anchorRecord.receive(sn, d.ledgerHead, deviceKeys.get(sn)?.raw ?? null, now());
          if (refused) {
            stats.anchorsRefused++;
            log(`anchor of ${sn} not kept: ${refused}`);
          }
        }
        if (Array.isArray(d.acks)) {
          for (const a of d.acks as Array<Record<string, unknown>>) {
            stats.acks.push({ deviceSn: sn, commandId: String(a.commandId ?? ''), ok: a.ok === true, message: String(a.message ?? '') });
          }
        }
        const due = [...(commands.get(sn) ?? []), ...(commands.get('*') ?? [])];
        commands.delete(sn);
        commands.delete('*');
        return { code: 0, message: 'success', data: { serverTime: formatRequestTimestamp(now()), serverTimeMs: now(), commands: due } };
      }
      default:
        return { code: -3, message: `无权限调用该接口: ${method}` };
    }
  }

  /** Verifies the envelope and runs the method; the write (if any) is committed on return. */
  function process(params: Record<string, string>, client: string, fault: FaultSpec | null): Reply {
    const entry = apps.get(params.appid ?? '');
    if (!entry) return { code: -3, message: 'appid 无效 (unknown appid)' };
    const { app, signer, crypto } = entry;
    if (app.expired) return { code: -2, message: 'appsecret 已过期 (expired)' };
    if (app.allowedIps && !app.allowedIps.includes(client)) return { code: -4, message: `IP ${client} 不在白名单` };
    for (const k of ['data', 'format', 'method', 'nonce', 'timestamp', 'version', 'sign']) {
      if (!params[k]) return { code: -1, message: `缺少参数 ${k}` };
    }
    const ts = parseRequestTimestamp(params.timestamp ?? '');
    if (ts === null || Math.abs(ts - now()) > window) return { code: opts.timestampRefusalCode ?? -2, message: 'timestamp 超出有效时间窗口 (timestamp outside window)' };
    if (!signaturesEqual(params.sign ?? '', signer.sign(params, app.appsecret))) return { code: -2, message: '签名错误 (bad signature)' };
    const method = opts.methodAliases?.[params.method ?? ''] ?? params.method ?? '';
    if (app.methods && !app.methods.includes(method)) return { code: -3, message: `无权限调用该接口: ${method}` };
    if (!takeToken(app.appid)) {
      stats.rateLimited++;
      return { code: -5, message: '请求过于频繁 (rate limited)' };
    }
    let data: Record<string, unknown>;
    try {
      data = asRecord(JSON.parse(params.data ?? ''), 'data');
    } catch {
      return { code: -1, message: 'data 不是合法 JSON' };
    }
    try {
      return dispatch(method, data, crypto, fault, client);
    } catch (e) {
      if (e instanceof BadRequest) return { code: -1, message: e.message };
      throw e;
    }
  }

  function signedBody(r: Reply, appid: string | undefined, corrupt: boolean): string {
    const body: Record<string, unknown> = { code: r.code, message: r.message };
    if (r.data !== undefined) body.data = r.data;
    const entry = appid ? apps.get(appid) : undefined;
    if (signReplies && entry) {
      const sign = entry.signer.sign(replySignatureParams(r.code, r.message, r.data), entry.app.appsecret);
      body.sign = corrupt ? sign.replace(/^./, (c) => (c === '0' ? '1' : '0')) : sign;
    }
    return JSON.stringify(body);
  }

  function send(res: http.ServerResponse, status: number, body: string, headers: Record<string, string> = {}): void {
    res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(body), date: new Date(now()).toUTCString(), ...headers });
    res.end(body);
  }

  function hang(req: http.IncomingMessage, ms: number): Promise<void> {
    return new Promise((resolve) => {
      const t = setTimeout(() => {
        req.socket.destroy();
        resolve();
      }, ms);
      req.socket.once('close', () => {
        clearTimeout(t);
        resolve();
      });
    });
  }

  async function handleApi(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const text = await readBody(req);
    const params = decodeForm(text);
    const method = params.method ?? '';
    stats.requests++;
    stats.byMethod[method] = (stats.byMethod[method] ?? 0) + 1;
    const client = (req.socket.remoteAddress ?? '').replace(/^::ffff:/, '');
    const fault = faults.next(method);
    if (fault) {
      stats.injected[fault.kind] = (stats.injected[fault.kind] ?? 0) + 1;
      switch (fault.kind) {
        case 'timeout':
          return hang(req, fault.delayMs ?? 60_000);
        case 'reset-before-commit':
          req.socket.destroy();
          return;
        case 'http503':
          return send(res, 503, 'Service Unavailable', {
            'content-type': 'text/plain',
            ...(fault.retryAfterS !== undefined ? { 'retry-after': String(fault.retryAfterS) } : {}),
          });
        case 'http429':
          return send(res, 429, 'Too Many Requests', { 'content-type': 'text/plain', 'retry-after': String(fault.retryAfterS ?? 1) });
        case 'html':
          return send(res, 200, '<!DOCTYPE html><html><head><title>502 Bad Gateway</title></head><body><h1>502 Bad Gateway</h1></body></html>', { 'content-type': 'text/html' });
        case 'redirect':
          return send(res, 302, '', { location: 'http://captive.portal.local/login' });
        case 'code-2':
          return send(res, 200, signedBody({ code: -2, message: '签名错误 (injected)' }, params.appid, false));
        case 'code-5':
          return send(res, 200, signedBody({ code: -5, message: '请求过于频繁 (injected)' }, params.appid, false));
        default:
          break;
      }
    }
    const reply = process(params, client, fault);
    stats.byCode[String(reply.code)] = (stats.byCode[String(reply.code)] ?? 0) + 1;
    if (reply.code !== 0) log(`${method} → ${reply.code} ${reply.message}`);
    switch (fault?.kind) {
      case 'http500':
        return send(res, 500, 'Internal Server Error', { 'content-type': 'text/plain' });
      case 'timeout-after-commit':
        return hang(req, fault.delayMs ?? 60_000);
      case 'reset-after-commit':
        req.socket.destroy();
        return;
      case 'slow':
        await sleep(fault.delayMs ?? 3000);
        return send(res, 200, signedBody(reply, params.appid, false));
      case 'malformed-json':
        return send(res, 200, signedBody(reply, params.appid, false).slice(0, -7) + '},,');
      case 'truncated': {
        const body = signedBody(reply, params.appid, false);
        res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
        res.write(body.slice(0, Math.floor(body.length / 2)));
        setTimeout(() => req.socket.destroy(), 10);
        return;
      }
      case 'bad-reply-sign':
        return send(res, 200, signedBody(reply, params.appid, true));
      case 'unknown-code':
        return send(res, 200, signedBody({ code: 7, message: '未知状态' }, params.appid, false));
      default:
        return send(res, 200, signedBody(reply, params.appid, false));
    }
  }

  async function handleAdmin(req: http.IncomingMessage, res: http.ServerResponse, url: URL): Promise<void> {
    const json = (status: number, v: unknown): void => send(res, status, JSON.stringify(v));
    const body = req.method === 'POST' ? await readBody(req) : '';
    const input = body ? (JSON.parse(body) as Record<string, unknown>) : {};
    const path = url.pathname;
    if (path === '/admin/status' && req.method === 'GET') return json(200, api.stats());
    if (path === '/admin/faults' && req.method === 'GET') return json(200, faults.plan());
    if (path === '/admin/faults' && req.method === 'DELETE') {
      faults.clear();
      return json(200, { ok: true });
    }
    if (path === '/admin/faults' && req.method === 'POST') {
      if (Array.isArray(input.queue)) faults.enqueue(...(input.queue as FaultSpec[]));
      if (input.random !== undefined) faults.setRandom(input.random as RandomFaults | null, typeof input.seed === 'number' ? input.seed : undefined);
      return json(200, faults.plan());
    }
    if (path === '/admin/apps' && req.method === 'POST') {
      const appid = String(input.appid ?? '');
      const prev = apps.get(appid)?.app;
      if (!prev && typeof input.appsecret !== 'string') return json(400, { error: 'new app needs appsecret' });
      setApp({ ...(prev ?? { appid, appsecret: '' }), ...(input as Partial<SimApp>), appid } as SimApp);
      return json(200, { ok: true });
    }
    if (path === '/admin/commands' && req.method === 'POST') {
      const type = String(input.type ?? '');
      if (!['set_param', 'restart', 'update'].includes(type)) return json(400, { error: 'type must be set_param, restart or update' });
      const id = api.sendCommand(String(input.deviceSn ?? '*'), type as SimCommand['type'], (input.params ?? {}) as Record<string, unknown>);
      return json(200, { commandId: id });
    }
    if (path === '/admin/calendar' && req.method === 'POST') {
      api.setCalendarDay(input as Parameters<PlatformSimulator['setCalendarDay']>[0]);
      return json(200, { ok: true });
    }
    if (path === '/admin/time' && req.method === 'POST') {
      offsetMs = Number(input.offsetMs ?? 0);
      return json(200, { offsetMs });
    }
    if (path === '/admin/teams' && req.method === 'POST') {
      return json(200, { teamSysNo: api.seedTeam(input as Parameters<PlatformSimulator['seedTeam']>[0]) });
    }
    if (path === '/admin/workers' && req.method === 'POST') {
      api.seedWorker(input as Parameters<PlatformSimulator['seedWorker']>[0]);
      return json(200, { ok: true });
    }
    if (path === '/admin/worker-state' && req.method === 'POST') {
      const { idCardNumber, projectCode, ...state } = input as SimWorkerState & { idCardNumber?: unknown; projectCode?: unknown };
      if (typeof idCardNumber !== 'string') return json(400, { error: 'idCardNumber is required' });
      const found = api.setWorkerState(idCardNumber, state, typeof projectCode === 'string' ? projectCode : undefined);
      return json(found ? 200 : 404, found ? { ok: true } : { error: 'worker not on the roster' });
    }
    if (path === '/admin/anchors' && req.method === 'GET') {
      const sn = url.searchParams.get('deviceSn');
      if (!sn) return json(400, { error: 'deviceSn is required' });
      return json(200, anchorRecord.of(sn));
    }
    if (path === '/admin/attendance' && req.method === 'GET') {
      const limit = Number(url.searchParams.get('limit') ?? 50);
      const rows = store.allAttendance().slice(-limit).map((r) => ({ ...r, idCardNumber: `${r.idCardNumber.slice(0, 4)}**********${r.idCardNumber.slice(-4)}` }));
      return json(200, { total: store.attendanceCount(), rows });
    }
    return json(404, { error: 'unknown admin path' });
  }

  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://sim');
    const p = url.pathname.startsWith('/admin/') ? handleAdmin(req, res, url) : handleApi(req, res);
    p.catch((err: unknown) => {
      log(`error: ${(err as Error).message}`);
      if (!res.headersSent && !res.destroyed) send(res, err instanceof BadRequest || err instanceof SyntaxError ? 400 : 500, JSON.stringify({ error: (err as Error).message }));
    });
  });
  server.keepAliveTimeout = 30_000;
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, opts.host ?? '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;

  const api: PlatformSimulator = {
    url: `http://${opts.host ?? '127.0.0.1'}:${port}/api`,
    port,
    store,
    faults,
    stats: () => ({ ...stats, injected: Object.fromEntries(faults.injected), attendanceRows: store.attendanceCount() }),
    setApp,
    setTimeOffset: (ms) => {
      offsetMs = ms;
    },
    seedTeam(t) {
      const teamSysNo = t.teamSysNo ?? newTeamSysNo();
      store.addTeam({ teamSysNo, projectCode: t.projectCode ?? defaultProject, teamName: t.teamName, corpCode: t.corpCode, corpName: t.corpName, now: now() });
      return teamSysNo;
    },
    seedWorker(w) {
      store.upsertWorker({
        projectCode: w.projectCode ?? defaultProject,
        idCardType: '01',
        idCardNumber: w.idCardNumber,
        workerName: w.workerName,
        teamSysNo: w.teamSysNo,
        workType: w.workType ?? '010',
        corpCode: w.corpCode ?? '91999999MA00000000',
        corpName: w.corpName ?? '测试劳务公司',
        isTeamLeader: 0,
        hasContract: 0,
        hasInsurance: 0,
        headImage: w.headImage ?? null,
        updatedAt: now(),
        workRole: w.workRole ?? '20',
        managePost: w.managePost ?? null,
      });
    },
    registerDeviceKey,
    setWorkerState: (idCardNumber, state, projectCode) => store.setWorkerState(projectCode ?? defaultProject, idCardNumber, state, now()),
    setCalendarDay(c) {
      const project = c.projectCode ?? defaultProject;
      const days = calendar.get(project) ?? new Map();
      if (c.dayType === null) days.delete(c.date);
      else days.set(c.date, { date: c.date, dayType: c.dayType, reason: c.reason ?? '' });
      calendar.set(project, days);
    },
    anchors: (deviceSn) => anchorRecord.of(deviceSn),
    sendCommand(deviceSn, type, params = {}) {
      const commandId = `CMD${++commandCounter}`;
      const list = commands.get(deviceSn) ?? [];
      list.push({ commandId, type, params });
      commands.set(deviceSn, list);
      return commandId;
    },
    enqueueFaults: (...f) => faults.enqueue(...f),
    setRandomFaults: (r, seed) => faults.setRandom(r, seed),
    clearFaults: () => faults.clear(),
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => {
          store.close();
          resolve();
        });
      }),
  };
  return api;
}
