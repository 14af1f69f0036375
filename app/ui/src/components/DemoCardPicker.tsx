// Demo only: the synthetic ID cards of the simulated reader, placed from the screen (the core
// puts the card on the reader simulator, which answers the real driver's serial frames).
import { useRef, useState } from 'react';
import { siteApi } from '../api/site.js';
import { useLiveEvents } from '../lib/live.js';
import { useI18n } from '../i18n/i18n.js';
import { useSite } from '../lib/site.js';
import { ErrorText } from './ErrorText.js';

export function DemoCardPicker() {
  const { t } = useI18n();
  const { demoInfo } = useSite();
  const [busy, setBusy] = useState<string | null>(null);
  const [placed, setPlaced] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  const removed = useRef<(() => void) | null>(null);
  useLiveEvents((e) => {
    if (e.type === 'card.removed') removed.current?.();
  });
  if (!demoInfo || demoInfo.cards.length === 0) return null;
  const place = async (key: string | null) => {
    setBusy(key ?? 'remove');
    setError(null);
    try {
      // Another card placed over the one on the reader is read at once (the reader tells them
      // apart by their serial numbers). The same card again is read only after it has left
      // the reader: it is taken off first, and placed again once the reader has noticed (as a
      // clerk lifts a card and lays it down again).
      const onReader = (await siteApi.demoInfo()).placed;
      if (onReader && (key === null || key === onReader)) {
        const gone = new Promise<void>((resolve) => {
          removed.current = resolve;
          setTimeout(resolve, 3000);
        });
        await siteApi.placeDemoCard(null);
        await gone;
        removed.current = null;
      }
      if (key) await siteApi.placeDemoCard(key);
      setPlaced(key);
    } catch (err) {
      setError(err);
    } finally {
      setBusy(null);
    }
  };
  return (
    <section className="demo-cards" data-testid="demo-cards">
      <h3>{t('demo.card_picker')}</h3>
      <div className="card-deck">
        {demoInfo.cards.map((c) => (
          <button
            key={c.key}
            type="button"
            className={placed === c.key ? 'demo-card on' : 'demo-card'}
            data-testid={`demo-card-${c.key}`}
            disabled={busy !== null}
            onClick={() => void place(c.key)}
          >
            <span className="big">{c.name}</span>
            <span className="small">{c.label}</span>
            <span className="small">{c.idNumberMasked}</span>
          </button>
        ))}
      </div>
      <p className="small">{t('demo.card_photo_note')}</p>
      <ErrorText error={error} />
    </section>
  );
}
