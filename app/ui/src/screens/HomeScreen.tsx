// Start screen: the appliance's health in words, one tile per lane's gate screen and one per
// task; in the demo, what a newcomer needs (PINs, the helmet rule, where the demo's data lives).
import { useEffect, useState } from 'react';
import type { HealthResponse } from '../../../shared/api-types.js';
import { coreApi, type Lane } from '../api/core.js';
import { siteApi, type DeviceHealthView } from '../api/site.js';
import { useI18n } from '../i18n/i18n.js';
import { useLive } from '../lib/live.js';
import { componentLabel } from '../lib/component-label.js';
import { detailIn, deviceLabel } from '../lib/words.js';
import { DemoNotes } from '../components/DemoNotes.js';
import { SETUP_DONE_KEY } from '../lib/site.js';

function setupJustDone(): boolean {
  try {
    return sessionStorage.getItem(SETUP_DONE_KEY) === '1';
  } catch {
    return false;
  }
}

export function HomeScreen() {
  const { t, lang } = useI18n();
  const { epoch } = useLive();
  const [health, setHealth] = useState<HealthResponse | null>(null);
  const [lanes, setLanes] = useState<Lane[]>([]);
  const [devices, setDevices] = useState<DeviceHealthView[]>([]);
  const [down, setDown] = useState(false);
  const [setupDone] = useState(setupJustDone);
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
      siteApi.devices().then(
        (d) => alive && setDevices(d),
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
  const byId = new Map(devices.map((d) => [d.deviceId, d]));
  const label = (name: string) => {
    const d = name.startsWith('device:') ? byId.get(name.slice('device:'.length)) : undefined;
    return d ? deviceLabel(d, lanes, t) : componentLabel(name, t);
  };
  return (
    <div className="home">
      {down && <p className="banner bad">{t('home.core_down')}</p>}
      {setupDone && (
        <p className="banner info" data-testid="setup-done">
          {t('setup.done')}
        </p>
      )}
      {health && (
        <p data-testid="status" className={health.status === 'ok' ? 'pill ok' : 'pill bad'}>
          {health.status === 'ok' ? t('home.ok') : t('home.degraded')} · v{health.version}
          {health.demo ? ` · ${t('home.demo')}` : ''}
        </p>
      )}
      {health?.demo && <DemoNotes />}
      <div className="tiles">
        {lanes.map((l) => (
          <a key={l.id} className="tile lane" href={`#/gate/${encodeURIComponent(l.id)}`} data-testid={`tile-gate-${l.id}`}>
            <span className="big">{t('home.gate', { name: l.name })}</span>
            <span className="small">
              {l.directionMode === 'in' ? t('home.lane_in') : l.directionMode === 'out' ? t('home.lane_out') : t('home.lane_both')}
            </span>
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
        <section className="card" data-testid="home-components">
          <h2>{t('home.components')}</h2>
          <ul className="components">
            {Object.entries(health.components).map(([name, c]) => {
              const detail = c.ok ? '' : detailIn(c.detail, lang);
              return (
                <li key={name} className={c.ok ? 'ok' : 'bad'}>
                  <span className="dot" /> {label(name)}：{c.ok ? t('common.ok') : t('common.fault')}
                  {detail ? ` — ${detail}` : ''}
                </li>
              );
            })}
          </ul>
        </section>
      )}
    </div>
  );
}
