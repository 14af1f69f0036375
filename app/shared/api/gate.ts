// Responses of the gate (lanes, devices, camera frames, policy) and of the enrollment wizard
// (card read, capture session, 1:1 match, save), and the one shape of a gate decision.
import { z } from 'zod';
import { GatePolicySchema } from '../../../edge-core/src/rules/gate-policy-schema.js';
import { bilingual, decision, direction, epochMs, faceReason, localDate, reasonText } from './common.js';

export const lane = z.strictObject({
  id: z.string(),
  name: z.string(),
  directionMode: z.enum(['in', 'out', 'both']),
  enabled: z.boolean(),
  /** Where the lane's frames come from: the kiosk's browser camera or a camera the core reads. */
  camera: z.enum(['browser', 'core']),
});

export const deviceHealth = z.strictObject({
  deviceId: z.string(),
  kind: z.enum(['idcard_reader', 'turnstile', 'announcer', 'code_scanner', 'frame_source']),
  state: z.enum(['ok', 'degraded', 'offline']),
  since: epochMs,
  reason: bilingual.optional(),
  /** The lanes a turnstile controller serves. */
  lanes: z.array(z.string()).optional(),
});

/** A measured signal; a value or limit that is not a finite number (no measurement) is sent as null (JSON has no NaN). */
const livenessSignal = z.strictObject({
  name: z.enum(['cnn', 'planar_motion', 'blink', 'screen_cue']),
  value: z.number().nullable(),
  limit: z.number().nullable(),
  verdict: z.enum(['pass', 'fail', 'inconclusive']),
  enforced: z.boolean(),
});

/**
 * A gate decision as the screens get it, in the HTTP reply of a lane frame and (as the live
 * `passage` event, see live.ts) on the stream: one mapper makes both (app/server/decision-dto.ts).
 */
export const gateDecisionDto = z.strictObject({
  /** The committed record; null for a suppressed repeat scan (nothing recorded). */
  eventId: z.string().nullable(),
  decision,
  direction,
  worker: z.strictObject({ id: z.number().int(), name: z.string(), teamName: z.string().nullable() }).nullable(),
  /** The turnstile confirmed the open command. */
  opened: z.boolean(),
  duplicate: z.boolean(),
  /** Liveness reasons first (naming the signal), then the gate's, in the documented order. */
  reasons: z.array(reasonText),
  reminders: z.array(reasonText),
  /** The liveness signals behind the decision (empty for a passage not decided on a face). */
  liveness: z.array(livenessSignal),
  at: epochMs,
});

/** POST /api/lanes/:laneId/frames */
export const frameOutcome = z.discriminatedUnion('state', [
  z.strictObject({ state: z.enum(['busy', 'cooldown']) }),
  z.strictObject({ state: z.literal('rejected_frame'), reasons: z.array(faceReason) }),
  z.strictObject({ state: z.literal('collecting'), frames: z.number().int(), needed: z.number().int(), hints: z.array(faceReason) }),
  z.strictObject({ state: z.literal('decided'), decision: gateDecisionDto }),
]);

// --- gate policy ---------------------------------------------------------------------------------
export const gatePolicy = GatePolicySchema;
export const gatePolicySaved = z.strictObject({ policy: GatePolicySchema, summary: bilingual, changes: z.number().int() });

const previewPerson = z.strictObject({ workerId: z.number().int(), name: z.string(), role: z.enum(['worker', 'manager']), teamId: z.number().int().nullable(), teamName: z.string().nullable() });
const dayType = z.enum(['workday', 'holiday', 'stoppage']);
/** POST /api/gate/time-windows/preview: who may pass at an instant, grouped by the window that decides. */
export const timeWindowPreview = z.strictObject({
  at: epochMs,
  localDate,
  localTime: z.string(),
  dayType,
  previousDayType: dayType,
  allowed: z.number().int(),
  refused: z.number().int(),
  groups: z.array(
    z.strictObject({
      source: z.union([
        z.strictObject({ kind: z.literal('team'), teamId: z.number().int() }),
        z.strictObject({ kind: z.literal('role'), role: z.enum(['worker', 'manager']) }),
        z.strictObject({ kind: z.literal('default') }),
      ]),
      windows: z.array(z.strictObject({ from: z.string(), to: z.string() })),
      allowed: z.boolean(),
      people: z.array(previewPerson),
    }),
  ),
});

// --- enrollment ------------------------------------------------------------------------------------
/** What the core shows of a held card read: the number masked, the photo a separate URL. */
export const cardSummary = z.strictObject({
  readId: z.string(),
  cardType: z.string(),
  name: z.string(),
  idNumberMasked: z.string(),
  sex: z.string(),
  birthDate: z.string().nullable(),
  validFrom: z.string().nullable(),
  validTo: z.string().nullable(),
  longTerm: z.boolean(),
  nation: z.string().nullable(),
  issuingAuthority: z.string().nullable(),
  photo: z.enum(['decoded', 'none']),
  /** Why the chip photo could not be shown (none on the card, undecodable), in words. */
  photoProblem: bilingual.nullable(),
  readAt: epochMs,
});
export const currentCardResponse = z.strictObject({ card: cardSummary.nullable(), readerPresent: z.boolean() });

const challengeStep = z.enum(['turn_left', 'turn_right', 'blink_twice']);
/** The enrollment's active challenge: random prompted actions. */
export const challenge = z.strictObject({
  steps: z.array(z.strictObject({ step: challengeStep, prompt: bilingual, done: z.boolean() })),
  state: z.enum(['pending', 'passed', 'failed']),
  current: challengeStep.nullable(),
  remainingMs: z.number(),
});
export const livenessDecision = z.strictObject({ live: z.boolean(), policy: z.string(), signals: z.array(livenessSignal), reasons: z.array(faceReason) });
export const captureSessionOpened = z.strictObject({ sessionId: z.string(), needed: z.number().int(), challenge: challenge.nullable() });
export const frameFeedback = z.strictObject({
  accepted: z.boolean(),
  reasons: z.array(faceReason),
  frames: z.number().int(),
  needed: z.number().int(),
  liveness: livenessDecision.nullable(),
  challenge: challenge.nullable(),
});
export const idPhotoMatch = z.strictObject({
  decision: z.enum(['match', 'no_match', 'unusable']),
  score: z.number().optional(),
  threshold: z.number(),
  reasons: z.array(faceReason),
});
/** POST …/card-image/:side: the portrait side is matched, the emblem side only stored. */
export const cardImageResponse = z.union([idPhotoMatch, z.strictObject({ stored: z.literal(true) })]);
export const enrollmentSaved = z.strictObject({ workerId: z.number().int(), repeated: z.boolean(), flags: z.array(z.string()) });

// --- demo ---------------------------------------------------------------------------------------------
/** GET /api/demo/info (demo only): what the demo tells a newcomer on screen. */
export const demoInfoResponse = z.strictObject({
  pins: z.strictObject({ admin: z.string(), supervisor: z.string(), clerk: z.string() }),
  /** The synthetic ID cards the clerk can place on the simulated reader. */
  cards: z.array(z.strictObject({ key: z.string(), label: z.string(), name: z.string(), idNumberMasked: z.string() })),
  /** The card on the simulated reader now, if any. */
  placed: z.string().nullable(),
  /** The gate policy's helmet rule (the demo says that a missing helmet is refused). */
  helmet: z.enum(['refuse', 'remind', 'ignore']),
});

export type Lane = z.infer<typeof lane>;
export type DeviceHealthView = z.infer<typeof deviceHealth>;
export type GateDecisionDto = z.infer<typeof gateDecisionDto>;
export type FrameOutcomeJson = z.infer<typeof frameOutcome>;
export type GatePolicySaved = z.infer<typeof gatePolicySaved>;
export type CardSummary = z.infer<typeof cardSummary>;
export type CurrentCardResponse = z.infer<typeof currentCardResponse>;
export type ChallengeJson = z.infer<typeof challenge>;
export type LivenessJson = z.infer<typeof livenessDecision>;
export type CaptureSessionOpened = z.infer<typeof captureSessionOpened>;
export type FrameFeedbackJson = z.infer<typeof frameFeedback>;
export type IdPhotoMatchJson = z.infer<typeof idPhotoMatch>;
export type CardImageResponse = z.infer<typeof cardImageResponse>;
export type EnrollmentSaved = z.infer<typeof enrollmentSaved>;
export type DemoInfoResponse = z.infer<typeof demoInfoResponse>;
