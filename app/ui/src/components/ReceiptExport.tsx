// 账本回执 on the supervisor dashboard: downloads today's signed receipt of the ledger (JSON to
// keep for `npm run verify -- --receipt`, or text to print and file). Kept off the appliance,
// it shows later whether records were cut off or rewritten.
import { useState } from 'react';
import { ledgerReceipt, type ReceiptFormat } from '../api/ledger.js';
import { useI18n } from '../i18n/i18n.js';
import { saveBlob } from '../lib/save-file.js';
import { errorText } from './ErrorText.js';

type State = { kind: 'idle' } | { kind: 'busy' } | { kind: 'done'; file: string } | { kind: 'failed'; why: string };

export function ReceiptExport() {
  const { t, pick } = useI18n();
  const [state, setState] = useState<State>({ kind: 'idle' });

  async function run(format: ReceiptFormat): Promise<void> {
    setState({ kind: 'busy' });
    try {
      const file = await ledgerReceipt(format);
      saveBlob(file.blob, file.filename);
      setState({ kind: 'done', file: file.filename });
    } catch (err) {
      setState({ kind: 'failed', why: errorText(err, pick) });
    }
  }

  const busy = state.kind === 'busy';
  return (
    <section className="card" data-testid="receipt-card">
      <h2>{t('receipt.title')}</h2>
      <div className="actions left">
        <button type="button" className="secondary" data-testid="receipt-json" disabled={busy} onClick={() => void run('json')}>
          {t('receipt.json')}
        </button>
        <button type="button" className="secondary" data-testid="receipt-text" disabled={busy} onClick={() => void run('text')}>
          {t('receipt.text')}
        </button>
      </div>
      {state.kind === 'done' && (
        <p className="ok" data-testid="receipt-done">
          {t('receipt.done', { file: state.file })}
        </p>
      )}
      {state.kind === 'failed' && (
        <p className="error" role="alert" data-testid="receipt-error">
          {t('receipt.failed', { why: state.why })}
        </p>
      )}
      <p className="small empty">{t('receipt.hint')}</p>
    </section>
  );
}
