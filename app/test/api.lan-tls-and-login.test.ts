// The LAN dashboard: served only over TLS, and from another machine the API answers only after
// a login. Uses this machine's own non-loopback address to be "another machine".
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError, parseConfig } from '../server/config.js';
import type { TestCore } from './helpers.js';
import { lanAddress, raw, startLanCore } from './attack/net.js';

function request(tls: boolean, path: string, opts: { method?: string; body?: unknown; token?: string } = {}) {
  return raw({ tls, host: lanAddress(), port: core.port, path, ...opts });
}

let core: TestCore;
beforeAll(async () => {
  core = await startLanCore();
}, 60_000);
afterAll(async () => {
  await core?.stop();
});

describe('LAN dashboard: TLS and login', () => {
  it('refuses a LAN configuration without a certificate, naming the fix', () => {
    expect(() => parseConfig({ server: { lan: { enabled: true } } })).toThrow(ConfigError);
    expect(() => parseConfig({ server: { lan: { enabled: true } } })).toThrow(/HTTPS.*lan-cert/);
  });

  it('answers only TLS: a plain HTTP request to the port gets no page', async () => {
    const r = await request(false, '/api/lanes').catch((e: Error) => ({ status: 0, json: e.message }));
    expect(r.status === 0 || r.status === 400).toBe(true);
  });

  it('from another machine, the API answers 401 before a login and 200 after, with the role enforced', async () => {
    expect((await request(true, '/health')).status).toBe(200);
    const anon = await request(true, '/api/lanes');
    expect(anon.status).toBe(401);
    expect(anon.json).toMatchObject({ error: { code: 'auth.required' } });
    // Kiosk routes that are open on this machine are closed from the LAN without a login.
    expect((await request(true, '/api/lanes/lane-1/frames', { method: 'POST' })).status).toBe(401);
    const login = await request(true, '/api/session', { method: 'POST', body: { role: 'supervisor', pin: '800000' } });
    expect(login.status).toBe(200);
    const token = (login.json as { token: string }).token;
    expect((await request(true, '/api/lanes', { token })).status).toBe(200);
    expect((await request(true, '/api/dashboard/today', { token })).status).toBe(200);
    expect((await request(true, '/api/audit', { token })).status).toBe(403);
  });
});
