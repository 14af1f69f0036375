// Issue 14 item 5: anyone on the LAN could lock a role out (five wrong PINs from another address
// locked the admin out on the kiosk too) and flood the audit log (1,980 wrong logins in 20 s
// wrote 1,983 signed audit rows). Now the lockout counts per source (the kiosk on loopback keeps
// its own counter), repeated failures are audited as one row per source, role and minute with a
// count, and logins are rate-limited per source. The same requests, from this machine's LAN
// address over TLS to a real core. Since named accounts (issue 15 item 3) a sign-in names the
// person (the demo's accounts 1–3, one per role) and the counters are per person and source.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestCore } from '../helpers.js';
import { lanAddress, raw, startLanCore, type RawResponse } from './net.js';

let core: TestCore;
const PINS = { admin: '900000', supervisor: '800000', clerk: '700000' } as const;
/** The demo's account numbers. */
const ACCOUNT = { admin: 1, supervisor: 2, clerk: 3 } as const;
type Role = keyof typeof PINS;
const fromLan = (role: Role, pin: string) => raw({ tls: true, host: lanAddress(), port: core.port, method: 'POST', path: '/api/session', body: { account: ACCOUNT[role], pin } });
const fromKiosk = (role: Role, pin: string) => raw({ tls: true, host: '127.0.0.1', port: core.port, method: 'POST', path: '/api/session', body: { account: ACCOUNT[role], pin } });

beforeAll(async () => {
  core = await startLanCore();
}, 60_000);
afterAll(async () => {
  await core?.stop();
});

const loginRows = (afterId: number) =>
  core.services.store.db.prepare("SELECT id, action, details_json FROM audit_log WHERE id > ? AND action LIKE 'login.%' ORDER BY id").all(afterId) as Array<{ id: number; action: string; details_json: string }>;
const lastAuditId = () => (core.services.store.db.prepare('SELECT COALESCE(MAX(id), 0) AS id FROM audit_log').get() as { id: number }).id;

describe('attack: PIN guessing and audit flooding from the LAN', () => {
  it('five wrong PINs from another address lock that address out, not the kiosk', async () => {
    for (let i = 0; i < 4; i++) expect((await fromLan('admin', '111111')).status).toBe(401);
    const fifth = await fromLan('admin', '111111');
    expect(fifth.status).toBe(429);
    expect(fifth.json.error.code).toBe('auth.locked');
    // The LAN address stays locked, even with the right PIN...
    expect((await fromLan('admin', PINS.admin)).json.error.code).toBe('auth.locked');
    // ...and the admin at the kiosk signs in.
    const kiosk = await fromKiosk('admin', PINS.admin);
    expect(kiosk.status, kiosk.text).toBe(200);
  });

  it('the kiosk keeps its own counter: locked at the kiosk, the LAN supervisor still signs in', async () => {
    for (let i = 0; i < 5; i++) await fromKiosk('clerk', '111111');
    expect((await fromKiosk('clerk', PINS.clerk)).json.error.code).toBe('auth.locked');
    const lan = await fromLan('clerk', PINS.clerk);
    expect(lan.status, lan.text).toBe(200);
  });

  it('a flood of wrong logins is rate-limited and audited as a few rows with counts', async () => {
    core.services.pins.flushAudit();
    const before = lastAuditId();
    const total = 240;
    const answers: RawResponse[] = [];
    const roles: Role[] = ['clerk', 'supervisor', 'admin'];
    let next = 0;
    await Promise.all(
      Array.from({ length: 16 }, async () => {
        while (next < total) {
          const i = next++;
          answers.push(await fromLan(roles[i % 3] as Role, String(200000 + i)));
        }
      }),
    );
    expect(answers).toHaveLength(total);
    expect(answers.every((a) => a.status === 401 || a.status === 429)).toBe(true);
    const limited = answers.filter((a) => a.json?.error?.code === 'rate.limited');
    // Most of the flood never reached a PIN check.
    expect(limited.length).toBeGreaterThan(total / 2);
    expect(Number(limited[0]?.headers['retry-after'])).toBeGreaterThan(0);
    expect(limited[0]?.json.error.message.zh).toBeTruthy();

    core.services.pins.flushAudit();
    const rows = loginRows(before);
    // One row at the first failure of a window and one with the count when it closes, per
    // source, person and kind: a handful of rows instead of one per attempt.
    expect(rows.length).toBeLessThanOrEqual(14);
    const counted = rows.reduce((n, r) => n + Number((JSON.parse(r.details_json) as { count?: number }).count ?? 0), 0);
    expect(counted).toBe(total);
    for (const r of rows) expect(JSON.parse(r.details_json)).toMatchObject({ source: lanAddress() });

    // The flood did not lock the kiosk out, and the core is healthy.
    expect((await fromKiosk('supervisor', PINS.supervisor)).status).toBe(200);
    const h = await raw({ tls: true, host: '127.0.0.1', port: core.port, path: '/health' });
    expect(h.json.status).toBe('ok');
  });
});
