// The platform's wire shape: the one place where the store's domain fields become the
// national interface's names and codes (idCardNumber encrypted, direction '01'/'02',
// attendType, workRole, 0/1 flags, Base64 photos, the SiteGate device signature fields), and
// back for the roster. The outbox and the roster pull deal in the store's records only.
import type { AttendanceForPlatform, PlatformRosterWorker, RefusalForPlatform, WorkerForPlatform } from '../../../edge-core/src/ports/platform.js';
import { attestationMessage } from './attestation.js';
import type { ResolvedPlatformConfig } from './config.js';
import { MANAGEMENT_ROLE_NAMES, MANAGEMENT_ROLES, rules, type ManagementRole } from '../../../edge-core/src/index.js';
import { fitJpegForPlatform } from './photo.js';
import { formatDateTime } from './timestamp.js';

/** attendType of a face passage (national interface). */
export const FACE_ATTEND_TYPE = '001';
/**
 * attendType of a make-up record (补卡). The national interface documents '001' for face
 * attendance; the make-up code is our assumption until the province's document says otherwise.
 */
export const MAKEUP_ATTEND_TYPE = '002';

/** An attendance record to send: the store's fields (AttendanceForPlatform), the optional ones optional. */
export type AttendanceOut = Pick<AttendanceForPlatform, 'idType' | 'idNumber' | 'occurredAt' | 'direction'> &
  Partial<Pick<AttendanceForPlatform, 'photoJpeg' | 'lng' | 'lat' | 'eventId' | 'isMakeup' | 'makeup'>> & {
    /** Channel code (default '01'). */
    channel?: string;
    temperature?: number;
  };

type WorkerRequired = 'name' | 'idType' | 'idNumber' | 'tradeCode' | 'role' | 'isTeamLeader' | 'hasContract' | 'hasInsurance';
type WorkerOptional = 'nation' | 'address' | 'phone' | 'bankCard' | 'bankCode' | 'issuingAuthority' | 'validFrom' | 'validTo' | 'headImageJpeg' | 'managementRole' | 'cardPortraitJpeg';

/** A locally enrolled worker to send: the store's fields, with the platform numbers it needs. */
export type WorkerOut = Pick<WorkerForPlatform, WorkerRequired> &
  Partial<Pick<WorkerForPlatform, WorkerOptional>> & { teamSysNo: string; corpCode: string; corpName: string };

/**
 * `type` of a WorkerEntryExit item: 1 进场 (entry), 0 退场 (exit), as public integrations of the
 * national interface use it; Jiangxi's own document is not public (decision 0012).
 */
export const ENTRY_EXIT_TYPE = { entry: '1', exit: '0' } as const;

/** A departure or re-entry to send: who, the site date, which. */
export interface EntryExitOut {
  idType: string;
  idNumber: string;
  /** yyyy-MM-dd */
  date: string;
  action: 'entry' | 'exit';
}

export const wireDirection = (d: 'in' | 'out'): '01' | '02' => (d === 'in' ? '01' : '02');
export const directionFromWire = (v: string | null): 'in' | 'out' => (v === '02' ? 'out' : 'in');

/** One WorkerAttendance.Add `dataList` item. */
export async function attendanceItem(a: AttendanceOut, c: ResolvedPlatformConfig): Promise<Record<string, unknown>> {
  const item: Record<string, unknown> = {
    idCardType: a.idType,
    idCardNumber: c.fieldCrypto.encrypt(a.idNumber),
    date: formatDateTime(a.occurredAt, c.timeZone),
    direction: wireDirection(a.direction),
    channel: a.channel ?? '01',
    attendType: a.isMakeup ? MAKEUP_ATTEND_TYPE : FACE_ATTEND_TYPE,
  };
  if (c.attestor && a.eventId) {
    const message = attestationMessage({
      projectCode: c.projectCode,
      idCardType: a.idType,
      idCardNumber: a.idNumber,
      date: item.date as string,
      direction: item.direction as string,
      attendType: item.attendType as string,
      deviceEventId: a.eventId,
    });
    item.deviceSn = c.attestor.deviceSn;
    item.deviceEventId = a.eventId;
    item.deviceSign = c.attestor.sign(message).toString('base64');
  }
  if (a.isMakeup && a.makeup) {
    // Who at the authority confirmed the make-up and the document reference (notice 第六条);
    // no national field exists for them: our names (decision 0012).
    item.makeupConfirmedBy = a.makeup.confirmedBy;
    item.makeupDocumentNo = a.makeup.documentNo;
    item.makeupReason = a.makeup.reason;
    if (a.makeup.confirmedAt) item.makeupConfirmedTime = formatDateTime(a.makeup.confirmedAt, c.timeZone);
  }
  if (a.photoJpeg) item.image = (await fitJpegForPlatform(a.photoJpeg, c.maxPhotoBytes)).toString('base64');
  if (a.lng !== undefined && a.lng !== null) item.lng = a.lng;
  if (a.lat !== undefined && a.lat !== null) item.lat = a.lat;
  if (a.temperature !== undefined) item.temperature = a.temperature;
  return item;
}

/** One ProjectWorker.Add `workerList` item. */
export async function workerItem(w: WorkerOut, c: ResolvedPlatformConfig): Promise<Record<string, unknown>> {
  const o: Record<string, unknown> = {
    corpCode: w.corpCode,
    corpName: w.corpName,
    teamSysNo: w.teamSysNo,
    workerName: w.name,
    isTeamLeader: w.isTeamLeader ? 1 : 0,
    idCardType: w.idType,
    idCardNumber: c.fieldCrypto.encrypt(w.idNumber),
    workType: w.tradeCode,
    // 10 management personnel (管理人员), 20 construction worker (建筑工人).
    workRole: w.role === 'manager' ? '10' : '20',
    hasContract: w.hasContract ? 1 : 0,
    hasBuyInsurance: w.hasInsurance ? 1 : 0,
  };
  // The manager's post: one of the notice's six, in the configured field and codes.
  if (w.role === 'manager' && w.managementRole) o[c.managementPosts.field] = c.managementPosts.codes[w.managementRole];
  // The ID card: its issue date (签发日期, the first day of its validity) and the portrait side as photographed.
  if (w.validFrom) o.issueCardDate = w.validFrom;
  if (w.cardPortraitJpeg) o.issueCardPic = (await fitJpegForPlatform(w.cardPortraitJpeg, c.maxPhotoBytes)).toString('base64');
  if (w.bankCard) o.payRollBankCardNumber = c.fieldCrypto.encrypt(w.bankCard);
  if (w.bankCode) o.payRollTopBankCode = w.bankCode;
  if (w.nation) o.nation = w.nation;
  if (w.address) o.address = w.address;
  if (w.phone) o.cellPhone = w.phone;
  if (w.issuingAuthority) o.grantOrg = w.issuingAuthority;
  if (w.validFrom) o.startDate = w.validFrom;
  if (w.validTo) o.expiryDate = w.validTo;
  if (w.headImageJpeg) o.headImage = (await fitJpegForPlatform(w.headImageJpeg, c.maxPhotoBytes)).toString('base64');
  return o;
}

/**
 * `refuseType` of a refusal item by reason code (ours: no national dictionary exists; decision
 * 0012). Only these reasons are uploaded; a refusal with none of them is not a refusal item.
 */
export const REFUSE_TYPE: Readonly<Record<string, string>> = { helmet_missing: '01' };

/** A refused passage to send: the store's fields, the photo optional. */
export type RefusalOut = Pick<RefusalForPlatform, 'idType' | 'idNumber' | 'occurredAt' | 'direction' | 'reasons'> &
  Partial<Pick<RefusalForPlatform, 'photoJpeg'>>;

/**
 * One refusal `dataList` item: who (idCardType, idCardNumber encrypted), when (date), which way
 * (direction 01/02), where (deviceSn), why (refuseType, and refuseReason: the reasons as the
 * worker heard them, zh-CN), and the face photo when kept (image, fitted to the platform's limit).
 */
export async function refusalItem(r: RefusalOut, c: ResolvedPlatformConfig): Promise<Record<string, unknown>> {
  const code = r.reasons.find((x) => REFUSE_TYPE[x] !== undefined);
  if (code === undefined) throw new Error(`refusal without an uploadable reason (${r.reasons.join(',') || 'none'})`);
  if (!c.deviceSn) throw new Error('the device serial is unknown: a refusal names the device');
  const texts = r.reasons.map((x) => (rules.REASON_TEXTS as Record<string, { zh: string } | undefined>)[x]?.zh).filter((t): t is string => t !== undefined);
  const item: Record<string, unknown> = {
    idCardType: r.idType,
    idCardNumber: c.fieldCrypto.encrypt(r.idNumber),
    date: formatDateTime(r.occurredAt, c.timeZone),
    direction: wireDirection(r.direction),
    deviceSn: c.deviceSn,
    refuseType: REFUSE_TYPE[code],
    refuseReason: texts.join('；'),
  };
  if (r.photoJpeg) item.image = (await fitJpegForPlatform(r.photoJpeg, c.maxPhotoBytes)).toString('base64');
  return item;
}

/** One WorkerEntryExit.Add `workerList` item. */
export function entryExitItem(e: EntryExitOut, c: ResolvedPlatformConfig): Record<string, unknown> {
  return { idCardType: e.idType, idCardNumber: c.fieldCrypto.encrypt(e.idNumber), date: e.date, type: ENTRY_EXIT_TYPE[e.action] };
}

/** A WorkerEntryExit.Query row's action, or null when the type is not one we know. */
export function entryExitActionFromWire(v: unknown): 'entry' | 'exit' | null {
  const t = typeof v === 'number' ? String(v) : v;
  return t === ENTRY_EXIT_TYPE.entry ? 'entry' : t === ENTRY_EXIT_TYPE.exit ? 'exit' : null;
}

/** Post names a platform may send instead of a code (the notice's, and 项目经理 for 项目负责人). */
const POST_BY_NAME: ReadonlyMap<string, ManagementRole> = new Map([
  ...MANAGEMENT_ROLES.map((r) => [MANAGEMENT_ROLE_NAMES[r].zh, r] as const),
  ['项目经理', 'project_manager'],
]);

/** A manager's post as the platform states it (configured code or the post's name); null when unknown. */
export function managementRoleFromWire(v: unknown, posts: ResolvedPlatformConfig['managementPosts']): ManagementRole | null {
  const t = typeof v === 'number' ? String(v) : typeof v === 'string' ? v.trim() : '';
  if (!t) return null;
  for (const r of MANAGEMENT_ROLES) if (posts.codes[r] === t) return r;
  return POST_BY_NAME.get(t) ?? null;
}

const flag = (v: unknown): boolean => v === 1 || v === '1' || v === true;
const text = (v: unknown): string | null => (typeof v === 'string' ? v : typeof v === 'number' ? String(v) : null);

/** A ProjectWorker.Query row in the store's terms (`idNumber` already decrypted by the caller). */
export function workerFromWire(
  r: Record<string, unknown>,
  idNumber: string,
  posts: ResolvedPlatformConfig['managementPosts'],
): PlatformRosterWorker & { hasContract: boolean; hasInsurance: boolean; raw: Record<string, unknown> } {
  const head = text(r.headImage);
  const manager = text(r.workRole) === '10' || text(r.workType) === '900';
  return {
    role: manager ? 'manager' : 'worker',
    managementRole: manager ? managementRoleFromWire(r[posts.field], posts) : null,
    name: text(r.workerName) ?? '',
    idType: text(r.idCardType) ?? '01',
    idNumber,
    teamSysNo: text(r.teamSysNo),
    tradeCode: text(r.workType),
    corpCode: text(r.corpCode),
    corpName: text(r.corpName),
    isTeamLeader: flag(r.isTeamLeader),
    hasContract: flag(r.hasContract),
    hasInsurance: flag(r.hasBuyInsurance),
    headImageJpeg: head ? Buffer.from(head, 'base64') : null,
    ...rosterStatusFromWire(r),
    raw: r,
  };
}

/**
 * The status fields of a roster row (ASSUMPTION, decision 0011: `exitDate`, `isBlacklist`,
 * `contractEndDate`; the change time's field is configured, client.ts); a field the platform does not send stays
 * undefined, so nothing local is changed by its absence.
 */
function rosterStatusFromWire(r: Record<string, unknown>): Pick<PlatformRosterWorker, 'exitDate' | 'blacklisted' | 'contractEnd'> {
  const out: Pick<PlatformRosterWorker, 'exitDate' | 'blacklisted' | 'contractEnd'> = {};
  if ('exitDate' in r) out.exitDate = text(r.exitDate)?.slice(0, 10) || null;
  if ('isBlacklist' in r) out.blacklisted = flag(r.isBlacklist);
  if ('contractEndDate' in r) out.contractEnd = text(r.contractEndDate)?.slice(0, 10) || null;
  return out;
}
