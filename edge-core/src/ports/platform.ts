// The provincial platform as the core sees it: sync status and progress for the supervisor,
// clock skew against the platform's time, and the outbox/cursor storage the sync worker
// needs from the store. Types (and the last_error builder); the implementation lives in sync/ (protocol, worker)
// and store/outbox-repo.ts + store/sync-cursor-repo.ts (SQL).
import type { Bilingual } from './devices.js';
import type { ManagementRole } from '../domain/personnel.js';
import type { OutboxError } from '../domain/outbox-errors.js';

export type { Bilingual } from './devices.js';

/** Why an item waits (last_error): built with outboxError, a code with parameters. */
export { outboxError, type OutboxError } from '../domain/outbox-errors.js';

/**
 * 'worker': a locally enrolled worker (ProjectWorker.Add); 'worker_change': an edit, departure
 * (退场) or re-entry (进场) of a worker (a worker_changes row); 'refusal': a refused passage the
 * platform must hear of (an attendance_events row).
 */
export type OutboxKind = 'attendance' | 'worker' | 'team' | 'enrollment' | 'worker_change' | 'refusal';
export type OutboxState = 'pending' | 'inflight' | 'ambiguous' | 'sent' | 'parked';

export interface OutboxItem {
  id: number;
  kind: OutboxKind;
  refId: string;
  partitionKey: string;
  state: OutboxState;
  attempts: number;
  nextAttemptAt: number;
  firstAttemptAt: number | null;
  requestSerialCode: string | null;
  /** Why it waits, as a code with parameters (outbox.last_error, decoded; older rows read too). */
  lastError: OutboxError | null;
  parkedReason: string | null;
  createdAt: number;
  sentAt: number | null;
}

export interface OutboxCounts {
  pending: number;
  inflight: number;
  ambiguous: number;
  sent: number;
  parked: number;
  /** created_at of the oldest undelivered item, null when none. */
  oldestPendingAt: number | null;
}

/** An attendance record as the platform wants it (decrypted only in memory, for the request). */
export interface AttendanceForPlatform {
  /** 补卡: a make-up confirmed by the local authority (sent with its own attendType). */
  isMakeup?: boolean;
  /** Of a make-up: who at the authority confirmed it, the document reference, why, when (UTC ms). */
  makeup?: { confirmedBy: string; documentNo: string; reason: string; confirmedAt: number } | null;
  outboxId: number;
  eventId: string;
  workerId: number;
  workerName: string;
  idType: string;
  idNumber: string;
  occurredAt: number;
  timeZone: string;
  direction: 'in' | 'out';
  photoJpeg: Buffer | null;
  teamSysNo: string | null;
  projectCode: string;
  lng: number | null;
  lat: number | null;
}

/**
 * A refused passage the platform must hear of (Jiangxi device standard 5: no helmet — 禁止该人员
 * 通行，并将记录上传给业务平台), decrypted only in memory for the request.
 */
export interface RefusalForPlatform {
  outboxId: number;
  eventId: string;
  workerId: number;
  idType: string;
  idNumber: string;
  occurredAt: number;
  direction: 'in' | 'out';
  /** The reason codes recorded with the refusal (e.g. ['helmet_missing']). */
  reasons: string[];
  /** The face photo of the attempt, if kept. */
  photoJpeg: Buffer | null;
  laneId: string;
  projectCode: string;
}

/** A locally enrolled worker as ProjectWorker.Add wants it. */
export interface WorkerForPlatform {
  outboxId: number;
  workerId: number;
  name: string;
  idType: string;
  idNumber: string;
  tradeCode: string;
  role: 'worker' | 'manager';
  /** The manager's post (the notice's six), null for a worker. */
  managementRole: ManagementRole | null;
  isTeamLeader: boolean;
  corpCode: string | null;
  corpName: string | null;
  teamSysNo: string | null;
  teamName: string | null;
  nation: string | null;
  address: string | null;
  phone: string | null;
  bankCard: string | null;
  bankCode: string | null;
  hasContract: boolean;
  hasInsurance: boolean;
  issuingAuthority: string | null;
  validFrom: string | null;
  validTo: string | null;
  headImageJpeg: Buffer | null;
  /** The ID card's portrait side as the clerk photographed it at enrollment (issueCardPic). */
  cardPortraitJpeg: Buffer | null;
  projectCode: string;
}

/** What changed: an edit (sent whole), a departure (退场) or a re-entry (进场). */
export type WorkerChangeAction = 'update' | 'exit' | 'entry';

/** A worker change to send: the worker as it is now, with what changed and the site date of it. */
export interface WorkerChangeForPlatform extends WorkerForPlatform {
  changeId: number;
  action: WorkerChangeAction;
  /** Site-local date of the change, yyyy-MM-dd (the platform's entry/exit date). */
  date: string;
}

/** What the outbox worker needs from storage. Every method is one short transaction. */
export interface OutboxStorePort {
  /** Due, deliverable items: only items whose partition has no older undelivered item that is not due. */
  claimable(now: number, limit: number): OutboxItem[];
  /** Items waiting for an async result (inflight with a serial code). */
  awaitingResult(limit: number): OutboxItem[];
  /**
   * Attendance of a worker already confirmed on the platform in [fromMs, toMs): with what the
   * platform holds, it tells how many identical-looking records are really there.
   */
  sentAttendanceOf(workerId: number, fromMs: number, toMs: number): Array<{ occurredAt: number; direction: 'in' | 'out' }>;
  ambiguous(limit: number): OutboxItem[];
  markInflight(ids: readonly number[], now: number): void;
  setSerial(ids: readonly number[], serial: string): void;
  markSent(ids: readonly number[], now: number): void;
  /** The outcome is unknown: resolve (query the platform) at or after `resolveAt`. */
  markAmbiguous(ids: readonly number[], error: OutboxError, resolveAt: number): void;
  /** Back to pending at `nextAttemptAt` (the partition's later items are held back as well). */
  reschedule(ids: readonly number[], nextAttemptAt: number, error: OutboxError, opts?: { countAttempt?: boolean }): void;
  park(ids: readonly number[], reason: string, now: number): void;
  /** Supervisor: retry parked items (after fixing the data). */
  requeueParked(ids: readonly number[] | 'all', now: number): number;
  /** After a crash: inflight items without a serial code become ambiguous. Returns how many. */
  recoverAfterCrash(resolveAt: number): number;
  counts(): OutboxCounts;
  /** Cheap check: is anything pending, in flight or unresolved? */
  hasUndelivered(): boolean;
  parked(limit: number): OutboxItem[];
  /** Local teams the platform does not know yet (no teamSysNo), with their employer. */
  teamsWithoutPlatformNumber(): Array<{ teamId: number; teamName: string; corpCode: string; corpName: string }>;
  setTeamPlatformNumber(teamId: number, teamSysNo: string): void;
  /** Items held back because their team had no platform number (last_error has the code waiting_for_team) become due now. */
  releaseWaitingForTeam(now: number): number;
  attendanceForPlatform(items: readonly OutboxItem[]): AttendanceForPlatform[];
  workersForPlatform(items: readonly OutboxItem[]): WorkerForPlatform[];
  workerChangesForPlatform(items: readonly OutboxItem[]): WorkerChangeForPlatform[];
  /** Refusals of the items (kind 'refusal'), in outbox order. */
  refusalsForPlatform(items: readonly OutboxItem[]): RefusalForPlatform[];
  /** Departures and re-entries of a worker already confirmed on the platform (for unclear outcomes). */
  sentEntryExitOf(workerId: number): Array<{ date: string; action: 'exit' | 'entry' }>;
}

export interface SyncCursorPort {
  get(name: string): string | null;
  set(name: string, value: string, now: number): void;
  delete(name: string): void;
}

/** Platform reachability as the supervisor sees it. */
export type SyncConnectivity = 'online' | 'offline' | 'blocked' | 'unknown';

export type { SyncProblem, SyncProblemCode } from '../domain/sync-problems.js';
import type { SyncProblem } from '../domain/sync-problems.js';

export interface SyncStatus {
  connectivity: SyncConnectivity;
  /** Why offline/blocked, in plain words. */
  reason: Bilingual | null;
  /** Standing problems a person must act on (empty when none). */
  problems: SyncProblem[];
  counts: OutboxCounts;
  lastSuccessAt: number | null;
  lastAttemptAt: number | null;
  clockSkew: ClockSkew | null;
}

/** Something that went well or was done on the way, worth a log line (not an error). */
export type SyncNoticeCode = 'team_registered' | 'recovered_after_crash' | 'roster_changes_unsupported';

export type SyncProgressEvent =
  | { type: 'status'; status: SyncStatus }
  | { type: 'delivered'; kind: OutboxKind; count: number; at: number }
  | { type: 'parked'; kind: OutboxKind; outboxIds: number[]; reason: string; at: number }
  | { type: 'ambiguous_resolved'; found: number; resent: number; at: number }
  | { type: 'error'; message: Bilingual; kind: string; at: number }
  | { type: 'notice'; code: SyncNoticeCode; params: Record<string, string | number>; at: number }
  | {
      type: 'roster';
      pulled: number;
      created: number;
      updated: number;
      complete: boolean;
      at: number;
      /** 'changes': an incremental pull by the platform's change time; 'full': the whole roster. */
      mode?: 'changes' | 'full';
      /** Workers whose status changed (blacklist, 退场, contract end): applied before anything else. */
      statusChanged?: number;
    };

/** Device time versus platform time. */
export interface ClockSkew {
  /** platform time − device time, ms (positive: the device is behind). */
  offsetMs: number;
  /** Half the round-trip: the uncertainty of the estimate, ms. */
  uncertaintyMs: number;
  measuredAt: number;
  /** |offset| above the warning threshold: show to the supervisor. */
  significant: boolean;
  message: Bilingual | null;
}

/** A worker as the platform roster lists it (ID number decrypted). */
export interface PlatformRosterWorker {
  name: string;
  idType: string;
  idNumber: string;
  teamSysNo: string | null;
  tradeCode: string | null;
  corpCode: string | null;
  corpName: string | null;
  isTeamLeader: boolean;
  hasContract?: boolean;
  hasInsurance?: boolean;
  /** 'manager' when the platform lists the person as management (workRole 10 or trade 900). */
  role?: 'worker' | 'manager';
  /** The manager's post when the platform states one we know; null when it does not. */
  managementRole?: ManagementRole | null;
  /** Platform photo when given; face templates are computed from it locally. */
  headImageJpeg: Buffer | null;
  /** The platform's last-change time of the row (its wall-clock text, the roster's change cursor). */
  updateTime?: string | null;
  /** 退场: the date the worker left the project; null on site; undefined when the platform does not say. */
  exitDate?: string | null;
  /** On the platform's blacklist; undefined when the platform does not say. */
  blacklisted?: boolean;
  /** End of the labour contract (yyyy-MM-dd); undefined when the platform does not say. */
  contractEnd?: string | null;
}

export type RosterUpsertResult = 'created' | 'updated' | 'unchanged';

/** Where pulled roster rows go (deduplicated by ID-number hash on the store side). */
export interface RosterSinkPort {
  upsertFromPlatform(w: PlatformRosterWorker, now: number): RosterUpsertResult;
  /** How many status changes (blacklist, 退场, re-entry) the sink applied so far. */
  statusChanges?(): number;
}
