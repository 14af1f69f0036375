// Visitor passes (app/server/api/visitor-routes.ts): issue, list, revoke (clerk); today's
// visitor passages (supervisor); the card on the reader for the optional ID read.
import type { z } from 'zod';
import type { Reply, visitorPassRequest } from '../../../shared/api-types.js';
import { request } from './http.js';

export type { VisitorPassageView, VisitorPassView } from '../../../shared/api-types.js';

/** The POST body (the request schema's input type). */
export type VisitorPassBody = z.input<typeof visitorPassRequest>;

export const visitorsApi = {
  issue: (body: VisitorPassBody) => request<Reply<'POST /api/visitor-passes'>>('POST', '/api/visitor-passes', { body }),
  list: (state: 'active' | 'all') => request<Reply<'GET /api/visitor-passes'>>('GET', '/api/visitor-passes', { query: { state } }),
  revoke: (id: string, reason: string) => request<Reply<'POST /api/visitor-passes/:id/revoke'>>('POST', `/api/visitor-passes/${encodeURIComponent(id)}/revoke`, { body: { reason } }),
  passagesToday: () => request<Reply<'GET /api/visitor-passages'>>('GET', '/api/visitor-passages'),
  card: () => request<Reply<'GET /api/enrollment/card'>>('GET', '/api/enrollment/card'),
};
