// Transport edges with real servers: a TLS certificate the device does not trust, a private
// CA configured, and the simulator's own rate limiter answering -5.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPlatformClient } from '../src/platform/client.js';
import { PlatformError } from '../src/platform/errors.js';
import { startSimFixture } from './support/sim-setup.js';
import { TEST_SECRET } from './support/fake-ids.js';

let server: https.Server;
let url: string;
let cert: Buffer;

beforeAll(async () => {
  const dir = mkdtempSync(join(tmpdir(), 'sitegate-tls-'));
  execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem'), '-days', '1', '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1'], { stdio: 'ignore' });
  cert = readFileSync(join(dir, 'cert.pem'));
  server = https.createServer({ key: readFileSync(join(dir, 'key.pem')), cert }, (req, res) => {
    req.resume();
    req.on('end', () => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ code: 0, message: 'ok', data: { rows: [], totalCount: 0 } }));
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  url = `https://127.0.0.1:${(server.address() as AddressInfo).port}/api`;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));

const base = { appid: 'a', appsecret: TEST_SECRET, projectCode: 'P', timeoutMs: 3000 };

describe('transport edges', () => {
  it('an untrusted certificate is a TLS error in plain words, not a delivery', async () => {
    const c = createPlatformClient({ ...base, endpoint: url });
    const e = await c.queryTeams(0).then(
      () => null,
      (err: unknown) => err,
    );
    c.close();
    expect(e).toBeInstanceOf(PlatformError);
    expect((e as PlatformError).kind).toBe('tls');
    expect((e as PlatformError).delivery).toBe('not_sent');
    expect((e as PlatformError).userMessage.zh).toContain('证书');
  });

  it('works with the private CA configured', async () => {
    const c = createPlatformClient({ ...base, endpoint: url, ca: cert });
    expect((await c.queryTeams(0)).rows).toEqual([]);
    c.close();
  });

  it('the simulator rate limiter answers -5 beyond its burst', async () => {
    const f = await startSimFixture({ rateLimit: { perSecond: 0.001, burst: 2 } });
    await f.client.queryTeams(0);
    await f.client.queryTeams(0);
    const e = await f.client.queryTeams(0).then(
      () => null,
      (err: unknown) => err as PlatformError,
    );
    expect([e?.kind, e?.code]).toEqual(['rate_limited', -5]);
    expect(f.sim.stats().rateLimited).toBe(1);
    await f.close();
  });
});
