// Visitor passes (app/server/api/visitor-routes.ts): issue, list, revoke (clerk); today's
// visitor passages (supervisor); the card on the reader for the optional ID read.
import type { VisitorPassageView, VisitorPassView } from '../../../shared/api-types.js';
import { request } from './http.js';

export type { VisitorPassageView, VisitorPassView } from '../../../shared/api-types.js';

export interface VisitorPassBody {
  name: string;
  host: string;
  purpose: string;
  phone?: string | null;
  validFrom: number;
  validTo: number;
  maxEntries?: number | null;
  escortRequired?: boolean;
  readId?: string | null;
}

export const visitorsApi = {
  issue: (body: VisitorPassBody) => request<VisitorPassView>('POST', '/api/visitor-passes', { body }),
  list: (state: 'active' | 'all') => request<VisitorPassView[]>('GET', '/api/visitor-passes', { query: { state } }),
  revoke: (id: string, reason: string) => request<VisitorPassView>('POST', `/api/visitor-passes/${encodeURIComponent(id)}/revoke`, { body: { reason } }),
  passagesToday: () => request<VisitorPassageView[]>('GET', '/api/visitor-passages'),
  card: () => request<{ card: { readId: string; name: string; idNumberMasked: string } | null; readerPresent: boolean }>('GET', '/api/enrollment/card'),
};
