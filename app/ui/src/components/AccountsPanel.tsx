// The accounts section of the settings (admin): every person's account with its number, name,
// role and state; create one, rename it, give it a new PIN, disable or enable it. Accounts made
// from the shared PINs of an older version are flagged until renamed. The core audits every
// change under the admin's name and ends the sessions a new PIN or a disabling concerns.
import { useCallback, useEffect, useState } from 'react';
import { accountsApi, type Account } from '../api/accounts.js';
import type { Role } from '../api/core.js';
import { useI18n } from '../i18n/i18n.js';
import { useSession } from '../lib/session.js';
import type { TextKey } from '../i18n/texts.js';
import { ErrorText } from './ErrorText.js';
import { Field } from './Field.js';

const ROLE_KEYS: Record<Role, TextKey> = { clerk: 'role.clerk', supervisor: 'role.supervisor', admin: 'role.admin' };
const pinShape = (p: string) => /^\d{6,12}$/.test(p);
const digits = (v: string) => v.replace(/\D/g, '').slice(0, 12);

type Editing = { id: number; mode: 'rename' | 'pin' } | null;

export function AccountsPanel() {
  const { t } = useI18n();
  const { session } = useSession();
  const [accounts, setAccounts] = useState<Account[]>([]);
  const [editing, setEditing] = useState<Editing>(null);
  /** The account whose "disable" was pressed once (pressed again to confirm). */
  const [confirming, setConfirming] = useState<number | null>(null);
  const [msg, setMsg] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);

  const reload = useCallback(() => accountsApi.list().then(setAccounts, setError), []);
  useEffect(() => {
    void reload();
  }, [reload]);

  /** Runs a change, then says what happened and shows the list afresh. */
  const run = async (what: () => Promise<string>) => {
    setMsg(null);
    setError(null);
    try {
      setMsg(await what());
      setEditing(null);
    } catch (err) {
      setError(err);
    }
    await reload();
  };

  const shared = accounts.filter((a) => a.shared && a.enabled);
  return (
    <section className="card accounts" data-testid="accounts-card">
      <h2>{t('accounts.title')}</h2>
      <p className="small">{t('accounts.hint')}</p>
      {shared.length > 0 && (
        <p className="banner warn" data-testid="accounts-shared-warning">
          {t('accounts.shared_warning')}
        </p>
      )}
      <table className="list">
        <thead>
          <tr>
            <th>{t('accounts.number')}</th>
            <th>{t('accounts.name')}</th>
            <th>{t('accounts.role')}</th>
            <th>{t('accounts.state')}</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {accounts.map((a) => (
            <tr key={a.id} data-testid={`account-row-${a.id}`} className={a.enabled ? '' : 'muted'}>
              <td>#{a.id}</td>
              <td>
                {a.name}
                {session?.account?.id === a.id ? ` ${t('accounts.you')}` : ''}
                {a.shared && <span className="tag warn"> {t('accounts.shared')}</span>}
              </td>
              <td>{t(ROLE_KEYS[a.role])}</td>
              <td>{a.enabled ? t('accounts.enabled') : t('accounts.disabled')}</td>
              <td className="actions">
                <button type="button" className="secondary" data-testid={`account-rename-${a.id}`} onClick={() => setEditing({ id: a.id, mode: 'rename' })}>
                  {t('accounts.rename')}
                </button>
                <button type="button" className="secondary" data-testid={`account-pin-${a.id}`} onClick={() => setEditing({ id: a.id, mode: 'pin' })}>
                  {t('accounts.reset_pin')}
                </button>
                {a.enabled && confirming === a.id ? (
                  <button
                    type="button"
                    className="danger"
                    data-testid={`account-disable-confirm-${a.id}`}
                    onClick={() => {
                      setConfirming(null);
                      void run(async () => {
                        await accountsApi.disable(a.id);
                        return t('accounts.disabled_done', { name: a.name });
                      });
                    }}
                  >
                    {t('accounts.disable_confirm', { name: a.name })}
                  </button>
                ) : a.enabled ? (
                  <button type="button" className="danger" data-testid={`account-disable-${a.id}`} onClick={() => setConfirming(a.id)}>
                    {t('accounts.disable')}
                  </button>
                ) : (
                  <button
                    type="button"
                    className="secondary"
                    data-testid={`account-enable-${a.id}`}
                    onClick={() =>
                      void run(async () => {
                        await accountsApi.enable(a.id);
                        return t('accounts.enabled_done', { name: a.name });
                      })
                    }
                  >
                    {t('accounts.enable')}
                  </button>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {editing && (
        <EditAccount
          key={`${editing.id}-${editing.mode}`}
          account={accounts.find((a) => a.id === editing.id) ?? null}
          mode={editing.mode}
          onCancel={() => setEditing(null)}
          onSave={(change) => void run(change)}
        />
      )}
      {msg && (
        <p className="ok" data-testid="accounts-msg">
          {msg}
        </p>
      )}
      <ErrorText error={error} testId="accounts-error" />
      <NewAccount onCreate={(change) => void run(change)} />
    </section>
  );
}

function EditAccount({
  account,
  mode,
  onCancel,
  onSave,
}: {
  account: Account | null;
  mode: 'rename' | 'pin';
  onCancel: () => void;
  onSave: (change: () => Promise<string>) => void;
}) {
  const { t } = useI18n();
  const [name, setName] = useState(account?.name ?? '');
  const [pin, setPin] = useState('');
  const [again, setAgain] = useState('');
  if (!account) return null;
  const ok = mode === 'rename' ? name.trim().length > 0 && name.trim() !== account.name : pinShape(pin) && pin === again;
  const save = () =>
    onSave(async () => {
      if (mode === 'rename') {
        const r = await accountsApi.rename(account.id, name.trim());
        return t('accounts.renamed', { name: r.name });
      }
      await accountsApi.setPin(account.id, pin);
      return t('accounts.pin_set', { name: account.name });
    });
  return (
    <div className="account-edit inline" data-testid="account-edit">
      <strong>
        #{account.id} {account.name}
      </strong>
      {mode === 'rename' ? (
        <Field label={t('accounts.name')}>
          <input data-testid="account-edit-name" value={name} maxLength={40} onChange={(e) => setName(e.target.value)} />
        </Field>
      ) : (
        <PinPair pin={pin} again={again} setPin={setPin} setAgain={setAgain} />
      )}
      <button type="button" className="primary" disabled={!ok} data-testid="account-edit-save" onClick={save}>
        {t('common.save')}
      </button>
      <button type="button" className="secondary" onClick={onCancel}>
        {t('common.cancel')}
      </button>
    </div>
  );
}

function NewAccount({ onCreate }: { onCreate: (change: () => Promise<string>) => void }) {
  const { t } = useI18n();
  const [name, setName] = useState('');
  const [role, setRole] = useState<Role>('clerk');
  const [pin, setPin] = useState('');
  const [again, setAgain] = useState('');
  const ok = name.trim().length > 0 && pinShape(pin) && pin === again;
  return (
    <div className="account-new" data-testid="account-new">
      <h3>{t('accounts.create')}</h3>
      <div className="inline">
        <Field label={t('accounts.name')}>
          <input data-testid="account-new-name" value={name} maxLength={40} onChange={(e) => setName(e.target.value)} />
        </Field>
        <Field label={t('accounts.role')}>
          <select data-testid="account-new-role" value={role} onChange={(e) => setRole(e.target.value as Role)}>
            {(['clerk', 'supervisor', 'admin'] as Role[]).map((r) => (
              <option key={r} value={r}>
                {t(ROLE_KEYS[r])}
              </option>
            ))}
          </select>
        </Field>
        <PinPair pin={pin} again={again} setPin={setPin} setAgain={setAgain} testId="account-new" />
        <button
          type="button"
          className="primary"
          disabled={!ok}
          data-testid="account-new-save"
          onClick={() =>
            onCreate(async () => {
              const a = await accountsApi.create({ name: name.trim(), role, pin });
              setName('');
              setPin('');
              setAgain('');
              return t('accounts.created', { name: a.name, n: a.id });
            })
          }
        >
          {t('accounts.create')}
        </button>
      </div>
    </div>
  );
}

function PinPair({
  pin,
  again,
  setPin,
  setAgain,
  testId = 'account-edit',
}: {
  pin: string;
  again: string;
  setPin: (v: string) => void;
  setAgain: (v: string) => void;
  testId?: string;
}) {
  const { t } = useI18n();
  return (
    <Field label={t('settings.new_pin')} error={pin && !pinShape(pin) ? t('settings.pin_shape') : again && again !== pin ? t('settings.pin_mismatch') : undefined}>
      <div className="inline">
        <input
          type="password"
          inputMode="numeric"
          autoComplete="new-password"
          data-testid={`${testId}-pin`}
          placeholder={t('settings.new_pin')}
          value={pin}
          onChange={(e) => setPin(digits(e.target.value))}
        />
        <input
          type="password"
          inputMode="numeric"
          autoComplete="new-password"
          data-testid={`${testId}-pin-again`}
          placeholder={t('settings.repeat_pin')}
          value={again}
          onChange={(e) => setAgain(digits(e.target.value))}
        />
      </div>
    </Field>
  );
}
