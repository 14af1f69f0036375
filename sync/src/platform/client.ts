// The platform client: signs and sends one method call, checks the reply, and offers the
// methods the appliance uses with plain (unencrypted) values in and out.
import { randomBytes } from 'node:crypto';
import { parseAsyncResult, type AsyncResult } from './async-result.js';
import { type PlatformConfig, type ResolvedPlatformConfig, resolvePlatformConfig } from './config.js';
import { buildRequestParams, encodeForm, parseReply } from './envelope.js';
import { PlatformError } from './errors.js';
import { FieldCryptoError } from './field-crypto.js';
import { createHttpTransport, type Transport } from './http-transport.js';
import { fitJpegForPlatform } from './photo.js';
import { formatDateTime } from './timestamp.js';
import { attestationMessage } from './attestation.js';

export interface AttendanceInput {
  idCardType: string;
  idCardNumber: string;
  occurredAt: number;
  direction: 'in' | 'out';
  photoJpeg?: Buffer | null;
  channel?: string;
  attendType?: string;
  lng?: number | null;
  lat?: number | null;
  temperature?: number;
  /** The local event id; with an attestor configured the item is signed with it. */
  eventId?: string;
}

export interface WorkerInput {
  corpCode: string;
  corpName: string;
  teamSysNo: string;
  workerName: string;
  isTeamLeader: boolean;
  idCardType: string;
  idCardNumber: string;
  workType: string;
  workRole: string;
  payRollBankCardNumber?: string | null;
  payRollTopBankCode?: string | null;
  hasContract: boolean;
  hasBuyInsurance: boolean;
  nation?: string | null;
  address?: string | null;
  headImageJpeg?: Buffer | null;
  cellPhone?: string | null;
  grantOrg?: string | null;
  startDate?: string | null;
  expiryDate?: string | null;
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

export interface PlatformWorkerRow {
  workerName: string;
  idCardType: string;
  /** Decrypted. */
  idCardNumber: string;
  teamSysNo: string | null;
  workType: string | null;
  corpCode: string | null;
  corpName: string | null;
  isTeamLeader: boolean;
  hasContract: boolean;
  hasInsurance: boolean;
  headImage: string | null;
  raw: Record<string, unknown>;
}

export interface PlatformAttendanceRow {
  idCardNumber: string;
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
  addTeam(team: TeamInput): Promise<string>;
  queryTeams(pageIndex: number, teamName?: string): Promise<Page<TeamRow>>;
  queryWorkers(pageIndex: number, pageSize?: number): Promise<Page<PlatformWorkerRow>>;
  queryAttendance(q: { date: string; idCardNumber: string; pageIndex?: number; pageSize?: number }): Promise<Page<PlatformAttendanceRow>>;
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
      const localSent = Date.now();
      const raw = await t.post(c.endpoint, form);
      stats.replies++;
      const localReceived = Date.now();
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
        nowMs: localReceived,
      }).data;
    },
    async attendanceData(teamSysNo, items) {
      if (items.length === 0 || items.length > c.attendanceBatchSize) throw new Error(`attendance batch must hold 1..${c.attendanceBatchSize} items`);
      const dataList = [];
      for (const it of items) {
        const item: Record<string, unknown> = {
          idCardType: it.idCardType,
          idCardNumber: c.fieldCrypto.encrypt(it.idCardNumber),
          date: formatDateTime(it.occurredAt, c.timeZone),
          direction: it.direction === 'in' ? '01' : '02',
          channel: it.channel ?? '01',
          attendType: it.attendType ?? '001',
        };
        if (c.attestor && it.eventId) {
          const message = attestationMessage({
            projectCode: c.projectCode,
            idCardType: it.idCardType,
            idCardNumber: it.idCardNumber,
            date: item.date as string,
            direction: item.direction as string,
            attendType: item.attendType as string,
            deviceEventId: it.eventId,
          });
          item.deviceSn = c.attestor.deviceSn;
          item.deviceEventId = it.eventId;
          item.deviceSign = c.attestor.sign(message).toString('base64');
        }
        if (it.photoJpeg) item.image = (await fitJpegForPlatform(it.photoJpeg, c.maxPhotoBytes)).toString('base64');
        if (it.lng !== undefined && it.lng !== null) item.lng = it.lng;
        if (it.lat !== undefined && it.lat !== null) item.lat = it.lat;
        if (it.temperature !== undefined) item.temperature = it.temperature;
        dataList.push(item);
      }
      return { projectCode: c.projectCode, teamSysNo, dataList };
    },
    async addAttendance(teamSysNo, items) {
      return serialFrom(await client.call('WorkerAttendance.Add', await client.attendanceData(teamSysNo, items)));
    },
    async addWorkers(workers) {
      const workerList = [];
      for (const w of workers) {
        const o: Record<string, unknown> = {
          corpCode: w.corpCode,
          corpName: w.corpName,
          teamSysNo: w.teamSysNo,
          workerName: w.workerName,
          isTeamLeader: w.isTeamLeader ? 1 : 0,
          idCardType: w.idCardType,
          idCardNumber: c.fieldCrypto.encrypt(w.idCardNumber),
          workType: w.workType,
          workRole: w.workRole,
          hasContract: w.hasContract ? 1 : 0,
          hasBuyInsurance: w.hasBuyInsurance ? 1 : 0,
        };
        if (w.payRollBankCardNumber) o.payRollBankCardNumber = c.fieldCrypto.encrypt(w.payRollBankCardNumber);
        if (w.payRollTopBankCode) o.payRollTopBankCode = w.payRollTopBankCode;
        if (w.nation) o.nation = w.nation;
        if (w.address) o.address = w.address;
        if (w.cellPhone) o.cellPhone = w.cellPhone;
        if (w.grantOrg) o.grantOrg = w.grantOrg;
        if (w.startDate) o.startDate = w.startDate;
        if (w.expiryDate) o.expiryDate = w.expiryDate;
        if (w.headImageJpeg) o.headImage = (await fitJpegForPlatform(w.headImageJpeg, c.maxPhotoBytes)).toString('base64');
        workerList.push(o);
      }
      return serialFrom(await client.call('ProjectWorker.Add', { projectCode: c.projectCode, workerList }));
    },
    async addTeam(team) {
      return serialFrom(await client.call('Team.Add', { projectCode: c.projectCode, ...team }));
    },
    async queryTeams(pageIndex, teamName) {
      const data: Record<string, unknown> = { projectCode: c.projectCode, pageIndex, pageSize: c.pageSize };
      if (teamName) data.teamName = teamName;
      const p = pageFrom(await client.call('Team.Query', data));
      return {
        totalCount: p.totalCount,
        rows: p.rows.map((r) => ({ teamSysNo: str(r.teamSysNo) ?? '', teamName: str(r.teamName) ?? '', corpCode: str(r.corpCode) })),
      };
    },
    async queryWorkers(pageIndex, pageSize = c.pageSize) {
      const p = pageFrom(await client.call('ProjectWorker.Query', { projectCode: c.projectCode, pageIndex, pageSize }));
      return {
        totalCount: p.totalCount,
        rows: p.rows.map((r) => ({
          workerName: str(r.workerName) ?? '',
          idCardType: str(r.idCardType) ?? '01',
          idCardNumber: decryptId(r.idCardNumber),
          teamSysNo: str(r.teamSysNo),
          workType: str(r.workType),
          corpCode: str(r.corpCode),
          corpName: str(r.corpName),
          isTeamLeader: r.isTeamLeader === 1 || r.isTeamLeader === '1' || r.isTeamLeader === true,
          hasContract: r.hasContract === 1 || r.hasContract === '1' || r.hasContract === true,
          hasInsurance: r.hasBuyInsurance === 1 || r.hasBuyInsurance === '1' || r.hasBuyInsurance === true,
          headImage: str(r.headImage),
          raw: r,
        })),
      };
    },
    async queryAttendance(q) {
      const p = pageFrom(
        await client.call('WorkerAttendance.Query', {
          projectCode: c.projectCode,
          date: q.date,
          idCardNumber: c.fieldCrypto.encrypt(q.idCardNumber),
          pageIndex: q.pageIndex ?? 0,
          pageSize: q.pageSize ?? c.pageSize,
        }),
      );
      return {
        totalCount: p.totalCount,
        rows: p.rows.map((r) => ({
          idCardNumber: decryptId(r.idCardNumber),
          date: str(r.date) ?? '',
          direction: str(r.direction) === '02' ? ('out' as const) : ('in' as const),
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
