// The gate policy's essentials (helmet, mask, anti-passback, duplicate-scan window), edited by
// the administrator and saved whole with PUT /api/gate/policy; the core answers with what
// changed in plain words, which is shown. The rest of the policy is listed read-only.
import { useEffect, useState } from 'react';
import { adminApi, type GatePolicy, type RuleAction } from '../api/admin.js';
import { useI18n } from '../i18n/i18n.js';
import type { TextKey } from '../i18n/texts.js';
import { ErrorText } from './ErrorText.js';
import { Field } from './Field.js';
import { parseWindowSeconds, withEssentials } from '../lib/settings-forms.js';

const ACTIONS: Record<RuleAction, TextKey> = {
  refuse: 'settings.action_refuse',
  remind: 'settings.action_remind',
  ignore: 'settings.action_ignore',
};

function ActionSelect({
  id,
  label,
  value,
  onChange,
}: {
  id: string;
  label: string;
  value: RuleAction;
  onChange: (v: RuleAction) => void;
}) {
  const { t } = useI18n();
  return (
    <Field label={label}>
      <select data-testid={id} value={value} onChange={(e) => onChange(e.target.value as RuleAction)}>
        {(Object.keys(ACTIONS) as RuleAction[]).map((a) => (
          <option key={a} value={a}>
            {t(ACTIONS[a])}
          </option>
        ))}
      </select>
    </Field>
  );
}

export function PolicyEditor() {
  const { t, pick } = useI18n();
  const [policy, setPolicy] = useState<GatePolicy | null>(null);
  const [helmet, setHelmet] = useState<RuleAction>('refuse');
  const [mask, setMask] = useState<RuleAction>('ignore');
  const [antiPassback, setAntiPassback] = useState<RuleAction>('remind');
  const [windowText, setWindowText] = useState('30');
  const [summary, setSummary] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [saving, setSaving] = useState(false);

  const adopt = (p: GatePolicy) => {
    setPolicy(p);
    setHelmet(p.helmet.action);
    setMask(p.mask.action);
    setAntiPassback(p.antiPassback.action);
    setWindowText(String(p.duplicateScan.windowSeconds));
  };
  useEffect(() => {
    adminApi.gatePolicy().then(adopt, setError);
  }, []);

  const windowSeconds = parseWindowSeconds(windowText);
  const save = async () => {
    if (!policy || windowSeconds === null) return;
    setSaving(true);
    setError(null);
    setSummary(null);
    try {
      // The latest saved policy, so what the time-window editor saved meanwhile is kept.
      const current = await adminApi.gatePolicy();
      const r = await adminApi.saveGatePolicy(withEssentials(current, { helmet, mask, antiPassback, windowSeconds }));
      adopt(r.policy);
      setSummary(pick(r.summary));
    } catch (err) {
      setError(err);
    } finally {
      setSaving(false);
    }
  };

  return (
    <section className="card" data-testid="policy-card">
      <h2>{t('settings.policy')}</h2>
      {policy ? (
        <>
          <div className="form-grid">
            <ActionSelect id="policy-helmet" label={t('settings.helmet')} value={helmet} onChange={setHelmet} />
            <ActionSelect id="policy-mask" label={t('settings.mask')} value={mask} onChange={setMask} />
            <ActionSelect
              id="policy-antipassback"
              label={t('settings.antipassback')}
              value={antiPassback}
              onChange={setAntiPassback}
            />
            <Field
              label={t('settings.duplicate_window')}
              error={windowSeconds === null ? t('settings.duplicate_window_bad') : undefined}
            >
              <input
                data-testid="policy-window"
                inputMode="numeric"
                value={windowText}
                onChange={(e) => setWindowText(e.target.value)}
              />
            </Field>
          </div>
          <button
            type="button"
            className="primary"
            data-testid="policy-save"
            disabled={saving || windowSeconds === null}
            onClick={() => void save()}
          >
            {saving ? t('common.saving') : t('settings.policy_save')}
          </button>
          {summary && (
            <p className="ok" data-testid="policy-summary">
              {summary}
            </p>
          )}
          <p className="small">{t('settings.policy_hint')}</p>
          <details>
            <summary>{t('settings.policy_full')}</summary>
            <pre className="policy" data-testid="policy">
              {JSON.stringify(policy, null, 2)}
            </pre>
          </details>
        </>
      ) : (
        <p className="empty">—</p>
      )}
      <ErrorText error={error} />
    </section>
  );
}
