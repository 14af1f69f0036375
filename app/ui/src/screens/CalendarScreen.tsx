// 施工日历 (#/calendar): the month's construction and non-construction days. An administrator
// picks days and marks them (bad weather, stoppage, holiday, or an extra workday) with a
// reason, removes marks, sets the basics (start, end, weekly rest days) and imports the
// platform's calendar; a supervisor sees the same month read-only. Every change is audited
// by the core; the platform's mark of a day wins over the local one and both are shown.
import { useCallback, useEffect, useState } from 'react';
import { calendarApi, type CalendarMarkKind, type CalendarMonthResponse } from '../api/calendar.js';
import { useI18n } from '../i18n/i18n.js';
import { useSession, roleAllows } from '../lib/session.js';
import { monthGrid, shiftMonth, toggleDate } from '../lib/calendar-grid.js';
import { ErrorText } from '../components/ErrorText.js';
import { Field } from '../components/Field.js';
import '../siteops.css';

const KINDS: CalendarMarkKind[] = ['weather', 'stoppage', 'holiday', 'workday'];

export function CalendarScreen() {
  const { t, pick } = useI18n();
  const { session } = useSession();
  const isAdmin = session ? roleAllows(session.role, 'admin') : false;
  const [month, setMonth] = useState<string | undefined>(undefined);
  const [view, setView] = useState<CalendarMonthResponse | null>(null);
  const [selected, setSelected] = useState<string[]>([]);
  const [kind, setKind] = useState<CalendarMarkKind>('weather');
  const [reason, setReason] = useState('');
  const [message, setMessage] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);

  const load = useCallback((m?: string) => {
    calendarApi.month(m).then((v) => {
      setView(v);
      setMonth(v.month);
    }, setError);
  }, []);
  useEffect(() => load(undefined), [load]);

  const act = async (fn: () => Promise<string>) => {
    setBusy(true);
    setError(null);
    setMessage(null);
    try {
      setMessage(await fn());
      setSelected([]);
      load(month);
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };
  const mark = () =>
    act(async () => {
      const r = await calendarApi.mark(selected, kind, reason.trim());
      return t('calendar.saved', { n: r.changed.length });
    });
  const unmark = () =>
    act(async () => {
      const r = await calendarApi.unmark(selected, reason.trim());
      return t('calendar.removed', { n: r.removed.length });
    });
  const importNow = () =>
    act(async () => {
      await calendarApi.importNow();
      return '';
    });

  const weekdays = t('calendar.weekdays').split(',');
  const reasonMissing = reason.trim() === '';
  const imp = view?.import;
  const time = (ms: number | null) => (ms ? new Date(ms).toLocaleString() : '');
  const importText = !imp
    ? ''
    : imp.state === 'ok'
      ? t('calendar.import_state.ok', { time: time(imp.at), added: imp.added, changed: imp.changed, removed: imp.removed })
      : imp.state === 'failed'
        ? t('calendar.import_state.failed', { time: time(imp.at), error: pick(imp.error) })
        : t(`calendar.import_state.${imp.state}`);

  return (
    <div className="calendar-screen" data-testid="calendar">
      <section className="card">
        <div className="card-head">
          <button type="button" className="button secondary" data-testid="calendar-prev" onClick={() => month && load(shiftMonth(month, -1))}>
            {t('calendar.prev')}
          </button>
          <h2 data-testid="calendar-month">{view?.month ?? ''}</h2>
          <button type="button" className="button secondary" data-testid="calendar-next" onClick={() => month && load(shiftMonth(month, 1))}>
            {t('calendar.next')}
          </button>
          {view && (
            <span className="pill" data-testid="calendar-construction-days">
              {t('calendar.construction_days', { n: view.constructionDays })}
            </span>
          )}
        </div>
        <p className="small">{isAdmin ? t('calendar.hint') : t('calendar.readonly')}</p>
        {view && (
          <table className="month-grid">
            <thead>
              <tr>
                {weekdays.map((w) => (
                  <th key={w}>{w}</th>
                ))}
              </tr>
            </thead>
            <tbody>
              {monthGrid(view.days).map((week, i) => (
                <tr key={i}>
                  {week.map((cell, j) => {
                    const d = cell.day;
                    if (!d) return <td key={j} className="blank" />;
                    const isSelected = selected.includes(d.date);
                    return (
                      <td key={d.date} className={`day ${d.dayType}${isSelected ? ' selected' : ''}`}>
                        <button
                          type="button"
                          data-testid={`day-${d.date}`}
                          data-daytype={d.dayType}
                          disabled={!isAdmin}
                          aria-pressed={isSelected}
                          onClick={() => setSelected((s) => toggleDate(s, d.date))}
                        >
                          <span className="num">{Number(d.date.slice(8))}</span>
                          <span className="type">{t(`calendar.day.${d.dayType}`)}</span>
                          {d.mark && (
                            <span className="reason" title={d.mark.setBy}>
                              {d.mark.source === 'platform' ? `${t('calendar.from_platform')}: ` : ''}
                              {d.mark.reason}
                            </span>
                          )}
                          {d.overriddenLocal && (
                            <span className="reason overridden">{t('calendar.overridden', { reason: d.overriddenLocal.reason })}</span>
                          )}
                        </button>
                      </td>
                    );
                  })}
                </tr>
              ))}
            </tbody>
          </table>
        )}
        {isAdmin && (
          <div className="calendar-actions">
            <p className="small" data-testid="calendar-selected">
              {t('calendar.selected', { n: selected.length })}
            </p>
            <div className="form-grid">
              <Field label={t('calendar.kind')}>
                <select data-testid="calendar-kind" value={kind} onChange={(e) => setKind(e.target.value as CalendarMarkKind)}>
                  {KINDS.map((k) => (
                    <option key={k} value={k}>
                      {t(`calendar.kind.${k}`)}
                    </option>
                  ))}
                </select>
              </Field>
              <Field label={t('calendar.reason')} error={selected.length && reasonMissing ? t('calendar.need_reason') : undefined} wide>
                <input
                  data-testid="calendar-reason"
                  maxLength={200}
                  placeholder={t('calendar.reason_placeholder')}
                  value={reason}
                  onChange={(e) => setReason(e.target.value)}
                />
              </Field>
            </div>
            <div className="actions left">
              <button type="button" className="button primary" data-testid="calendar-mark" disabled={busy || !selected.length || reasonMissing} onClick={() => void mark()}>
                {t('calendar.mark')}
              </button>
              <button type="button" className="button secondary" data-testid="calendar-unmark" disabled={busy || !selected.length || reasonMissing} onClick={() => void unmark()}>
                {t('calendar.unmark')}
              </button>
              <button type="button" className="button secondary" disabled={!selected.length} onClick={() => setSelected([])}>
                {t('calendar.clear')}
              </button>
            </div>
          </div>
        )}
        {message && (
          <p className="ok" data-testid="calendar-message">
            {message}
          </p>
        )}
        <ErrorText error={error} />
      </section>
      {view && isAdmin && <BaseForm base={view.base} onSaved={() => load(month)} />}
      <section className="card">
        <h2>{t('calendar.import')}</h2>
        <p className="small" data-testid="calendar-import-state">
          {importText}
        </p>
        {isAdmin && (
          <button type="button" className="button secondary" data-testid="calendar-import" disabled={busy} onClick={() => void importNow()}>
            {t('calendar.import')}
          </button>
        )}
      </section>
    </div>
  );
}

function BaseForm({ base, onSaved }: { base: CalendarMonthResponse['base']; onSaved: () => void }) {
  const { t } = useI18n();
  const [start, setStart] = useState(base.start ?? '');
  const [end, setEnd] = useState(base.end ?? '');
  const [rest, setRest] = useState<number[]>(base.restWeekdays);
  const [msg, setMsg] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  const weekdays = t('calendar.weekdays').split(',');
  const save = async () => {
    setError(null);
    setMsg(null);
    try {
      await calendarApi.setBase({ start: start || null, end: end || null, restWeekdays: rest });
      setMsg(t('calendar.base_saved'));
      onSaved();
    } catch (err) {
      setError(err);
    }
  };
  return (
    <section className="card">
      <h2>{t('calendar.base')}</h2>
      <div className="form-grid">
        <Field label={t('calendar.start')}>
          <input type="date" data-testid="calendar-start" value={start} onChange={(e) => setStart(e.target.value)} />
        </Field>
        <Field label={t('calendar.end')}>
          <input type="date" data-testid="calendar-end" value={end} onChange={(e) => setEnd(e.target.value)} />
        </Field>
        <Field label={t('calendar.rest_weekdays')} wide>
          <span className="weekday-checks">
            {weekdays.map((w, i) => (
              <label key={w} className="check">
                <input
                  type="checkbox"
                  data-testid={`rest-${i + 1}`}
                  checked={rest.includes(i + 1)}
                  onChange={(e) => setRest((r) => (e.target.checked ? [...r, i + 1].sort() : r.filter((x) => x !== i + 1)))}
                />
                {w}
              </label>
            ))}
          </span>
        </Field>
      </div>
      <button type="button" className="button primary" data-testid="calendar-base-save" onClick={() => void save()}>
        {t('calendar.base_save')}
      </button>
      {msg && <p className="ok">{msg}</p>}
      <ErrorText error={error} />
    </section>
  );
}
