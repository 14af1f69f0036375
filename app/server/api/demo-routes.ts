// What the demo tells a newcomer on screen: its PINs (published in the README and on the
// console anyway), the synthetic ID cards the clerk can place on the simulated reader from the
// enrollment screen, and whether the gate refuses a missing helmet. Demo mode only.
import type { FastifyInstance } from 'fastify';
import { maskIdNumber } from '../../../edge-core/src/index.js';
import { simulatedCardDeck } from '../../../drivers/src/index.js';
import { demoPassageRequest, type DemoInfoResponse } from '../../shared/api-types.js';
import type { CoreServices } from '../services.js';
import type { DevicesService } from '../devices-service.js';
import type { GateService } from '../gate-service.js';
import { DEMO_PINS } from '../demo-seed.js';
import { ApiError } from './errors.js';
import { parse, requireRole } from './request-guard.js';
import { recordDemoPassage } from '../passage.js';
import type { Reply } from '../../shared/api/contract.js';

/** The deck's cards the picker offers: every card a reader reads (the malformed ones are test-only). */
export function demoCards(): DemoInfoResponse['cards'] {
  return simulatedCardDeck.map((c) => ({
    key: c.key,
    label: c.label ?? c.key,
    name: c.identity.name,
    idNumberMasked: maskIdNumber(c.identity.idNumber),
  }));
}

export function registerDemoRoutes(app: FastifyInstance, s: CoreServices, devices: DevicesService, gate: GateService): void {
  app.get('/api/demo/info', async (): Promise<Reply<'GET /api/demo/info'>> => {
    if (!s.config.demo) throw new ApiError(404, 'demo.only');
    return {
      pins: { ...DEMO_PINS },
      cards: devices.simulators ? demoCards() : [],
      placed: devices.simulators?.idCardReader.placed?.key ?? null,
      helmet: gate.policy().helmet.action,
    };
  });

  // A simulated passage (the face pipeline drives this in production).
  app.post('/api/demo/passage', async (req): Promise<Reply<'POST /api/demo/passage'>> => {
    if (!s.config.demo) throw new ApiError(404, 'demo.only');
    requireRole(req, 'clerk');
    const body = parse(demoPassageRequest, req.body);
    if (body.workerId !== null && !s.workers.get(body.workerId)) throw new ApiError(404, 'worker.not_found');
    return recordDemoPassage(s, body);
  });
}
