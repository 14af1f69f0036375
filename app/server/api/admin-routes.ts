// Admin: the audit log and an on-demand backup.
import type { FastifyInstance } from 'fastify';
import { StoreError } from '../../../edge-core/src/index.js';
import { ApiError } from './errors.js';
import { requireRole } from './request-guard.js';
import type { CoreServices } from '../services.js';
import { createBackup } from '../backup-service.js';
import type { Reply } from '../../shared/api/contract.js';

export function registerAdminRoutes(app: FastifyInstance, s: CoreServices): void {
  app.get('/api/audit', async (req): Promise<Reply<'GET /api/audit'>> => {
    requireRole(req, 'admin');
    return s.audit.list({ limit: 200 });
  });
  app.post('/api/admin/backup', { config: { rateLimit: 'expensive' } }, async (req): Promise<Reply<'POST /api/admin/backup'>> => {
    const actor = requireRole(req, 'admin');
    try {
      return { ok: true, file: await createBackup(s, actor) };
    } catch (err) {
      if (err instanceof StoreError && err.code === 'disk_full') throw new ApiError(507, 'backup.no_room');
      throw err;
    }
  });
}
