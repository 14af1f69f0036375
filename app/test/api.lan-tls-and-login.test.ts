// The LAN dashboard: served only over TLS, and from another machine the API answers only after
// a login. Uses this machine's own non-loopback address to be "another machine".
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { networkInterfaces, tmpdir } from 'node:os';
import { join } from 'node:path';
import https from 'node:https';
import http from 'node:http';
import { ConfigError, parseConfig } from '../server/config.js';
import { startTestCore, type TestCore } from './helpers.js';

function lanAddress(): string {
  for (const list of Object.values(networkInterfaces())) {
    for (const a of list ?? []) if (a.family === 'IPv4' && !a.internal) return a.address;
  }
  throw new Error('this test needs a non-loopback IPv4 address on the machine');
}

function request(mod: typeof https | typeof http, url: string, opts: { method?: string; body?: unknown; token?: string } = {}): Promise<{ status: number; json: unknown }> {
  return new Promise((resolve, reject) => {
    const body = opts.body === undefined ? undefined : JSON.stringify(opts.body);
    const req = mod.request(
      url,
      {
        method: opts.method ?? 'GET',
        rejectUnauthorized: false, // self-signed test certificate
        headers: { ...(body ? { 'content-type': 'application/json' } : {}), ...(opts.token ? { authorization: `Bearer ${opts.token}` } : {}) },
      } as https.RequestOptions,
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          let json: unknown = text;
          try {
            json = JSON.parse(text);
          } catch {
            // not JSON (the UI page)
          }
          resolve({ status: res.statusCode ?? 0, json });
        });
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

let dir: string;
let core: TestCore;
let base: string;
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'sitegate-lan-'));
  execFileSync('bash', ['build/make-lan-cert.sh', dir, lanAddress()], { stdio: 'pipe' });
  core = await startTestCore({ server: { port: 0, lan: { enabled: true, tlsCertFile: join(dir, 'lan-cert.pem'), tlsKeyFile: join(dir, 'lan-key.pem') } } });
  base = `https://${lanAddress()}:${core.port}`;
}, 60_000);
afterAll(async () => {
  await core?.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe('LAN dashboard: TLS and login', () => {
  it('refuses a LAN configuration without a certificate, naming the fix', () => {
    expect(() => parseConfig({ server: { lan: { enabled: true } } })).toThrow(ConfigError);
    expect(() => parseConfig({ server: { lan: { enabled: true } } })).toThrow(/HTTPS.*lan-cert/);
  });

  it('answers only TLS: a plain HTTP request to the port gets no page', async () => {
    const r = await request(http, `http://${lanAddress()}:${core.port}/api/lanes`).catch((e: Error) => ({ status: 0, json: e.message }));
    expect(r.status === 0 || r.status === 400).toBe(true);
  });

  it('from another machine, the API answers 401 before a login and 200 after, with the role enforced', async () => {
    expect((await request(https, `${base}/health`)).status).toBe(200);
    const anon = await request(https, `${base}/api/lanes`);
    expect(anon.status).toBe(401);
    expect(anon.json).toMatchObject({ error: { code: 'auth.required' } });
    // Kiosk routes that are open on this machine are closed from the LAN without a login.
    expect((await request(https, `${base}/api/lanes/lane-1/frames`, { method: 'POST' })).status).toBe(401);
    const login = await request(https, `${base}/api/session`, { method: 'POST', body: { role: 'supervisor', pin: '800000' } });
    expect(login.status).toBe(200);
    const token = (login.json as { token: string }).token;
    expect((await request(https, `${base}/api/lanes`, { token })).status).toBe(200);
    expect((await request(https, `${base}/api/dashboard/today`, { token })).status).toBe(200);
    expect((await request(https, `${base}/api/audit`, { token })).status).toBe(403);
  });
});
