// Issue 15 item 3 against issue 14 item 5: with named accounts the lockout counts per person
// *and* per source. Guessing a person's PIN from the LAN locks that address out of that person
// only: the person still signs in at the kiosk, and a colleague of the same role still signs
// in from the same address. And the list of people is the kiosk's: from the LAN the account
// number is typed. From this machine's LAN address over TLS to a real core (the demo's
// accounts 1–3 plus two clerks made here).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestCore } from '../helpers.js';
import { lanAddress, raw, startLanCore } from './net.js';

let core: TestCore;
let yi: number;
let bing: number;
const fromLan = (account: number, pin: string) => raw({ tls: true, host: lanAddress(), port: core.port, method: 'POST', path: '/api/session', body: { account, pin } });
const fromKiosk = (account: number, pin: string) => raw({ tls: true, host: '127.0.0.1', port: core.port, method: 'POST', path: '/api/session', body: { account, pin } });

beforeAll(async () => {
  core = await startLanCore();
  const admin = await fromKiosk(1, '900000');
  const make = async (name: string, pin: string) => {
    const r = await raw({ tls: true, host: '127.0.0.1', port: core.port, method: 'POST', path: '/api/accounts', body: { name, role: 'clerk', pin }, token: admin.json.token });
    if (r.status !== 201) throw new Error(`create ${name}: ${r.text}`);
    return r.json.id as number;
  };
  yi = await make('测试劳务员乙', '702479');
  bing = await make('测试劳务员丙', '702480');
}, 60_000);
afterAll(async () => {
  await core?.stop();
});

describe('attack: PIN guessing per person and per source', () => {
  it('five wrong PINs from the LAN lock that address out of that person only', async () => {
    for (let i = 0; i < 4; i++) expect((await fromLan(yi, '111111')).status).toBe(401);
    const fifth = await fromLan(yi, '111111');
    expect(fifth.status).toBe(429);
    expect(fifth.json.error.code).toBe('auth.locked');
    // That address stays locked out of her account, even with her PIN...
    expect((await fromLan(yi, '702479')).json.error.code).toBe('auth.locked');
    // ...she signs in at the kiosk...
    const kiosk = await fromKiosk(yi, '702479');
    expect(kiosk.status, kiosk.text).toBe(200);
    expect(kiosk.json.account).toEqual({ id: yi, name: '测试劳务员乙' });
    // ...and a colleague of the same role signs in from the very same address.
    const colleague = await fromLan(bing, '702480');
    expect(colleague.status, colleague.text).toBe(200);
    core.services.pins.flushAudit();
    const failed = core.services.audit.list({ action: 'login.failed', limit: 5 });
    expect(failed.every((e) => e.actor === `clerk#${yi} 测试劳务员乙` && e.details.source === lanAddress())).toBe(true);
  });

  it('a person locked at the kiosk still signs in from the LAN; the colleague at the kiosk too', async () => {
    for (let i = 0; i < 5; i++) await fromKiosk(bing, '111111');
    expect((await fromKiosk(bing, '702480')).json.error.code).toBe('auth.locked');
    expect((await fromLan(bing, '702480')).status).toBe(200);
    expect((await fromKiosk(yi, '702479')).status).toBe(200);
  });

  it('the list of people is for the kiosk only; from the LAN the account number signs in', async () => {
    const list = await raw({ tls: true, host: lanAddress(), port: core.port, path: '/api/session/accounts' });
    expect(list.status).toBe(403);
    expect(list.json.error.code).toBe('lan.local_only');
    const kiosk = await raw({ tls: true, host: '127.0.0.1', port: core.port, path: '/api/session/accounts' });
    expect(kiosk.status).toBe(200);
    expect(kiosk.json.map((c: { id: number }) => c.id)).toEqual(expect.arrayContaining([1, 2, 3, yi, bing]));
    // Account management needs an admin's session from the LAN like anything else.
    expect((await raw({ tls: true, host: lanAddress(), port: core.port, path: '/api/accounts' })).status).toBe(401);
    const admin = await fromLan(1, '900000');
    expect(admin.status).toBe(200);
    const accounts = await raw({ tls: true, host: lanAddress(), port: core.port, path: '/api/accounts', token: admin.json.token });
    expect(accounts.status).toBe(200);
    // Never the PIN hash or the lock counters.
    expect(accounts.text).not.toMatch(/scrypt|pinHash|pin_hash|failed/);
  });
});
