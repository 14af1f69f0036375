// Visitors end to end on a real core with the simulated devices: a clerk issues a pass, the
// lane's QR scanner (HID-POS reports from the scanner simulator; the USB link itself is
// simulated because the build machines have no USB scanner and no uhid) reads its code, the
// lane admits within the validity window, the visitor passage is committed and only then the
// Modbus relay of the lane's turnstile switches on the simulator's wire (real bytes over a
// socat pty). Expired, revoked, used-up and forged codes are refused and recorded; a passage
// that cannot be written keeps the turnstile shut.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LiveEvent } from '../shared/api-types.js';
import { encodeVisitorCode, type Clock } from '../../edge-core/src/index.js';
import { api, login, startTestCore, type TestCore } from './helpers.js';

// 2026-11-20 09:00 in Asia/Shanghai, running at real speed plus a shift the test controls.
const NOW = Date.UTC(2026, 10, 20, 1, 0);
const t0 = Date.now();
let shift = 0;
const clock: Clock = { now: () => NOW + (Date.now() - t0) + shift };

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));
/** A real scanner drops the same code read again within 1.5 s; a repeat scan waits that long. */
const SCANNER_REPEAT_MS = 1600;

let core: TestCore;
let clerk: string;

beforeAll(async () => {
  core = await startTestCore({ devices: { simulate: true } }, undefined, { clock });
  clerk = await login(core, 'clerk');
  // The relay board answers its first probe within a second of the start: wait for it (a lane
  // whose turnstile is offline refuses, tested below).
  for (let i = 0; i < 200 && !core.devices.health().some((h) => h.deviceId === 'turnstile-modbus' && h.state === 'ok'); i++) await sleep(50);
});
afterAll(async () => {
  await core?.stop();
});

const sims = () => {
  const s = core.devices.simulators;
  if (!s) throw new Error('simulators not started');
  return s;
};

/** The next visitor passage event of a lane (published after the record and the turnstile). */
function nextVisitorEvent(laneId: string, timeoutMs = 15_000): Promise<Extract<LiveEvent, { type: 'passage' }>> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      off();
      reject(new Error(`no visitor passage on ${laneId} within ${timeoutMs} ms`));
    }, timeoutMs);
    const off = core.services.events.subscribe((e) => {
      if (e.type === 'passage' && e.laneId === laneId && e.visitorPassId !== undefined) {
        clearTimeout(timer);
        off();
        resolve(e);
      }
    });
  });
}

async function scan(code: string) {
  const event = nextVisitorEvent('lane-1');
  await sims().codeScanner.scan(code);
  return event;
}

async function issue(body: Record<string, unknown>) {
  const r = await api(core, 'POST', '/api/visitor-passes', { name: '访客甲', host: '项目部 王工', purpose: '送图纸', validFrom: clock.now() - 60_000, validTo: clock.now() + 4 * 3600_000, ...body }, clerk);
  expect(r.status, JSON.stringify(r.json)).toBe(201);
  return r.json as { id: string; code: string; state: string };
}

describe('visitor passes at the lane', () => {
  it('the scanner simulator sends a valid code → the lane admits → the relay switches on the wire, after the passage is recorded', async () => {
    expect(sims().codeScanner.opened).toBe(true);
    const pass = await issue({});
    expect(pass.code).toMatch(/^SGV1-[A-Z2-7]+$/);
    expect(pass.state).toBe('active');
    const modbus = sims().modbusRelay;
    const before = modbus.history.length;
    const e = await scan(pass.code);
    expect(e).toMatchObject({ decision: 'pass', opened: true, visitorPassId: pass.id, workerName: '访客 访客甲' });
    expect(modbus.history.slice(before).some((h) => h.coil === 0 && h.on)).toBe(true);
    // the HID-POS reports went over the simulated interrupt pipe
    expect(sims().codeScanner.wire.at(-1)?.[0]).toBe(0x02);
    const rows = core.visitors.repo.passages({ passId: pass.id });
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ id: e.eventId, decision: 'pass', laneId: 'lane-1', direction: 'in', visitorName: '访客甲' });
    const shown = await api(core, 'GET', '/api/visitor-passages', undefined, await login(core, 'supervisor'));
    expect(shown.status).toBe(200);
    expect(shown.json[0]).toMatchObject({ passId: pass.id, visitorName: '访客甲', host: '项目部 王工', decision: 'pass' });
    expect(core.services.audit.list({ action: 'visitor.issue' })[0]).toMatchObject({ actor: expect.stringMatching(/^clerk#\d+ /), target: `visitor-pass:${pass.id}` });
  });

  it('refuses a forged, altered or foreign code and keeps the turnstile shut', async () => {
    const pass = await issue({ name: '访客乙' });
    const modbus = sims().modbusRelay;
    const before = modbus.history.length;
    const flipped = pass.code.slice(0, -3) + (pass.code.at(-3) === 'A' ? 'B' : 'A') + pass.code.slice(-2);
    const forged = await scan(flipped);
    expect(forged).toMatchObject({ decision: 'refuse', opened: false, visitorPassId: null });
    expect(forged.reasons).toEqual(['visitor_pass_invalid']);
    // A well-formed code for the same pass signed with another key (another device, or a guess).
    const foreign = encodeVisitorCode({ passId: pass.id, validFrom: clock.now() - 60_000, validTo: clock.now() + 24 * 3600_000 }, () => new Uint8Array(32).fill(7));
    expect((await scan(foreign)).reasons).toEqual(['visitor_pass_invalid']);
    expect((await scan('HC1:health-code-not-a-visitor-pass')).reasons).toEqual(['visitor_pass_invalid']);
    expect(modbus.history.slice(before).some((h) => h.on)).toBe(false);
    const refused = core.visitors.repo.passages({ limit: 3 });
    expect(refused.every((r) => r.decision === 'refuse' && r.passId === null)).toBe(true);
  });

  it('refuses a revoked pass and a pass whose window has ended', async () => {
    const revoked = await issue({ name: '访客丙' });
    const r = await api(core, 'POST', `/api/visitor-passes/${revoked.id}/revoke`, { reason: '来访取消' }, clerk);
    expect(r.status).toBe(200);
    expect(r.json.state).toBe('revoked');
    expect((await api(core, 'POST', `/api/visitor-passes/${revoked.id}/revoke`, { reason: '再次' }, clerk)).status).toBe(409);
    const e1 = await scan(revoked.code);
    expect(e1).toMatchObject({ decision: 'refuse', opened: false, visitorPassId: revoked.id });
    expect(e1.reasons).toEqual(['visitor_pass_revoked']);
    expect(core.services.audit.list({ action: 'visitor.revoke' })[0]?.details).toEqual({ reason: '来访取消' });

    const short = await issue({ name: '访客丁', validTo: clock.now() + 10 * 60_000 });
    shift += 11 * 60_000; // the visit window is over
    const e2 = await scan(short.code);
    expect(e2).toMatchObject({ decision: 'refuse', opened: false });
    expect(e2.reasons).toEqual(['visitor_pass_expired']);
    const listed = await api(core, 'GET', '/api/visitor-passes?state=all', undefined, clerk);
    expect(listed.json.find((p: { id: string }) => p.id === short.id).state).toBe('expired');
    const active = await api(core, 'GET', '/api/visitor-passes', undefined, clerk);
    expect(active.json.some((p: { id: string }) => p.id === short.id || p.id === revoked.id)).toBe(false);
  });

  it('a single-entry pass admits once, lets the visitor out, and is used up', async () => {
    const pass = await issue({ name: '访客戊', maxEntries: 1 });
    expect((await scan(pass.code)).decision).toBe('pass');
    const out = await api(core, 'POST', '/api/lanes/lane-2/visitor-code', { code: pass.code });
    expect(out.json).toMatchObject({ decision: 'pass', opened: true });
    shift += 60_000; // beyond the duplicate-scan window
    await sleep(SCANNER_REPEAT_MS);
    const again = await scan(pass.code);
    expect(again.decision).toBe('refuse');
    expect(again.reasons).toEqual(['visitor_pass_used_up']);
  });

  it('a passage that cannot be written refuses the visitor and never opens the turnstile', async () => {
    const pass = await issue({ name: '访客己' });
    const db = core.services.store.db;
    db.exec("CREATE TRIGGER fail_visitor_write BEFORE INSERT ON visitor_passages BEGIN SELECT RAISE(ABORT, 'disk I/O error'); END");
    const modbus = sims().modbusRelay;
    const before = modbus.history.length;
    try {
      const e = await scan(pass.code);
      expect(e).toMatchObject({ decision: 'refuse', opened: false, eventId: '' });
      expect(e.reasons).toEqual(['record_failed']);
      expect(modbus.history.slice(before).some((h) => h.on)).toBe(false);
      expect(core.services.health.get('store.write')?.ok).toBe(false);
    } finally {
      db.exec('DROP TRIGGER fail_visitor_write');
    }
    shift += 60_000;
    await sleep(SCANNER_REPEAT_MS);
    const ok = await scan(pass.code);
    expect(ok).toMatchObject({ decision: 'pass', opened: true });
    expect(core.services.health.get('store.write')?.ok).toBe(true);
  });

  it('refuses bad requests without a change', async () => {
    const count = core.visitors.repo.list({}).length;
    const now = clock.now();
    for (const bad of [
      { name: '', host: 'h', purpose: 'p', validFrom: now, validTo: now + 3600_000 },
      { name: 'x', host: 'h', purpose: 'p', validFrom: now, validTo: now - 1 },
      { name: 'x', host: 'h', purpose: 'p', validFrom: now - 7200_000, validTo: now - 3600_000 },
      { name: 'x', host: 'h', purpose: 'p', validFrom: now, validTo: now + 40 * 24 * 3600_000 },
      { name: 'x', host: 'h', purpose: 'p', validFrom: now, validTo: now + 3600_000, laneIds: ['lane-9'] },
      { name: 'x', host: 'h', purpose: 'p', validFrom: now, validTo: now + 3600_000, maxEntries: 0 },
    ]) {
      const r = await api(core, 'POST', '/api/visitor-passes', bad, clerk);
      expect(r.status, JSON.stringify(bad)).toBe(400);
    }
    expect((await api(core, 'POST', '/api/visitor-passes', { name: 'x', host: 'h', purpose: 'p', validFrom: now, validTo: now + 3600_000, readId: '00000000-0000-4000-8000-000000000000' }, clerk)).status).toBe(404);
    expect((await api(core, 'POST', '/api/visitor-passes', { name: 'x', host: 'h', purpose: 'p', validFrom: now, validTo: now + 3600_000 })).status).toBe(401);
    expect((await api(core, 'GET', '/api/visitor-passages', undefined, clerk)).status).toBe(403);
    expect((await api(core, 'POST', '/api/visitor-passes/not-a-uuid/revoke', { reason: 'x' }, clerk)).status).toBe(400);
    expect((await api(core, 'POST', '/api/visitor-passes/00000000-0000-4000-8000-000000000000/revoke', { reason: 'x' }, clerk)).status).toBe(404);
    expect(core.visitors.repo.list({}).length).toBe(count);
  });
});
