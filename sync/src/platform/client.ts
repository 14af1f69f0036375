// The platform client: signs and sends one method call, checks the reply, and offers the
// methods the appliance uses with plain (unencrypted) values in and out.
import { randomBytes } from 'node:crypto';
import { parseAsyncResult, type AsyncResult } from './async-result.js';
import { DEFAULT_ROSTER_CHANGES, type PlatformConfig, type ResolvedPlatformConfig, resolvePlatformConfig } from './config.js';
import { buildRequestParams, encodeForm, parseReply } from './envelope.js';
import { PlatformError } from './errors.js';
import { FieldCryptoError } from './field-crypto.js';
import { createHttpTransport, type Transport } from './http-transport.js';
import type { PlatformRosterWorker } from '../../../edge-core/src/ports/platform.js';
import { attendanceItem, directionFromWire, entryExitActionFromWire, entryExitItem, refusalItem, workerFromWire, workerItem, type AttendanceOut, type EntryExitOut, type RefusalOut, type WorkerOut } from './wire.js';

/** What the client takes: the store's own field names; wire.ts maps them to the platform's. */
export type AttendanceInput = AttendanceOut;
export type WorkerInput = WorkerOut;
export type EntryExitInput = EntryExitOut;
export type RefusalInput = RefusalOut;

/** The team a departure or re-entry is reported under (the request's top level). */
export interface EntryExitTeam {
  teamSysNo: string;
  corpCode: string;
  corpName: string;
}

export interface PlatformEntryExitRow {
  /** Decrypted. */
  idNumber: string;
  date: string;
  /** null: a type this version does not know (never matched). */
  action: 'entry' | 'exit' | null;
}

export interface TeamInput {
  corpCode: string;
  corpName: string;
  teamName: string;
}

export interface Page<T> {
  rows: T[];
  totalCount: number | null;
}

/** A roster row in the store's terms (ID number decrypted, photo decoded), with the raw wire row. */
export interface PlatformWorkerRow extends PlatformRosterWorker {
  hasContract: boolean;
  hasInsurance: boolean;
  raw: Record<string, unknown>;
}

export interface PlatformAttendanceRow {
  /** Decrypted. */
  idNumber: string;
  /** The platform's wall-clock time, yyyy-MM-dd HH:mm:ss. */
  date: string;
  direction: 'in' | 'out';
  teamSysNo: string | null;
}

export interface TeamRow {
  teamSysNo: string;
  teamName: string;
  corpCode: string | null;
}

/** Timing of the last answered call, for clock-skew estimation. */
export interface ReplyTiming {
  sentAt: number;
  receivedAt: number;
  /** Server time from the HTTP Date header (1 s resolution), ms. */
  serverDate: number | null;
}

export interface ClientStats {
  requests: number;
  requestBytes: number;
  replies: number;
}

export interface PlatformClient {
  readonly config: ResolvedPlatformConfig;
  readonly stats: ClientStats;
  lastTiming: ReplyTiming | null;
  call(method: string, data: unknown): Promise<unknown>;
  /** Builds the WorkerAttendance.Add `data` (encrypts ID numbers, fits photos). */
  attendanceData(teamSysNo: string, items: readonly AttendanceInput[]): Promise<Record<string, unknown>>;
  addAttendance(teamSysNo: string, items: readonly AttendanceInput[]): Promise<string>;
  addWorkers(workers: readonly WorkerInput[]): Promise<string>;
  /** ProjectWorker.Update (configurable): the workers as they now are. */
  updateWorkers(workers: readonly WorkerInput[]): Promise<string>;
  /** WorkerEntryExit.Add (configurable): departures and re-entries of one team. */
  addEntryExit(team: EntryExitTeam, items: readonly EntryExitInput[]): Promise<string>;
  /** WorkerEntryExit.Query (configurable): one worker's departures and re-entries on this project. */
  queryEntryExit(q: { idNumber: string; pageIndex?: number; pageSize?: number }): Promise<Page<PlatformEntryExitRow>>;
  /** Helmet refusals (config `refusalMethod`, ours: decision 0012), at most 20 per request. */
  addRefusals(items: readonly RefusalInput[]): Promise<string>;
  addTeam(team: TeamInput): Promise<string>;
  queryTeams(pageIndex: number, teamName?: string, pageSize?: number): Promise<Page<TeamRow>>;
  /**
   * A page of the roster; with `changedSince` (the platform's own wall-clock text) only the rows
   * changed at or after it, by the configured change query (config `rosterChanges`).
   */
  queryWorkers(pageIndex: number, pageSize?: number, changedSince?: string): Promise<Page<PlatformWorkerRow>>;
  queryAttendance(q: { date: string; idNumber: string; pageIndex?: number; pageSize?: number }): Promise<Page<PlatformAttendanceRow>>;
  asyncResult(requestSerialCode: string, itemCount: number): Promise<AsyncResult>;
  close(): void;
}

function serialFrom(data: unknown): string {
  const s = (data as { requestSerialCode?: unknown } | null)?.requestSerialCode;
  if (typeof s !== 'string' || s.length === 0) {
    throw new PlatformError('malformed_json', { delivery: 'ambiguous', retry: 'backoff', detail: 'write reply without requestSerialCode' });
  }
  return s;
}

function pageFrom(data: unknown): { rows: Record<string, unknown>[]; totalCount: number | null } {
  const d = (data ?? {}) as { rows?: unknown; totalCount?: unknown };
  if (!Array.isArray(d.rows)) throw new PlatformError('malformed_json', { delivery: 'ambiguous', retry: 'backoff', detail: 'query reply without rows' });
  const total = typeof d.totalCount === 'number' ? d.totalCount : typeof d.totalCount === 'string' ? Number(d.totalCount) : null;
  return { rows: d.rows as Record<string, unknown>[], totalCount: total !== null && Number.isFinite(total) ? total : null };
}

function str(v: unknown): string | null {
  return typeof v === 'string' ? v : typeof v === 'number' ? String(v) : null;
}

export function createPlatformClient(config: PlatformConfig, transport?: Transport): PlatformClient {
  const c = resolvePlatformConfig(config);
  const t = transport ?? createHttpTransport({ timeoutMs: c.timeoutMs, maxReplyBytes: c.maxReplyBytes, ca: c.ca });
  const stats: ClientStats = { requests: 0, requestBytes: 0, replies: 0 };

  const decryptId = (v: unknown): string => {
    if (typeof v !== 'string') return '';
    try {
      return c.fieldCrypto.decrypt(v);
    } catch (e) {
      if (e instanceof FieldCryptoError) {
        throw new PlatformError('bad_config', { delivery: 'rejected', retry: 'blocked', detail: 'platform data does not decrypt with this appsecret' });
      }
      throw e;
    }
  };

  const client: PlatformClient = {
    config: c,
    stats,
    lastTiming: null,
    async call(method, data) {
      const sentAt = c.clock.now();
      const params = buildRequestParams({
        appid: c.appid,
        appsecret: c.appsecret,
        method,
        data,
        nonce: randomBytes(12).toString('hex'),
        nowMs: sentAt,
        timeZone: c.timeZone,
        version: c.version,
        signer: c.signer,
      });
      const form = encodeForm({ ...params });
      stats.requests++;
      stats.requestBytes += Buffer.byteLength(form);
      const localSent = c.localClock.now();
      const raw = await t.post(c.endpoint, form);
      stats.replies++;
      const localReceived = c.localClock.now();
      const dateHeader = raw.headers.date;
      const serverDate = typeof dateHeader === 'string' ? Date.parse(dateHeader) : NaN;
      client.lastTiming = {
        sentAt: localSent,
        receivedAt: localReceived,
        serverDate: Number.isNaN(serverDate) ? null : serverDate,
      };
      return parseReply(raw, {
        appsecret: c.appsecret,
        signer: c.signer,
        replySignature: c.replySignature,
        expiredSecretPattern: c.expiredSecretPattern,
        clockRefusalPattern: c.clockRefusalPattern,
        nowMs: localReceived,
      }).data;
    },
    async attendanceData(teamSysNo, items) {
      if (items.length === 0 || items.length > c.attendanceBatchSize) throw new Error(`attendance batch must hold 1..${c.attendanceBatchSize} items`);
      const dataList = [];
      for (const it of items) dataList.push(await attendanceItem(it, c));
      return { projectCode: c.projectCode, teamSysNo, dataList };
    },
    async addAttendance(teamSysNo, items) {
      return serialFrom(await client.call('WorkerAttendance.Add', await client.attendanceData(teamSysNo, items)));
    },
    async addWorkers(workers) {
      const workerList = [];
      for (const w of workers) workerList.push(await workerItem(w, c));
      return serialFrom(await client.call('ProjectWorker.Add', { projectCode: c.projectCode, workerList }));
    },
    async updateWorkers(workers) {
      const workerList = [];
      for (const w of workers) workerList.push(await workerItem(w, c));
      return serialFrom(await client.call(c.workerUpdateMethod, { projectCode: c.projectCode, workerList }));
    },
    async addEntryExit(team, items) {
      if (items.length === 0 || items.length > c.entryExitBatchSize) throw new Error(`entry/exit batch must hold 1..${c.entryExitBatchSize} items`);
      const workerList = items.map((e) => entryExitItem(e, c));
      return serialFrom(await client.call(c.entryExitMethod, { projectCode: c.projectCode, corpCode: team.corpCode, corpName: team.corpName, teamSysNo: team.teamSysNo, workerList }));
    },
    async queryEntryExit(q) {
      const p = pageFrom(
        await client.call(c.entryExitQueryMethod, {
          projectCode: c.projectCode,
          idCardNumber: c.fieldCrypto.encrypt(q.idNumber),
          pageIndex: q.pageIndex ?? 0,
          pageSize: q.pageSize ?? c.pageSize,
        }),
      );
      return {
        totalCount: p.totalCount,
        rows: p.rows.map((r) => ({ idNumber: decryptId(r.idCardNumber), date: str(r.date) ?? '', action: entryExitActionFromWire(r.type) })),
      };
    },
    async addRefusals(items) {
      if (items.length === 0 || items.length > c.attendanceBatchSize) throw new Error(`refusal batch must hold 1..${c.attendanceBatchSize} items`);
      const dataList = [];
      for (const r of items) dataList.push(await refusalItem(r, c));
      return serialFrom(await client.call(c.refusalMethod, { projectCode: c.projectCode, dataList }));
    },
    async addTeam(team) {
      return serialFrom(await client.call('Team.Add', { projectCode: c.projectCode, ...team }));
    },
    async queryTeams(pageIndex, teamName, pageSize = c.pageSize) {
      const data: Record<string, unknown> = { projectCode: c.projectCode, pageIndex, pageSize };
      if (teamName) data.teamName = teamName;
      const p = pageFrom(await client.call('Team.Query', data));
      return {
        totalCount: p.totalCount,
        rows: p.rows.map((r) => ({ teamSysNo: str(r.teamSysNo) ?? '', teamName: str(r.teamName) ?? '', corpCode: str(r.corpCode) })),
      };
    },
    async queryWorkers(pageIndex, pageSize = c.pageSize, changedSince) {
      const changes = c.rosterChanges;
      if (changedSince !== undefined && !changes) throw new Error('this platform has no roster query by change time (rosterChanges is null)');
      const method = changedSince !== undefined && changes ? changes.method : 'ProjectWorker.Query';
      const data: Record<string, unknown> = { projectCode: c.projectCode, pageIndex, pageSize };
      if (changedSince !== undefined && changes) data[changes.sinceParam] = changedSince;
      const p = pageFrom(await client.call(method, data));
      const timeField = changes?.timeField ?? DEFAULT_ROSTER_CHANGES.timeField;
      return {
        totalCount: p.totalCount,
        rows: p.rows.map((r) => {
          const w = workerFromWire(r, decryptId(r.idCardNumber), c.managementPosts);
          const t = r[timeField];
          return typeof t === 'string' && t ? { ...w, updateTime: t } : w;
        }),
      };
    },
    async queryAttendance(q) {
      const p = pageFrom(
        await client.call('WorkerAttendance.Query', {
          projectCode: c.projectCode,
          date: q.date,
          idCardNumber: c.fieldCrypto.encrypt(q.idNumber),
          pageIndex: q.pageIndex ?? 0,
          pageSize: q.pageSize ?? c.pageSize,
        }),
      );
      return {
        totalCount: p.totalCount,
        rows: p.rows.map((r) => ({
          idNumber: decryptId(r.idCardNumber),
          date: str(r.date) ?? '',
          direction: directionFromWire(str(r.direction)),
          teamSysNo: str(r.teamSysNo),
        })),
      };
    },
    async asyncResult(requestSerialCode, itemCount) {
      const data = await client.call('AsyncHandleResult.Query', { requestSerialCode });
      try {
        return parseAsyncResult(data, itemCount);
      } catch (e) {
        throw new PlatformError('malformed_json', { delivery: 'ambiguous', retry: 'backoff', detail: (e as Error).message });
      }
    },
    close() {
      t.close();
    },
  };
  return client;
}
