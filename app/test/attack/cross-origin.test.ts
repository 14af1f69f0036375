// Issue 14 item 3: any web page on the kiosk PC could watch the gate. The live event stream
// opened for `Origin: http://evil.example` and streamed names without a login, passage photos
// answered without a token, and the Host header was never checked (DNS rebinding). Each request
// here is the attack as a browser would send it, to a real core on loopback.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import sharp from 'sharp';
import { api, login, startTestCore, type TestCore } from '../helpers.js';
import { firstOf, openWs, raw } from './net.js';

let core: TestCore;
let eventId: string;
let workerName: string;
const host = () => `127.0.0.1:${core.port}`;
const wsUrl = () => `ws://${host()}/api/events`;
const SELF = () => `http://${host()}`;

beforeAll(async () => {
  core = await startTestCore();
  const clerk = await login(core, 'clerk');
  const w = (await api(core, 'GET', '/api/workers', undefined, clerk)).json[0];
  workerName = w.name;
  // A passage with a photo, as the gate records it.
  const jpeg = await sharp({ create: { width: 32, height: 24, channels: 3, background: '#708090' } }).jpeg().toBuffer();
  eventId = core.services.attendance.record({ laneId: 'lane-1', workerId: w.id, direction: 'in', decision: 'pass', photoJpeg: jpeg }).id;
});
afterAll(async () => {
  await core?.stop();
});

function publishPassage(): void {
  core.services.events.publish({ type: 'passage', laneId: 'lane-1', eventId, decision: 'pass', direction: 'in', workerId: 1, workerName, teamName: null, photoUrl: null, reasons: [], reasonTexts: [], opened: true, duplicate: false, visitorPassId: null, at: Date.now() });
}

describe('attack: a web page on the kiosk PC', () => {
  it('cannot open the live event stream from another origin', async () => {
    const r = await openWs(wsUrl(), { headers: { origin: 'http://evil.example' } });
    if (r.kind === 'open') {
      publishPassage();
      const first = await firstOf(r.ws);
      r.ws.terminate();
      expect.fail(`the stream opened for evil.example and delivered ${JSON.stringify(first)}`);
    }
    expect(r.status).toBe(403);
  });

  it('gets nothing from the live event stream without a session, even from loopback', async () => {
    const r = await openWs(wsUrl(), { headers: { origin: SELF() } });
    if (r.kind === 'refused') {
      expect(r.status).toBe(401);
      return;
    }
    publishPassage();
    const first = await firstOf(r.ws);
    r.ws.terminate();
    expect(first).toEqual({ closed: { code: 4401, reason: 'auth.required' } });
  });

  it('the UI\'s own page streams with its session in the subprotocol; the kiosk with its kiosk token', async () => {
    const supervisor = await login(core, 'supervisor');
    const r = await openWs(wsUrl(), { headers: { origin: SELF() }, protocols: ['sitegate.v1', `sitegate.auth.${supervisor}`] });
    if (r.kind !== 'open') return expect.fail(`refused ${r.status} ${r.body}`);
    expect(r.protocol).toBe('sitegate.v1');
    const got = firstOf(r.ws);
    publishPassage();
    expect(await got).toMatchObject({ message: { type: 'passage', workerName } });
    r.ws.close();

    // The gate screen: a kiosk token, issued on this machine to the core's own origin.
    const kiosk = await raw({ host: '127.0.0.1', port: core.port, method: 'POST', path: '/api/kiosk/session', headers: { origin: SELF() }, body: {} });
    expect(kiosk.status, kiosk.text).toBe(200);
    expect(kiosk.json).toMatchObject({ token: expect.any(String), expiresAt: expect.any(Number) });
    const k = await openWs(wsUrl(), { headers: { origin: SELF() }, protocols: ['sitegate.v1', `sitegate.auth.${kiosk.json.token}`] });
    if (k.kind !== 'open') return expect.fail(`refused ${k.status} ${k.body}`);
    const next = firstOf(k.ws);
    publishPassage();
    expect(await next).toMatchObject({ message: { type: 'passage', eventId } });
    k.ws.close();
    // The kiosk token is no user session: it reads no personal data.
    expect((await api(core, 'GET', '/api/workers', undefined, kiosk.json.token)).status).toBe(401);
  });

  it('cannot get a kiosk token from another origin or through DNS rebinding', async () => {
    const evil = await raw({ host: '127.0.0.1', port: core.port, method: 'POST', path: '/api/kiosk/session', headers: { origin: 'http://evil.example' }, body: {} });
    expect(evil.status).toBe(403);
    expect(evil.json.error.code).toBe('request.cross_origin');
    const rebound = await raw({ host: '127.0.0.1', port: core.port, method: 'POST', path: '/api/kiosk/session', headers: { host: `evil.example:${core.port}`, origin: `http://evil.example:${core.port}` }, body: {} });
    expect(rebound.status).toBe(421);
    expect(rebound.json.error.code).toBe('request.bad_host');
  });

  it('cannot load a passage photo without a session; with one it is same-origin only and not sniffed', async () => {
    const path = `/api/attendance/${eventId}/photo`;
    const anon = await raw({ host: '127.0.0.1', port: core.port, path });
    expect(anon.status).toBe(401);
    const asImage = await raw({ host: '127.0.0.1', port: core.port, path, headers: { 'sec-fetch-site': 'cross-site', 'sec-fetch-dest': 'image' } });
    expect([401, 403]).toContain(asImage.status);
    const supervisor = await login(core, 'supervisor');
    const ok = await raw({ host: '127.0.0.1', port: core.port, path, token: supervisor });
    expect(ok.status).toBe(200);
    expect(ok.headers['content-type']).toBe('image/jpeg');
    expect(ok.headers['cross-origin-resource-policy']).toBe('same-origin');
    expect(ok.headers['x-content-type-options']).toBe('nosniff');
    expect(ok.headers['cache-control']).toBe('no-store');
    // Even with a valid session, a cross-site embedding is refused (the browser says where it loads from).
    const embedded = await raw({ host: '127.0.0.1', port: core.port, path, token: supervisor, headers: { 'sec-fetch-site': 'cross-site' } });
    expect(embedded.status).toBe(403);
  });

  it('refuses a foreign Host (DNS rebinding) and a foreign Origin on state-changing requests', async () => {
    const rebound = await raw({ host: '127.0.0.1', port: core.port, method: 'POST', path: '/api/session', headers: { host: 'evil.example' }, body: { role: 'admin', pin: '900000' } });
    expect(rebound.status).toBe(421);
    expect(rebound.json).toMatchObject({ error: { code: 'request.bad_host', message: { zh: expect.any(String), en: expect.any(String) } } });
    expect((await raw({ host: '127.0.0.1', port: core.port, path: '/api/lanes', headers: { host: `evil.example:${core.port}` } })).status).toBe(421);
    const wsRebound = await openWs(wsUrl(), { headers: { host: `evil.example:${core.port}`, origin: `http://evil.example:${core.port}` } });
    if (wsRebound.kind === 'open') wsRebound.ws.terminate();
    expect(wsRebound.kind).toBe('refused');

    const crossOrigin = await raw({ host: '127.0.0.1', port: core.port, method: 'POST', path: '/api/session', headers: { origin: 'http://evil.example' }, body: { role: 'admin', pin: '900000' } });
    expect(crossOrigin.status).toBe(403);
    expect(crossOrigin.json.error.code).toBe('request.cross_origin');
    const nullOrigin = await raw({ host: '127.0.0.1', port: core.port, method: 'POST', path: '/api/session', headers: { origin: 'null' }, body: { role: 'admin', pin: '900000' } });
    expect(nullOrigin.status).toBe(403);
    // The names the appliance answers to keep working, with their own origin.
    for (const h of [`127.0.0.1:${core.port}`, `localhost:${core.port}`]) {
      const r = await raw({ host: '127.0.0.1', port: core.port, method: 'POST', path: '/api/session', headers: { host: h, origin: `http://${h}` }, body: { role: 'clerk', pin: '700000' } });
      expect(r.status, `${h}: ${r.text}`).toBe(200);
    }
  });

  it('sends the protective headers on API answers and the page', async () => {
    for (const path of ['/api/lanes', '/health', '/']) {
      const r = await raw({ host: '127.0.0.1', port: core.port, path });
      expect(r.headers['x-content-type-options'], path).toBe('nosniff');
      expect(r.headers['cross-origin-resource-policy'], path).toBe('same-origin');
      expect(r.headers['referrer-policy'], path).toBe('no-referrer');
      expect(r.headers['x-frame-options'], path).toBe('DENY');
      expect(r.headers['content-security-policy'], path).toContain("frame-ancestors 'none'");
    }
  });
});
