// Issue 14 item 2: the LAN login guard read the raw URL while the router decoded it, so
// `GET /%61pi/lanes` from another machine answered 200 without a login, and on a fresh install
// `POST /%61pi/setup/pins` from the LAN set the admin PIN. The guard now reads the matched
// route: the same requests, from this machine's LAN address over TLS to a real core, are
// refused whatever the encoding; the first-run set-up and the kiosk credential are for the
// appliance itself only.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestCore } from '../helpers.js';
import { lanAddress, raw, startLanCore } from './net.js';

let core: TestCore;
const lan = (method: string, path: string, body?: unknown, token?: string) => raw({ tls: true, host: lanAddress(), port: core.port, method, path, body, ...(token ? { token } : {}) });
const local = (method: string, path: string, body?: unknown) => raw({ tls: true, host: '127.0.0.1', port: core.port, method, path, body });

beforeAll(async () => {
  // A fresh install (not demo): no PIN is set yet.
  core = await startLanCore({ demo: false });
}, 60_000);
afterAll(async () => {
  await core?.stop();
});

const PINS = { admin: '902468', supervisor: '802468', clerk: '702468' };

describe('attack: percent-encoded paths from the LAN', () => {
  it('the first-run set-up is refused from the LAN whatever the encoding, and stays open to the kiosk', async () => {
    for (const path of ['/api/setup/pins', '/%61pi/setup/pins', '/a%70i/setup/pins', '/api/%73etup/pins', '/api/setup/%70ins', '/%61%70%69/%73%65%74%75%70/%70%69%6e%73']) {
      const r = await lan('POST', path, PINS);
      expect(r.status, `${path}: ${r.text}`).toBe(403);
      expect(r.json.error.code).toBe('lan.local_only');
      expect(r.json.error.message.zh).toBeTruthy();
    }
    // Near-misses the router does not take for the route are not it (and set nothing either).
    for (const path of ['/api/setup%2Fpins', '/API/setup/pins', '//api/setup/pins']) expect((await lan('POST', path, PINS)).status, path).not.toBe(200);
    expect(core.services.accounts.any()).toBe(false);
    // The kiosk's own set-up still works (the LAN attempts did not take it).
    const mine = await local('POST', '/api/setup/pins', PINS);
    expect(mine.status, mine.text).toBe(200);
    expect(core.services.accounts.enabledOfRole('admin')).toHaveLength(1);
  });

  it('kiosk routes answer 401 from the LAN without a login, however the path is spelled', async () => {
    for (const path of ['/api/lanes', '/%61pi/lanes', '/a%70i/lanes', '/%61pi/devices', '/api/%64evices', '/%61pi/setup/status', '/%61pi/attendance/00000000-0000-4000-8000-000000000000/photo']) {
      const r = await lan('GET', path);
      expect(r.status, `${path}: ${r.text}`).toBe(401);
      expect(r.json.error.code).toBe('auth.required');
    }
    for (const path of ['/%61pi/lanes', '/%61pi/devices']) expect((await lan('HEAD', path)).status, `HEAD ${path}`).toBe(401);
    const frames = await lan('POST', '/%61pi/lanes/lane-1/frames');
    expect(frames.status).toBe(401);
    // After a login from the LAN the encoded path is the same route with the same role checks.
    const login = await lan('POST', '/%61pi/session', { role: 'supervisor', pin: PINS.supervisor });
    expect(login.status, login.text).toBe(200);
    const token = login.json.token as string;
    expect((await lan('GET', '/%61pi/lanes', undefined, token)).status).toBe(200);
    expect((await lan('GET', '/%61pi/audit', undefined, token)).status).toBe(403);
  });

  it('the kiosk credential is issued to this machine only', async () => {
    const r = await lan('POST', '/%61pi/kiosk/session', {});
    expect(r.status, r.text).toBe(403);
    expect(r.json.error.code).toBe('lan.local_only');
    // A kiosk token used from the LAN counts for nothing.
    const kiosk = await local('POST', '/api/kiosk/session', {});
    expect(kiosk.status, kiosk.text).toBe(200);
    const fromLan = await lan('GET', '/api/lanes', undefined, kiosk.json.token as string);
    expect(fromLan.status).toBe(401);
  });
});
