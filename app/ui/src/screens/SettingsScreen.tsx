// Settings (admin): accounts (each person's own PIN), lanes, the gate policy's essentials, the platform appsecret
// (write-only), the voice texts, backup, the audit trail and — inside the Electron shell —
// leaving kiosk mode (the shell checks the admin PIN with the core again).
import { useEffect, useState } from 'react';
import { coreApi, type Lane, type AuditEntry, type DeviceHealth } from '../api/core.js';
import { useI18n } from '../i18n/i18n.js';
import { ErrorText } from '../components/ErrorText.js';
import { PolicyEditor } from '../components/PolicyEditor.js';
import { TimeWindowsEditor } from '../components/TimeWindowsEditor.js';
import { PlatformSecretForm } from '../components/PlatformSecretForm.js';
import { VoiceTemplatesForm } from '../components/VoiceTemplatesForm.js';
import { AccountsPanel } from '../components/AccountsPanel.js';
import { shellBridge } from '../lib/shell.js';
import { actorLabel } from '../lib/audit-actor.js';
import { useSession } from '../lib/session.js';

export function SettingsScreen() {
  const { t, lang, pick } = useI18n();
  const [lanes, setLanes] = useState<Lane[]>([]);
  const [audit, setAudit] = useState<AuditEntry[]>([]);
  const [error, setError] = useState<unknown>(null);
  const [backupMsg, setBackupMsg] = useState<string | null>(null);
  const [devices, setDevices] = useState<DeviceHealth[]>([]);
  useEffect(() => {
    coreApi.devices().then(setDevices, () => {});
    coreApi.lanes().then(setLanes, setError);
    coreApi.audit().then((a) => setAudit(a.slice(0, 15)), setError);
  }, []);
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
                <th>ID</th>
                <th>{t('settings.lane_name')}</th>
                <th>{t('settings.lane_direction')}</th>
                <th>{t('settings.lane_state')}</th>
                <th />
              </tr>
            </thead>
            <tbody>
              {lanes.map((l) => (
                <tr key={l.id}>
                  <td>{l.id}</td>
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
                    <a href={`#/gate/${encodeURIComponent(l.id)}`}>{t('settings.open_gate')}</a>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          <p className="small">{t('settings.lanes_hint')}</p>
          <h3>{t('settings.devices')}</h3>
          <ul className="devices" data-testid="settings-devices">
            {devices.map((d) => (
              <li key={d.deviceId} className={d.state === 'ok' ? 'ok' : 'bad'}>
                <span className="dot" /> {d.deviceId} ({t(`device.kind.${d.kind}`)}): {t(`device.state.${d.state}`)}
                {d.reason ? ` — ${pick(d.reason)}` : ''}
              </li>
            ))}
          </ul>
        </section>
      </div>
      <div className="grid2">
        <PolicyEditor />
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
          <table className="list small">
            <tbody>
              {audit.map((a) => (
                <tr key={a.id}>
                  <td>{new Date(a.at).toLocaleString(lang === 'zh' ? 'zh-CN' : 'en-GB')}</td>
                  <td data-testid="audit-actor">{actorLabel(a.actor, t)}</td>
                  <td>{a.action}</td>
                  <td>{a.target ?? ''}</td>
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
