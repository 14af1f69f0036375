// Remote management seen from the site: the admin's restart (the same supervised path as the
// platform's restart command) and what the platform changed (remote-config.json) with the
// outcomes still waiting for the next heartbeat.
import type { FastifyInstance } from 'fastify';
import type { CoreServices } from '../services.js';
import type { RemoteCommandService } from '../remote-commands.js';
import { readOverlay } from '../remote-params.js';
import { ApiError } from './errors.js';
import { requireRole } from './request-guard.js';
import type { Reply } from '../../shared/api/contract.js';

export function registerRemoteRoutes(app: FastifyInstance, _s: CoreServices, remote: RemoteCommandService): void {
  app.post('/api/admin/restart', async (req, reply): Promise<Reply<'POST /api/admin/restart'>> => {
    const actor = requireRole(req, 'admin');
    const r = remote.restartByAdmin(actor);
    if (!r.ok) throw new ApiError(409, 'admin.restart_unsupervised');
    reply.status(202);
    return r;
  });

  app.get('/api/admin/remote', async (req): Promise<Reply<'GET /api/admin/remote'>> => {
    requireRole(req, 'admin');
    let overlay: Record<string, unknown> = {};
    try {
      overlay = readOverlay(remote.dataDirectory);
    } catch {
      overlay = {};
    }
    return { supervised: remote.restartHandler !== null, remoteParameters: overlay, pendingAcks: remote.ackStore.load() };
  });
}
