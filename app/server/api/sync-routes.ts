// Sync status for supervisors (backlog, oldest unsent, last success, last error in plain words
// with the platform's reason, backlog history), retry now, parked records; the appsecret (admin).
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { CoreServices } from '../services.js';
import { APPSECRET_KEY, type SyncService } from '../sync-service.js';
import { parse, requireRole } from './request-guard.js';
import type { Reply } from '../../shared/api/contract.js';

export function registerSyncRoutes(app: FastifyInstance, s: CoreServices, sync: SyncService): void {
  app.get('/api/sync/status', async (req): Promise<Reply<'GET /api/sync/status'>> => {
    requireRole(req, 'supervisor');
    return sync.overview();
  });

  app.post('/api/sync/retry', async (req, reply): Promise<Reply<'POST /api/sync/retry'>> => {
    const actor = requireRole(req, 'supervisor');
    const requeued = sync.retry(actor);
    reply.status(202);
    return { ok: true, requeued };
  });

  app.get('/api/sync/parked', async (req): Promise<Reply<'GET /api/sync/parked'>> => {
    requireRole(req, 'supervisor');
    return sync.outbox.parked(200).map((i) => ({ id: i.id, kind: i.kind, refId: i.refId, reason: i.parkedReason, createdAt: i.createdAt, attempts: i.attempts }));
  });

  // The secret is write-only: it is stored encrypted and never returned or logged.
  app.put('/api/admin/platform-secret', async (req): Promise<Reply<'PUT /api/admin/platform-secret'>> => {
    const actor = requireRole(req, 'admin');
    const body = parse(z.strictObject({ appsecret: z.string().min(8).max(128) }), req.body);
    s.store.tx(() => {
      s.settings.setSecret(APPSECRET_KEY, body.appsecret);
      s.audit.append(actor, 'platform.secret.set', null, {});
    });
    // Applied at once: the platform link starts again with the new secret (no core restart).
    try {
      await sync.reload();
    } catch (err) {
      s.logger.error({ err }, 'platform link did not restart after the appsecret change');
      s.health.set('platform', { ok: false, detail: `平台连接未能以新密钥启动，请核对密钥 — ${(err as Error).message}` });
    }
    return { ok: true, restartNeeded: false, applied: sync.client !== null };
  });
}
