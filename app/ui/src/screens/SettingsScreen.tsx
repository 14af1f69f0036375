// Settings (admin): accounts (each person's own PIN), lanes, the gate policy's essentials, the platform appsecret
// (write-only), the voice texts, backup, the audit trail and — inside the Electron shell —
// leaving kiosk mode (the shell checks the admin PIN with the core again).
import { useEffect, useState } from 'react';
import { coreApi, type Lane, type AuditEntry } from '../api/core.js';
import { siteApi, type DeviceHealthView } from '../api/site.js';
import { actionText, actorText, targetText } from '../lib/audit-words.js';
import { deviceLabel } from '../lib/words.js';
import { siteTime, useSite } from '../lib/site.js';
import { useI18n } from '../i18n/i18n.js';
import { ErrorText } from '../components/ErrorText.js';
import { PolicyEditor } from '../components/PolicyEditor.js';
import { TimeWindowsEditor } from '../components/TimeWindowsEditor.js';
import { PlatformSecretForm } from '../components/PlatformSecretForm.js';
import { VoiceTemplatesForm } from '../components/VoiceTemplatesForm.js';
import { CameraSettings } from '../components/CameraSettings.js';
import { AccountsPanel } from '../components/AccountsPanel.js';
import { shellBridge } from '../lib/shell.js';
import { useSession } from '../lib/session.js';

export function SettingsScreen() {
  const { t, lang, pick } = useI18n();
  const site = useSite();
  const [lanes, setLanes] = useState<Lane[]>([]);
  const [audit, setAudit] = useState<AuditEntry[]>([]);
  const [names, setNames] = useState<Map<number, string>>(new Map());
  const [error, setError] = useState<unknown>(null);
  const [backupMsg, setBackupMsg] = useState<string | null>(null);
  const [devices, setDevices] = useState<DeviceHealthView[]>([]);
  const [auditN, setAuditN] = useState(0);
  useEffect(() => {
    siteApi.devices().then(setDevices, () => {});
    coreApi.lanes().then(setLanes, setError);
    // Audit subjects are worker ids: their names make the trail readable.
    coreApi.workers({ limit: 200 }).then((ws) => setNames(new Map(ws.map((w) => [w.id, w.name]))), () => {});
  }, []);
  useEffect(() => {
    coreApi.audit().then((a) => setAudit(a.slice(0, 15)), setError);
  }, [auditN]);
  return (
    <div className="settings" data-testid="settings">
      <ErrorText error={error} />
      <AccountsPanel />
      <div className="grid2">
        <section className="card" data-testid="lanes-card">
          <h2>{t('settings.lanes')}</h2>
          <table className="list">
            <thead>
              <tr>
                <th>{t('settings.lane_name')}</th>
                <th>{t('settings.lane_direction')}</th>
                <th>{t('settings.lane_state')}</th>
                <th />
              </tr>
            </thead>
            <tbody>
              {lanes.map((l) => (
                <tr key={l.id} data-testid="lane-row">
                  <td>{l.name}</td>
                  <td>
                    {l.directionMode === 'in'
                      ? t('gate.in')
                      : l.directionMode === 'out'
                        ? t('gate.out')
                        : t('settings.both')}
                  </td>
                  <td>{l.enabled ? t('common.ok') : t('settings.disabled')}</td>
                  <td>
                    <a className="button secondary" href={`#/gate/${encodeURIComponent(l.id)}`}>
                      {t('settings.open_gate')}
                    </a>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          <p className="small">{t('settings.lanes_hint')}</p>
          <h3>{t('settings.devices')}</h3>
          <table className="list devices-table" data-testid="settings-devices">
            <thead>
              <tr>
                <th>{t('device.name')}</th>
                <th>{t('device.state_col')}</th>
                <th>{t('device.detail_col')}</th>
              </tr>
            </thead>
            <tbody>
              {devices.map((d) => (
                <tr key={d.deviceId} className={d.state === 'ok' ? 'ok' : 'bad'} data-testid="device-row">
                  <td>
                    <span className="dot" /> {deviceLabel(d, site.lanes.length ? site.lanes : lanes, t)}
                  </td>
                  <td>{t(`device.state.${d.state}`)}</td>
                  <td className="wrap">{d.reason ? pick(d.reason) : ''}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
      </div>
      <CameraSettings />
      <div className="grid2">
        <PolicyEditor onSaved={() => setAuditN((n) => n + 1)} />
        <section className="card" data-testid="platform-voice-card">
          <PlatformSecretForm />
          <VoiceTemplatesForm />
        </section>
      </div>
      <TimeWindowsEditor />
      <div className="grid2">
        <section className="card">
          <h2>{t('settings.backup')}</h2>
          <button
            type="button"
            className="secondary"
            onClick={() =>
              coreApi
                .backup()
                .then(
                  (r) => setBackupMsg(t('settings.backup_done', { file: r.file.split(/[\\/]/).pop() ?? '' })),
                  setError,
                )
            }
          >
            {t('settings.backup_now')}
          </button>
          {backupMsg && <p data-testid="backup-msg">{backupMsg}</p>}
          {shellBridge() && <ExitKiosk />}
        </section>
        <section className="card">
          <h2>{t('settings.audit')}</h2>
          <table className="list small" data-testid="audit-table">
            <thead>
              <tr>
                <th>{t('audit.when')}</th>
                <th>{t('audit.who')}</th>
                <th>{t('audit.what')}</th>
                <th>{t('audit.target')}</th>
              </tr>
            </thead>
            <tbody>
              {audit.map((a) => (
                <tr key={a.id} data-testid="audit-row">
                  <td>{siteTime(a.at, site.timeZone, lang, true)}</td>
                  <td data-testid="audit-actor">{actorText(a.actor, lang)}</td>
                  <td className="wrap">{actionText(a, lang)}</td>
                  <td>{targetText(a.target, { lang, workerName: (id) => names.get(id) ?? null })}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
      </div>
    </div>
  );
}

function ExitKiosk() {
  const { t } = useI18n();
  const { session } = useSession();
  const [pin, setPin] = useState('');
  const [msg, setMsg] = useState<string | null>(null);
  return (
    <div className="exit-kiosk">
      <h3>{t('settings.exit_kiosk')}</h3>
      <div className="inline">
        <input
          type="password"
          inputMode="numeric"
          value={pin}
          onChange={(e) => setPin(e.target.value.replace(/\D/g, ''))}
          placeholder={t('login.pin')}
        />
        <button
          type="button"
          className="danger"
          onClick={() =>
            void shellBridge()
              ?.exitKiosk(pin, session?.account?.id)
              .then((r) => setMsg(r.ok ? t('settings.exit_ok') : t('settings.exit_refused')))
          }
        >
          {t('settings.exit_kiosk')}
        </button>
      </div>
      {msg && <p>{msg}</p>}
    </div>
  );
}
