// Start screen: the appliance's health, one tile per lane's gate screen and one per task.
import { useEffect, useState } from 'react';
import type { HealthResponse } from '../../../shared/api-types.js';
import { coreApi, type Lane } from '../api/core.js';
import { useI18n } from '../i18n/i18n.js';
import { useLive } from '../lib/live.js';
import { componentLabel } from '../lib/component-label.js';

export function HomeScreen() {
  const { t } = useI18n();
  const { epoch } = useLive();
  const [health, setHealth] = useState<HealthResponse | null>(null);
  const [lanes, setLanes] = useState<Lane[]>([]);
  const [down, setDown] = useState(false);
  useEffect(() => {
    let alive = true;
    const load = () => {
      coreApi.health().then(
        (h) => alive && (setHealth(h), setDown(false)),
        () => alive && setDown(true),
      );
      coreApi.lanes().then(
        (l) => alive && setLanes(l),
        () => {},
      );
    };
    load();
    const i = setInterval(load, 5000);
    return () => {
      alive = false;
      clearInterval(i);
    };
  }, [epoch]);
  return (
    <div className="home">
      {down && <p className="banner bad">{t('home.core_down')}</p>}
      {health && (
        <p data-testid="status" className={health.status === 'ok' ? 'pill ok' : 'pill bad'}>
          {health.status === 'ok' ? t('home.ok') : t('home.degraded')} · v{health.version}{' '}
          {health.demo ? `· ${t('home.demo')}` : ''}
        </p>
      )}
      <div className="tiles">
        {lanes.map((l) => (
          <a
            key={l.id}
            className="tile lane"
            href={`#/gate/${encodeURIComponent(l.id)}`}
            data-testid={`tile-gate-${l.id}`}
          >
            <span className="big">{t('home.gate', { name: l.name })}</span>
            <span className="small">{l.id}</span>
          </a>
        ))}
        <a className="tile" href="#/enroll">
          <span className="big">{t('nav.enroll')}</span>
          <span className="small">{t('home.enroll_hint')}</span>
        </a>
        <a className="tile" href="#/workers">
          <span className="big">{t('nav.workers')}</span>
          <span className="small">{t('home.workers_hint')}</span>
        </a>
        <a className="tile" href="#/dashboard">
          <span className="big">{t('nav.dashboard')}</span>
          <span className="small">{t('home.dashboard_hint')}</span>
        </a>
        <a className="tile" href="#/visitors">
          <span className="big">{t('nav.visitors')}</span>
          <span className="small">{t('home.visitors_hint')}</span>
        </a>
        <a className="tile" href="#/calendar">
          <span className="big">{t('nav.calendar')}</span>
          <span className="small">{t('home.calendar_hint')}</span>
        </a>
        <a className="tile" href="#/settings">
          <span className="big">{t('nav.settings')}</span>
          <span className="small">{t('home.settings_hint')}</span>
        </a>
      </div>
      {health && (
        <ul className="components">
          {Object.entries(health.components).map(([name, c]) => (
            <li key={name} className={c.ok ? 'ok' : 'bad'}>
              {componentLabel(name, t)}: {c.ok ? t('common.ok') : `${t('common.fault')} ${c.detail ?? ''}`}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
