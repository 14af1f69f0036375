// Dashboard card: today's visitor passages (访客通行) with the visitor, host, lane and result;
// refreshed by the live passage events of visitor passes.
import { useCallback, useEffect, useState } from 'react';
import { visitorsApi, type VisitorPassageView } from '../api/visitors.js';
import { useI18n } from '../i18n/i18n.js';
import { useLiveEvents } from '../lib/live.js';

export function VisitorsTodayPanel() {
  const { t, pick, lang } = useI18n();
  const [rows, setRows] = useState<VisitorPassageView[] | null>(null);
  const load = useCallback(() => {
    visitorsApi.passagesToday().then(setRows, () => setRows([]));
  }, []);
  useEffect(load, [load]);
  useLiveEvents((e) => {
    if (e.type === 'passage' && e.visitorPassId !== undefined) load();
  });
  return (
    <section className="card" data-testid="visitors-today">
      <h2>{t('visitors.today')}</h2>
      {rows && rows.length === 0 && <p className="empty">{t('visitors.none_today')}</p>}
      <table className="list">
        <tbody>
          {(rows ?? []).slice(0, 20).map((r) => (
            <tr key={r.id} data-testid="visitor-passage-row">
              <td>{new Date(r.occurredAt).toLocaleTimeString(lang === 'zh' ? 'zh-CN' : 'en-GB')}</td>
              <td>{r.visitorName ?? t('visitors.unknown_code')}</td>
              <td>{r.host ?? ''}</td>
              <td>{r.laneId}</td>
              <td>{r.direction === 'in' ? t('gate.in') : t('gate.out')}</td>
              <td className={r.decision === 'pass' ? 'ok' : 'bad'}>{r.decision === 'pass' ? t('dash.pass') : r.reasons.map((x) => pick(x)).join('，')}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
