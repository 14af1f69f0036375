// GET /health: the core's components as the kiosk and the supervisor see them (no login).
import type { FastifyInstance } from 'fastify';
import type { CoreServices } from '../services.js';
import type { Reply } from '../../shared/api/contract.js';

export function registerHealthRoutes(app: FastifyInstance, s: CoreServices): void {
  app.get('/health', async (): Promise<Reply<'GET /health'>> => {
    let storeOk = true;
    let detail: string | undefined;
    try {
      s.store.db.prepare('SELECT 1').get();
    } catch (err) {
      storeOk = false;
      detail = (err as Error).message;
    }
    s.health.set('store', storeOk ? { ok: true } : { ok: false, detail: detail ?? 'unavailable' });
    return {
      status: s.health.allOk() ? 'ok' : 'degraded',
      version: s.version,
      demo: s.config.demo,
      uptimeS: Math.round((s.clock.now() - s.startedAt) / 1000),
      components: s.health.snapshot(),
    };
  });
}
