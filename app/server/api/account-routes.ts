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
} from '../../shared/api-types.js';
import { ApiError } from './errors.js';
import { parse, requireRole } from './request-guard.js';
import { sourceOf } from './request-guard.js';
import type { Sessions } from './sessions.js';
import type { CoreServices } from '../services.js';
import { isDemoPin } from '../demo-seed.js';
import type { Reply } from '../../shared/api/contract.js';

/** The names the older set-up body (and the first-run wizard) give the one account per role they create (to be renamed). */
export const ROLE_ACCOUNT_NAMES = { admin: '管理员', supervisor: '主管', clerk: '劳务员' } as const;

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

/** True while a non-demo core has no account yet: the kiosk shows the first-run wizard. */
export function isFirstRun(s: Pick<CoreServices, 'config' | 'accounts'>): boolean {
  return !s.config.demo && !s.accounts.any();
}

/**
 * The demo's PINs are published (README, start-up banner): outside the demo none of them may
 * become a PIN, and signing in with one is refused before any account is tried.
 */
export function refuseDemoPins(s: Pick<CoreServices, 'config'>, pins: readonly string[], status: 400 | 401 = 400): void {
  if (!s.config.demo && pins.some(isDemoPin)) throw new ApiError(status, 'auth.demo_pin');
}

/** Runs an account store call, its refusals as the API says them. */
export function attemptAccounts<T>(fn: () => T): T {
  try {
    return fn();
  } catch (err) {
    return accountError(err);
  }
}

export function registerAccountRoutes(app: FastifyInstance, s: CoreServices, sessions: Sessions): void {
  const accountId = (req: FastifyRequest): number => parse(accountParams, req.params).id;

  // --- first-run set-up -------------------------------------------------------------------
  app.get('/api/setup/status', async (): Promise<Reply<'GET /api/setup/status'>> => ({
    /** Per role: whether an enabled account has it (older clients read this). */
    pinsSet: { clerk: s.accounts.enabledOfRole('clerk').length > 0, supervisor: s.accounts.enabledOfRole('supervisor').length > 0, admin: s.accounts.enabledOfRole('admin').length > 0 },
    accountsSet: s.accounts.any(),
    project: s.project.get(),
    firstRun: isFirstRun(s),
    demo: s.config.demo,
  }));

  // On the appliance itself only, whatever the session or the path's spelling. Creates the
  // first accounts: named ones (`accounts`), or — the older body — one per role from its PIN.
  app.post('/api/setup/pins', { config: { access: 'local' } }, async (req): Promise<Reply<'POST /api/setup/pins'>> => {
    const body = parse(firstSetupRequest, req.body);
    if (s.accounts.any()) throw new ApiError(409, 'setup.already_done');
    const wanted = body.accounts ?? ROLES.map((role) => ({ name: ROLE_ACCOUNT_NAMES[role], role, pin: body[role] as string, shared: true })).reverse();
    refuseDemoPins(s, wanted.map((a) => a.pin));
    const created = attemptAccounts(() => s.accounts.create(wanted, 'setup'));
    return { ok: true, accounts: created.map((a) => ({ id: a.id, name: a.name, role: a.role })) };
  });

  // --- signing in and out -------------------------------------------------------------------
  // The people the keypad offers: this machine only (from the LAN the account number is typed).
  app.get('/api/session/accounts', { config: { access: 'local' } }, async (): Promise<Reply<'GET /api/session/accounts'>> =>
    s.accounts
      .list()
      .filter((a) => a.enabled)
      .map((a) => ({ id: a.id, name: a.name, role: a.role })),
  );

  app.post('/api/session', { config: { access: 'public', rateLimit: 'login' } }, async (req): Promise<Reply<'POST /api/session'>> => {
    const body = parse(loginRequest, req.body);
    // The demo's PINs are published: outside the demo they open nothing (not even a try).
    refuseDemoPins(s, [body.pin], 401);
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

  app.delete('/api/session', async (req): Promise<Reply<'DELETE /api/session'>> => {
    const header = req.headers.authorization;
    if (header?.startsWith('Bearer ')) sessions.revoke(header.slice(7));
    return { ok: true };
  });

  // --- accounts (admin) -----------------------------------------------------------------------
  app.get('/api/accounts', async (req): Promise<Reply<'GET /api/accounts'>> => {
    requireRole(req, 'admin');
    return s.accounts.list();
  });

  app.post('/api/accounts', async (req, reply): Promise<Reply<'POST /api/accounts'>> => {
    const actor = requireRole(req, 'admin');
    const body = parse(accountCreateRequest, req.body);
    refuseDemoPins(s, [body.pin]);
    const [created] = attemptAccounts(() => s.accounts.create([body], actor));
    reply.status(201);
    return created as Account;
  });

  app.patch('/api/accounts/:id', async (req): Promise<Reply<'PATCH /api/accounts/:id'>> => {
    const actor = requireRole(req, 'admin');
    const id = accountId(req);
    const body = parse(accountRenameRequest, req.body);
    return attemptAccounts(() => s.accounts.rename(id, body.name, actor));
  });

  app.post('/api/accounts/:id/disable', async (req): Promise<Reply<'POST /api/accounts/:id/disable'>> => {
    const actor = requireRole(req, 'admin');
    const id = accountId(req);
    parse(noBody, req.body);
    const account = attemptAccounts(() => s.accounts.setEnabled(id, false, actor));
    // Every session of the person ends, their live streams too (an admin disabling
    // themselves included).
    return { account, sessionsEnded: sessions.revokeAccount(id, null) };
  });

  app.post('/api/accounts/:id/enable', async (req): Promise<Reply<'POST /api/accounts/:id/enable'>> => {
    const actor = requireRole(req, 'admin');
    const id = accountId(req);
    parse(noBody, req.body);
    return { account: attemptAccounts(() => s.accounts.setEnabled(id, true, actor)) };
  });

  app.put('/api/accounts/:id/pin', async (req): Promise<Reply<'PUT /api/accounts/:id/pin'>> => {
    const actor = requireRole(req, 'admin');
    const id = accountId(req);
    const body = parse(accountPinRequest, req.body);
    refuseDemoPins(s, [body.pin]);
    const account = attemptAccounts(() => s.accounts.setPin(id, body.pin, actor));
    // Whoever knew the old PIN is signed out (an admin setting their own keeps this session).
    return { account, sessionsEnded: sessions.revokeAccount(id, req.sessionToken) };
  });

  // Older clients: a new PIN for "the" account of a role, while only one enabled account has it.
  app.put('/api/admin/pins', async (req): Promise<Reply<'PUT /api/admin/pins'>> => {
    const actor = requireRole(req, 'admin');
    const body = parse(setPinRequest, req.body);
    refuseDemoPins(s, [body.pin]);
    const holders = s.accounts.enabledOfRole(body.role);
    if (holders.length === 0) throw new ApiError(404, 'account.not_found');
    if (holders.length > 1) throw new ApiError(409, 'account.ambiguous');
    const id = (holders[0] as Account).id;
    attemptAccounts(() => s.accounts.setPin(id, body.pin, actor));
    return { ok: true, account: id, sessionsEnded: sessions.revokeAccount(id, req.sessionToken) };
  });
}
