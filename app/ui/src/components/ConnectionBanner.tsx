// "Connection lost / reconnecting" strip, shown on every screen while the live stream is down.
import { useEffect, useState } from 'react';
import { useLive } from '../lib/live.js';
import { useI18n } from '../i18n/i18n.js';

export function ConnectionBanner() {
  const { state } = useLive();
  const { t } = useI18n();
  const [, tick] = useState(0);
  useEffect(() => {
    if (state.kind !== 'reconnecting') return;
    const i = setInterval(() => tick((n) => n + 1), 500);
    return () => clearInterval(i);
  }, [state.kind]);
  if (state.kind === 'open') return null;
  if (state.kind === 'connecting')
    return (
      <div className="banner warn" role="status" data-testid="connection-banner">
        {t('conn.connecting')}
      </div>
    );
  const secs = Math.max(0, Math.ceil((state.nextAt - Date.now()) / 1000));
  const lostFor = Math.round((Date.now() - state.lostAt) / 1000);
  return (
    <div className="banner bad" role="alert" data-testid="connection-banner">
      <strong>{t('conn.lost')}</strong> {t('conn.retrying', { attempt: state.attempt, secs, lostFor })}
      <div className="small">{t('conn.what_to_do')}</div>
    </div>
  );
}
