// The dashboard's live pictures of the lanes whose cameras the core reads (none: no card).
import { useEffect, useState } from 'react';
import { coreApi } from '../api/core.js';
import { useI18n } from '../i18n/i18n.js';
import { LiveVideo } from './LiveVideo.js';

export function LaneLiveCard() {
  const { t } = useI18n();
  const [lanes, setLanes] = useState<Array<{ id: string; name: string }>>([]);
  useEffect(() => {
    let alive = true;
    coreApi.lanes().then(
      (all) => alive && setLanes(all.filter((l) => l.camera === 'core').map((l) => ({ id: l.id, name: l.name }))),
      () => undefined,
    );
    return () => {
      alive = false;
    };
  }, []);
  if (lanes.length === 0) return null;
  return (
    <section className="card" data-testid="lane-live-card">
      <h2>{t('dash.live_view')}</h2>
      <div className="live-grid">
        {lanes.map((l) => (
          <figure key={l.id}>
            <LiveVideo laneId={l.id} label={l.name} />
            <figcaption>{l.name}</figcaption>
          </figure>
        ))}
      </div>
    </section>
  );
}
