// Find, view, edit and deactivate workers (clerk). Lists show masked ID numbers only.
import { useEffect, useState } from 'react';
import {
  coreApi,
  type WorkerSummary,
  type WorkerDetail,
  type Team,
  type WorkerStatusValue,
} from '../api/core.js';
import { updateWorker } from '../api/pending.js';
import { TRADE_CODES } from '../../../../edge-core/src/domain/trades.js';
import { MANAGEMENT_ROLE_NAMES } from '../../../../edge-core/src/domain/personnel.js';
import { useI18n } from '../i18n/i18n.js';
import { navigate } from '../lib/router.js';
import { ErrorText } from '../components/ErrorText.js';
import { Field } from '../components/Field.js';
import type { TextKey } from '../i18n/texts.js';

const STATUS_KEYS: Record<WorkerStatusValue, TextKey> = {
  active: 'status.active',
  inactive: 'status.inactive',
  blacklisted: 'status.blacklisted',
};

export function WorkersScreen({ workerId }: { workerId: number | null }) {
  return workerId ? <WorkerDetailView id={workerId} /> : <WorkerList />;
}

function WorkerList() {
  const { t } = useI18n();
  const [q, setQ] = useState('');
  const [status, setStatus] = useState<WorkerStatusValue | ''>('active');
  const [teamId, setTeamId] = useState<number | ''>('');
  const [teams, setTeams] = useState<Team[]>([]);
  const [rows, setRows] = useState<WorkerSummary[] | null>(null);
  const [error, setError] = useState<unknown>(null);
  useEffect(() => {
    coreApi.teams().then(setTeams, setError);
  }, []);
  useEffect(() => {
    const ctl = setTimeout(() => {
      coreApi
        .workers({
          q: q.trim() || undefined,
          status: status || undefined,
          teamId: teamId || undefined,
          limit: 200,
        })
        .then((r) => {
          setRows(r);
          setError(null);
        }, setError);
    }, 250);
    return () => clearTimeout(ctl);
  }, [q, status, teamId]);
  return (
    <section data-testid="workers">
      <div className="filters">
        <input
          className="search"
          type="search"
          placeholder={t('workers.search')}
          value={q}
          onChange={(e) => setQ(e.target.value)}
          data-testid="worker-search"
        />
        <select value={status} onChange={(e) => setStatus(e.target.value as WorkerStatusValue | '')}>
          <option value="">{t('workers.all_status')}</option>
          {(Object.keys(STATUS_KEYS) as WorkerStatusValue[]).map((s) => (
            <option key={s} value={s}>
              {t(STATUS_KEYS[s])}
            </option>
          ))}
        </select>
        <select value={teamId} onChange={(e) => setTeamId(e.target.value ? Number(e.target.value) : '')}>
          <option value="">{t('workers.all_teams')}</option>
          {teams.map((x) => (
            <option key={x.id} value={x.id}>
              {x.name}
            </option>
          ))}
        </select>
        <a className="button primary" href="#/enroll">
          {t('nav.enroll')}
        </a>
      </div>
      <ErrorText error={error} />
      <table className="list">
        <thead>
          <tr>
            <th>{t('field.name')}</th>
            <th>{t('field.idNumber')}</th>
            <th>{t('field.team')}</th>
            <th>{t('field.trade')}</th>
            <th>{t('field.status')}</th>
          </tr>
        </thead>
        <tbody>
          {rows?.map((w) => (
            <tr
              key={w.id}
              onClick={() => navigate(`/workers/${w.id}`)}
              className="clickable"
              data-testid="worker-row"
            >
              <td>
                {w.name} {w.manualEntry && <span className="tag warn">{t('workers.manual')}</span>}
              </td>
              <td>{w.idNumberMasked}</td>
              <td>
                {w.role === 'manager' && w.managementRole ? t('enroll.role_manager') : (w.teamName ?? '—')}
              </td>
              <td>{TRADE_CODES[w.tradeCode] ?? w.tradeCode}</td>
              <td>{t(STATUS_KEYS[w.status])}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {rows && rows.length === 0 && <p className="empty">{t('workers.none')}</p>}
    </section>
  );
}

function WorkerDetailView({ id }: { id: number }) {
  const { t, pick } = useI18n();
  const [w, setW] = useState<WorkerDetail | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [reason, setReason] = useState('');
  const [busy, setBusy] = useState(false);
  const [editing, setEditing] = useState(false);
  const [editMsg, setEditMsg] = useState<string | null>(null);
  const [form, setForm] = useState({ phone: '', contractEnd: '', insuranceEnd: '' });
  const load = () =>
    coreApi.worker(id).then((x) => {
      setW(x);
      setForm({ phone: x.phone ?? '', contractEnd: x.contractEnd ?? '', insuranceEnd: x.insuranceEnd ?? '' });
    }, setError);
  useEffect(() => {
    void load();
    // Reload only when the id changes.
  }, [id]);

  const setStatus = async (status: WorkerStatusValue) => {
    if (busy || !reason.trim()) return;
    setBusy(true);
    try {
      await coreApi.setWorkerStatus(id, status, reason.trim());
      setReason('');
      await load();
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };
  const saveEdit = async () => {
    setBusy(true);
    setEditMsg(null);
    try {
      const r = await updateWorker(id, {
        phone: form.phone || null,
        contractEnd: form.contractEnd || null,
        insuranceEnd: form.insuranceEnd || null,
      });
      if (!r.available) setEditMsg(t('workers.edit_unavailable'));
      else {
        setEditing(false);
        await load();
      }
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  if (!w) return <ErrorText error={error} />;
  return (
    <section className="card" data-testid="worker-detail">
      <a href="#/workers">← {t('nav.workers')}</a>
      <h2>
        {w.name}{' '}
        <span className={`tag ${w.status === 'active' ? 'ok' : 'bad'}`}>{t(STATUS_KEYS[w.status])}</span>
      </h2>
      <ErrorText error={error} />
      <dl className="review">
        <dt>{t('field.idNumber')}</dt>
        <dd>{w.idNumberMasked}</dd>
        <dt>{t('field.role')}</dt>
        <dd>
          {w.role === 'manager' && w.managementRole
            ? pick(MANAGEMENT_ROLE_NAMES[w.managementRole])
            : t('enroll.role_worker')}
        </dd>
        <dt>{t('field.team')}</dt>
        <dd>{w.teamName ?? '—'}</dd>
        <dt>{t('field.trade')}</dt>
        <dd>
          {w.tradeCode} {TRADE_CODES[w.tradeCode] ?? ''}
        </dd>
        <dt>{t('field.contract')}</dt>
        <dd>{w.hasContract ? `${w.contractStart ?? '?'} – ${w.contractEnd ?? '?'}` : t('common.none')}</dd>
        <dt>{t('field.insurance')}</dt>
        <dd>{w.hasInsurance ? `${w.insuranceStart ?? '?'} – ${w.insuranceEnd ?? '?'}` : t('common.none')}</dd>
        <dt>{t('field.bankCard')}</dt>
        <dd>{w.bankCardMasked ?? t('common.none')}</dd>
        <dt>{t('field.source')}</dt>
        <dd>
          {w.manualEntry
            ? t('workers.manual')
            : w.source === 'platform'
              ? t('workers.from_platform')
              : t('workers.from_card')}
        </dd>
      </dl>
      {editing ? (
        <div className="form-grid">
          <Field label={t('field.phone')}>
            <input
              value={form.phone}
              onChange={(e) => setForm({ ...form, phone: e.target.value.replace(/\D/g, '').slice(0, 11) })}
            />
          </Field>
          <Field label={t('field.contractEnd')}>
            <input
              type="date"
              value={form.contractEnd}
              onChange={(e) => setForm({ ...form, contractEnd: e.target.value })}
            />
          </Field>
          <Field label={t('field.insuranceEnd')}>
            <input
              type="date"
              value={form.insuranceEnd}
              onChange={(e) => setForm({ ...form, insuranceEnd: e.target.value })}
            />
          </Field>
          <div className="actions">
            <button type="button" className="secondary" onClick={() => setEditing(false)}>
              {t('common.cancel')}
            </button>
            <button type="button" className="primary" disabled={busy} onClick={() => void saveEdit()}>
              {t('common.save')}
            </button>
          </div>
        </div>
      ) : (
        <button
          type="button"
          className="secondary"
          onClick={() => setEditing(true)}
          data-testid="edit-worker"
        >
          {t('workers.edit')}
        </button>
      )}
      {editMsg && <p className="banner warn">{editMsg}</p>}
      <div className="status-change">
        <Field label={t('workers.reason')}>
          <input
            value={reason}
            onChange={(e) => setReason(e.target.value)}
            data-testid="status-reason"
            placeholder={t('workers.reason_hint')}
          />
        </Field>
        <div className="actions">
          {w.status === 'active' ? (
            <button
              type="button"
              className="danger"
              disabled={busy || !reason.trim()}
              onClick={() => void setStatus('inactive')}
              data-testid="deactivate"
            >
              {t('workers.deactivate')}
            </button>
          ) : (
            <button
              type="button"
              className="primary"
              disabled={busy || !reason.trim()}
              onClick={() => void setStatus('active')}
              data-testid="reactivate"
            >
              {t('workers.reactivate')}
            </button>
          )}
        </div>
      </div>
    </section>
  );
}
