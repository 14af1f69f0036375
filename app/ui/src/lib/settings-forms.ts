// Pure logic of the settings forms: the duplicate-scan window field, the gate policy with its
// essentials replaced (everything else kept as the core sent it), and the voice-text body.
import type { GatePolicy, RuleAction, VoiceTemplates } from '../api/admin.js';

/** Parses the duplicate-scan window field: a whole number of seconds 0–3600, else null. */
export function parseWindowSeconds(text: string): number | null {
  if (!/^\d{1,4}$/.test(text.trim())) return null;
  const n = Number(text.trim());
  return n <= 3600 ? n : null;
}

export interface PolicyEssentials {
  helmet: RuleAction;
  mask: RuleAction;
  antiPassback: RuleAction;
  windowSeconds: number;
}

/** The policy with the four essentials replaced; every other field kept. */
export function withEssentials(p: GatePolicy, e: PolicyEssentials): GatePolicy {
  return {
    ...p,
    helmet: { ...p.helmet, action: e.helmet },
    mask: { ...p.mask, action: e.mask },
    antiPassback: { ...p.antiPassback, action: e.antiPassback },
    duplicateScan: { ...p.duplicateScan, windowSeconds: e.windowSeconds },
  };
}

export const VOICE_KEYS = ['welcome', 'goodbye', 'refused'] as const satisfies ReadonlyArray<
  keyof VoiceTemplates
>;

/** The PUT body of the voice texts: trimmed, non-empty texts only (empty = the default). */
export function voiceBody(v: VoiceTemplates): VoiceTemplates {
  const out: VoiceTemplates = {};
  for (const k of VOICE_KEYS) {
    const s = v[k]?.trim();
    if (s) out[k] = s;
  }
  return out;
}
