// What the attack tests send: raw HTTP(S) requests with the exact path bytes and headers an
// attacker chooses (no URL normalisation, any Host and Origin), from loopback or from this
// machine's own LAN address (a "non-loopback client" to the core), and WebSocket handshakes
// with chosen headers and subprotocols.
import http from 'node:http';
import https from 'node:https';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { networkInterfaces, tmpdir } from 'node:os';
import { join } from 'node:path';
import WebSocket from 'ws';
import { startTestCore, type TestCore } from '../helpers.js';

/** This machine's first non-internal IPv4 address: a request to it reaches the core from a non-loopback source. */
export function lanAddress(): string {
  for (const list of Object.values(networkInterfaces())) {
    for (const a of list ?? []) if (a.family === 'IPv4' && !a.internal) return a.address;
  }
  throw new Error('this test needs a non-loopback IPv4 address on the machine');
}

export interface RawResponse {
  status: number;
  headers: http.IncomingHttpHeaders;
  text: string;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- asserted field by field in the tests
  json: any;
}

export interface RawRequest {
  tls?: boolean;
  host: string;
  port: number;
  method?: string;
  /** Sent byte for byte as the request target. */
  path: string;
  headers?: Record<string, string>;
  body?: unknown;
  token?: string;
}

export function raw(r: RawRequest): Promise<RawResponse> {
  const body = r.body === undefined ? undefined : typeof r.body === 'string' ? r.body : JSON.stringify(r.body);
  const headers: Record<string, string> = {
    ...(body !== undefined ? { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(body)) } : {}),
    ...(r.token ? { authorization: `Bearer ${r.token}` } : {}),
    connection: 'close',
    ...r.headers,
  };
  const mod = r.tls ? https : http;
  return new Promise((resolve, reject) => {
    const req = mod.request(
      { host: r.host, port: r.port, method: r.method ?? 'GET', path: r.path, headers, agent: false, rejectUnauthorized: false, servername: undefined } as https.RequestOptions,
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          let json: unknown = null;
          try {
            json = JSON.parse(text);
          } catch {
            json = null;
          }
          resolve({ status: res.statusCode ?? 0, headers: res.headers, text, json });
        });
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

export type WsOutcome =
  | { kind: 'refused'; status: number; body: string }
  | { kind: 'open'; ws: WebSocket; protocol: string };

/** Opens a WebSocket; a refused handshake is an outcome (with the HTTP status), not an error. */
export function openWs(url: string, opts: { headers?: Record<string, string>; protocols?: string[] } = {}): Promise<WsOutcome> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, opts.protocols ?? [], { headers: opts.headers ?? {}, rejectUnauthorized: false });
    let refused = false;
    ws.once('open', () => resolve({ kind: 'open', ws, protocol: ws.protocol }));
    ws.once('unexpected-response', (_req, res) => {
      refused = true;
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('close', () => {
        resolve({ kind: 'refused', status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') });
        res.socket?.destroy();
      });
    });
    ws.once('error', (err) => {
      if (!refused) reject(err);
    });
  });
}

/** The first thing the socket delivers: a message, or its closing (code and reason). */
export function firstOf(ws: WebSocket): Promise<{ message: Record<string, unknown> } | { closed: { code: number; reason: string } }> {
  return new Promise((resolve) => {
    const onMessage = (d: WebSocket.RawData) => {
      ws.off('close', onClose);
      resolve({ message: JSON.parse(String(d)) as Record<string, unknown> });
    };
    const onClose = (code: number, reason: Buffer) => {
      ws.off('message', onMessage);
      resolve({ closed: { code, reason: reason.toString() } });
    };
    ws.once('message', onMessage);
    ws.once('close', onClose);
  });
}

/**
 * A real core with LAN access on (a self-signed certificate for this machine's LAN address),
 * from `startTestCore`; `stop` also removes the certificate.
 */
export async function startLanCore(overrides: Record<string, unknown> = {}): Promise<TestCore> {
  const certDir = mkdtempSync(join(tmpdir(), 'sitegate-lan-cert-'));
  execFileSync('bash', ['build/make-lan-cert.sh', certDir, lanAddress()], { stdio: 'pipe' });
  const core = await startTestCore({ ...overrides, server: { port: 0, lan: { enabled: true, tlsCertFile: join(certDir, 'lan-cert.pem'), tlsKeyFile: join(certDir, 'lan-key.pem') } } });
  const stop = core.stop.bind(core);
  return Object.assign(core, {
    async stop() {
      await stop();
      rmSync(certDir, { recursive: true, force: true });
    },
  });
}
