// Leaving kiosk mode: the admin PIN is checked by a real core (POST /api/session) and the
// session made for the check is revoked at once; other PINs, other roles and a core that is
// down all keep the kiosk locked. Also the shell's wait for the core's /health.
import { describe, expect, it, beforeAll, afterAll } from 'vitest';
import { verifyAdminPin } from '../../main/admin-exit.js';
import { waitForHealth } from '../../main/core-ready.js';
import { startTestCore, api, type TestCore } from '../helpers.js';

let core: TestCore;
beforeAll(async () => {
  core = await startTestCore();
});
afterAll(async () => {
  await core?.stop();
});

describe('leaving kiosk mode needs the admin PIN', () => {
  it('accepts the admin PIN and revokes the session it created', async () => {
    let token: string | null = null;
    const spy: typeof fetch = async (input, init) => {
      const r = await fetch(input, init);
      if (init?.method === 'POST') token = ((await r.clone().json()) as { token?: string }).token ?? null;
      return r;
    };
    expect(await verifyAdminPin(core.url, '900000', spy)).toEqual({ ok: true });
    expect(token).not.toBeNull();
    const after = await api(core, 'GET', '/api/audit', undefined, token ?? '');
    expect(after.status).toBe(401);
  });

  it('refuses a wrong PIN, the clerk PIN and a non-numeric PIN', async () => {
    expect(await verifyAdminPin(core.url, '123987')).toEqual({ ok: false, code: 'auth.wrong_pin' });
    expect(await verifyAdminPin(core.url, '700000')).toEqual({ ok: false, code: 'auth.wrong_pin' });
    expect(await verifyAdminPin(core.url, '90 0000')).toEqual({ ok: false, code: 'auth.wrong_pin' });
  });

  it("with named accounts: the signed-in admin's own account and PIN; a clerk's account never", async () => {
    expect(await verifyAdminPin(core.url, '900000', fetch, 1)).toEqual({ ok: true });
    // The clerk's right PIN for the clerk's account: not an admin, and the session the check made is ended.
    let token: string | null = null;
    const spy: typeof fetch = async (input, init) => {
      const r = await fetch(input, init);
      if (init?.method === 'POST') token = ((await r.clone().json()) as { token?: string }).token ?? null;
      return r;
    };
    expect(await verifyAdminPin(core.url, '700000', spy, 3)).toEqual({ ok: false, code: 'auth.forbidden' });
    expect(token).not.toBeNull();
    expect((await api(core, 'GET', '/api/employers', undefined, token ?? '')).status).toBe(401);
    expect(await verifyAdminPin(core.url, '900000', fetch, 2)).toEqual({ ok: false, code: 'auth.wrong_pin' });
    expect(await verifyAdminPin(core.url, '900000', fetch, 0)).toEqual({ ok: false, code: 'auth.no_account' });
  });

  it('stays locked when the core cannot be reached', async () => {
    expect(await verifyAdminPin('http://127.0.0.1:9', '900000')).toEqual({
      ok: false,
      code: 'network.unreachable',
    });
  });
});

describe('waiting for the core', () => {
  it('returns the health status once the core answers', async () => {
    expect(await waitForHealth(core.url, { timeoutMs: 5000 })).toEqual({
      ok: true,
      status: expect.any(String),
    });
  });

  it('gives up after the timeout when nothing listens (simulated clock)', async () => {
    let t = 0;
    const r = await waitForHealth('http://127.0.0.1:9', {
      timeoutMs: 1000,
      now: () => t,
      sleep: async (ms) => void (t += ms),
    });
    expect(r).toEqual({ ok: false, reason: 'timeout' });
    expect(t).toBeGreaterThanOrEqual(1000);
  });
});
