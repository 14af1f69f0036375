// Sign in as a person: pick yourself from the list of people of a role (this machine offers
// the list; from another machine, or to be quick, type your account number), then your PIN
// on a large keypad. A role with one person picks them at once. Says how many tries are left,
// and until when an account is locked after too many wrong PINs; says so when the session has
// expired.
import { useEffect, useState } from 'react';
import { ApiCallError } from '../api/http.js';
import type { Role } from '../api/core.js';
import { accountsApi, type SignInChoice } from '../api/accounts.js';
import { useI18n } from '../i18n/i18n.js';
import { roleAllows, useSession } from '../lib/session.js';
import type { TextKey } from '../i18n/texts.js';

const ROLE_KEYS: Record<Role, TextKey> = {
  clerk: 'role.clerk',
  supervisor: 'role.supervisor',
  admin: 'role.admin',
};
const ORDER: Role[] = ['clerk', 'supervisor', 'admin'];

/** Which field the keypad types into. */
type Entry = 'account' | 'pin';

export function Login({ need }: { need: Role }) {
  const { t, pick, lang } = useI18n();
  const { login, notice } = useSession();
  const [role, setRole] = useState<Role>(need);
  // null: not loaded or not offered (another machine) — the account number is typed.
  const [choices, setChoices] = useState<SignInChoice[] | null>(null);
  const [chosen, setChosen] = useState<number | null>(null);
  const [number, setNumber] = useState('');
  const [entry, setEntry] = useState<Entry>('pin');
  const [pin, setPin] = useState('');
  const [busy, setBusy] = useState(false);
  const [msg, setMsg] = useState<string | null>(null);

  useEffect(() => {
    let live = true;
    accountsApi.signInChoices().then(
      (list) => live && setChoices(list),
      () => live && setEntry('account'),
    );
    return () => {
      live = false;
    };
  }, []);

  const ofRole = (choices ?? []).filter((c) => c.role === role);
  // A role with exactly one person: that person, unless another was picked or typed.
  const only = ofRole.length === 1 ? (ofRole[0] as SignInChoice).id : null;
  const typed = /^\d{1,6}$/.test(number) ? Number(number) : null;
  const accountId = typed ?? chosen ?? only;
  const who = accountId !== null ? ((choices ?? []).find((c) => c.id === accountId) ?? null) : null;
  const tooLow = who !== null && !roleAllows(who.role, need);

  const chooseRole = (r: Role) => {
    setRole(r);
    setChosen(null);
    setNumber('');
    setEntry('pin');
  };

  const submit = async () => {
    if (busy) return;
    if (entry === 'account' && !pin) {
      setEntry('pin');
      return;
    }
    if (!pin || tooLow) return;
    setBusy(true);
    setMsg(null);
    try {
      // Without a person (the list not offered, nothing typed): the role, which the core
      // accepts while one person has it and otherwise asks for the account.
      await login(accountId !== null ? { account: accountId } : { role }, pin);
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
    const set = entry === 'account' ? (f: (v: string) => string) => setNumber(f) : (f: (v: string) => string) => setPin(f);
    const max = entry === 'account' ? 6 : 12;
    if (k === 'del') set((v) => v.slice(0, -1));
    else if (k === 'ok') void submit();
    else set((v) => (v.length < max ? v + k : v));
  };

  const roles = ORDER.filter((r) => roleAllows(r, need));

  return (
    <section className="login card" data-testid="login">
      <h2>{t('login.title_person')}</h2>
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
            onClick={() => chooseRole(r)}
          >
            {t(ROLE_KEYS[r])}
          </button>
        ))}
      </div>
      {choices !== null && (
        <div className="people" role="radiogroup" aria-label={t('login.people')} data-testid="login-people">
          {ofRole.length === 0 && <p className="small">{t('login.no_people')}</p>}
          {ofRole.map((c) => (
            <button
              key={c.id}
              type="button"
              className={c.id === accountId ? 'toggle on' : 'toggle'}
              aria-pressed={c.id === accountId}
              data-testid={`account-${c.id}`}
              onClick={() => {
                setChosen(c.id);
                setNumber('');
                setEntry('pin');
              }}
            >
              {c.name} <span className="small">#{c.id}</span>
            </button>
          ))}
        </div>
      )}
      <form
        onSubmit={(e) => {
          e.preventDefault();
          void submit();
        }}
      >
        <input
          className={entry === 'account' ? 'account-number active' : 'account-number'}
          type="text"
          inputMode="numeric"
          autoComplete="off"
          aria-label={t('login.account_number')}
          placeholder={t('login.account_number')}
          data-testid="account-number"
          value={number}
          onFocus={() => setEntry('account')}
          onChange={(e) => setNumber(e.target.value.replace(/\D/g, '').slice(0, 6))}
        />
        <p className="small" data-testid="login-who">
          {who ? t('login.who', { name: who.name, n: who.id, role: t(ROLE_KEYS[who.role]) }) : typed !== null ? t('login.who_number', { n: typed }) : ''}
          {tooLow ? ` · ${t('login.role_too_low')}` : ''}
        </p>
        <input
          className={entry === 'pin' ? 'pin active' : 'pin'}
          type="password"
          inputMode="numeric"
          autoComplete="off"
          aria-label={t('login.pin')}
          placeholder={t('login.pin')}
          data-testid="pin"
          value={pin}
          onFocus={() => setEntry('pin')}
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
              {k === 'del' ? t('login.del') : k === 'ok' ? (entry === 'account' && !pin ? t('common.next') : t('login.submit')) : k}
            </button>
          ))}
        </div>
      </form>
      {msg && (
        <p className="error" role="alert" data-testid="login-error">
          {msg}
        </p>
      )}
    </section>
  );
}
