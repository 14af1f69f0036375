// What the demo tells a newcomer on the home and login screens: the PINs, that the gate refuses
// a missing helmet (the default rule), and that the demo's data is kept apart from real data.
import { useI18n } from '../i18n/i18n.js';
import { useSite } from '../lib/site.js';

export function DemoNotes({ pinsOnly = false }: { pinsOnly?: boolean }) {
  const { t } = useI18n();
  const { demoInfo } = useSite();
  if (!demoInfo) return null;
  const helmet = demoInfo.helmet === 'refuse' ? 'demo.helmet_refuse' : demoInfo.helmet === 'remind' ? 'demo.helmet_remind' : 'demo.helmet_ignore';
  return (
    <section className="demo-notes banner info" data-testid="demo-notes">
      <strong>{t('demo.title')}</strong>
      <p data-testid="demo-pins">{t('demo.pins', demoInfo.pins)}</p>
      {!pinsOnly && (
        <>
          <p data-testid="demo-helmet">{t(helmet)}</p>
          <p>{t('demo.try_gate')}</p>
          <p className="small">{t('demo.data')}</p>
        </>
      )}
    </section>
  );
}
