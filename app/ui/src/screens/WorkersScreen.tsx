// Find, view, edit and deactivate workers (clerk). Lists show masked ID numbers only. A worker's
// page shows their photo and recent attendance, edits everything a clerk may change after
// enrollment (team, trade, contract and insurance dates, wage card, phone), captures the face
// again, and opens on the field to fix when it comes from the data-completeness list (?fix=).
import { useEffect, useState } from 'react';
import {
  coreApi,
  type WorkerSummary,
  type WorkerDetail,
  type Team,
  type Employer,
  type WorkerStatusValue,
  type AttendanceEvent,
  type WorkerPatch,
} from '../api/core.js';
import { siteApi } from '../api/site.js';
import { TRADE_CODES } from '../../../../edge-core/src/domain/trades.js';
import { MANAGEMENT_ROLE_NAMES } from '../../../../edge-core/src/domain/personnel.js';
import { useI18n } from '../i18n/i18n.js';
import { navigate } from '../lib/router.js';
import { reasonText } from '../lib/reasons.js';
import { laneLabel } from '../lib/words.js';
import { siteTime, useSite } from '../lib/site.js';
import { ErrorText } from '../components/ErrorText.js';
import { Field } from '../components/Field.js';
import { DateInput } from '../components/DateInput.js';
import { FaceRecapture } from '../components/FaceRecapture.js';
import { tradeOptions } from './enroll/AssignStep.js';
import type { TextKey } from '../i18n/texts.js';

const STATUS_KEYS: Record<WorkerStatusValue, TextKey> = {
  active: 'status.active',
  inactive: 'status.inactive',
  blacklisted: 'status.blacklisted',
};

/** Which part of the page a data-completeness fix opens. */
export function fixTarget(code: string | null): 'edit' | 'face' | null {
  if (!code) return null;
  if (code === 'face_missing') return 'face';
  return 'edit';
}

export function WorkersScreen({ workerId, fix = null }: { workerId: number | null; fix?: string | null }) {
  return workerId ? <WorkerDetailView id={workerId} fix={fix} /> : <WorkerList />;
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
            <tr key={w.id} onClick={() => navigate(`/workers/${w.id}`)} className="clickable" data-testid="worker-row">
              <td>
                <a href={`#/workers/${w.id}`} className="row-link">
                  {w.name}
                </a>{' '}
                {w.manualEntry && <span className="tag warn">{t('workers.manual')}</span>}
              </td>
              <td>{w.idNumberMasked}</td>
              <td>{w.role === 'manager' && w.managementRole ? t('enroll.role_manager') : (w.teamName ?? '—')}</td>
              <td>{TRADE_CODES[w.tradeCode] ?? '—'}</td>
              <td>{t(STATUS_KEYS[w.status])}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {rows && rows.length === 0 && <p className="empty">{t('workers.none')}</p>}
    </section>
  );
}

interface EditForm {
  phone: string;
  employerId: number | null;
  teamId: number | null;
  tradeCode: string;
  isTeamLeader: boolean;
  hasContract: boolean;
  contractStart: string;
  contractEnd: string;
  hasInsurance: boolean;
  insuranceStart: string;
  insuranceEnd: string;
  /** A new card number; empty keeps the one on file. */
  bankCard: string;
  clearBankCard: boolean;
  bankCode: string;
}

function formOf(w: WorkerDetail): EditForm {
  return {
    phone: w.phone ?? '',
    employerId: w.employerId,
    teamId: w.teamId,
    tradeCode: w.tradeCode,
    isTeamLeader: w.isTeamLeader,
    hasContract: w.hasContract,
    contractStart: w.contractStart ?? '',
    contractEnd: w.contractEnd ?? '',
    hasInsurance: w.hasInsurance,
    insuranceStart: w.insuranceStart ?? '',
    insuranceEnd: w.insuranceEnd ?? '',
    bankCard: '',
    clearBankCard: false,
    bankCode: w.bankCode ?? '',
  };
}

/** What is wrong with the form, or null; the core checks everything again. */
export function editProblem(f: EditForm): TextKey | null {
  if (f.phone && !/^1\d{10}$/.test(f.phone)) return 'enroll.phone_invalid';
  if (f.hasContract && (!f.contractStart || !f.contractEnd)) return 'enroll.contract_dates_required';
  if (f.hasContract && f.contractEnd < f.contractStart) return 'enroll.dates_order';
  if (f.hasInsurance && f.insuranceStart && f.insuranceEnd && f.insuranceEnd < f.insuranceStart) return 'enroll.dates_order';
  if (f.bankCard && !/^\d{12,19}$/.test(f.bankCard.replace(/\s/g, ''))) return 'enroll.bank_invalid';
  return null;
}

function patchOf(f: EditForm, w: WorkerDetail): WorkerPatch {
  const orNull = (s: string) => (s.trim() ? s.trim() : null);
  const patch: WorkerPatch = {
    phone: orNull(f.phone),
    employerId: f.employerId,
    hasContract: f.hasContract,
    contractStart: f.hasContract ? orNull(f.contractStart) : null,
    contractEnd: f.hasContract ? orNull(f.contractEnd) : null,
    hasInsurance: f.hasInsurance,
    insuranceStart: f.hasInsurance ? orNull(f.insuranceStart) : null,
    insuranceEnd: f.hasInsurance ? orNull(f.insuranceEnd) : null,
    bankCode: orNull(f.bankCode),
  };
  if (w.role === 'worker') Object.assign(patch, { teamId: f.teamId, tradeCode: f.tradeCode, isTeamLeader: f.isTeamLeader });
  if (f.bankCard.trim()) patch.bankCard = f.bankCard.replace(/\s/g, '');
  else if (f.clearBankCard) patch.bankCard = null;
  return patch;
}

function WorkerDetailView({ id, fix }: { id: number; fix: string | null }) {
  const { t, pick, lang } = useI18n();
  const site = useSite();
  const [w, setW] = useState<WorkerDetail | null>(null);
  const [photo, setPhoto] = useState<string | null>(null);
  const [history, setHistory] = useState<AttendanceEvent[] | null>(null);
  const [employers, setEmployers] = useState<Employer[]>([]);
  const [teams, setTeams] = useState<Team[]>([]);
  const [error, setError] = useState<unknown>(null);
  const [reason, setReason] = useState('');
  const [busy, setBusy] = useState(false);
  const [mode, setMode] = useState<'view' | 'edit' | 'face'>(() => (fixTarget(fix) === 'face' ? 'face' : fixTarget(fix) === 'edit' ? 'edit' : 'view'));
  const [saved, setSaved] = useState(false);
  const [form, setForm] = useState<EditForm | null>(null);
  const [photoN, setPhotoN] = useState(0);

  // A fix link opened on this page (the same worker) switches to the part that fixes it.
  useEffect(() => {
    const target = fixTarget(fix);
    if (target) setMode(target);
  }, [fix]);

  const load = () =>
    coreApi.worker(id).then((x) => {
      setW(x);
      setForm(formOf(x));
    }, setError);
  useEffect(() => {
    void load();
    Promise.all([coreApi.employers(), coreApi.teams()]).then(([e, tm]) => {
      setEmployers(e);
      setTeams(tm);
    }, setError);
    siteApi.workerAttendance(id).then(setHistory, () => setHistory([]));
    // Reload only when the id changes.
  }, [id]);
  useEffect(() => {
    let url: string | null = null;
    void siteApi.workerPhotoUrl(id).then((u) => {
      url = u;
      setPhoto(u);
    });
    return () => {
      if (url) URL.revokeObjectURL(url);
    };
  }, [id, photoN]);

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
  const problem = form ? editProblem(form) : null;
  const saveEdit = async () => {
    if (!form || !w || problem) return;
    setBusy(true);
    setSaved(false);
    setError(null);
    try {
      await coreApi.updateWorker(id, patchOf(form, w));
      setMode('view');
      setSaved(true);
      if (fix) navigate(`/workers/${id}`);
      await load();
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  if (!w || !form) return <ErrorText error={error} />;
  const f = form;
  const set = (p: Partial<EditForm>) => setForm({ ...f, ...p });
  const teamsOfEmployer = teams.filter((x) => x.employerId === f.employerId);
  return (
    <section className="card worker-page" data-testid="worker-detail">
      <a href="#/workers" className="button secondary back" data-testid="back-to-workers">
        ← {t('workers.back')}
      </a>
      <div className="worker-head">
        {photo ? (
          <img className="worker-photo" src={photo} alt={t('workers.photo')} data-testid="worker-photo" />
        ) : (
          <div className="worker-photo none" data-testid="worker-photo-none">
            {t('workers.no_photo')}
          </div>
        )}
        <div>
          <h2>
            {w.name} <span className={`tag ${w.status === 'active' ? 'ok' : 'bad'}`}>{t(STATUS_KEYS[w.status])}</span>
          </h2>
          <p className="big">{w.idNumberMasked}</p>
          <p>
            {w.role === 'manager' && w.managementRole ? pick(MANAGEMENT_ROLE_NAMES[w.managementRole]) : `${w.teamName ?? '—'} · ${TRADE_CODES[w.tradeCode] ?? '—'}`}
          </p>
        </div>
      </div>
      <ErrorText error={error} />
      {saved && (
        <p className="ok" data-testid="worker-saved">
          {t('workers.saved')}
        </p>
      )}
      {mode === 'edit' ? (
        <div className="edit" data-testid="worker-edit">
          {fix && <p className="banner warn">{t('workers.fix_from_compliance', { problem: t(fixLabel(fix)) })}</p>}
          <h3>{t('workers.role_and_team')}</h3>
          <div className="form-grid">
            <Field label={t('field.employer')}>
              <select data-testid="e-employer" value={f.employerId ?? ''} onChange={(e) => set({ employerId: e.target.value ? Number(e.target.value) : null, teamId: null })}>
                <option value="">{t('common.choose')}</option>
                {employers.map((e) => (
                  <option key={e.id} value={e.id}>
                    {e.name}
                  </option>
                ))}
              </select>
            </Field>
            {w.role === 'worker' && (
              <>
                <Field label={t('field.team')}>
                  <select data-testid="e-team" value={f.teamId ?? ''} onChange={(e) => set({ teamId: e.target.value ? Number(e.target.value) : null })}>
                    <option value="">{t('common.choose')}</option>
                    {teamsOfEmployer.map((x) => (
                      <option key={x.id} value={x.id}>
                        {x.name}
                      </option>
                    ))}
                  </select>
                </Field>
                <Field label={t('field.trade')}>
                  <select data-testid="e-trade" value={f.tradeCode} onChange={(e) => set({ tradeCode: e.target.value })}>
                    {tradeOptions().map(([code, name]) => (
                      <option key={code} value={code}>
                        {code} {name}
                      </option>
                    ))}
                  </select>
                </Field>
                <Field label={t('field.teamLeader')}>
                  <label className="check">
                    <input type="checkbox" checked={f.isTeamLeader} onChange={(e) => set({ isTeamLeader: e.target.checked })} /> {t('field.teamLeader_yes')}
                  </label>
                </Field>
              </>
            )}
            <Field label={t('field.phone')}>
              <input data-testid="e-phone" inputMode="tel" value={f.phone} onChange={(e) => set({ phone: e.target.value.replace(/\D/g, '').slice(0, 11) })} />
            </Field>
          </div>
          <h3>{t('workers.contract_and_bank')}</h3>
          <div className="form-grid">
            <Field label={t('field.hasContract')}>
              <label className="check">
                <input type="checkbox" data-testid="e-hasContract" checked={f.hasContract} onChange={(e) => set({ hasContract: e.target.checked })} /> {t('field.hasContract_yes')}
              </label>
            </Field>
            <Field label={t('field.contractStart')}>
              <DateInput testId="e-contractStart" disabled={!f.hasContract} value={f.contractStart} onChange={(v) => set({ contractStart: v })} />
            </Field>
            <Field label={t('field.contractEnd')}>
              <DateInput testId="e-contractEnd" disabled={!f.hasContract} value={f.contractEnd} onChange={(v) => set({ contractEnd: v })} />
            </Field>
            <Field label={t('field.hasInsurance')}>
              <label className="check">
                <input type="checkbox" checked={f.hasInsurance} onChange={(e) => set({ hasInsurance: e.target.checked })} /> {t('field.hasInsurance_yes')}
              </label>
            </Field>
            <Field label={t('field.insuranceStart')}>
              <DateInput testId="e-insuranceStart" disabled={!f.hasInsurance} value={f.insuranceStart} onChange={(v) => set({ insuranceStart: v })} />
            </Field>
            <Field label={t('field.insuranceEnd')}>
              <DateInput testId="e-insuranceEnd" disabled={!f.hasInsurance} value={f.insuranceEnd} onChange={(v) => set({ insuranceEnd: v })} />
            </Field>
            <Field label={t('field.bankCard')} hint={w.bankCardMasked ? t('workers.bank_keep', { masked: w.bankCardMasked }) : t('field.optional')}>
              <input
                data-testid="e-bankCard"
                inputMode="numeric"
                autoComplete="off"
                value={f.bankCard}
                onChange={(e) => set({ bankCard: e.target.value.replace(/[^\d ]/g, '').slice(0, 23), clearBankCard: false })}
              />
            </Field>
            {w.bankCardMasked && (
              <Field label={t('workers.bank_clear')}>
                <label className="check">
                  <input type="checkbox" checked={f.clearBankCard} onChange={(e) => set({ clearBankCard: e.target.checked, bankCard: '' })} /> {t('common.yes')}
                </label>
              </Field>
            )}
            <Field label={t('field.bankCode')} hint={t('field.optional')}>
              <input data-testid="e-bankCode" value={f.bankCode} onChange={(e) => set({ bankCode: e.target.value.slice(0, 20) })} />
            </Field>
          </div>
          {problem && (
            <p className="error" role="alert" data-testid="edit-problem">
              {t(problem)}
            </p>
          )}
          <div className="actions">
            <button type="button" className="secondary" onClick={() => (setMode('view'), setForm(formOf(w)))}>
              {t('common.cancel')}
            </button>
            <button type="button" className="primary" data-testid="save-worker" disabled={busy || problem !== null} onClick={() => void saveEdit()}>
              {t('common.save')}
            </button>
          </div>
        </div>
      ) : mode === 'face' ? (
        <div>
          {fix && <p className="banner warn">{t('workers.fix_from_compliance', { problem: t(fixLabel(fix)) })}</p>}
          <FaceRecapture
            workerId={id}
            onDone={() => {
              setPhotoN((n) => n + 1);
              if (fix) navigate(`/workers/${id}`);
            }}
            onCancel={() => setMode('view')}
          />
        </div>
      ) : (
        <>
          <dl className="review">
            <dt>{t('field.role')}</dt>
            <dd>{w.role === 'manager' && w.managementRole ? pick(MANAGEMENT_ROLE_NAMES[w.managementRole]) : t('enroll.role_worker')}</dd>
            <dt>{t('field.employer')}</dt>
            <dd>{employers.find((e) => e.id === w.employerId)?.name ?? '—'}</dd>
            <dt>{t('field.team')}</dt>
            <dd>
              {w.teamName ?? '—'}
              {w.isTeamLeader ? `（${t('field.teamLeader')}）` : ''}
            </dd>
            <dt>{t('field.trade')}</dt>
            <dd>{TRADE_CODES[w.tradeCode] ?? '—'}</dd>
            <dt>{t('field.phone')}</dt>
            <dd>{w.phone ?? t('common.none')}</dd>
            <dt>{t('field.contract')}</dt>
            <dd data-testid="d-contract">{w.hasContract ? t('workers.range', { from: w.contractStart ?? '—', to: w.contractEnd ?? '—' }) : t('common.none')}</dd>
            <dt>{t('field.insurance')}</dt>
            <dd>{w.hasInsurance ? t('workers.range', { from: w.insuranceStart ?? '—', to: w.insuranceEnd ?? '—' }) : t('common.none')}</dd>
            <dt>{t('field.bankCard')}</dt>
            <dd data-testid="d-bank">{w.bankCardMasked ?? t('common.none')}</dd>
            <dt>{t('field.source')}</dt>
            <dd>{w.manualEntry ? t('workers.manual') : w.source === 'platform' ? t('workers.from_platform') : t('workers.from_card')}</dd>
          </dl>
          <div className="actions left">
            <button type="button" className="secondary" onClick={() => (setSaved(false), setMode('edit'))} data-testid="edit-worker">
              {t('workers.edit')}
            </button>
            <button type="button" className="secondary" onClick={() => (setSaved(false), setMode('face'))} data-testid="recapture-face">
              {t('workers.recapture')}
            </button>
          </div>
        </>
      )}
      <section className="history" data-testid="worker-history">
        <h3>{t('workers.history')}</h3>
        {history && history.length === 0 && <p className="empty">{t('workers.history_none')}</p>}
        {history && history.length > 0 && (
          <table className="list small">
            <thead>
              <tr>
                <th>{t('dash.time')}</th>
                <th>{t('dash.lane')}</th>
                <th>{t('makeup.direction')}</th>
                <th>{t('dash.result')}</th>
              </tr>
            </thead>
            <tbody>
              {history.map((e) => (
                <tr key={e.id} data-testid="history-row">
                  <td>{siteTime(e.occurredAt, e.timeZone || site.timeZone, lang, true)}</td>
                  <td>{laneLabel(e.laneId, site.lanes, t)}</td>
                  <td>{e.direction === 'in' ? t('gate.in') : t('gate.out')}</td>
                  <td className={e.decision === 'pass' ? 'ok' : 'bad'}>
                    {e.decision === 'pass' ? t('dash.pass') : e.reasons.map((r) => pick(reasonText(r))).join('，')}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
      <div className="status-change">
        <Field label={t('workers.reason')}>
          <input value={reason} onChange={(e) => setReason(e.target.value)} data-testid="status-reason" placeholder={t('workers.reason_hint')} />
        </Field>
        <div className="actions">
          {w.status === 'active' ? (
            <button type="button" className="danger" disabled={busy || !reason.trim()} onClick={() => void setStatus('inactive')} data-testid="deactivate">
              {t('workers.deactivate')}
            </button>
          ) : (
            <button type="button" className="primary" disabled={busy || !reason.trim()} onClick={() => void setStatus('active')} data-testid="reactivate">
              {t('workers.reactivate')}
            </button>
          )}
        </div>
      </div>
    </section>
  );
}

/** The data-completeness problem a fix link names, in words. */
function fixLabel(code: string): TextKey {
  const known: Record<string, TextKey> = {
    contract_missing: 'fix.contract_missing',
    contract_dates_missing: 'fix.contract_dates_missing',
    contract_expired: 'fix.contract_expired',
    team_missing: 'fix.team_missing',
    employer_missing: 'fix.employer_missing',
    bank_card_missing: 'fix.bank_card_missing',
    face_missing: 'fix.face_missing',
    worker_trade_inconsistent: 'fix.trade',
    manager_trade_inconsistent: 'fix.trade',
  };
  return known[code] ?? 'fix.other';
}
