// The one name for a user-facing text in both languages, Chinese (zh-CN) first. Core tables
// (reason catalogs, device failures) and the UI's message tables all use this type; app/shared
// re-exports it (app/shared/i18n/messages.ts). Browser-safe: app/ui/tsconfig.json lists it.

/** User-facing text, Chinese first, English second. */
export interface Bilingual {
  zh: string;
  en: string;
}

/** Whether a value from outside the type system (a thrown error's field, parsed JSON) is a Bilingual. */
export function isBilingual(v: unknown): v is Bilingual {
  return typeof v === 'object' && v !== null && typeof (v as { zh?: unknown }).zh === 'string' && typeof (v as { en?: unknown }).en === 'string';
}
