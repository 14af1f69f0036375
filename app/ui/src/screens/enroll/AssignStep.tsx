// Step 3: employer (参建单位), team (班组), trade (工种, national code list), role: worker or
// one of the six management roles (管理人员).
import { useEffect, useState } from 'react';
import { coreApi, type Employer, type Team } from '../../api/core.js';
import { TRADE_CODES } from '../../../../../edge-core/src/domain/trades.js';
import { MANAGEMENT_ROLES, MANAGEMENT_ROLE_NAMES } from '../../../../../edge-core/src/domain/personnel.js';
import { useI18n } from '../../i18n/i18n.js';
import { Field } from '../../components/Field.js';
import { ErrorText } from '../../components/ErrorText.js';
import type { EnrollDraft } from './draft.js';

export function useEmployersAndTeams() {
  const [employers, setEmployers] = useState<Employer[]>([]);
  const [teams, setTeams] = useState<Team[]>([]);
  const [error, setError] = useState<unknown>(null);
  useEffect(() => {
    Promise.all([coreApi.employers(), coreApi.teams()]).then(([e, t]) => {
      setEmployers(e);
      setTeams(t);
    }, setError);
  }, []);
  return { employers, teams, error };
}

/** The trades a worker can have (not 900 管理人员), in code order. */
export function tradeOptions(): Array<[string, string]> {
  return Object.entries(TRADE_CODES)
    .filter(([code]) => code !== '900')
    .sort(([a], [b]) => a.localeCompare(b));
}

export function assignValid(d: EnrollDraft): boolean {
  if (!d.employerId) return false;
  if (d.role === 'manager') return Boolean(d.managementRole);
  return Boolean(d.tradeCode) && Boolean(d.teamId);
}

export function AssignStep({
  draft,
  update,
  next,
  back,
}: {
  draft: EnrollDraft;
  update(p: Partial<EnrollDraft>): void;
  next(): void;
  back(): void;
}) {
  const { t, pick } = useI18n();
  const { employers, teams, error } = useEmployersAndTeams();
  const teamsOfEmployer = teams.filter((x) => x.employerId === draft.employerId);
  // In code order (010 砌筑工 first): object keys like '100' would otherwise come before '010'.
  const trades = tradeOptions();
  return (
    <div className="step" data-testid="step-assign">
      <ErrorText error={error} />
      <div className="form-grid">
        <Field label={t('field.employer')}>
          <select
            data-testid="f-employer"
            value={draft.employerId ?? ''}
            onChange={(e) =>
              update({ employerId: e.target.value ? Number(e.target.value) : null, teamId: null })
            }
          >
            <option value="">{t('common.choose')}</option>
            {employers.map((e) => (
              <option key={e.id} value={e.id}>
                {e.name}
              </option>
            ))}
          </select>
        </Field>
        <Field label={t('field.role')}>
          <div className="segmented">
            <button
              type="button"
              className={draft.role === 'worker' ? 'toggle on' : 'toggle'}
              data-testid="role-worker"
              onClick={() => update({ role: 'worker', managementRole: null })}
            >
              {t('enroll.role_worker')}
            </button>
            <button
              type="button"
              className={draft.role === 'manager' ? 'toggle on' : 'toggle'}
              data-testid="role-manager"
              onClick={() => update({ role: 'manager', teamId: null, isTeamLeader: false })}
            >
              {t('enroll.role_manager')}
            </button>
          </div>
        </Field>
        {draft.role === 'worker' ? (
          <>
            <Field
              label={t('field.team')}
              hint={draft.employerId && teamsOfEmployer.length === 0 ? t('enroll.no_teams') : undefined}
            >
              <select
                data-testid="f-team"
                value={draft.teamId ?? ''}
                disabled={!draft.employerId}
                onChange={(e) => update({ teamId: e.target.value ? Number(e.target.value) : null })}
              >
                <option value="">{t('common.choose')}</option>
                {teamsOfEmployer.map((x) => (
                  <option key={x.id} value={x.id}>
                    {x.name}
                  </option>
                ))}
              </select>
            </Field>
            <Field label={t('field.trade')}>
              <select
                data-testid="f-trade"
                value={draft.tradeCode}
                onChange={(e) => update({ tradeCode: e.target.value })}
              >
                <option value="">{t('common.choose')}</option>
                {trades.map(([code, name]) => (
                  <option key={code} value={code}>
                    {code} {name}
                  </option>
                ))}
              </select>
            </Field>
            <Field label={t('field.teamLeader')}>
              <label className="check">
                <input
                  type="checkbox"
                  checked={draft.isTeamLeader}
                  onChange={(e) => update({ isTeamLeader: e.target.checked })}
                />{' '}
                {t('field.teamLeader_yes')}
              </label>
            </Field>
          </>
        ) : (
          <Field label={t('field.managementRole')}>
            <select
              data-testid="f-mrole"
              value={draft.managementRole ?? ''}
              onChange={(e) =>
                update({ managementRole: (e.target.value || null) as EnrollDraft['managementRole'] })
              }
            >
              <option value="">{t('common.choose')}</option>
              {MANAGEMENT_ROLES.map((r) => (
                <option key={r} value={r}>
                  {pick(MANAGEMENT_ROLE_NAMES[r])}
                </option>
              ))}
            </select>
          </Field>
        )}
        <Field
          label={t('field.phone')}
          error={draft.phone && !/^1\d{10}$/.test(draft.phone) ? t('enroll.phone_invalid') : undefined}
        >
          <input
            inputMode="tel"
            value={draft.phone}
            onChange={(e) => update({ phone: e.target.value.replace(/\D/g, '').slice(0, 11) })}
          />
        </Field>
      </div>
      <div className="actions">
        <button type="button" className="secondary" onClick={back}>
          {t('common.back')}
        </button>
        <button
          type="button"
          className="primary"
          disabled={!assignValid(draft) || (draft.phone !== '' && !/^1\d{10}$/.test(draft.phone))}
          onClick={next}
          data-testid="next"
        >
          {t('common.next')}
        </button>
      </div>
    </div>
  );
}
