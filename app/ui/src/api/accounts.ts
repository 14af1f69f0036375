// Named accounts (app/server/api/account-routes.ts): the keypad's list of people (this machine
// only) and the admin's account management.
import type { Account, AccountCreateRequest, Reply, SignInChoice } from '../../../shared/api-types.js';
import { request } from './http.js';

export type { Account, SignInChoice };

const path = (id: number) => `/api/accounts/${encodeURIComponent(String(id))}`;

export const accountsApi = {
  /** The people the keypad offers; refused (lan.local_only) from another machine. */
  signInChoices: () => request<Reply<'GET /api/session/accounts'>>('GET', '/api/session/accounts', { anonymous: true }),
  list: () => request<Reply<'GET /api/accounts'>>('GET', '/api/accounts'),
  create: (body: AccountCreateRequest) => request<Reply<'POST /api/accounts'>>('POST', '/api/accounts', { body }),
  rename: (id: number, name: string) => request<Reply<'PATCH /api/accounts/:id'>>('PATCH', path(id), { body: { name } }),
  disable: (id: number) => request<Reply<'POST /api/accounts/:id/disable'>>('POST', `${path(id)}/disable`, { body: {} }),
  enable: (id: number) => request<Reply<'POST /api/accounts/:id/enable'>>('POST', `${path(id)}/enable`, { body: {} }),
  setPin: (id: number, pin: string) => request<Reply<'PUT /api/accounts/:id/pin'>>('PUT', `${path(id)}/pin`, { body: { pin } }),
};
