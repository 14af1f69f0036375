// Named accounts (app/server/api/account-routes.ts): the keypad's list of people (this machine
// only) and the admin's account management.
import type { AccountCreateRequest, SignInChoice } from '../../../shared/api-types.js';
import type { Account } from '../../../../edge-core/src/store/accounts-repo.js';
import { request } from './http.js';

export type { Account, SignInChoice };

const path = (id: number) => `/api/accounts/${encodeURIComponent(String(id))}`;

export const accountsApi = {
  /** The people the keypad offers; refused (lan.local_only) from another machine. */
  signInChoices: () => request<SignInChoice[]>('GET', '/api/session/accounts', { anonymous: true }),
  list: () => request<Account[]>('GET', '/api/accounts'),
  create: (body: AccountCreateRequest) => request<Account>('POST', '/api/accounts', { body }),
  rename: (id: number, name: string) => request<Account>('PATCH', path(id), { body: { name } }),
  disable: (id: number) => request<{ account: Account; sessionsEnded: number }>('POST', `${path(id)}/disable`, { body: {} }),
  enable: (id: number) => request<{ account: Account }>('POST', `${path(id)}/enable`, { body: {} }),
  setPin: (id: number, pin: string) => request<{ account: Account; sessionsEnded: number }>('PUT', `${path(id)}/pin`, { body: { pin } }),
};
