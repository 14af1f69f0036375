// Data completeness (资料完整性): per worker and for the project, what the platform's yellow
// light (黄灯预警, 赣建建〔2022〕9号) would flag among the data this device holds, and what to
// fix. A yellow light not fixed within 5 days turns red. Reloads when `reloadKey` changes.
import { useEffect, useState } from 'react';
import { adminApi, type CompletenessIssue, type CompletenessReport } from '../api/admin.js';
import { useI18n } from '../i18n/i18n.js';
import { ErrorText } from './ErrorText.js';

/** Codes whose fix is made on the worker's page (the row links there, opened on that field). */
const FIXED_ON_WORKER_PAGE = new Set([
  'contract_missing',
  'contract_dates_missing',
  'contract_expired',
  'team_missing',
  'employer_missing',
  'bank_card_missing',
  'face_missing',
  'worker_trade_inconsistent',
  'manager_trade_inconsistent',
]);

function IssueRows({ who, workerId, issues }: { who: string; workerId: number | null; issues: CompletenessIssue[] }) {
  const { t, pick } = useI18n();
  return (
    <>
      {issues.map((i, n) => (
        <tr key={`${i.code}-${n}`} data-testid="completeness-row" data-code={i.code} data-worker={workerId ?? ''}>
          <td>
            {n === 0 && workerId !== null ? (
              <a href={`#/workers/${workerId}`} className="row-link">
                {who}
              </a>
            ) : n === 0 ? (
              who
            ) : (
              ''
            )}
          </td>
          <td>
            <span className={`tag ${i.severity === 'yellow' ? 'warn' : 'muted'}`}>
              {i.severity === 'yellow' ? t('complete.yellow') : t('complete.hint_level')}
            </span>
          </td>
          <td>{pick(i.problem)}</td>
          <td>
            {workerId !== null && FIXED_ON_WORKER_PAGE.has(i.code) ? (
              <a
                className="button secondary"
                href={`#/workers/${workerId}?fix=${encodeURIComponent(i.code)}`}
                data-testid="completeness-fix"
              >
                {pick(i.fix)}
              </a>
            ) : (
              pick(i.fix)
            )}
          </td>
        </tr>
      ))}
    </>
  );
}

export function CompletenessPanel({ reloadKey = 0 }: { reloadKey?: number }) {
  const { t, pick } = useI18n();
  const [report, setReport] = useState<CompletenessReport | null>(null);
  const [error, setError] = useState<unknown>(null);
  useEffect(() => {
    adminApi.completeness().then(
      (r) => {
        setReport(r);
        setError(null);
      },
      setError,
    );
  }, [reloadKey]);

  const empty = report && report.workers.length === 0 && report.project.length === 0;
  return (
    <section className="card" data-testid="completeness-card">
      <h2>{t('complete.title')}</h2>
      <p className="small">{t('complete.hint')}</p>
      {report && (
        <p className={report.wouldFlagYellow ? 'warn' : 'ok'} data-testid="completeness-summary">
          {report.wouldFlagYellow ? t('complete.yellow_count', { n: report.yellowCount }) : t('complete.all_good')}
        </p>
      )}
      {report && !empty && (
        <table className="list small">
          <thead>
            <tr>
              <th>{t('makeup.worker')}</th>
              <th />
              <th>{t('complete.problem')}</th>
              <th>{t('complete.fix')}</th>
            </tr>
          </thead>
          <tbody>
            {report.workers.map((w) => (
              <IssueRows key={w.workerId} who={w.name} workerId={w.workerId} issues={w.issues} />
            ))}
            <IssueRows who={t('complete.project')} workerId={null} issues={report.project} />
          </tbody>
        </table>
      )}
      {report && report.notChecked.length > 0 && (
        <p className="small" data-testid="completeness-not-checked">
          {t('complete.not_checked', { items: report.notChecked.map((x) => pick(x)).join('、') })}
        </p>
      )}
      <ErrorText error={error} />
    </section>
  );
}
