// Management-personnel attendance (管理人员到岗考勤) for the supervisor dashboard: one row per
// management role of the project (Jiangxi: 项目负责人 … 劳务员) with valid / needed /
// construction days, the rate against the 80 % line with a bar, the status in colour and the
// early warning; the combined on-duty rate against 60 %; the project-level warning on top.
// Reloads after passages (debounced), after a reconnect and every five minutes.
import { useCallback, useEffect, useRef, useState, type ReactNode } from 'react';
import {
  managementReport,
  type ManagementPerson,
  type ManagementReport,
  type RateFigures,
} from '../api/reports.js';
import { useI18n } from '../i18n/i18n.js';
import { useLive, useLiveEvents } from '../lib/live.js';
import { barShare, isMonth, rateText, statusTone } from '../lib/compliance.js';
import { DateInput } from './DateInput.js';
import { ErrorText } from './ErrorText.js';

export function ManagementPanel() {
  const { t, pick } = useI18n();
  const { epoch } = useLive();
  // '' = the site's current month, as the core reckons it; set from the first answer.
  const [month, setMonth] = useState('');
  const [report, setReport] = useState<ManagementReport | null>(null);
  const [error, setError] = useState<unknown>(null);
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);

  const load = useCallback(async () => {
    try {
      const r = await managementReport(month || undefined);
      setReport(r);
      if (!month) setMonth(r.month);
      setError(null);
    } catch (err) {
      setError(err);
    }
  }, [month]);

  useEffect(() => {
    void load();
    const i = setInterval(() => void load(), 300_000);
    return () => clearInterval(i);
  }, [load, epoch]);

  useEffect(
    () => () => {
      if (timer.current) clearTimeout(timer.current);
    },
    [],
  );

  useLiveEvents((e) => {
    if (e.type !== 'passage') return;
    if (timer.current) clearTimeout(timer.current);
    timer.current = setTimeout(() => void load(), 2_000);
  });

  const th = report?.thresholds;
  const flagged = report?.projectFlagged ?? false;
  return (
    <section className="card mgmt" data-testid="mgmt-card">
      <div className="card-head">
        <h2>{t('mgmt.title')}</h2>
        <label className="month-pick">
          <span>{t('mgmt.month')}</span>
          <DateInput
            kind="month"
            testId="mgmt-month"
            value={month}
            onChange={(v) => {
              if (isMonth(v)) setMonth(v);
            }}
          />
        </label>
      </div>
      <ErrorText error={error} testId="mgmt-error" />
      {report && (
        <>
          {report.projectWarning ? (
            <div
              className={`banner project-warning ${flagged ? 'bad' : 'warn'}`}
              role="alert"
              data-testid="mgmt-project-warning"
              data-flagged={String(flagged)}
            >
              {pick(report.projectWarning)}
            </div>
          ) : (
            <div className="banner info" data-testid="mgmt-project-ok">
              {t('mgmt.project_ok')}
            </div>
          )}
          <p className="small rule">
            {th && t('mgmt.rule', { person: th.personPercent, combined: th.combinedPercent })} ·{' '}
            {t('mgmt.as_of', { date: report.asOf })}
            {report.monthComplete ? t('mgmt.month_complete') : ''}
          </p>
          <table className="list mgmt-table">
            <thead>
              <tr>
                <th>{t('mgmt.role')}</th>
                <th>{t('mgmt.name')}</th>
                <th>{t('mgmt.days')}</th>
                <th>{t('mgmt.rate')}</th>
                <th>{t('mgmt.status')}</th>
                <th>{t('mgmt.warning')}</th>
              </tr>
            </thead>
            <tbody>
              {report.persons.length === 0 && (
                <tr>
                  <td colSpan={6} className="empty">
                    {t('mgmt.none')}
                  </td>
                </tr>
              )}
              {report.persons.map((p) => (
                <PersonRow
                  key={`${p.managementRole}-${p.workerId ?? 'none'}`}
                  p={p}
                  threshold={th?.personPercent ?? 80}
                />
              ))}
              <FiguresRow
                testId="mgmt-combined"
                label={t('mgmt.combined')}
                who={t('mgmt.all_people')}
                f={report.combined}
                threshold={th?.combinedPercent ?? 60}
              />
            </tbody>
          </table>
        </>
      )}
    </section>
  );
}

function PersonRow({ p, threshold }: { p: ManagementPerson; threshold: number }) {
  const { t, pick } = useI18n();
  return (
    <FiguresRow
      testId="mgmt-row"
      role={p.managementRole}
      label={pick(p.roleName)}
      who={p.unfilled ? null : (p.name ?? `#${p.workerId}`)}
      f={p}
      threshold={threshold}
      missed={
        p.missedDates.length > 0 ? (
          <span className="small missed" title={p.missedDates.join(', ')}>
            {t('mgmt.missed', { n: p.missedDates.length })}
          </span>
        ) : null
      }
    />
  );
}

function FiguresRow(props: {
  testId: string;
  role?: string;
  label: string;
  /** The person's name; null for an unfilled role. */
  who: string | null;
  f: RateFigures;
  /** The line to draw on the bar, percent. */
  threshold: number;
  missed?: ReactNode;
}) {
  const { t, pick } = useI18n();
  const { f } = props;
  const tone = statusTone(f.status);
  return (
    <tr
      data-testid={props.testId}
      data-role={props.role}
      data-status={f.status}
      className={`mgmt-${tone}${props.testId === 'mgmt-combined' ? ' combined' : ''}`}
    >
      <td>{props.label}</td>
      <td data-testid="mgmt-name">{props.who ?? <span className="tag bad">{t('mgmt.unfilled')}</span>}</td>
      <td className="num">
        {t('mgmt.days_value', { valid: f.validDays, required: f.requiredDays, total: f.constructionDays })}
        {props.missed && <div>{props.missed}</div>}
      </td>
      <td className="num">
        <div className="rate">
          <span data-testid="mgmt-rate">{rateText(f.percent)}</span>
          <span className="rate-bar" aria-hidden="true">
            <span className={`fill ${tone}`} style={{ width: `${barShare(f.percent) * 100}%` }} />
            <span className="line" style={{ left: `${props.threshold}%` }} />
          </span>
        </div>
        {f.status !== 'met' && f.status !== 'below' && f.projectedPercent !== null && (
          <div className="small">{t('mgmt.pace', { rate: rateText(f.projectedPercent) })}</div>
        )}
      </td>
      <td>
        <span className={`tag ${tone}`} data-testid="mgmt-status">
          {t(`mgmt.status.${f.status}`)}
        </span>
      </td>
      <td className={`small ${tone === 'muted' ? '' : tone}`} data-testid="mgmt-warning">
        {f.warning ? pick(f.warning) : ''}
      </td>
    </tr>
  );
}
