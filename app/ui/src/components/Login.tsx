// Sign in by role and PIN on a large keypad. Says how many tries are left, and until when a
// role is locked after too many wrong PINs; says so when the session has expired.
import { useState } from 'react';
import { ApiCallError } from '../api/http.js';
import type { Role } from '../api/core.js';
import { useI18n } from '../i18n/i18n.js';
import { useSession } from '../lib/session.js';
import type { TextKey } from '../i18n/texts.js';
import { DemoNotes } from './DemoNotes.js';
import { useSite } from '../lib/site.js';

const ROLE_KEYS: Record<Role, TextKey> = {
  clerk: 'role.clerk',
  supervisor: 'role.supervisor',
  admin: 'role.admin',
};

export function Login({ need }: { need: Role }) {
  const { t, pick, lang } = useI18n();
  const { login, notice } = useSession();
  const site = useSite();
  const [role, setRole] = useState<Role>(need);
  const [pin, setPin] = useState('');
  const [busy, setBusy] = useState(false);
  const [msg, setMsg] = useState<string | null>(null);

  const submit = async () => {
    if (busy || !pin) return;
    setBusy(true);
    setMsg(null);
    try {
      await login(role, pin);
    } catch (err) {
      setPin('');
      if (err instanceof ApiCallError) {
        const d = (err.details ?? {}) as { attemptsLeft?: number; lockedUntil?: number };
        if (err.code === 'auth.wrong_pin' && typeof d.attemptsLeft === 'number')
          setMsg(`${pick(err.text)} · ${t('login.attempts_left', { n: d.attemptsLeft })}`);
        else if (err.code === 'auth.locked' && typeof d.lockedUntil === 'number')
          setMsg(
            `${pick(err.text)} · ${t('login.locked_until', { time: new Date(d.lockedUntil).toLocaleTimeString(lang === 'zh' ? 'zh-CN' : 'en-GB') })}`,
          );
        else setMsg(pick(err.text));
      } else setMsg(String(err));
    } finally {
      setBusy(false);
    }
  };

  const press = (k: string) => {
    if (k === 'del') setPin((p) => p.slice(0, -1));
    else if (k === 'ok') void submit();
    else setPin((p) => (p.length < 12 ? p + k : p));
  };

  const roles: Role[] = (['clerk', 'supervisor', 'admin'] as Role[]).filter(
    (r) => ['clerk', 'supervisor', 'admin'].indexOf(r) >= ['clerk', 'supervisor', 'admin'].indexOf(need),
  );

  return (
    <section className="login card" data-testid="login">
      <h2>{t('login.title')}</h2>
      {notice === 'expired' && (
        <p className="banner warn" data-testid="session-expired">
          {t('login.expired')}
        </p>
      )}
      <div className="role-pick" role="radiogroup">
        {roles.map((r) => (
          <button
            key={r}
            type="button"
            className={r === role ? 'toggle on' : 'toggle'}
            aria-pressed={r === role}
            data-testid={`role-${r}`}
            onClick={() => setRole(r)}
          >
            {t(ROLE_KEYS[r])}
          </button>
        ))}
      </div>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          void submit();
        }}
      >
        <input
          className="pin"
          type="password"
          inputMode="numeric"
          autoComplete="off"
          aria-label={t('login.pin')}
          placeholder={t('login.pin')}
          data-testid="pin"
          value={pin}
          onChange={(e) => setPin(e.target.value.replace(/\D/g, '').slice(0, 12))}
        />
        <div className="keypad">
          {['1', '2', '3', '4', '5', '6', '7', '8', '9', 'del', '0', 'ok'].map((k) => (
            <button
              key={k}
              type="button"
              className={k === 'ok' ? 'primary' : ''}
              disabled={busy && k === 'ok'}
              onClick={() => press(k)}
              data-testid={`key-${k}`}
            >
              {k === 'del' ? t('login.del') : k === 'ok' ? t('login.submit') : k}
            </button>
          ))}
        </div>
      </form>
      {msg && (
        <p className="error" role="alert" data-testid="login-error">
          {msg}
        </p>
      )}
      {site.demo && <DemoNotes pinsOnly />}
    </section>
  );
}
