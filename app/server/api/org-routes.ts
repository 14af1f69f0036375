// Employers (参建单位) and their teams (班组): listed for the clerk, created with the register's rules.
import type { FastifyInstance } from 'fastify';
import { employerRequest, teamRequest } from '../../shared/api-types.js';
import { parse, requireRole } from './request-guard.js';
import type { CoreServices } from '../services.js';
import { requireNewEmployer, requireNewTeam } from '../worker-rules.js';
import type { Reply } from '../../shared/api/contract.js';

export function registerOrgRoutes(app: FastifyInstance, s: CoreServices): void {
  app.get('/api/employers', async (req): Promise<Reply<'GET /api/employers'>> => {
    requireRole(req, 'clerk');
    return s.workers.listEmployers();
  });
  app.post('/api/employers', async (req, reply): Promise<Reply<'POST /api/employers'>> => {
    const actor = requireRole(req, 'clerk');
    const body = parse(employerRequest, req.body);
    requireNewEmployer(s, body.creditCode);
    reply.status(201);
    return s.workers.createEmployer(body, actor);
  });
  app.get('/api/teams', async (req): Promise<Reply<'GET /api/teams'>> => {
    requireRole(req, 'clerk');
    return s.workers.listTeams();
  });
  app.post('/api/teams', async (req, reply): Promise<Reply<'POST /api/teams'>> => {
    const actor = requireRole(req, 'clerk');
    const body = parse(teamRequest, req.body);
    requireNewTeam(s, body);
    reply.status(201);
    return s.workers.createTeam(body, actor);
  });
}
