// 月度考勤表 export on the supervisor dashboard: month, group by team or employer, XLSX or CSV.
// The file is fetched with the session token (a plain link could not carry it), shown with a
// progress bar while it is generated and received, then handed to the browser as a download.
// A failure says why in the current language and leaves the buttons usable.
import { useEffect, useRef, useState } from 'react';
import { attendanceSheet, type SheetFormat, type SheetGroupBy } from '../api/reports.js';
import type { DownloadProgress } from '../api/http.js';
import { translate, useI18n } from '../i18n/i18n.js';
import { isMonth } from '../lib/compliance.js';
import { sizeText } from '../lib/bytes.js';
import { saveBlob } from '../lib/save-file.js';
import { useSite } from '../lib/site.js';
import { errorText } from './ErrorText.js';
import { DateInput } from './DateInput.js';

type State =
  | { kind: 'idle' }
  | { kind: 'busy'; format: SheetFormat; progress: DownloadProgress | null }
  | { kind: 'done'; file: string; size: number }
  | { kind: 'failed'; why: string };

export function SheetExport({ defaultMonth }: { defaultMonth: string }) {
  const { t, pick, lang } = useI18n();
  const [month, setMonth] = useState('');
  const site = useSite();
  const [groupBy, setGroupBy] = useState<SheetGroupBy>('team');
  const [state, setState] = useState<State>({ kind: 'idle' });
  const abort = useRef<AbortController | null>(null);
  const chosen = month || defaultMonth;

  useEffect(() => () => abort.current?.abort(), []);

  async function run(format: SheetFormat): Promise<void> {
    if (!isMonth(chosen)) {
      setState({ kind: 'failed', why: t('sheet.bad_month') });
      return;
    }
    const ctl = new AbortController();
    abort.current = ctl;
    setState({ kind: 'busy', format, progress: null });
    try {
      const file = await attendanceSheet(
        { month: chosen, groupBy, format, projectName: site.projectName },
        (progress) => setState({ kind: 'busy', format, progress }),
        ctl.signal,
      );
      if (ctl.signal.aborted) return;
      saveBlob(file.blob, file.filename);
      setState({ kind: 'done', file: file.filename, size: file.blob.size });
    } catch (err) {
      if (ctl.signal.aborted) return;
      setState({ kind: 'failed', why: errorText(err, pick) });
    }
  }

  const busy = state.kind === 'busy';
  return (
    <section className="card sheet-export" data-testid="sheet-card">
      <h2>
        {t('sheet.title')}{' '}
        <span className="small subtitle" lang={lang === 'zh' ? 'en' : 'zh'}>
          {translate(lang === 'zh' ? 'en' : 'zh', 'sheet.title')}
        </span>
      </h2>
      <div className="sheet-controls">
        <label className="month-pick">
          <span>{t('sheet.month')}</span>
          <DateInput kind="month" testId="sheet-month" value={chosen} disabled={busy} onChange={(v) => setMonth(v)} />
        </label>
        <div className="segmented" role="group" aria-label={t('sheet.group_by')}>
          {(['team', 'employer'] as const).map((g) => (
            <button
              key={g}
              type="button"
              className={groupBy === g ? 'toggle on' : 'toggle'}
              aria-pressed={groupBy === g}
              data-testid={`sheet-group-${g}`}
              disabled={busy}
              onClick={() => setGroupBy(g)}
            >
              {t(g === 'team' ? 'sheet.by_team' : 'sheet.by_employer')}
            </button>
          ))}
        </div>
      </div>
      <div className="actions left">
        <button
          type="button"
          className="primary"
          data-testid="sheet-xlsx"
          disabled={busy}
          onClick={() => void run('xlsx')}
        >
          {t('sheet.xlsx')}
        </button>
        <button
          type="button"
          className="secondary"
          data-testid="sheet-csv"
          disabled={busy}
          onClick={() => void run('csv')}
        >
          {t('sheet.csv')}
        </button>
      </div>
      {state.kind === 'busy' && (
        <div className="task" data-testid="sheet-progress" aria-live="polite">
          {state.progress?.total ? (
            <progress max={state.progress.total} value={state.progress.received} />
          ) : (
            // Indeterminate while the core builds the sheet (no value attribute).
            <progress />
          )}
          <span>
            {state.progress
              ? t('sheet.receiving', { received: sizeText(state.progress.received) })
              : t('sheet.generating')}
          </span>
        </div>
      )}
      {state.kind === 'done' && (
        <p className="ok" data-testid="sheet-done">
          {t('sheet.done', { file: state.file, size: sizeText(state.size) })}
        </p>
      )}
      {state.kind === 'failed' && (
        <p className="error" role="alert" data-testid="sheet-error">
          {t('sheet.failed', { why: state.why })}
        </p>
      )}
      <p className="small empty">{t('sheet.hint')}</p>
    </section>
  );
}
