// The records the store hands out and the screens show, as plain types: no Node, no SQLite,
// so the kiosk UI and app/shared import them (browser-safe; eslint.config.js lists this file).
// The repositories in store/ produce them and re-export them under their old names.
import type { CorpType, IdType, ManagementRole, PersonRole, WorkerStatus } from './personnel.js';
import type { Role } from '../auth/roles.js';

// --- Employers (参建单位), teams (班组) and workers (store/workers-repo.ts).

export interface EmployerInput {
  name: string;
  creditCode: string;
  corpType: CorpType;
}

export interface Employer extends EmployerInput {
  id: number;
}

export interface Team {
  id: number;
  employerId: number;
  name: string;
  platformTeamSysNo: string | null;
}

/** What lists and screens show: no clear personal numbers. */
export interface WorkerSummary {
  id: number;
  name: string;
  idType: IdType;
  idNumberMasked: string;
  tradeCode: string;
  role: PersonRole;
  managementRole: ManagementRole | null;
  employerId: number | null;
  teamId: number | null;
  teamName: string | null;
  status: WorkerStatus;
  validTo: string | null;
  contractEnd: string | null;
  hasContract: boolean;
  hasInsurance: boolean;
  manualEntry: boolean;
  source: 'local' | 'platform';
  updatedAt: number;
}

/** Full record with decrypted fields, for enrollment review and sync. */
export interface WorkerRecord extends WorkerSummary {
  idNumber: string;
  sex: 'M' | 'F' | 'U' | null;
  nation: string | null;
  birthDate: string | null;
  address: string | null;
  issuingAuthority: string | null;
  validFrom: string | null;
  hasIdPhoto: boolean;
  phone: string | null;
  isTeamLeader: boolean;
  contractStart: string | null;
  insuranceStart: string | null;
  insuranceEnd: string | null;
  bankCard: string | null;
  bankCode: string | null;
}

// --- Attendance events (store/attendance-repo.ts).

export type Direction = 'in' | 'out';

export type Decision = 'pass' | 'refuse';

export interface MakeupConfirmation {
  confirmedBy: string;
  documentNo: string;
  reason: string;
  confirmedAt: number;
}

export interface AttendanceEvent {
  id: string;
  seq: number;
  laneId: string;
  workerId: number | null;
  workerName: string | null;
  direction: Direction;
  occurredAt: number;
  timeZone: string;
  localDate: string;
  decision: Decision;
  reasons: string[];
  scores: Record<string, number>;
  hasPhoto: boolean;
  makeup: MakeupConfirmation | null;
}

// --- The project and its lanes (store/project-repo.ts).

export interface Project {
  code: string;
  name: string;
  timeZone: string;
  lng: number | null;
  lat: number | null;
}

export interface Lane {
  id: string;
  name: string;
  directionMode: 'in' | 'out' | 'both';
  enabled: boolean;
  /** Where the lane's frames come from (from the configuration, not stored): the kiosk's browser camera or a camera the core reads. */
  camera?: 'browser' | 'core';
}

// --- The supervisor's "today" view (store/dashboard-queries.ts).

export interface TeamDayCounts {
  teamId: number | null;
  teamName: string | null;
  in: number;
  out: number;
  people: number;
}

export interface TodaySummary {
  localDate: string;
  teams: TeamDayCounts[];
  passes: number;
  refusals: number;
  onSiteNow: number;
  sync: { backlog: number; parked: number; oldestUnsentAt: number | null; lastSentAt: number | null };
}

// --- The audit log (store/audit-log.ts).

export interface AuditEntry {
  id: number;
  at: number;
  actor: string;
  action: string;
  target: string | null;
  details: Record<string, unknown>;
}

// --- Visitor passes (访客码) and visitor passages (store/visitor-repo.ts).

export interface VisitorPassRecord {
  id: string;
  name: string;
  host: string;
  purpose: string;
  idCardType: string | null;
  idNumberMasked: string | null;
  validFrom: number;
  validTo: number;
  maxEntries: number | null;
  escortRequired: boolean;
  laneIds: string[] | null;
  issuedBy: string;
  issuedAt: number;
  revokedAt: number | null;
  revokedBy: string | null;
  revokeReason: string | null;
  /** Admitted entries so far. */
  entriesUsed: number;
}

export interface VisitorPassageRecord {
  id: string;
  seq: number;
  passId: string | null;
  visitorName: string | null;
  host: string | null;
  laneId: string;
  direction: 'in' | 'out';
  occurredAt: number;
  localDate: string;
  decision: 'pass' | 'refuse';
  reasons: string[];
}

// --- Named accounts (store/accounts-repo.ts).

export interface Account {
  /** The account number typed at the keypad. */
  id: number;
  name: string;
  role: Role;
  enabled: boolean;
  /** Made from a shared role PIN (upgrade, or a set-up without names): to be renamed or replaced. */
  shared: boolean;
  pinSetAt: number;
  createdAt: number;
  createdBy: string;
  updatedAt: number;
}
