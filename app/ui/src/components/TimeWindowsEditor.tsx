// 通行时段 (admin, Settings): entry hours per team, per role and per day type of the
// construction calendar (workday / holiday / stoppage), edited as text, with a preview of who
// may enter now under the draft (POST /api/gate/time-windows/preview, nothing saved). Saving
// replaces only `timeWindows` of the latest saved policy; the core audits the change with its diff.
import { useCallback, useEffect, useState } from 'react';
import { adminApi, type GatePolicy } from '../api/admin.js';
import { coreApi } from '../api/core.js';
import { request } from '../api/http.js';
import type { Reply } from '../../../shared/api-types.js';
import { useI18n } from '../i18n/i18n.js';
import { DAY_KINDS, draftOf, textsOf, timeWindowsOf, type WindowDraft, type WindowTexts } from '../lib/time-windows.js';
import { ErrorText } from './ErrorText.js';
import '../siteops.css';

type Preview = Reply<'POST /api/gate/time-windows/preview'>;
const ALL_DAY_TEXTS: WindowTexts = { workday: '00:00-24:00', holiday: '00:00-24:00', stoppage: '' };

export function TimeWindowsEditor() {
  const { t, pick } = useI18n();
  const [policy, setPolicy] = useState<GatePolicy | null>(null);
  const [draft, setDraft] = useState<WindowDraft | null>(null);
  const [teams, setTeams] = useState<Array<{ id: number; name: string }>>([]);
  const [addTeam, setAddTeam] = useState('');
  const [preview, setPreview] = useState<Preview | null>(null);
  const [summary, setSummary] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);

  useEffect(() => {
    adminApi.gatePolicy().then((p) => {
      setPolicy(p);
      setDraft(draftOf(p.timeWindows));
    }, setError);
    coreApi.teams().then(setTeams, () => setTeams([]));
  }, []);

  const built = draft && policy ? timeWindowsOf(draft, policy.timeWindows.appliesTo) : null;
  const builtValue = built?.ok ? built.value : null;
  const refresh = useCallback(async (tw: GatePolicy['timeWindows'] | null) => {
    if (!tw) return;
    try {
      setPreview(await request<Preview>('POST', '/api/gate/time-windows/preview', { body: { timeWindows: tw } }));
    } catch (err) {
      setError(err);
    }
  }, []);
  // The serialized draft is the dependency: the preview follows each valid edit.
  const key = JSON.stringify(builtValue);
  useEffect(() => {
    const h = setTimeout(() => void refresh(key === 'null' ? null : (JSON.parse(key) as GatePolicy['timeWindows'])), 300);
    return () => clearTimeout(h);
  }, [key, refresh]);

  if (!draft || !policy) return <ErrorText error={error} />;
  const teamName = (id: string) => teams.find((x) => String(x.id) === id)?.name ?? `#${id}`;
  const where = (w: string) => (w === 'default' ? t('tw.default') : w.startsWith('role:') ? t(w === 'role:worker' ? 'tw.role.worker' : 'tw.role.manager') : t('tw.team', { name: teamName(w.slice(5)) }));

  const set = (fn: (d: WindowDraft) => WindowDraft) => setDraft((d) => (d ? fn(d) : d));
  const row = (id: string, label: string, texts: WindowTexts, onChange: (x: WindowTexts) => void, onRemove?: () => void) => (
    <tr key={id} data-testid={`tw-row-${id}`}>
      <th>{label}</th>
      {DAY_KINDS.map((day) => (
        <td key={day}>
          <input data-testid={`tw-${id}-${day}`} value={texts[day]} placeholder="—" onChange={(e) => onChange({ ...texts, [day]: e.target.value })} />
        </td>
      ))}
      <td>
        {onRemove && (
          <button type="button" className="button secondary" onClick={onRemove}>
            {t('tw.remove')}
          </button>
        )}
      </td>
    </tr>
  );

  const save = async () => {
    if (!builtValue) return;
    setError(null);
    setSummary(null);
    try {
      const current = await adminApi.gatePolicy();
      const r = await adminApi.saveGatePolicy({ ...current, timeWindows: builtValue });
      setPolicy(r.policy);
      setDraft(draftOf(r.policy.timeWindows));
      setSummary(pick(r.summary));
    } catch (err) {
      setError(err);
    }
  };

  return (
    <section className="card time-windows" data-testid="time-windows-card">
      <h2>{t('tw.title')}</h2>
      <p className="small">{t('tw.hint')}</p>
      <table className="list tw-table">
        <thead>
          <tr>
            <th>{t('tw.rule')}</th>
            {DAY_KINDS.map((d) => (
              <th key={d}>{t(`tw.day.${d}`)}</th>
            ))}
            <th />
          </tr>
        </thead>
        <tbody>
          {row('default', t('tw.default'), draft.default, (x) => set((d) => ({ ...d, default: x })))}
          {(['worker', 'manager'] as const).map((role) => {
            const texts = draft.byRole[role];
            const label = t(role === 'worker' ? 'tw.role.worker' : 'tw.role.manager');
            if (!texts)
              return (
                <tr key={role} data-testid={`tw-row-role-${role}`}>
                  <th>{label}</th>
                  <td colSpan={3} className="small">
                    ← {t('tw.default')}
                  </td>
                  <td>
                    <button type="button" className="button secondary" data-testid={`tw-own-${role}`} onClick={() => set((d) => ({ ...d, byRole: { ...d.byRole, [role]: { ...d.default } } }))}>
                      {t('tw.own')}
                    </button>
                  </td>
                </tr>
              );
            return row(`role-${role}`, label, texts, (x) => set((d) => ({ ...d, byRole: { ...d.byRole, [role]: x } })), () => set((d) => ({ ...d, byRole: { ...d.byRole, [role]: null } })));
          })}
          {Object.entries(draft.byTeam).map(([id, texts]) =>
            row(
              `team-${id}`,
              t('tw.team', { name: teamName(id) }),
              texts,
              (x) => set((d) => ({ ...d, byTeam: { ...d.byTeam, [id]: x } })),
              () =>
                set((d) => {
                  const { [id]: _removed, ...rest } = d.byTeam;
                  return { ...d, byTeam: rest };
                }),
            ),
          )}
        </tbody>
      </table>
      <p>
        <select data-testid="tw-add-team" value={addTeam} onChange={(e) => setAddTeam(e.target.value)}>
          <option value="">{t('common.choose')}</option>
          {teams
            .filter((x) => !draft.byTeam[String(x.id)])
            .map((x) => (
              <option key={x.id} value={String(x.id)}>
                {x.name}
              </option>
            ))}
        </select>{' '}
        <button
          type="button"
          className="button secondary"
          data-testid="tw-add-team-button"
          disabled={!addTeam}
          onClick={() => {
            set((d) => ({ ...d, byTeam: { ...d.byTeam, [addTeam]: policy.timeWindows.byRole.worker ? textsOf(policy.timeWindows.byRole.worker) : { ...ALL_DAY_TEXTS, ...d.default } } }));
            setAddTeam('');
          }}
        >
          {t('tw.add_team')}
        </button>
      </p>
      {built && !built.ok && (
        <p className="error" data-testid="tw-bad">
          {t('tw.bad', { where: where(built.where), day: t(`tw.day.${built.day}`), bad: built.bad })}
        </p>
      )}
      <button type="button" className="button primary" data-testid="tw-save" disabled={!builtValue} onClick={() => void save()}>
        {t('tw.save')}
      </button>
      {summary && (
        <p className="ok" data-testid="tw-summary">
          {summary}
        </p>
      )}
      {preview && (
        <div className="tw-preview" data-testid="tw-preview">
          <h3>{t('tw.preview')}</h3>
          <p data-testid="tw-preview-counts">
            {t('tw.preview_at', { date: preview.localDate, time: preview.localTime, dayType: t(`tw.day.${preview.dayType}`), allowed: preview.allowed, refused: preview.refused })}
          </p>
          <ul>
            {preview.groups.map((g) => {
              const w = g.source.kind === 'team' ? `team:${g.source.teamId}` : g.source.kind === 'role' ? `role:${g.source.role}` : 'default';
              const names = g.people.slice(0, 8).map((p) => p.name).join('、');
              return (
                <li key={w} className={g.allowed ? 'ok' : 'bad'} data-testid="tw-preview-group">
                  <strong>{g.allowed ? t('tw.allowed') : t('tw.refused')}</strong> · {where(w)} · {t('tw.windows_now', { windows: g.windows.map((x) => `${x.from}-${x.to}`).join(', ') || t('tw.none') })} · {names}
                  {g.people.length > 8 ? ` ${t('tw.more', { n: g.people.length - 8 })}` : ''}
                </li>
              );
            })}
          </ul>
        </div>
      )}
      <ErrorText error={error} />
    </section>
  );
}
