// The core's gate and enrollment routes (app/server/api/gate-routes.ts). Each call resolves to
// { available: false } when the core answers 404 for the route (an older core) or says the
// face engine is unavailable (503), so screens can fall back and say why.
import type { Bilingual } from '../../../shared/i18n/messages.js';
import type { EnrollmentSaveRequest } from '../../../shared/api-types.js';
import { ApiCallError, fetchObjectUrl, isMissingRoute, request } from './http.js';

export type Feature<T> =
  | { available: true; value: T }
  | { available: false; why: 'missing_route' | 'engine_unavailable'; text?: Bilingual };

async function feature<T>(call: () => Promise<T>): Promise<Feature<T>> {
  try {
    return { available: true, value: await call() };
  } catch (err) {
    if (isMissingRoute(err)) return { available: false, why: 'missing_route' };
    if (err instanceof ApiCallError && err.status === 503) {
      const d = err.details as { message?: Bilingual } | undefined;
      return { available: false, why: 'engine_unavailable', text: d?.message ?? err.text };
    }
    throw err;
  }
}

export interface FaceReasonJson {
  code: string;
  message: Bilingual;
}

export interface GateDecisionJson {
  eventId: string | null;
  decision: 'pass' | 'refuse';
  direction: 'in' | 'out';
  worker: { id: number; name: string; teamName: string | null } | null;
  opened: boolean;
  duplicate: boolean;
  reasons: Array<{ code: string; zh: string; en: string }>;
  reminders: Array<{ code: string; zh: string; en: string }>;
  at: number;
}

export type FrameOutcomeJson =
  | { state: 'busy' | 'cooldown' }
  | { state: 'rejected_frame'; reasons: FaceReasonJson[] }
  | { state: 'collecting'; frames: number; needed: number; hints: FaceReasonJson[] }
  | { state: 'decided'; decision: GateDecisionJson };

/** POST /api/lanes/:laneId/frames (image/jpeg body; no login needed from this machine). */
export const postLaneFrame = (laneId: string, jpeg: Blob) =>
  feature(() =>
    request<FrameOutcomeJson>('POST', `/api/lanes/${encodeURIComponent(laneId)}/frames`, { raw: jpeg }),
  );

/** What the core shows of a held card read: the number is masked, the photo is a separate URL. */
export interface CardSummary {
  readId: string;
  cardType: string;
  name: string;
  idNumberMasked: string;
  sex: string;
  birthDate: string | null;
  validFrom: string | null;
  validTo: string | null;
  longTerm: boolean;
  nation: string | null;
  issuingAuthority: string | null;
  photo: 'decoded' | 'none';
  photoProblem: string | null;
  readAt: number;
}

/** GET /api/enrollment/card → the latest held read and whether a reader is connected. */
export const currentCard = () =>
  feature(() => request<{ card: CardSummary | null; readerPresent: boolean }>('GET', '/api/enrollment/card'));

export const cardPhotoUrl = (readId: string) =>
  fetchObjectUrl(`/api/enrollment/card/${encodeURIComponent(readId)}/photo`);

export interface LivenessJson {
  live: boolean;
  policy: string;
  reasons: FaceReasonJson[];
}

/** The enrollment's active challenge: random prompted actions (turn left/right, blink twice). */
export interface ChallengeJson {
  steps: {
    step: 'turn_left' | 'turn_right' | 'blink_twice';
    prompt: { zh: string; en: string };
    done: boolean;
  }[];
  state: 'pending' | 'passed' | 'failed';
  current: 'turn_left' | 'turn_right' | 'blink_twice' | null;
  remainingMs: number;
}

export interface FrameFeedbackJson {
  accepted: boolean;
  reasons: FaceReasonJson[];
  frames: number;
  needed: number;
  liveness: LivenessJson | null;
  challenge: ChallengeJson | null;
}

export interface IdPhotoMatchJson {
  decision: 'match' | 'no_match' | 'unusable';
  score?: number;
  threshold: number;
  reasons: FaceReasonJson[];
}

export const openCaptureSession = () =>
  feature(() =>
    request<{ sessionId: string; needed: number; challenge: ChallengeJson | null }>(
      'POST',
      '/api/enrollment/sessions',
    ),
  );
export const addCaptureFrame = (sessionId: string, jpeg: Blob) =>
  request<FrameFeedbackJson>('POST', `/api/enrollment/sessions/${sessionId}/frames`, { raw: jpeg });
export const matchIdPhoto = (sessionId: string, readId: string) =>
  request<IdPhotoMatchJson>('POST', `/api/enrollment/sessions/${sessionId}/match`, { body: { readId } });
export const saveEnrollment = (body: EnrollmentSaveRequest) =>
  request<{ workerId: number; repeated: boolean; flags: string[] }>('POST', '/api/enrollments', { body });
