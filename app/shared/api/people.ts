// Responses about people: accounts and sessions, employers, teams, workers.
import { z } from 'zod';
import { ID_TYPES, MANAGEMENT_ROLES } from '../../../edge-core/src/domain/personnel.js';
import { epochMs, role } from './common.js';

// --- accounts and sessions --------------------------------------------------------------------
export const account = z.strictObject({
  id: z.number().int(),
  name: z.string(),
  role,
  enabled: z.boolean(),
  shared: z.boolean(),
  pinSetAt: epochMs,
  createdAt: epochMs,
  createdBy: z.string(),
  updatedAt: epochMs,
});
export const accountRef = z.strictObject({ id: z.number().int(), name: z.string(), role });
/** A person the keypad offers (GET /api/session/accounts, this machine only). */
export const signInChoice = accountRef;
export const sessionResponse = z.strictObject({
  token: z.string(),
  role,
  expiresAt: epochMs,
  /** The person signed in (named accounts). */
  account: z.strictObject({ id: z.number().int(), name: z.string() }),
});
export const kioskSessionResponse = z.strictObject({ token: z.string(), expiresAt: epochMs });
export const firstSetupResponse = z.strictObject({ ok: z.literal(true), accounts: z.array(accountRef) });
export const accountChangeResponse = z.strictObject({ account, sessionsEnded: z.number().int() });
export const accountEnableResponse = z.strictObject({ account });
export const rolePinResponse = z.strictObject({ ok: z.literal(true), account: z.number().int(), sessionsEnded: z.number().int() });

// --- employers, teams, workers ------------------------------------------------------------------
export const employer = z.strictObject({ id: z.number().int(), name: z.string(), creditCode: z.string(), corpType: z.enum(['general', 'sub', 'labour']) });
export const team = z.strictObject({ id: z.number().int(), employerId: z.number().int(), name: z.string(), platformTeamSysNo: z.string().nullable() });

/** Every document type the register holds (the platform's roster brings more than a clerk can enter). */
const idType = z.enum(Object.keys(ID_TYPES) as [keyof typeof ID_TYPES, ...Array<keyof typeof ID_TYPES>]);
const managementRole = z.enum(MANAGEMENT_ROLES);
export const workerStatus = z.enum(['active', 'inactive', 'blacklisted']);

const workerSummaryShape = {
  id: z.number().int(),
  name: z.string(),
  idType,
  idNumberMasked: z.string(),
  tradeCode: z.string(),
  role: z.enum(['worker', 'manager']),
  managementRole: managementRole.nullable(),
  employerId: z.number().int().nullable(),
  teamId: z.number().int().nullable(),
  teamName: z.string().nullable(),
  status: workerStatus,
  validTo: z.string().nullable(),
  contractEnd: z.string().nullable(),
  hasContract: z.boolean(),
  hasInsurance: z.boolean(),
  manualEntry: z.boolean(),
  source: z.enum(['local', 'platform']),
  updatedAt: epochMs,
};
/** What lists show of a worker: no clear personal numbers. */
export const workerSummary = z.strictObject(workerSummaryShape);
/** One worker as the worker screen shows them: numbers masked (no ID or bank card number). */
export const workerDetail = z.strictObject({
  ...workerSummaryShape,
  sex: z.enum(['M', 'F', 'U']).nullable(),
  nation: z.string().nullable(),
  birthDate: z.string().nullable(),
  address: z.string().nullable(),
  issuingAuthority: z.string().nullable(),
  validFrom: z.string().nullable(),
  hasIdPhoto: z.boolean(),
  phone: z.string().nullable(),
  isTeamLeader: z.boolean(),
  contractStart: z.string().nullable(),
  insuranceStart: z.string().nullable(),
  insuranceEnd: z.string().nullable(),
  bankCode: z.string().nullable(),
  bankCardMasked: z.string().nullable(),
});
export const workerCreated = z.strictObject({ id: z.number().int(), name: z.string(), idNumberMasked: z.string() });

/** Is this ID number enrolled? */
export const idLookupResponse = z.strictObject({
  enrolled: z.strictObject({ workerId: z.number().int(), name: z.string(), teamName: z.string().nullable(), status: workerStatus }).nullable(),
});
/** A worker's face templates replaced by a new live capture. */
export const recaptureResponse = z.strictObject({ templates: z.number().int(), idMatchScore: z.number().nullable() });

export type Account = z.infer<typeof account>;
export type SignInChoice = z.infer<typeof signInChoice>;
export type SessionResponse = z.infer<typeof sessionResponse>;
export type Employer = z.infer<typeof employer>;
export type Team = z.infer<typeof team>;
export type WorkerSummary = z.infer<typeof workerSummary>;
export type WorkerDetail = z.infer<typeof workerDetail>;
export type WorkerCreated = z.infer<typeof workerCreated>;
export type WorkerStatusValue = z.infer<typeof workerStatus>;
export type IdLookupResponse = z.infer<typeof idLookupResponse>;
export type RecaptureResponse = z.infer<typeof recaptureResponse>;
