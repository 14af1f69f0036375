// Named accounts and signing in (issue 15 item 3): the first-run set-up, sign-in by account
// number and PIN, sign-out, the keypad's list of people, and the admin's account management
// (create, rename, disable, enable, new PIN). Every account change is audited by the store,
// naming the admin who made it; a new PIN or a disabled account ends that person's sessions.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { AccountError, ROLES, type Account } from '../../../edge-core/src/index.js';
import {
  accountCreateRequest,
  accountPinRequest,
  accountRenameRequest,
  firstSetupRequest,
  loginRequest,
  setPinRequest,
  type SessionResponse,
  type SignInChoice,
} from '../../shared/api-types.js';
import { ApiError } from './errors.js';
import { parse, requireRole } from './server.js';
import { sourceOf } from './request-guard.js';
import type { Sessions } from './sessions.js';
import type { CoreServices } from '../services.js';

/** The names the older set-up body gives the one account per role it creates (to be renamed). */
const ROLE_ACCOUNT_NAMES = { admin: '管理员', supervisor: '主管', clerk: '劳务员' } as const;

const accountParams = z.strictObject({ id: z.string().regex(/^\d{1,6}$/, 'an account number').transform(Number) });
const noBody = z.strictObject({});

/** An account store refusal as the API says it. */
function accountError(err: unknown): never {
  if (!(err instanceof AccountError)) throw err;
  switch (err.code) {
    case 'pin.weak':
      throw new ApiError(400, 'pin.weak');
    case 'account.name_invalid':
      throw new ApiError(400, 'account.name_invalid', [{ path: 'name', message: err.message }]);
    case 'account.name_taken':
      throw new ApiError(409, 'account.name_taken', [{ path: 'name', message: err.message }]);
    case 'account.not_found':
      throw new ApiError(404, 'account.not_found');
    case 'account.last_admin':
      throw new ApiError(409, 'account.last_admin');
  }
}

function attempt<T>(fn: () => T): T {
  try {
    return fn();
  } catch (err) {
    return accountError(err);
  }
}

export function registerAccountRoutes(app: FastifyInstance, s: CoreServices, sessions: Sessions): void {
  const accountId = (req: FastifyRequest): number => parse(accountParams, req.params).id;

  // --- first-run set-up -------------------------------------------------------------------
  app.get('/api/setup/status', async () => ({
    /** Per role: whether an enabled account has it (older clients read this). */
    pinsSet: Object.fromEntries(ROLES.map((r) => [r, s.accounts.enabledOfRole(r).length > 0])),
    accountsSet: s.accounts.any(),
    project: s.project.get(),
  }));

  // On the appliance itself only, whatever the session or the path's spelling. Creates the
  // first accounts: named ones (`accounts`), or — the older body — one per role from its PIN.
  app.post('/api/setup/pins', { config: { access: 'local' } }, async (req) => {
    const body = parse(firstSetupRequest, req.body);
    if (s.accounts.any()) throw new ApiError(409, 'setup.already_done');
    const wanted = body.accounts ?? ROLES.map((role) => ({ name: ROLE_ACCOUNT_NAMES[role], role, pin: body[role] as string, shared: true })).reverse();
    const created = attempt(() => s.accounts.create(wanted, 'setup'));
    return { ok: true, accounts: created.map((a) => ({ id: a.id, name: a.name, role: a.role })) };
  });

  // --- signing in and out -------------------------------------------------------------------
  // The people the keypad offers: this machine only (from the LAN the account number is typed).
  app.get('/api/session/accounts', { config: { access: 'local' } }, async (): Promise<SignInChoice[]> =>
    s.accounts
      .list()
      .filter((a) => a.enabled)
      .map((a) => ({ id: a.id, name: a.name, role: a.role })),
  );

  app.post('/api/session', { config: { access: 'public', rateLimit: 'login' } }, async (req): Promise<SessionResponse> => {
    const body = parse(loginRequest, req.body);
    const target = body.account !== undefined ? { account: body.account } : { role: body.role ?? 'clerk' };
    // Counted per account and per source: wrong PINs from a LAN address lock that address out
    // of that account, not the person at the kiosk.
    const outcome = s.pins.login(target, body.pin, sourceOf(req));
    if (!outcome.ok) {
      switch (outcome.reason) {
        case 'locked':
          throw new ApiError(429, 'auth.locked', { lockedUntil: outcome.lockedUntil });
        case 'wrong_pin':
          throw new ApiError(401, 'auth.wrong_pin', { attemptsLeft: outcome.attemptsLeft });
        case 'no_account':
          throw new ApiError(401, 'auth.no_account');
        case 'disabled':
          throw new ApiError(403, 'auth.disabled');
        case 'not_set':
          throw new ApiError(401, 'auth.not_set');
        case 'account_required':
          throw new ApiError(409, 'auth.account_required');
      }
    }
    const { token, session } = sessions.create(outcome.account);
    return { token, role: outcome.account.role, expiresAt: session.expiresAt, account: { id: outcome.account.id, name: outcome.account.name } };
  });

  app.delete('/api/session', async (req) => {
    const header = req.headers.authorization;
    if (header?.startsWith('Bearer ')) sessions.revoke(header.slice(7));
    return { ok: true };
  });

  // --- accounts (admin) -----------------------------------------------------------------------
  app.get('/api/accounts', async (req): Promise<Account[]> => {
    requireRole(req, 'admin');
    return s.accounts.list();
  });

  app.post('/api/accounts', async (req, reply): Promise<Account> => {
    const actor = requireRole(req, 'admin');
    const body = parse(accountCreateRequest, req.body);
    const [created] = attempt(() => s.accounts.create([body], actor));
    reply.status(201);
    return created as Account;
  });

  app.patch('/api/accounts/:id', async (req): Promise<Account> => {
    const actor = requireRole(req, 'admin');
    const id = accountId(req);
    const body = parse(accountRenameRequest, req.body);
    return attempt(() => s.accounts.rename(id, body.name, actor));
  });

  app.post('/api/accounts/:id/disable', async (req) => {
    const actor = requireRole(req, 'admin');
    const id = accountId(req);
    parse(noBody, req.body);
    const account = attempt(() => s.accounts.setEnabled(id, false, actor));
    // Every session of the person ends, their live streams too (an admin disabling
    // themselves included).
    return { account, sessionsEnded: sessions.revokeAccount(id, null) };
  });

  app.post('/api/accounts/:id/enable', async (req) => {
    const actor = requireRole(req, 'admin');
    const id = accountId(req);
    parse(noBody, req.body);
    return { account: attempt(() => s.accounts.setEnabled(id, true, actor)) };
  });

  app.put('/api/accounts/:id/pin', async (req) => {
    const actor = requireRole(req, 'admin');
    const id = accountId(req);
    const body = parse(accountPinRequest, req.body);
    const account = attempt(() => s.accounts.setPin(id, body.pin, actor));
    // Whoever knew the old PIN is signed out (an admin setting their own keeps this session).
    return { account, sessionsEnded: sessions.revokeAccount(id, req.sessionToken) };
  });

  // Older clients: a new PIN for "the" account of a role, while only one enabled account has it.
  app.put('/api/admin/pins', async (req) => {
    const actor = requireRole(req, 'admin');
    const body = parse(setPinRequest, req.body);
    const holders = s.accounts.enabledOfRole(body.role);
    if (holders.length === 0) throw new ApiError(404, 'account.not_found');
    if (holders.length > 1) throw new ApiError(409, 'account.ambiguous');
    const id = (holders[0] as Account).id;
    attempt(() => s.accounts.setPin(id, body.pin, actor));
    return { ok: true, account: id, sessionsEnded: sessions.revokeAccount(id, req.sessionToken) };
  });
}
