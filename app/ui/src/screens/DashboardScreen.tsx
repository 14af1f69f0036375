// Supervisor dashboard: management-personnel attendance (Jiangxi 80 % / 60 % lines), the
// monthly attendance sheet export, sync status, device health, today's in/out per team,
// people on site, passages per hour, backlog over time, long-task progress and the latest
// passages. Reloads on live events (debounced) and after a reconnect. A failing sync detail
// only marks the sync card (which then shows the summary's counts); the rest of the dashboard
// is unaffected.
import { useCallback, useEffect, useRef, useState } from 'react';
import type { HealthResponse, LiveEvent } from '../../../shared/api-types.js';
import { coreApi, type TodaySummary, type AttendanceEvent } from '../api/core.js';
import { syncApi, type SyncStatus } from '../api/sync.js';
import { ManagementPanel } from '../components/ManagementPanel.js';
import { SheetExport } from '../components/SheetExport.js';
import { ReceiptExport } from '../components/ReceiptExport.js';
import { monthAt, monthOf } from '../lib/compliance.js';
import { useI18n } from '../i18n/i18n.js';
import { useLive, useLiveEvents } from '../lib/live.js';
import { passagesPerHour } from '../lib/hourly.js';
import { reasonText } from '../lib/reasons.js';
import { HourlyChart, LineChart } from '../components/BarChart.js';
import { ErrorText } from '../components/ErrorText.js';
import { componentLabel } from '../lib/component-label.js';
import { SyncCard } from '../components/SyncCard.js';
import { LaneLiveCard } from '../components/LaneLiveCard.js';
import { VisitorsTodayPanel } from '../components/VisitorsTodayPanel.js';
import { siteApi, type DeviceHealthView } from '../api/site.js';
import { siteTime, useSite } from '../lib/site.js';
import { detailIn, deviceLabel, laneLabel, taskKey } from '../lib/words.js';
import { PassagePhoto } from '../components/PassagePhoto.js';

type Device = { ok: boolean; state?: string; detail?: string; at?: number; kind?: string; lanes?: string[] };
type Task = Extract<LiveEvent, { type: 'task.progress' }>;

export function DashboardScreen() {
  const { t, pick, lang } = useI18n();
  const { epoch } = useLive();
  const site = useSite();
  const [today, setToday] = useState<TodaySummary | null>(null);
  const [events, setEvents] = useState<AttendanceEvent[]>([]);
  const [health, setHealth] = useState<HealthResponse | null>(null);
  const [sync, setSync] = useState<SyncStatus | null>(null);
  const [syncRoute, setSyncRoute] = useState(true);
  const [devices, setDevices] = useState<Record<string, Device>>({});
  const [tasks, setTasks] = useState<Record<string, Task>>({});
  const [backlogSeries, setBacklogSeries] = useState<Array<{ at: number; value: number }>>([]);
  const [error, setError] = useState<unknown>(null);
  const [updatedAt, setUpdatedAt] = useState<number | null>(null);
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);

  const load = useCallback(async () => {
    try {
      const [td, ev, h, s, devs] = await Promise.all([
        coreApi.today(),
        coreApi.attendance({ limit: 500 }),
        coreApi.health(),
        // A failing sync detail must not blank the dashboard: it only marks the card.
        syncApi.status().catch(() => null),
        siteApi.devices().catch(() => [] as DeviceHealthView[]),
      ]);
      setDevices(
        Object.fromEntries(
          devs.map((d) => [
            d.deviceId,
            {
              ok: d.state === 'ok',
              state: d.state,
              detail: d.reason ? pick(d.reason) : undefined,
              at: d.since,
              kind: d.kind,
              lanes: d.lanes,
            },
          ]),
        ),
      );
      setToday(td);
      setEvents(ev.filter((e) => e.localDate === td.localDate));
      setHealth(h);
      setSyncRoute(s !== null);
      if (s) setSync(s);
      setError(null);
      setUpdatedAt(Date.now());
    } catch (err) {
      setError(err);
    }
  }, [pick]);

  useEffect(() => {
    void load();
    const i = setInterval(() => void load(), 30_000);
    return () => clearInterval(i);
  }, [load, epoch]);

  const soon = useCallback(() => {
    if (timer.current) clearTimeout(timer.current);
    timer.current = setTimeout(() => void load(), 300);
  }, [load]);

  useLiveEvents((e) => {
    if (e.type === 'passage') soon();
    if (e.type === 'sync.progress') {
      setBacklogSeries((s) => [...s.slice(-287), { at: e.at, value: e.backlog }]);
      soon();
    }
    if (e.type === 'device.health')
      // The event's detail is Chinese only: the kind and lanes come from the first load.
      setDevices((d) => ({
        ...d,
        [e.deviceId]: { ...d[e.deviceId], ok: e.ok, state: e.state, detail: lang === 'zh' ? e.detail : d[e.deviceId]?.detail, at: e.at },
      }));
    if (e.type === 'task.progress') setTasks((x) => ({ ...x, [e.task]: e }));
  });

  const s = sync ?? today?.sync;
  // /health lists devices as "device:<id>"; /api/devices has the detail, so it wins. The
  // platform link is told (in the chosen language) by the sync card when it has the detail.
  const components = Object.entries(health?.components ?? {}).filter(
    ([n]) => !(n.startsWith('device:') && n.slice(7) in devices) && !(n === 'platform' && sync),
  );
  const allDevices: Record<string, Device> = { ...Object.fromEntries(components), ...devices };
  const backlogPoints = sync?.history?.length
    ? sync.history.map((h) => ({ at: h.at, value: h.backlog }))
    : backlogSeries;

  return (
    <div className="dashboard" data-testid="dashboard">
      <ErrorText error={error} />
      <div className="kpis">
        <div className="kpi" data-testid="kpi-onsite">
          <span className="label">{t('dash.on_site')}</span>
          <span className="value">{today?.onSiteNow ?? '—'}</span>
        </div>
        <div className="kpi" data-testid="kpi-passes">
          <span className="label">{t('dash.passes')}</span>
          <span className="value">{today?.passes ?? '—'}</span>
        </div>
        <div className="kpi" data-testid="kpi-refusals">
          <span className="label">{t('dash.refusals')}</span>
          <span className="value">{today?.refusals ?? '—'}</span>
        </div>
        <div className={`kpi ${s && s.backlog > 0 ? 'warn' : ''}`} data-testid="kpi-backlog">
          <span className="label">{t('dash.backlog')}</span>
          <span className="value">{s?.backlog ?? '—'}</span>
        </div>
      </div>
      <p>
        <a href="#/compliance" className="button secondary" data-testid="compliance-link">
          {t('dash.compliance_link')}
        </a>
      </p>
      <ManagementPanel />
      <div className="grid2">
        <SheetExport defaultMonth={today ? monthOf(today.localDate) : monthAt(Date.now())} />
        <TeamsCard today={today} />
      </div>
      <ReceiptExport />
      <div className="grid2">
        <SyncCard sync={sync} available={syncRoute} summary={today?.sync} onChanged={soon} />
        <section className="card" data-testid="devices-card">
          <h2>{t('dash.devices')}</h2>
          <ul className="devices">
            {Object.entries(allDevices).map(([name, d]) => {
              const detail = d.ok ? '' : name in devices ? (d.detail ?? '') : detailIn(d.detail, lang);
              return (
                <li key={name} className={d.ok ? 'ok' : 'bad'}>
                  <span className="dot" />{' '}
                  {d.kind ? deviceLabel({ kind: d.kind as DeviceHealthView['kind'], lanes: d.lanes }, site.lanes, t) : componentLabel(name, t)}
                  {lang === 'zh' ? '：' : ': '}
                  {d.ok ? t('common.ok') : `${d.state === 'degraded' ? t('dash.degraded') : t('common.fault')}${detail ? ` — ${detail}` : ''}`}
                </li>
              );
            })}
          </ul>
          {Object.values(tasks).map((x) => (
            <div key={x.task} className="task" data-testid="task-progress">
              <span>{t(taskKey(x.task))}</span>
              <progress max={Math.max(1, x.total)} value={x.done} />
              <span>
                {x.done}/{x.total}
              </span>
            </div>
          ))}
        </section>
      </div>
      <LaneLiveCard />
      <VisitorsTodayPanel />
      <section className="card" data-testid="hourly-card">
        <h2>
          {t('dash.per_hour')} <span className="small subtitle">{t('dash.hours_in_zone', { zone: zoneName(site.timeZone, lang) })}</span>
        </h2>
        <div className="legend" data-testid="hourly-legend">
          <span>
            <i className="swatch bar-pass" /> {t('dash.legend_pass')}
          </span>
          <span>
            <i className="swatch bar-refuse" /> {t('dash.legend_refuse')}
          </span>
        </div>
        <HourlyChart data={passagesPerHour(events, site.timeZone)} label={t('dash.per_hour')} />
      </section>
      <section className="card">
        <h2>{t('dash.backlog_over_time')}</h2>
        <LineChart points={backlogPoints} label={t('dash.backlog_over_time')} />
      </section>
      <section className="card" data-testid="recent-card">
        <h2>{t('dash.recent')}</h2>
        <table className="list">
          <thead>
            <tr>
              <th>{t('dash.time')}</th>
              <th>{t('dash.photo')}</th>
              <th>{t('dash.who')}</th>
              <th>{t('dash.lane')}</th>
              <th>{t('makeup.direction')}</th>
              <th>{t('dash.result')}</th>
            </tr>
          </thead>
          <tbody>
            {events.slice(0, 12).map((e) => (
              <tr key={e.id} data-testid="recent-row" data-decision={e.decision}>
                <td data-testid="recent-time">{siteTime(e.occurredAt, e.timeZone || site.timeZone, lang)}</td>
                <td>{e.hasPhoto ? <PassagePhoto eventId={e.id} /> : null}</td>
                <td data-testid="recent-who">{e.workerName ?? t('dash.unknown_person')}</td>
                <td data-testid="recent-lane">{laneLabel(e.laneId, site.lanes, t)}</td>
                <td>{e.direction === 'in' ? t('gate.in') : t('gate.out')}</td>
                <td className={e.decision === 'pass' ? 'ok' : 'bad'}>
                  {e.decision === 'pass' ? t('dash.pass') : e.reasons.map((r) => pick(reasonText(r))).join('，')}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
      {updatedAt && (
        <p className="small">
          {t('dash.updated', { time: siteTime(updatedAt, site.timeZone, lang) })}
        </p>
      )}
    </div>
  );
}

/** The site's zone as people say it: 北京时间 for Asia/Shanghai, else the IANA name. */
function zoneName(zone: string, lang: 'zh' | 'en'): string {
  if (zone === 'Asia/Shanghai') return lang === 'zh' ? '北京时间' : 'China time';
  if (zone === 'Asia/Urumqi') return lang === 'zh' ? '乌鲁木齐时间' : 'Urumqi time';
  return zone;
}

function TeamsCard({ today }: { today: TodaySummary | null }) {
  const { t } = useI18n();
  return (
    <section className="card" data-testid="teams-card">
      <h2>{t('dash.teams')}</h2>
      <table className="list">
        <thead>
          <tr>
            <th>{t('field.team')}</th>
            <th>{t('dash.in')}</th>
            <th>{t('dash.out')}</th>
            <th>{t('dash.people')}</th>
          </tr>
        </thead>
        <tbody>
          {today?.teams.map((x) => (
            <tr key={x.teamId ?? 'none'} data-testid="team-row">
              <td>{x.teamName ?? t('dash.no_team')}</td>
              <td>{x.in}</td>
              <td>{x.out}</td>
              <td>{x.people}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
