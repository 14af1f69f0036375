// Texts for the reason codes the core sends (gate policy and face engine), taken from the
// pure edge-core tables so the gate screen says exactly what the core records.
import { REASON_TEXTS } from '../../../../edge-core/src/rules/reasons.js';
import { FACE_REASONS } from '../../../../edge-core/src/face/reasons.js';
import type { Bilingual } from '../../../shared/i18n/messages.js';

const TABLE: Record<string, Bilingual> = { ...FACE_REASONS, ...REASON_TEXTS };

export function reasonText(code: string): Bilingual {
  return TABLE[code] ?? { zh: `未通过（${code}）`, en: `Refused (${code})` };
}
