// The platform appsecret: write-only. The field is a password field that is emptied after
// saving; the core stores the secret encrypted and never sends it back, so nothing shows it.
import { useState } from 'react';
import { adminApi } from '../api/admin.js';
import { useI18n } from '../i18n/i18n.js';
import { ErrorText } from './ErrorText.js';
import { Field } from './Field.js';

export function PlatformSecretForm() {
  const { t } = useI18n();
  const [secret, setSecret] = useState('');
  const [saved, setSaved] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const shapeOk = secret.length >= 8 && secret.length <= 128;
  const save = async () => {
    setError(null);
    setSaved(false);
    try {
      await adminApi.setPlatformSecret(secret);
      setSecret('');
      setSaved(true);
    } catch (err) {
      setError(err);
    }
  };
  return (
    <div data-testid="secret-form">
      <h3>{t('settings.platform')}</h3>
      <Field
        label={t('settings.appsecret')}
        hint={t('settings.appsecret_hint')}
        error={secret && !shapeOk ? t('settings.appsecret_short') : undefined}
      >
        <div className="inline">
          <input
            type="password"
            autoComplete="new-password"
            data-testid="appsecret"
            maxLength={128}
            value={secret}
            onChange={(e) => {
              setSecret(e.target.value);
              setSaved(false);
            }}
          />
          <button
            type="button"
            className="primary"
            data-testid="appsecret-save"
            disabled={!shapeOk}
            onClick={() => void save()}
          >
            {t('common.save')}
          </button>
        </div>
      </Field>
      {saved && (
        <p className="ok" data-testid="appsecret-saved">
          {t('settings.appsecret_saved')}
        </p>
      )}
      <ErrorText error={error} />
    </div>
  );
}
