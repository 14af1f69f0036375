// Make-up attendance (补卡) for a supervisor: who, when, which way, why, and the authority's
// confirmation (who confirmed, the document number, when). The core decides; a 422 lists its
// reasons in plain words (e.g. 施工现场管理人员不得补打考勤记录 for management personnel).
import { useEffect, useState } from 'react';
import { adminApi, makeupRefusals, type MakeupRefusal } from '../api/admin.js';
import { coreApi, type WorkerSummary } from '../api/core.js';
import { ApiCallError } from '../api/http.js';
import { useI18n } from '../i18n/i18n.js';
import {
  MAKEUP_REASONS,
  makeupBody,
  missingFields,
  toLocalInput,
  type MakeupDraft,
  type MakeupField,
} from '../lib/makeup-form.js';
import { ErrorText } from './ErrorText.js';
import { Field } from './Field.js';
import { DateInput } from './DateInput.js';
import { siteTime, useSite } from '../lib/site.js';

/**
 * How a person is named in the make-up list: name, masked ID number and team, so two workers of
 * the same name are told apart (the ID's last four digits differ).
 */
export function makeupOptionLabel(w: WorkerSummary, t: (k: 'makeup.no_team' | 'makeup.manager_tag') => string): string {
  const team = w.role === 'manager' ? t('makeup.manager_tag') : (w.teamName ?? t('makeup.no_team'));
  return `${w.name} · ${w.idNumberMasked} · ${team}`;
}

function emptyDraft(now: number): MakeupDraft {
  return {
    workerId: '',
    direction: 'in',
    occurredAt: '',
    reason: 'network_failure',
    reasonText: '',
    confirmedBy: '',
    documentNo: '',
    confirmedAt: toLocalInput(now),
  };
}

export function MakeupForm({ onSaved }: { onSaved?: () => void }) {
  const { t, pick, lang } = useI18n();
  const site = useSite();
  const [workers, setWorkers] = useState<WorkerSummary[]>([]);
  const [d, setD] = useState<MakeupDraft>(() => emptyDraft(Date.now()));
  const [touched, setTouched] = useState(false);
  const [refusals, setRefusals] = useState<MakeupRefusal[] | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [done, setDone] = useState<string | null>(null);
  const [sending, setSending] = useState(false);
  const [q, setQ] = useState('');

  // Active people only (the core refuses the others anyway); a search narrows a large site.
  useEffect(() => {
    let live = true;
    coreApi.workers({ status: 'active', q: q.trim() || undefined, limit: 200 }).then(
      (w) => live && setWorkers(w),
      (e: unknown) => live && setError(e),
    );
    return () => {
      live = false;
    };
  }, [q]);

  const missing = new Set(missingFields(d));
  const err = (f: MakeupField) => (touched && missing.has(f) ? t('makeup.required') : undefined);
  const set = <K extends MakeupField>(k: K, v: MakeupDraft[K]) => {
    setD((x) => ({ ...x, [k]: v }));
    setRefusals(null);
    setDone(null);
  };

  const submit = async () => {
    setTouched(true);
    const body = makeupBody(d);
    if (!body) return;
    setSending(true);
    setError(null);
    setRefusals(null);
    setDone(null);
    try {
      const ev = await adminApi.makeup(body);
      const w = workers.find((x) => x.id === body.workerId);
      // The core says back what it recorded; an older core's reply lacks the direction, and
      // then it is the one that was sent (never a guess that turns 进场 into 出场).
      const direction = ev.direction === 'in' || ev.direction === 'out' ? ev.direction : body.direction;
      setDone(
        t('makeup.done', {
          name: ev.workerName ?? w?.name ?? t('dash.unknown_person'),
          time: siteTime(ev.occurredAt, ev.timeZone || site.timeZone, lang, true),
          direction: direction === 'in' ? t('gate.in') : t('gate.out'),
          seq: ev.seq,
        }),
      );
      setD((x) => ({ ...emptyDraft(Date.now()), confirmedBy: x.confirmedBy, documentNo: x.documentNo }));
      setTouched(false);
      onSaved?.();
    } catch (e) {
      const reasons = e instanceof ApiCallError && e.status === 422 ? makeupRefusals(e.details) : null;
      if (reasons) setRefusals(reasons);
      else setError(e);
    } finally {
      setSending(false);
    }
  };

  return (
    <section className="card" data-testid="makeup-card">
      <h2>{t('makeup.title')}</h2>
      <p className="small">{t('makeup.hint')}</p>
      <div className="form-grid">
        <Field label={t('makeup.search')}>
          <input data-testid="makeup-search" value={q} onChange={(e) => setQ(e.target.value)} />
        </Field>
        <Field label={t('makeup.worker')} error={err('workerId')}>
          <select data-testid="makeup-worker" value={d.workerId} onChange={(e) => set('workerId', e.target.value)}>
            <option value="">{t('common.choose')}</option>
            {workers.map((w) => (
              <option key={w.id} value={String(w.id)}>
                {makeupOptionLabel(w, t)}
              </option>
            ))}
          </select>
        </Field>
        <Field label={t('makeup.time')} error={err('occurredAt')}>
          <DateInput kind="datetime" testId="makeup-time" value={d.occurredAt} onChange={(v) => set('occurredAt', v)} />
        </Field>
        <Field label={t('makeup.direction')}>
          <select
            data-testid="makeup-direction"
            value={d.direction}
            onChange={(e) => set('direction', e.target.value === 'out' ? 'out' : 'in')}
          >
            <option value="in">{t('gate.in')}</option>
            <option value="out">{t('gate.out')}</option>
          </select>
        </Field>
        <Field label={t('makeup.reason')}>
          <select
            data-testid="makeup-reason"
            value={d.reason}
            onChange={(e) => set('reason', e.target.value as MakeupDraft['reason'])}
          >
            {MAKEUP_REASONS.map((r) => (
              <option key={r} value={r}>
                {t(`makeup.reason_${r}`)}
              </option>
            ))}
          </select>
        </Field>
        <Field label={t('makeup.reason_text')} error={err('reasonText')}>
          <input
            data-testid="makeup-reason-text"
            maxLength={200}
            value={d.reasonText}
            onChange={(e) => set('reasonText', e.target.value)}
          />
        </Field>
        <Field label={t('makeup.confirmed_by')} error={err('confirmedBy')}>
          <input
            data-testid="makeup-confirmed-by"
            maxLength={100}
            value={d.confirmedBy}
            onChange={(e) => set('confirmedBy', e.target.value)}
          />
        </Field>
        <Field label={t('makeup.document_no')} error={err('documentNo')}>
          <input
            data-testid="makeup-document"
            maxLength={100}
            value={d.documentNo}
            onChange={(e) => set('documentNo', e.target.value)}
          />
        </Field>
        <Field label={t('makeup.confirmed_at')} error={err('confirmedAt')}>
          <DateInput kind="datetime" testId="makeup-confirmed-at" value={d.confirmedAt} onChange={(v) => set('confirmedAt', v)} />
        </Field>
      </div>
      <button
        type="button"
        className="primary"
        data-testid="makeup-submit"
        disabled={sending}
        onClick={() => void submit()}
      >
        {sending ? t('common.saving') : t('makeup.submit')}
      </button>
      {refusals && (
        <div className="error" role="alert" data-testid="makeup-refused">
          <p>{t('makeup.refused')}</p>
          <ul>
            {refusals.map((r) => (
              <li key={r.code}>{pick(r)}</li>
            ))}
          </ul>
        </div>
      )}
      {done && (
        <p className="ok" data-testid="makeup-done">
          {done}
        </p>
      )}
      <ErrorText error={error} />
    </section>
  );
}
