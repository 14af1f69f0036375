// A tiny typed i18n layer: zh-CN first, English second. Keys are checked by TypeScript
// against TEXTS; `{name}` placeholders are filled from `vars`. Bilingual texts that come
// from the core (error messages, reason codes) are shown with `pick`.
import { createContext, useCallback, useContext, useMemo, useState, type ReactNode } from 'react';
import type { Bilingual } from '../../../shared/i18n/messages.js';
import { TEXTS, type TextKey } from './texts.js';

export type Lang = 'zh' | 'en';
const STORAGE_KEY = 'sitegate.lang';

export function format(template: string, vars?: Record<string, string | number>): string {
  if (!vars) return template;
  return template.replace(/\{(\w+)\}/g, (m, k: string) => (k in vars ? String(vars[k]) : m));
}

export function translate(lang: Lang, key: TextKey, vars?: Record<string, string | number>): string {
  return format(TEXTS[key][lang], vars);
}

interface I18n {
  lang: Lang;
  setLang(l: Lang): void;
  t(key: TextKey, vars?: Record<string, string | number>): string;
  pick(b: Bilingual | null | undefined): string;
}

const Ctx = createContext<I18n | null>(null);

function initialLang(): Lang {
  try {
    const v = localStorage.getItem(STORAGE_KEY);
    if (v === 'en' || v === 'zh') return v;
  } catch {
    /* storage disabled: default language */
  }
  return 'zh';
}

export function I18nProvider({ children }: { children: ReactNode }) {
  const [lang, setLangState] = useState<Lang>(initialLang);
  const setLang = useCallback((l: Lang) => {
    setLangState(l);
    document.documentElement.lang = l === 'zh' ? 'zh-CN' : 'en';
    try {
      localStorage.setItem(STORAGE_KEY, l);
    } catch {
      /* storage disabled: the choice lasts for this page */
    }
  }, []);
  const value = useMemo<I18n>(
    () => ({
      lang,
      setLang,
      t: (key, vars) => translate(lang, key, vars),
      pick: (b) => (b ? b[lang] : ''),
    }),
    [lang, setLang],
  );
  return <Ctx.Provider value={value}>{children}</Ctx.Provider>;
}

export function useI18n(): I18n {
  const v = useContext(Ctx);
  if (!v) throw new Error('useI18n outside I18nProvider');
  return v;
}
