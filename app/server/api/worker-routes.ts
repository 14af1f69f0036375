// The worker register: list, one worker (masked numbers only), create, edit the assignment,
// change the status. Every change wakes the sync (a `worker.saved` event).
import type { FastifyInstance } from 'fastify';
import type { WorkerRecord } from '../../../edge-core/src/index.js';
import { workerListQuery, workerPatchRequest, workerRequest, workerStatusRequest } from '../../shared/api-types.js';
import { ApiError } from './errors.js';
import { idParam, parse, requireRole } from './request-guard.js';
import type { CoreServices } from '../services.js';
import { requireKnownRefs, requireManagementRoleFits, requireValidIdNumber } from '../worker-rules.js';
import type { Reply } from '../../shared/api/contract.js';

/** What screens get of a worker: masked numbers only. */
function workerView(w: WorkerRecord) {
  const { idNumber: _id, bankCard: _bank, ...rest } = w;
  return { ...rest, bankCardMasked: w.bankCard ? `****${w.bankCard.slice(-4)}` : null };
}

export function registerWorkerRoutes(app: FastifyInstance, s: CoreServices): void {
  app.get('/api/workers', async (req): Promise<Reply<'GET /api/workers'>> => {
    requireRole(req, 'clerk');
    const q = parse(workerListQuery, req.query);
    return s.workers.list(q);
  });
  app.get('/api/workers/:id', async (req): Promise<Reply<'GET /api/workers/:id'>> => {
    requireRole(req, 'clerk');
    const w = s.workers.get(idParam(req.params));
    if (!w) throw new ApiError(404, 'worker.not_found');
    return workerView(w);
  });
  app.post('/api/workers', async (req, reply): Promise<Reply<'POST /api/workers'>> => {
    const actor = requireRole(req, 'clerk');
    const body = parse(workerRequest, req.body);
    requireManagementRoleFits(body.role, body.managementRole);
    requireKnownRefs(s, body);
    requireValidIdNumber(body, '');
    const w = s.workers.create({ ...body, source: 'local' }, actor);
    s.events.publish({ type: 'worker.saved', workerId: w.id, at: s.clock.now() });
    reply.status(201);
    return { id: w.id, name: w.name, idNumberMasked: w.idNumberMasked };
  });
  app.patch('/api/workers/:id', async (req): Promise<Reply<'PATCH /api/workers/:id'>> => {
    const actor = requireRole(req, 'clerk');
    const id = idParam(req.params);
    const body = parse(workerPatchRequest, req.body);
    const current = s.workers.get(id);
    if (!current) throw new ApiError(404, 'worker.not_found');
    requireManagementRoleFits(body.role ?? current.role, body.managementRole !== undefined ? body.managementRole : current.managementRole);
    requireKnownRefs(s, body);
    const saved = workerView(s.workers.updateAssignment(id, body, actor));
    // The edit is queued for the platform with the change: wake the sync.
    s.events.publish({ type: 'worker.saved', workerId: id, at: s.clock.now() });
    return saved;
  });
  app.post('/api/workers/:id/status', async (req): Promise<Reply<'POST /api/workers/:id/status'>> => {
    const actor = requireRole(req, 'clerk');
    const body = parse(workerStatusRequest, req.body);
    const id = idParam(req.params);
    if (!s.workers.get(id)) throw new ApiError(404, 'worker.not_found');
    s.workers.setStatus(id, body.status, actor, body.reason);
    // A departure or re-entry is queued for the platform with the change: wake the sync.
    s.events.publish({ type: 'worker.saved', workerId: id, at: s.clock.now() });
    return { ok: true };
  });
}
