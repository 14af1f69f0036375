// Settings → cameras: the cameras this PC can open and each lane's configured camera; choosing
// one gives the line for config.yaml (the file is the configuration; changing it needs a restart).
import { useEffect, useState } from 'react';
import type { Reply } from '../../../shared/api-types.js';
import { request } from '../api/http.js';
import { useI18n } from '../i18n/i18n.js';
import { cameraYaml, type CameraChoice } from '../lib/camera-config.js';
import { ErrorText } from './ErrorText.js';

type CamerasResponse = Reply<'GET /api/admin/cameras'>;

export function CameraSettings() {
  const { t } = useI18n();
  const [data, setData] = useState<CamerasResponse | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [choice, setChoice] = useState<Record<string, CameraChoice>>({});
  const [rtsp, setRtsp] = useState<Record<string, string>>({});
  const load = (): void => {
    setError(null);
    request<CamerasResponse>('GET', '/api/admin/cameras').then(setData, setError);
  };
  useEffect(load, []);
  return (
    <section className="card" data-testid="camera-settings">
      <h2>{t('settings.cameras')}</h2>
      <ErrorText error={error} />
      <h3>{t('settings.cameras_found')}</h3>
      {data && data.found.length === 0 && <p data-testid="cameras-none">{t('settings.cameras_none')}</p>}
      <ul data-testid="cameras-found">
        {data?.found.map((c) => (
          <li key={c.input}>
            {c.name} <code>{c.input}</code> ({c.format})
          </li>
        ))}
      </ul>
      <button type="button" className="secondary" onClick={load}>
        {t('settings.cameras_rescan')}
      </button>
      <table className="list">
        <thead>
          <tr>
            <th>{t('settings.lane_name')}</th>
            <th>{t('settings.camera_now')}</th>
            <th>{t('settings.camera_choose')}</th>
          </tr>
        </thead>
        <tbody>
          {data?.lanes.map((l) => {
            const c = choice[l.laneId];
            const line = c ? cameraYaml(c.kind === 'rtsp' ? { kind: 'rtsp', url: rtsp[l.laneId] ?? '' } : c) : null;
            return (
              <tr key={l.laneId} data-testid={`camera-lane-${l.laneId}`}>
                <td>{l.name}</td>
                <td>{l.camera.type === 'browser' ? t('settings.camera_browser') : <code>{l.camera.input}</code>}</td>
                <td>
                  <select
                    value={c ? (c.kind === 'device' ? c.camera.input : c.kind) : ''}
                    onChange={(e) => {
                      const v = e.target.value;
                      const found = data.found.find((f) => f.input === v);
                      setChoice({ ...choice, [l.laneId]: found ? { kind: 'device', camera: found } : v === 'rtsp' ? { kind: 'rtsp', url: '' } : { kind: 'browser' } });
                    }}
                  >
                    <option value="">{t('common.choose')}</option>
                    {data.found.map((f) => (
                      <option key={f.input} value={f.input}>
                        {f.name}
                      </option>
                    ))}
                    <option value="rtsp">{t('settings.camera_rtsp')}</option>
                    <option value="browser">{t('settings.camera_browser')}</option>
                  </select>
                  {c?.kind === 'rtsp' && (
                    <input placeholder="rtsp://user:password@192.168.1.64/Streaming/Channels/101" value={rtsp[l.laneId] ?? ''} onChange={(e) => setRtsp({ ...rtsp, [l.laneId]: e.target.value })} />
                  )}
                  {line && (
                    <p className="small">
                      {t('settings.camera_write', { file: data.configFile })} <code data-testid="camera-yaml">{line}</code>
                    </p>
                  )}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </section>
  );
}
