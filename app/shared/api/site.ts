// Responses about the appliance itself: health, first-run set-up, the platform link (sync),
// admin tools (backup, cameras, voice, remote management) and visitor passes.
import { z } from 'zod';
import type { SyncProblemCode } from '../../../edge-core/src/domain/sync-problems.js';
import { bilingual, decision, direction, epochMs, ok, reasonText } from './common.js';

/** The standing problems' codes (edge-core/src/domain/sync-problems.ts; the check below keeps the two lists equal). */
const syncProblemCode = z.enum(['clock_outside_window', 'heartbeat_not_permitted', 'heartbeat_refused']);
const _sameCodes: [z.infer<typeof syncProblemCode>, SyncProblemCode] extends [SyncProblemCode, z.infer<typeof syncProblemCode>] ? true : never = true;
void _sameCodes;

export const componentHealth = z.strictObject({ ok: z.boolean(), detail: z.string().optional() });
export const healthResponse = z.strictObject({
  status: z.enum(['ok', 'degraded']),
  version: z.string(),
  demo: z.boolean(),
  uptimeS: z.number().int(),
  components: z.record(z.string(), componentHealth),
});

// --- first-run set-up ------------------------------------------------------------------------------
export const projectView = z.strictObject({ code: z.string(), name: z.string(), timeZone: z.string(), lng: z.number().nullable(), lat: z.number().nullable() });
/** What the configuration file holds now, to pre-fill the wizard (GET /api/setup/site). */
export const setupCurrent = z.strictObject({
  lanes: z.array(z.strictObject({ id: z.string(), name: z.string(), direction: z.enum(['in', 'out', 'both']) })),
  simulate: z.boolean(),
  idCardReaderPath: z.string().nullable(),
  platform: z.strictObject({ type: z.enum(['off', 'simulator', 'remote']), endpoint: z.string().optional(), appId: z.string().optional() }),
  configFile: z.string().nullable(),
});
/** GET /api/setup/status */
export const setupStatusResponse = z.strictObject({
  /** Per role: whether an enabled account has it (older clients read this). */
  pinsSet: z.strictObject({ clerk: z.boolean(), supervisor: z.boolean(), admin: z.boolean() }),
  /** Whether any account exists (the first-run set-up has been done). */
  accountsSet: z.boolean(),
  project: projectView.nullable(),
  /** Outside the demo with no account yet: the kiosk shows the first-run wizard. */
  firstRun: z.boolean(),
  demo: z.boolean(),
  current: setupCurrent.optional(),
});
/** A serial port the wizard offers (GET /api/setup/ports). */
export const serialPortInfo = z.strictObject({ path: z.string(), manufacturer: z.string().nullable() });
/** POST /api/setup/platform-test */
export const platformTestResponse = z.union([
  z.strictObject({ ok: z.literal(true), ms: z.number(), teams: z.number().int().nullable() }),
  z.strictObject({ ok: z.literal(false), ms: z.number(), message: bilingual, kind: z.string() }),
]);
export const setupSaved = z.strictObject({ ok: z.literal(true), restarting: z.boolean() });

// --- the platform link --------------------------------------------------------------------------------
export const syncStatus = z.strictObject({
  /** False when the platform link is switched off (config `platform.type: off`). */
  enabled: z.boolean(),
  connectivity: z.enum(['online', 'offline', 'blocked', 'unknown', 'off']),
  /** Why the link is not online, in plain words. */
  reason: bilingual.nullable(),
  backlog: z.number().int(),
  parked: z.number().int(),
  oldestUnsentAt: epochMs.nullable(),
  lastSentAt: epochMs.nullable(),
  /** The last failure in plain words, with the platform's own reason text when it gave one. */
  lastError: z.strictObject({ at: epochMs, code: z.string(), message: bilingual, platformMessage: z.string().nullable() }).nullable(),
  /** Standing problems a person must act on, as codes (words: shared/i18n/sync-texts.ts). */
  problems: z.array(z.strictObject({ code: syncProblemCode, params: z.record(z.string(), z.union([z.string(), z.number()])), since: epochMs })),
  /** Backlog samples for the chart, oldest first, at most 288 (24 h at 5 min). */
  history: z.array(z.strictObject({ at: epochMs, backlog: z.number().int() })),
  /** The platform clock's offset from ours when known (shape owned by sync/). */
  clockSkew: z.strictObject({ offsetMs: z.number(), uncertaintyMs: z.number(), measuredAt: epochMs, significant: z.boolean(), message: bilingual.nullable() }).nullable(),
});
export const syncRetryResponse = z.strictObject({ ok: z.literal(true), requeued: z.number().int() });
/** A record the platform refused for good: kept aside with its reason until "retry now". */
export const parkedRecord = z.strictObject({
  id: z.number().int(),
  kind: z.string(),
  refId: z.union([z.string(), z.number()]).nullable(),
  reason: z.string().nullable(),
  createdAt: epochMs,
  attempts: z.number().int(),
});
export const platformSecretSaved = z.strictObject({ ok: z.literal(true), restartNeeded: z.boolean(), applied: z.boolean() });

// --- admin ---------------------------------------------------------------------------------------------
export const backupResponse = z.strictObject({ ok: z.literal(true), file: z.string() });
export const voiceTemplates = z.strictObject({ welcome: z.string().optional(), goodbye: z.string().optional(), refused: z.string().optional() });
export const camerasResponse = z.strictObject({
  found: z.array(z.strictObject({ input: z.string(), format: z.enum(['v4l2', 'dshow']), name: z.string() })),
  lanes: z.array(
    z.strictObject({
      laneId: z.string(),
      name: z.string(),
      camera: z.discriminatedUnion('type', [
        z.strictObject({ type: z.literal('ffmpeg'), input: z.string(), format: z.string().optional() }),
        z.strictObject({ type: z.literal('file'), input: z.string() }),
        z.strictObject({ type: z.literal('browser') }),
      ]),
    }),
  ),
  configFile: z.string(),
});
const commandOutcome = z.strictObject({ ok: z.boolean(), message: z.string() });
export const restartResponse = commandOutcome;
export const remoteResponse = z.strictObject({
  supervised: z.boolean(),
  remoteParameters: z.record(z.string(), z.unknown()),
  pendingAcks: z.array(commandOutcome.extend({ commandId: z.string() })),
});

// --- visitor passes (访客码) -----------------------------------------------------------------------------
export const visitorPassView = z.strictObject({
  id: z.string(),
  name: z.string(),
  host: z.string(),
  purpose: z.string(),
  idCardType: z.string().nullable(),
  idNumberMasked: z.string().nullable(),
  validFrom: epochMs,
  validTo: epochMs,
  maxEntries: z.number().int().nullable(),
  escortRequired: z.boolean(),
  laneIds: z.array(z.string()).nullable(),
  issuedBy: z.string(),
  issuedAt: epochMs,
  revokedAt: epochMs.nullable(),
  revokedBy: z.string().nullable(),
  revokeReason: z.string().nullable(),
  /** Admitted entries so far. */
  entriesUsed: z.number().int(),
  /** As of the answer. */
  state: z.enum(['active', 'not_yet_valid', 'expired', 'revoked', 'used_up']),
  /** The signed code the QR carries. */
  code: z.string(),
});
export const visitorPassageView = z.strictObject({
  id: z.string(),
  passId: z.string().nullable(),
  visitorName: z.string().nullable(),
  host: z.string().nullable(),
  laneId: z.string(),
  direction,
  occurredAt: epochMs,
  decision,
  reasons: z.array(reasonText),
});
/** POST /api/lanes/:laneId/visitor-code: the lane's decision on a scanned code. */
export const visitorCodeResponse = z.strictObject({
  decision,
  opened: z.boolean(),
  eventId: z.string().nullable(),
  visitorName: z.string().nullable(),
  reasons: z.array(reasonText),
});

export const okResponse = ok;

export type ComponentHealth = z.infer<typeof componentHealth>;
export type HealthResponse = z.infer<typeof healthResponse>;
export type SetupStatusResponse = z.infer<typeof setupStatusResponse>;
export type SetupCurrent = z.infer<typeof setupCurrent>;
export type SerialPortInfo = z.infer<typeof serialPortInfo>;
export type PlatformTestResponse = z.infer<typeof platformTestResponse>;
export type SyncStatus = z.infer<typeof syncStatus>;
export type ParkedRecord = z.infer<typeof parkedRecord>;
export type VoiceTemplates = z.infer<typeof voiceTemplates>;
export type VisitorPassView = z.infer<typeof visitorPassView>;
export type VisitorPassageView = z.infer<typeof visitorPassageView>;
export type ProjectView = z.infer<typeof projectView>;
