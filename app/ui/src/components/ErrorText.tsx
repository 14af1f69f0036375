// Shows an API error in the current language, with what to do when we know it.
import { ApiCallError } from '../api/http.js';
import { useI18n } from '../i18n/i18n.js';
import type { Bilingual } from '../../../shared/i18n/messages.js';

export function errorText(err: unknown, pick: (b: Bilingual) => string): string {
  if (err instanceof ApiCallError) return pick(err.text);
  return (
    pick({ zh: '发生未知错误', en: 'Unexpected error' }) + (err instanceof Error ? `: ${err.message}` : '')
  );
}

export function ErrorText({ error, testId }: { error: unknown; testId?: string }) {
  const { pick } = useI18n();
  if (!error) return null;
  return (
    <p className="error" role="alert" data-testid={testId ?? 'error'}>
      {errorText(error, pick)}
    </p>
  );
}
