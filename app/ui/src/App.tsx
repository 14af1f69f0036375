// First page: the appliance's status. The gate screen, enrollment wizard and dashboard
// replace it as they land (issue 6).
import { useEffect, useState } from 'react';
import type { HealthResponse } from '../../shared/api-types.js';

export function App() {
  const [health, setHealth] = useState<HealthResponse | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    const load = () =>
      fetch('/health')
        .then((r) => r.json() as Promise<HealthResponse>)
        .then((h) => {
          setHealth(h);
          setError(null);
        })
        .catch(() => setError('无法连接核心服务 Cannot reach the core service'));
    load();
    const t = setInterval(load, 2000);
    return () => clearInterval(t);
  }, []);
  return (
    <main className="status">
      <h1>SiteGate 工地实名制闸机</h1>
      {error && <p className="bad">{error}</p>}
      {health && (
        <>
          <p data-testid="status" className={health.status === 'ok' ? 'ok' : 'bad'}>
            {health.status === 'ok' ? '运行正常 Running' : '部分异常 Degraded'} · v{health.version} {health.demo ? '· 演示模式 Demo' : ''}
          </p>
          <ul>
            {Object.entries(health.components).map(([name, c]) => (
              <li key={name} className={c.ok ? 'ok' : 'bad'}>
                {name}: {c.ok ? '正常 OK' : `异常 ${c.detail ?? ''}`}
              </li>
            ))}
          </ul>
        </>
      )}
    </main>
  );
}
