// The one check of human-entered text (names, reasons, authorities, voice texts), shared by
// every request schema with such a field and usable by the UI. Refused:
// - bidirectional controls (U+202A–U+202E, U+2066–U+2069, U+200E/U+200F, U+061C): they make a
//   name read differently from what is stored (`测试\u202Eabc` shows as `测试cba`) in lists,
//   exports and the platform;
// - control characters (C0 including NUL, DEL, C1) and the line/paragraph separators;
// - invisible-only text (zero-width spaces and joiners, word joiner, BOM, soft hyphen around
//   whitespace), and the zero-width space / word joiner / BOM anywhere (they make look-alike
//   duplicates of real names).
import { z } from 'zod';

const BIDI = /[\u061C\u200E\u200F\u202A-\u202E\u2066-\u2069]/u;
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const CONTROL = /[\u0000-\u001F\u007F-\u009F\u2028\u2029]/u;
const INVISIBLE_ANYWHERE = /[\u200B\u2060\uFEFF]/u;
const INVISIBLE_OR_SPACE = /[\s\u00AD\u180E\u200B-\u200D\u2060\uFEFF]/gu;

/** Why `text` is not acceptable as human-entered text, or null. */
export function textProblem(text: string): string | null {
  if (CONTROL.test(text)) return 'contains a control character (NUL, line break, tab…)';
  if (BIDI.test(text)) return 'contains a text-direction control character (e.g. U+202E)';
  if (INVISIBLE_ANYWHERE.test(text)) return 'contains an invisible zero-width character';
  if (text.length > 0 && text.replace(INVISIBLE_OR_SPACE, '') === '') return 'has no visible characters';
  return null;
}

/** A trimmed, checked text field of `min`–`max` characters. */
export function safeText(min: number, max: number) {
  return z
    .string()
    .trim()
    .min(min)
    .max(max)
    .superRefine((v, ctx) => {
      const problem = textProblem(v);
      if (problem) ctx.addIssue({ code: 'custom', message: problem });
    });
}
