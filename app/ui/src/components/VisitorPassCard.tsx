// One visitor pass as shown on screen and printed: the QR code (drawn here from the signed code
// with uqr, MIT), the visitor, host, purpose and validity. Printing prints this card only.
import { useMemo } from 'react';
import { renderSVG } from 'uqr';
import type { VisitorPassView } from '../api/visitors.js';
import { useI18n } from '../i18n/i18n.js';

export function VisitorPassCard({ pass }: { pass: VisitorPassView }) {
  const { t, lang } = useI18n();
  const qr = useMemo(() => `data:image/svg+xml;charset=utf-8,${encodeURIComponent(renderSVG(pass.code, { ecc: 'M', border: 4 }))}`, [pass.code]);
  const fmt = (ms: number) => new Date(ms).toLocaleString(lang === 'zh' ? 'zh-CN' : 'en-GB', { dateStyle: 'short', timeStyle: 'short' });
  return (
    <div className="visitor-pass-print" data-testid="visitor-pass-card">
      <h2>访客码 Visitor pass</h2>
      <img src={qr} alt={pass.code} data-testid="visitor-qr" data-code={pass.code} width={240} height={240} />
      <p className="big">{pass.name}</p>
      <p>
        {t('visitors.host')}: {pass.host}
      </p>
      <p>
        {t('visitors.purpose')}: {pass.purpose}
      </p>
      <p>{t('visitors.valid', { from: fmt(pass.validFrom), to: fmt(pass.validTo) })}</p>
      {pass.maxEntries !== null && <p>{t('visitors.max_entries')}: {pass.maxEntries}</p>}
      <p className={pass.state === 'active' ? 'ok' : 'bad'}>{t(`visitors.state.${pass.state}`)}</p>
      <p className="small">{t('visitors.scan_hint')}</p>
    </div>
  );
}
