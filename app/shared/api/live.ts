// The live events of `/api/events` (WebSocket, JSON text frames), one schema per type.
import { z } from 'zod';
import { bilingual, decision, direction, epochMs } from './common.js';

/**
 * A passage at a lane: a worker's (face), a visitor's (QR pass), a demo's or a make-up record.
 * Made from the gate decision's DTO by one mapper (app/server/decision-dto.ts).
 */
export const passageEvent = z.strictObject({
  type: z.literal('passage'),
  laneId: z.string(),
  /** Empty for a suppressed repeat scan (no record written). */
  eventId: z.string(),
  decision,
  direction,
  workerId: z.number().int().nullable(),
  workerName: z.string().nullable(),
  teamName: z.string().nullable(),
  /** The passage photo (GET, loopback kiosk or supervisor); null when none was taken. */
  photoUrl: z.string().nullable(),
  /** Reason codes, liveness signal first (e.g. liveness.planar_motion, not_enrolled). */
  reasons: z.array(z.string()),
  /** The words of each reason, in the same order. */
  reasonTexts: z.array(bilingual),
  /** The turnstile confirmed the open command. */
  opened: z.boolean(),
  duplicate: z.boolean(),
  /** A visitor pass (访客码) passage: the pass id (workerName is the visitor's name). */
  visitorPassId: z.string().nullable(),
  at: epochMs,
});

export const liveEvent = z.discriminatedUnion('type', [
  passageEvent,
  z.strictObject({
    type: z.literal('device.health'),
    deviceId: z.string(),
    ok: z.boolean(),
    state: z.enum(['ok', 'degraded', 'offline']),
    kind: z.string(),
    detail: z.string().optional(),
    at: epochMs,
  }),
  z.strictObject({ type: z.literal('card.read'), readId: z.string(), at: epochMs }),
  z.strictObject({ type: z.literal('worker.saved'), workerId: z.number().int(), at: epochMs }),
  /** `action: 'replace_card'`: the read failed on the way — take the card off and place it again. */
  z.strictObject({ type: z.literal('card.error'), code: z.string(), message: bilingual, action: z.literal('replace_card').optional(), at: epochMs }),
  z.strictObject({ type: z.literal('card.removed'), at: epochMs }),
  z.strictObject({ type: z.literal('sync.progress'), backlog: z.number().int(), sent: z.number().int(), parked: z.number().int(), lastError: z.string().optional(), at: epochMs }),
  z.strictObject({ type: z.literal('task.progress'), task: z.string(), done: z.number(), total: z.number(), at: epochMs }),
]);

export type PassageEvent = z.infer<typeof passageEvent>;
export type LiveEvent = z.infer<typeof liveEvent>;
