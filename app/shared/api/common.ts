// Building blocks of the local API's response schemas (zod). The server types its handlers
// with the inferred types and the contract test (app/test/api.contract.test.ts) parses every
// reply with them; the UI imports the inferred types. Objects are strict: a field the core
// sends that the schema does not name (a leaked ID number, say) fails the contract test.
import { z } from 'zod';

/** User-facing text, Chinese first. */
export const bilingual = z.strictObject({ zh: z.string(), en: z.string() });

/** A reason as the screens show it: its stable code and its words. */
export const reasonText = z.strictObject({ code: z.string(), zh: z.string(), en: z.string() });

/** A reason of the face pipeline (quality, liveness): its code and words, and the measured value and limit where a threshold decided. */
export const faceReason = z.strictObject({ code: z.string(), message: bilingual, value: z.number().optional(), limit: z.number().optional() });

/** UTC milliseconds. */
export const epochMs = z.number().int();

export const ok = z.strictObject({ ok: z.literal(true) });

export const direction = z.enum(['in', 'out']);
export const decision = z.enum(['pass', 'refuse']);
export const role = z.enum(['clerk', 'supervisor', 'admin']);
export const localDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/);

export type Bilingual = z.infer<typeof bilingual>;
export type ReasonText = z.infer<typeof reasonText>;
export type FaceReasonJson = z.infer<typeof faceReason>;
