// The dashboard's platform-sync card: connectivity (with why it is not online), backlog, age
// of the oldest unsent record, last success, last error with the platform's own reason, the
// records the platform refused for good (parked) with its reason, and "retry now". Without
// the core's sync detail it shows the dashboard summary's counts and says so.
import { useEffect, useState } from 'react';
import type { TodaySummary } from '../api/core.js';
import { syncParked, syncRetry, type ParkedRecord, type SyncStatus } from '../api/pending.js';
import { syncProblemText } from '../../../shared/i18n/sync-texts.js';
import { useI18n } from '../i18n/i18n.js';
import type { TextKey } from '../i18n/texts.js';
import { ageText } from '../lib/hourly.js';
import { ErrorText } from './ErrorText.js';

/** What a parked record is, in words (the outbox kinds). */
const KIND: Record<string, TextKey> = {
  attendance: 'dash.kind.attendance',
  worker: 'dash.kind.worker',
  worker_change: 'dash.kind.worker_change',
  refusal: 'dash.kind.refusal',
  team: 'dash.kind.team',
  enrollment: 'dash.kind.enrollment',
};

const CONNECTIVITY: Record<SyncStatus['connectivity'], TextKey> = {
  online: 'dash.conn_online',
  offline: 'dash.conn_offline',
  blocked: 'dash.conn_blocked',
  unknown: 'dash.conn_unknown',
  off: 'dash.conn_off',
};

export function SyncCard({
  sync,
  available,
  summary,
  onChanged,
}: {
  /** GET /api/sync/status, when the core offers it. */
  sync: SyncStatus | null;
  available: boolean;
  /** The dashboard summary's sync counts: the fallback. */
  summary: TodaySummary['sync'] | undefined;
  onChanged: () => void;
}) {
  const { t, pick, lang } = useI18n();
  const [parked, setParked] = useState<ParkedRecord[]>([]);
  const [retryMsg, setRetryMsg] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const locale = lang === 'zh' ? 'zh-CN' : 'en-GB';
  const s = sync ?? summary;
  const parkedCount = s?.parked ?? 0;

  useEffect(() => {
    if (!available || parkedCount === 0) {
      setParked([]);
      return;
    }
    syncParked().then((r) => setParked(r.available ? r.value : []), setError);
  }, [available, parkedCount]);

  const retry = async () => {
    setBusy(true);
    setError(null);
    try {
      const r = await syncRetry();
      setRetryMsg(
        r.available ? t('dash.retry_requeued', { n: r.value.requeued }) : t('dash.sync_detail_unavailable'),
      );
      onChanged();
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  const conn = sync?.connectivity;
  return (
    <section className="card" data-testid="sync-card">
      <h2>{t('dash.sync')}</h2>
      {sync?.problems && sync.problems.length > 0 && (
        <ul className="banner warn" data-testid="sync-problems">
          {sync.problems.map((p) => (
            <li key={p.code} data-testid={`sync-problem-${p.code}`}>
              {pick(syncProblemText(p))}
              <span className="small">
                {' '}
                · {t('dash.problem_since', { time: new Date(p.since).toLocaleString(locale) })}
              </span>
            </li>
          ))}
        </ul>
      )}
      <dl>
        <dt>{t('dash.connectivity')}</dt>
        <dd data-testid="sync-connectivity" className={conn === 'online' ? 'ok' : conn ? 'warn' : ''}>
          {conn ? t(CONNECTIVITY[conn]) : '—'}
          {sync?.reason && conn !== 'online' && <span className="small"> · {pick(sync.reason)}</span>}
        </dd>
        <dt>{t('dash.backlog')}</dt>
        <dd data-testid="sync-backlog">{s?.backlog ?? '—'}</dd>
        <dt>{t('dash.parked')}</dt>
        <dd data-testid="sync-parked">{s?.parked ?? '—'}</dd>
        <dt>{t('dash.oldest')}</dt>
        <dd>{s?.oldestUnsentAt ? ageText(Date.now() - s.oldestUnsentAt, lang) : t('common.none')}</dd>
        <dt>{t('dash.last_success')}</dt>
        <dd data-testid="sync-last-success">
          {s?.lastSentAt ? new Date(s.lastSentAt).toLocaleString(locale) : t('dash.never')}
        </dd>
        <dt>{t('dash.last_error')}</dt>
        <dd data-testid="sync-error">
          {sync?.lastError ? (
            <>
              {new Date(sync.lastError.at).toLocaleString(locale)} · {pick(sync.lastError.message)}
              {sync.lastError.platformMessage && (
                <span className="small">
                  {' '}
                  · {t('dash.platform_says', { text: sync.lastError.platformMessage })}
                </span>
              )}
            </>
          ) : available ? (
            t('common.none')
          ) : (
            t('dash.sync_detail_unavailable')
          )}
        </dd>
      </dl>
      {parked.length > 0 && (
        <>
          <h3>{t('dash.parked_list')}</h3>
          <table className="list small" data-testid="parked-list">
            <thead>
              <tr>
                <th>{t('dash.parked_kind')}</th>
                <th>#</th>
                <th>{t('dash.parked_reason')}</th>
                <th>{t('dash.parked_attempts')}</th>
              </tr>
            </thead>
            <tbody>
              {parked.slice(0, 20).map((p) => (
                <tr key={p.id} data-testid="parked-row">
                  <td>{KIND[p.kind] ? t(KIND[p.kind] as TextKey) : p.kind}</td>
                  <td>{p.refId ?? p.id}</td>
                  <td>{p.reason ?? '—'}</td>
                  <td>{p.attempts}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}
      <button
        type="button"
        className="secondary"
        data-testid="sync-retry"
        disabled={!available || busy}
        onClick={() => void retry()}
      >
        {t('dash.retry_now')}
      </button>
      {retryMsg && (
        <p className="small" data-testid="sync-retry-msg">
          {retryMsg}
        </p>
      )}
      <ErrorText error={error} />
    </section>
  );
}
