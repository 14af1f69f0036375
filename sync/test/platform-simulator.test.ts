// The client against the real simulator over loopback: happy paths, signature and field
// encryption checked by the simulator, and every injected fault surfacing as a typed error.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPlatformClient } from '../src/platform/client.js';
import { PlatformError, type PlatformErrorKind } from '../src/platform/errors.js';
import type { FaultKind } from '../simulator/faults.js';
import { fakeResidentId } from './support/fake-ids.js';
import { startSimFixture, type SimFixture } from './support/sim-setup.js';

let f: SimFixture;
beforeAll(async () => {
  f = await startSimFixture();
});
afterAll(async () => {
  await f.close();
});

const at = Date.UTC(2026, 2, 1, 1, 0, 0);
const item = (n: number, dir: 'in' | 'out' = 'in', offsetS = 0) => ({
  idType: '01',
  idNumber: fakeResidentId(n),
  occurredAt: at + offsetS * 1000,
  direction: dir,
});

async function kindOf(p: Promise<unknown>): Promise<PlatformErrorKind> {
  try {
    await p;
  } catch (e) {
    if (e instanceof PlatformError) return e.kind;
    throw e;
  }
  throw new Error('expected a failure');
}

describe('platform simulator with the real client', () => {
  it('accepts a signed attendance batch and reports the async result', async () => {
    const serial = await f.client.addAttendance(f.teamSysNo, [item(0), item(1, 'out')]);
    const r = await f.client.asyncResult(serial, 2);
    expect(r.status).toBe('succeeded');
    const q = await f.client.queryAttendance({ date: '2026-03-01', idNumber: fakeResidentId(1) });
    expect(q.rows).toEqual([{ idNumber: fakeResidentId(1), date: '2026-03-01 09:00:00', direction: 'out', teamSysNo: f.teamSysNo }]);
  });

  it('fails per item: unknown worker and bad check digit are refused, the others stored', async () => {
    const before = f.sim.store.attendanceCount();
    const bad = { ...item(2, 'in', 5), idNumber: '999999199001011235' };
    const serial = await f.client.addAttendance(f.teamSysNo, [item(2, 'in', 5), item(4000, 'in', 5), bad]);
    const r = await f.client.asyncResult(serial, 3);
    expect(r.status).toBe('failed');
    expect(r.perItem).toBe(true);
    expect(r.failures.map((x) => x.index)).toEqual([1, 2]);
    expect(r.failures[0]?.reason).toContain('花名册');
    expect(f.sim.store.attendanceCount()).toBe(before + 1);
  });

  it('rejects a wrong secret with -2 and an expired one as expired', async () => {
    const wrong = createPlatformClient({ ...f.clientConfig, appsecret: 'ffffffffffffffffffffffffffffffff' });
    expect(await kindOf(wrong.queryTeams(0))).toBe('bad_signature');
    wrong.close();
    f.sim.setApp({ appid: f.clientConfig.appid, appsecret: f.clientConfig.appsecret, expired: true });
    expect(await kindOf(f.client.queryTeams(0))).toBe('expired_secret');
    f.sim.setApp({ appid: f.clientConfig.appid, appsecret: f.clientConfig.appsecret });
    expect((await f.client.queryTeams(0)).rows[0]?.teamName).toBe('测试班组');
  });

  it('rejects a request whose timestamp is outside the window, as a clock problem (not a bad secret)', async () => {
    f.sim.setTimeOffset(30 * 60_000);
    try {
      expect(await kindOf(f.client.queryTeams(0))).toBe('clock_rejected');
    } finally {
      f.sim.setTimeOffset(0);
    }
  });

  it('verifies MD5 signatures and DES fields for a provincial variant', async () => {
    f.sim.setApp({ appid: 'variant-app', appsecret: 'variant-secret-0123456789', signature: 'md5', fieldCipher: 'des-cbc' });
    const v = createPlatformClient({ ...f.clientConfig, appid: 'variant-app', appsecret: 'variant-secret-0123456789', signature: 'md5', fieldCipher: 'des-cbc' });
    const serial = await v.addAttendance(f.teamSysNo, [item(3, 'in', 60)]);
    expect((await v.asyncResult(serial, 1)).status).toBe('succeeded');
    v.close();
  });

  const expectations: Array<[FaultKind, PlatformErrorKind, 'not_sent' | 'ambiguous' | 'rejected']> = [
    ['http500', 'http_status', 'ambiguous'],
    ['http503', 'http_status', 'not_sent'],
    ['timeout', 'timeout', 'ambiguous'],
    ['reset-before-commit', 'connection_reset', 'ambiguous'],
    ['reset-after-commit', 'connection_reset', 'ambiguous'],
    ['http429', 'rate_limited', 'not_sent'],
    ['code-2', 'bad_signature', 'rejected'],
    ['code-5', 'rate_limited', 'rejected'],
    ['html', 'html_page', 'ambiguous'],
    ['malformed-json', 'malformed_json', 'ambiguous'],
    ['truncated', 'truncated_body', 'ambiguous'],
    ['redirect', 'redirect', 'not_sent'],
    ['bad-reply-sign', 'reply_signature', 'ambiguous'],
    ['unknown-code', 'unknown_code', 'ambiguous'],
  ];
  for (const [fault, kind, delivery] of expectations) {
    it(`injected ${fault} → ${kind} (${delivery})`, async () => {
      f.sim.enqueueFaults({ kind: fault, delayMs: 3000 });
      try {
        await f.client.queryTeams(0);
        throw new Error('expected a failure');
      } catch (e) {
        expect(e).toBeInstanceOf(PlatformError);
        const pe = e as PlatformError;
        expect(pe.kind).toBe(kind);
        expect(pe.delivery).toBe(delivery);
        expect(pe.userMessage.zh.length).toBeGreaterThan(4);
        expect(pe.userMessage.en.length).toBeGreaterThan(4);
      }
    });
  }

  it('a commit-then-reset write is stored although the client saw an error', async () => {
    const before = f.sim.store.attendanceCount();
    f.sim.enqueueFaults({ kind: 'reset-after-commit', method: 'WorkerAttendance.Add' });
    expect(await kindOf(f.client.addAttendance(f.teamSysNo, [item(4, 'in', 120)]))).toBe('connection_reset');
    expect(f.sim.store.attendanceCount()).toBe(before + 1);
  });

  it('answers 429 with Retry-After from the rate limiter when configured by the admin endpoint', async () => {
    const res = await fetch(`http://127.0.0.1:${f.sim.port}/admin/faults`, {
      method: 'POST',
      body: JSON.stringify({ queue: [{ kind: 'http429', retryAfterS: 3 }] }),
    });
    expect(res.status).toBe(200);
    try {
      await f.client.queryTeams(0);
      throw new Error('expected 429');
    } catch (e) {
      expect((e as PlatformError).retryAfterMs).toBe(3000);
    }
    const status = (await (await fetch(`http://127.0.0.1:${f.sim.port}/admin/status`)).json()) as { injected: Record<string, number> };
    expect(status.injected.http429).toBeGreaterThanOrEqual(2);
  });

  it('a connection refused is not_sent', async () => {
    const dead = createPlatformClient({ ...f.clientConfig, endpoint: 'http://127.0.0.1:9/api' });
    expect(await kindOf(dead.queryTeams(0))).toBe('connection_refused');
    dead.close();
  });
});
