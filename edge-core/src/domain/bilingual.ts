// The one name for a user-facing text in both languages, Chinese (zh-CN) first. Core tables
// (reason catalogs, device failures) and the UI's message tables all use this type; app/shared
// re-exports it (app/shared/i18n/messages.ts). Browser-safe: app/ui/tsconfig.json lists it.

/** User-facing text, Chinese first, English second. */
export interface Bilingual {
  zh: string;
  en: string;
}
