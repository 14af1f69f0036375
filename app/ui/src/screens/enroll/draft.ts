// The half-finished enrollment, kept so a reload, a core restart or an expired session loses
// nothing. Decision (issue 6): the draft lives in sessionStorage — this browser tab only, gone
// when the tab or kiosk window closes — and is dropped on save, on cancel, on sign-out and after
// 30 minutes without a change. It holds the typed fields (including the ID number, needed to
// resume on the manual path; a card read keeps only the core's masked summary and its readId);
// it never holds images: the ID-card photo and the live captures stay in memory and are taken
// again after a reload. `clientRequestId` is chosen once per draft, so a save repeated after a
// reload or a lost answer returns the first result (POST /api/enrollments).
import type { WorkerRequest, EnrollmentSaveRequest } from '../../../../shared/api-types.js';
import type { CardSummary } from '../../api/gate.js';

export type EnrollStep = 'card' | 'capture' | 'assign' | 'terms' | 'review';
export const STEPS: EnrollStep[] = ['card', 'capture', 'assign', 'terms', 'review'];

export interface Identity {
  name: string;
  idType: WorkerRequest['idType'];
  idNumber: string;
  sex: 'M' | 'F' | 'U';
  nation: string;
  birthDate: string;
  address: string;
  issuingAuthority: string;
  validFrom: string;
  validTo: string;
}

export interface FaceResult {
  /** False when the core has no face engine (local snapshot only, manual path only). */
  engine: boolean;
  live: boolean;
  matchDecision: 'match' | 'no_match' | 'unusable' | null;
  score: number | null;
  threshold: number | null;
  ok: boolean;
}

export interface EnrollDraft {
  v: 2;
  updatedAt: number;
  clientRequestId: string;
  step: EnrollStep;
  source: 'card' | 'manual' | null;
  cardReadId: string | null;
  card: CardSummary | null;
  /** The core's capture session (valid 15 min); null until one is opened. */
  sessionId: string | null;
  identity: Identity | null;
  face: FaceResult | null;
  employerId: number | null;
  teamId: number | null;
  tradeCode: string;
  role: 'worker' | 'manager';
  managementRole: NonNullable<WorkerRequest['managementRole']> | null;
  isTeamLeader: boolean;
  phone: string;
  hasContract: boolean;
  contractStart: string;
  contractEnd: string;
  hasInsurance: boolean;
  insuranceStart: string;
  insuranceEnd: string;
  bankCard: string;
  bankCode: string;
}

const KEY = 'sitegate.enroll.draft';
export const DRAFT_TTL_MS = 30 * 60_000;

export function emptyDraft(now = Date.now()): EnrollDraft {
  return {
    v: 2,
    updatedAt: now,
    clientRequestId: newRequestId(),
    step: 'card',
    source: null,
    cardReadId: null,
    card: null,
    sessionId: null,
    identity: null,
    face: null,
    employerId: null,
    teamId: null,
    tradeCode: '',
    role: 'worker',
    managementRole: null,
    isTeamLeader: false,
    phone: '',
    hasContract: true,
    contractStart: '',
    contractEnd: '',
    hasInsurance: false,
    insuranceStart: '',
    insuranceEnd: '',
    bankCard: '',
    bankCode: '',
  };
}

export function emptyIdentity(): Identity {
  return {
    name: '',
    idType: '01',
    idNumber: '',
    sex: 'U',
    nation: '',
    birthDate: '',
    address: '',
    issuingAuthority: '',
    validFrom: '',
    validTo: '',
  };
}

export function loadDraft(storage: Storage = sessionStorage, now = Date.now()): EnrollDraft | null {
  try {
    const raw = storage.getItem(KEY);
    if (!raw) return null;
    const d = JSON.parse(raw) as EnrollDraft;
    if (d.v !== 2 || now - d.updatedAt > DRAFT_TTL_MS) {
      storage.removeItem(KEY);
      return null;
    }
    return d;
  } catch {
    return null;
  }
}

export function saveDraft(d: EnrollDraft, storage: Storage = sessionStorage): void {
  try {
    storage.setItem(KEY, JSON.stringify(d));
  } catch {
    /* storage full or disabled: the draft lasts for this page */
  }
}

export function clearDraft(storage: Storage = sessionStorage): void {
  try {
    storage.removeItem(KEY);
  } catch {
    /* nothing to clear */
  }
}

export function newRequestId(): string {
  const c = globalThis.crypto;
  if (typeof c.randomUUID === 'function') return c.randomUUID();
  // Not a secure context (plain http from another PC): a v4-shaped id from getRandomValues.
  const b = c.getRandomValues(new Uint8Array(16));
  b[6] = ((b[6] ?? 0) & 0x0f) | 0x40;
  b[8] = ((b[8] ?? 0) & 0x3f) | 0x80;
  const h = [...b].map((x) => x.toString(16).padStart(2, '0')).join('');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

const orNull = (s: string) => (s.trim() ? s.trim() : null);

/** The POST /api/workers body for a finished draft. */
export function toWorkerRequest(d: EnrollDraft): WorkerRequest {
  const id = d.identity;
  if (!id) throw new Error('no identity');
  return {
    name: id.name.trim(),
    idType: id.idType,
    idNumber: id.idNumber.trim().toUpperCase(),
    sex: id.sex,
    nation: orNull(id.nation),
    birthDate: orNull(id.birthDate),
    address: orNull(id.address),
    issuingAuthority: orNull(id.issuingAuthority),
    validFrom: orNull(id.validFrom),
    validTo: orNull(id.validTo),
    phone: orNull(d.phone),
    tradeCode: d.role === 'manager' ? '900' : d.tradeCode,
    role: d.role,
    managementRole: d.role === 'manager' ? d.managementRole : null,
    employerId: d.employerId,
    teamId: d.role === 'manager' ? null : d.teamId,
    isTeamLeader: d.role === 'worker' ? d.isTeamLeader : false,
    hasContract: d.hasContract,
    contractStart: d.hasContract ? orNull(d.contractStart) : null,
    contractEnd: d.hasContract ? orNull(d.contractEnd) : null,
    hasInsurance: d.hasInsurance,
    insuranceStart: d.hasInsurance ? orNull(d.insuranceStart) : null,
    insuranceEnd: d.hasInsurance ? orNull(d.insuranceEnd) : null,
    bankCard: orNull(d.bankCard.replace(/\s/g, '')),
    bankCode: orNull(d.bankCode),
    manualEntry: d.source === 'manual',
  };
}

/** The POST /api/enrollments body (card or manual identity, capture session, assignment). */
export function toEnrollmentRequest(d: EnrollDraft): EnrollmentSaveRequest {
  if (!d.sessionId) throw new Error('no capture session');
  const w = toWorkerRequest(
    d.identity
      ? d
      : {
          ...d,
          identity: {
            name: '',
            idType: '01',
            idNumber: '',
            sex: 'U',
            nation: '',
            birthDate: '',
            address: '',
            issuingAuthority: '',
            validFrom: '',
            validTo: '',
          },
        },
  );
  const {
    name,
    idType,
    idNumber,
    sex,
    nation,
    birthDate,
    address,
    issuingAuthority,
    validFrom,
    validTo,
    manualEntry: _m,
    ...assignment
  } = w;
  return {
    clientRequestId: d.clientRequestId,
    sessionId: d.sessionId,
    readId: d.source === 'card' ? d.cardReadId : null,
    manual:
      d.source === 'manual'
        ? { name, idType, idNumber, sex, nation, birthDate, address, issuingAuthority, validFrom, validTo }
        : null,
    assignment,
  };
}
