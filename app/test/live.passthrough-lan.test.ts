// The pass-through live view over the LAN: only over TLS (wss), only with a supervisor's
// session, the token in the WebSocket subprotocol. Uses this machine's own non-loopback address
// to be "another machine".
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { networkInterfaces, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { RtspCameraSimulator } from '../../drivers/src/index.js';
import { startTestCore, type TestCore } from './helpers.js';

function lanAddress(): string {
  for (const list of Object.values(networkInterfaces())) {
    for (const a of list ?? []) if (a.family === 'IPv4' && !a.internal) return a.address;
  }
  throw new Error('this test needs a non-loopback IPv4 address on the machine');
}

let dir: string;
let core: TestCore;
let camera: RtspCameraSimulator;
let host: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'sitegate-lan-live-'));
  execFileSync('bash', ['build/make-lan-cert.sh', dir, lanAddress()], { stdio: 'pipe' });
  camera = new RtspCameraSimulator({ source: ['-re', '-f', 'lavfi', '-i', 'testsrc=size=320x240:rate=15'], codec: 'h264' });
  await camera.start();
  core = await startTestCore({
    server: { port: 0, lan: { enabled: true, tlsCertFile: join(dir, 'lan-cert.pem'), tlsKeyFile: join(dir, 'lan-key.pem') } },
    lanes: [{ id: 'lane-1', name: '1号通道 进', direction: 'in', camera: { type: 'ffmpeg', input: camera.url, fps: 5 } }],
  });
  host = `${lanAddress()}:${core.port}`;
}, 60_000);
afterAll(async () => {
  await core?.stop();
  await camera?.stop();
  rmSync(dir, { recursive: true, force: true });
});

async function signIn(role: 'clerk' | 'supervisor'): Promise<string> {
  const pins = { clerk: '700000', supervisor: '800000' };
  // Signed in from the LAN too (TLS): the session is the one a LAN dashboard holds.
  const { request } = await import('node:https');
  return new Promise((resolve, reject) => {
    const req = request(`https://${host}/api/session`, { method: 'POST', rejectUnauthorized: false, headers: { 'content-type': 'application/json' } }, (res) => {
      let text = '';
      res.on('data', (c: Buffer) => (text += c.toString()));
      res.on('end', () => resolve((JSON.parse(text) as { token: string }).token));
    });
    req.on('error', reject);
    req.end(JSON.stringify({ role, pin: pins[role] }));
  });
}

type Outcome = { kind: 'refused'; status: number } | { kind: 'closed'; code: number } | { kind: 'init'; codec: string };

function open(url: string, token?: string): Promise<Outcome> {
  return new Promise((resolve) => {
    const ws = new WebSocket(url, ['sitegate.v1', ...(token ? [`sitegate.auth.${token}`] : [])], { rejectUnauthorized: false });
    ws.on('unexpected-response', (_req, res) => {
      resolve({ kind: 'refused', status: res.statusCode ?? 0 });
      ws.terminate();
    });
    ws.on('message', (data, isBinary) => {
      if (isBinary) return;
      resolve({ kind: 'init', codec: (JSON.parse(String(data)) as { codec: string }).codec });
      ws.close();
    });
    ws.on('close', (code) => resolve({ kind: 'closed', code }));
    ws.on('error', () => undefined);
  });
}

describe('pass-through live view from the LAN', () => {
  it('needs TLS, then a supervisor: no login refused, a clerk closed with 4403, a supervisor gets the stream', async () => {
    // Plain ws:// to the LAN port: the server speaks only TLS there, no stream.
    expect((await open(`ws://${host}/api/lanes/lane-1/live.mp4`)).kind).not.toBe('init');
    expect(await open(`wss://${host}/api/lanes/lane-1/live.mp4`)).toMatchObject({ kind: 'refused', status: 401 });
    expect(await open(`wss://${host}/api/lanes/lane-1/live.mp4`, await signIn('clerk'))).toEqual({ kind: 'closed', code: 4403 });
    const ok = await open(`wss://${host}/api/lanes/lane-1/live.mp4`, await signIn('supervisor'));
    expect(ok.kind).toBe('init');
    expect(ok.kind === 'init' && ok.codec).toMatch(/^avc1\./);
  }, 60_000);
});
