// The turnstile's spoken texts ('{name}，欢迎', '{reason}'): empty fields fall back to the
// built-in defaults (they are left out of the PUT).
import { useEffect, useState } from 'react';
import { adminApi, type VoiceTemplates } from '../api/admin.js';
import { useI18n } from '../i18n/i18n.js';
import type { TextKey } from '../i18n/texts.js';
import { ErrorText } from './ErrorText.js';
import { Field } from './Field.js';
import { voiceBody } from '../lib/settings-forms.js';

const KEYS: Array<[keyof VoiceTemplates, TextKey, string]> = [
  ['welcome', 'settings.voice_welcome', '{name}，欢迎'],
  ['goodbye', 'settings.voice_goodbye', '{name}，再见'],
  ['refused', 'settings.voice_refused', '{reason}'],
];

export function VoiceTemplatesForm() {
  const { t } = useI18n();
  const [v, setV] = useState<VoiceTemplates>({});
  const [msg, setMsg] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  useEffect(() => {
    adminApi.voiceTemplates().then(setV, setError);
  }, []);
  const save = async () => {
    setMsg(null);
    setError(null);
    try {
      await adminApi.saveVoiceTemplates(voiceBody(v));
      setMsg(t('settings.voice_saved'));
    } catch (err) {
      setError(err);
    }
  };
  return (
    <div data-testid="voice-form">
      <h3>{t('settings.voice')}</h3>
      <p className="small">
        {/* {name} and {reason} are template syntax, shown as typed. */}
        {t('settings.voice_hint')
          .split(/(\{name\}|\{reason\})/)
          .map((part, i) =>
            i % 2 === 1 ? (
              <code key={i} data-verbatim>
                {part}
              </code>
            ) : (
              part
            ),
          )}
      </p>
      {KEYS.map(([k, label, placeholder]) => (
        <Field key={k} label={t(label)}>
          <input
            data-testid={`voice-${k}`}
            data-verbatim
            maxLength={60}
            placeholder={placeholder}
            value={v[k] ?? ''}
            onChange={(e) => setV((x) => ({ ...x, [k]: e.target.value }))}
          />
        </Field>
      ))}
      <button type="button" className="primary" data-testid="voice-save" onClick={() => void save()}>
        {t('common.save')}
      </button>
      {msg && (
        <p className="ok" data-testid="voice-saved">
          {msg}
        </p>
      )}
      <ErrorText error={error} />
    </div>
  );
}
