// Admin and supervisor routes of the core's settings and compliance features
// (app/server/api/gate-routes.ts, sync-routes.ts, compliance-routes.ts): the gate policy,
// the platform appsecret (write-only), the voice texts, make-up attendance (补卡) and the
// data-completeness preview. Replies are the contract's types (app/shared/api/contract.ts);
// the policy and the make-up reasons are edge-core's rules' types (type-only imports).
import type { GatePolicy, RuleAction } from '../../../../edge-core/src/rules/gate-policy-schema.js';
import type { MakeupReasonCode } from '../../../../edge-core/src/rules/makeup.js';
import type { Reply, VoiceTemplates } from '../../../shared/api-types.js';
import type { Bilingual } from '../../../shared/i18n/messages.js';
import { request } from './http.js';

export type CompletenessReport = Reply<'GET /api/reports/completeness'>;
export type CompletenessIssue = CompletenessReport['project'][number];
export type { GatePolicy, RuleAction, VoiceTemplates };
export type MakeupReason = MakeupReasonCode;

export interface MakeupBody {
  workerId: number;
  direction: 'in' | 'out';
  occurredAt: number;
  reason: MakeupReason;
  reasonText?: string;
  confirmedBy: string;
  documentNo: string;
  confirmedAt: number;
}

/** One reason the core refused a make-up (422 `makeup.refused`, error.details). */
export interface MakeupRefusal extends Bilingual {
  code: string;
}

export const adminApi = {
  /** GET /api/gate/policy (supervisor) → the policy with defaults filled. */
  gatePolicy: () => request<Reply<'GET /api/gate/policy'>>('GET', '/api/gate/policy'),
  /** PUT /api/gate/policy (admin) → the saved policy and what changed in plain words. */
  saveGatePolicy: (policy: GatePolicy) =>
    request<Reply<'PUT /api/gate/policy'>>('PUT', '/api/gate/policy', {
      body: policy,
    }),
  /** PUT /api/admin/platform-secret (admin): write-only; the core never sends it back. */
  setPlatformSecret: (appsecret: string) =>
    request<Reply<'PUT /api/admin/platform-secret'>>('PUT', '/api/admin/platform-secret', {
      body: { appsecret },
    }),
  voiceTemplates: () => request<Reply<'GET /api/admin/voice-templates'>>('GET', '/api/admin/voice-templates'),
  saveVoiceTemplates: (body: VoiceTemplates) =>
    request<Reply<'PUT /api/admin/voice-templates'>>('PUT', '/api/admin/voice-templates', { body }),
  /** POST /api/attendance/makeup (supervisor) → 201 the recorded event, or 422 with the reasons. */
  makeup: (body: MakeupBody) =>
    request<Reply<'POST /api/attendance/makeup'>>('POST', '/api/attendance/makeup', { body }),
  /** GET /api/reports/completeness (supervisor) → what the platform's yellow light would flag. */
  completeness: () => request<CompletenessReport>('GET', '/api/reports/completeness'),
};

/** The reasons of a 422 make-up refusal, or null when the error is something else. */
export function makeupRefusals(details: unknown): MakeupRefusal[] | null {
  if (!Array.isArray(details)) return null;
  const out = details.filter(
    (d): d is MakeupRefusal =>
      typeof d === 'object' &&
      d !== null &&
      typeof (d as MakeupRefusal).zh === 'string' &&
      typeof (d as MakeupRefusal).en === 'string',
  );
  return out.length > 0 ? out : null;
}
