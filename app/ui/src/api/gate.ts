// The core's gate and enrollment routes (app/server/api/gate-routes.ts). Replies are the
// contract's types (app/shared/api/contract.ts). The routes that need the face engine answer
// 503 `gate.unavailable` while it is not loaded: `engineUnavailable` says so in words.
import type { Bilingual } from '../../../shared/i18n/messages.js';
import type { CardSummary, ChallengeJson, EnrollmentSaveRequest, FaceReasonJson, Reply } from '../../../shared/api-types.js';
import { ApiCallError, fetchObjectUrl, request } from './http.js';

export type { CardSummary, ChallengeJson, FaceReasonJson };

/** The words of a 503 from a route that needs the face engine; null for any other error. */
export function engineUnavailable(err: unknown): Bilingual | null {
  if (!(err instanceof ApiCallError) || err.status !== 503) return null;
  const d = err.details as { message?: Bilingual } | undefined;
  return d?.message ?? err.text;
}

/** POST /api/lanes/:laneId/frames (image/jpeg body; no login needed from this machine). */
export const postLaneFrame = (laneId: string, jpeg: Blob) =>
  request<Reply<'POST /api/lanes/:laneId/frames'>>('POST', `/api/lanes/${encodeURIComponent(laneId)}/frames`, { raw: jpeg });

/** GET /api/enrollment/card → the latest held read and whether a reader is connected. */
export const currentCard = () => request<Reply<'GET /api/enrollment/card'>>('GET', '/api/enrollment/card');

export const cardPhotoUrl = (readId: string) => fetchObjectUrl(`/api/enrollment/card/${encodeURIComponent(readId)}/photo`);

export const openCaptureSession = () => request<Reply<'POST /api/enrollment/sessions'>>('POST', '/api/enrollment/sessions');
export const addCaptureFrame = (sessionId: string, jpeg: Blob) =>
  request<Reply<'POST /api/enrollment/sessions/:id/frames'>>('POST', `/api/enrollment/sessions/${sessionId}/frames`, { raw: jpeg });
export const matchIdPhoto = (sessionId: string, readId: string) =>
  request<Reply<'POST /api/enrollment/sessions/:id/match'>>('POST', `/api/enrollment/sessions/${sessionId}/match`, { body: { readId } });
export const saveEnrollment = (body: EnrollmentSaveRequest) => request<Reply<'POST /api/enrollments'>>('POST', '/api/enrollments', { body });
