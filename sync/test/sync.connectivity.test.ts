// Connectivity, driven by a fake clock through any sequence of call outcomes and heartbeats
// (duplicated, out of order, interleaved): after each one the link says what that outcome
// proves — a success means online with no clock problem; a refusal of the request time means
// blocked with the clock problem; an answered refusal means the platform is reachable (never
// "unknown"); a refused heartbeat method is a standing problem until a heartbeat goes through;
// the probe gate opens when its time comes and at once on wake.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Connectivity, type HeartbeatOutcome } from '../src/outbox/connectivity.js';
import { PlatformError, errorForResultCode, type PlatformErrorKind } from '../src/platform/errors.js';

const EXPIRED = /过期|失效|expired/i;
const CLOCK = /(时间戳|timestamp).*(超出|超过|过期|窗口|无效|outside|window|expired|invalid|skew)|时间窗|请求时间.*(超出|无效|过期)/i;

type Step =
  | { t: 'ok' }
  | { t: 'code'; code: number; message: string }
  | { t: 'net'; kind: PlatformErrorKind; ambiguous: boolean }
  | { t: 'beat'; ok: boolean; code: number; message: string }
  | { t: 'advance'; ms: number }
  | { t: 'wake' };

const stepArb: fc.Arbitrary<Step> = fc.oneof(
  fc.constant<Step>({ t: 'ok' }),
  fc.record({
    t: fc.constant('code' as const),
    code: fc.constantFrom(-1, -2, -3, -4, -5, 7),
    message: fc.constantFrom('timestamp outside window', 'timestamp 超出有效时间窗口', '签名错误', 'appsecret 已过期', '参数错误', '无权限调用该接口'),
  }),
  fc.record({ t: fc.constant('net' as const), kind: fc.constantFrom<PlatformErrorKind>('timeout', 'connection_refused', 'connection_reset'), ambiguous: fc.boolean() }),
  fc.record({ t: fc.constant('beat' as const), ok: fc.boolean(), code: fc.constantFrom(-1, -3), message: fc.constantFrom('无权限调用该接口: Device.Heartbeat', 'timestamp outside window', '设备公钥与已登记的不一致') }),
  fc.record({ t: fc.constant('advance' as const), ms: fc.integer({ min: 0, max: 400_000 }) }),
  fc.constant<Step>({ t: 'wake' }),
);

function beatOf(s: Extract<Step, { t: 'beat' }>): HeartbeatOutcome {
  if (s.ok) return { method: 'Device.Heartbeat', ok: true, failure: null };
  const e = errorForResultCode(s.code, s.message, EXPIRED, CLOCK);
  return { method: 'Device.Heartbeat', ok: false, failure: { kind: e.kind, retry: e.retry, message: e.userMessage, code: s.code, detail: s.message } };
}

describe('sync: connectivity', () => {
  it('says after every outcome what it proves, whatever came before', () => {
    fc.assert(
      fc.property(fc.array(stepArb, { maxLength: 60 }), (steps) => {
        let now = 1_000_000;
        const c = new Connectivity({ clock: { now: () => now }, random: () => 0.5, offlineProbe: { baseMs: 1000, maxMs: 60_000 }, blockedProbe: { baseMs: 30_000, maxMs: 300_000 } });
        const codes = () => c.problems().map((p) => p.code);
        for (const s of steps) {
          if (s.t === 'ok') {
            c.succeeded();
            expect(c.state).toBe('online');
            expect(c.reason).toBeNull();
            expect(codes()).not.toContain('clock_outside_window');
            expect(c.lastSuccessAt).toBe(now);
          } else if (s.t === 'code') {
            const e = errorForResultCode(s.code, s.message, EXPIRED, CLOCK);
            const pause = c.failed(e);
            if ((s.code === -1 || s.code === -2) && /timestamp/.test(s.message)) {
              expect(e.kind).toBe('clock_rejected');
              expect(c.state).toBe('blocked');
              expect(codes()).toContain('clock_outside_window');
              expect(pause).toBe(true);
            }
            if (e.retry === 'blocked') {
              expect(c.state).toBe('blocked');
              expect(c.reason).toEqual(e.userMessage);
              expect(c.isOpen()).toBe(false);
            } else expect(c.state).not.toBe('unknown'); // it answered: reachable
          } else if (s.t === 'net') {
            const e = new PlatformError(s.kind, { delivery: s.ambiguous ? 'ambiguous' : 'not_sent', retry: 'backoff' });
            const pause = c.failed(e);
            if (!s.ambiguous) {
              expect(pause).toBe(true);
              expect(c.state).toBe('offline');
            }
          } else if (s.t === 'beat') {
            const h = beatOf(s);
            c.heartbeat(h);
            if (s.ok) {
              expect(codes()).toEqual([]);
              // It proves the link and the clock, not that a refused data method is granted.
              if (c.state !== 'online') {
                expect(c.state).toBe('blocked');
                expect(c.reason).not.toEqual(errorForResultCode(-1, 'timestamp outside window', EXPIRED, CLOCK).userMessage);
              }
            } else if (h.failure?.kind === 'no_permission') {
              expect(codes()).toContain('heartbeat_not_permitted');
              expect(c.problems().find((p) => p.code === 'heartbeat_not_permitted')?.params.method).toBe('Device.Heartbeat');
              expect(c.state).not.toBe('unknown');
            } else if (h.failure?.kind === 'clock_rejected') {
              expect(codes()).toContain('clock_outside_window');
              expect(c.state).toBe('blocked');
            } else expect(codes()).toContain('heartbeat_refused');
          } else if (s.t === 'advance') {
            const wait = c.msUntilOpen();
            now += s.ms;
            if (s.ms >= wait) expect(c.isOpen()).toBe(true);
          } else {
            c.open();
            expect(c.isOpen()).toBe(true);
          }
          // A problem's "since" never lies in the future; one entry per code.
          for (const p of c.problems()) expect(p.since).toBeLessThanOrEqual(now);
          expect(new Set(codes()).size).toBe(codes().length);
        }
      }),
      { numRuns: 1000 },
    );
  });

  it('a heartbeat that goes through opens the probe gate after a network outage, but does not lift a refused data method', () => {
    let now = 0;
    const c = new Connectivity({ clock: { now: () => now }, random: () => 0.5, offlineProbe: { baseMs: 60_000, maxMs: 60_000 }, blockedProbe: { baseMs: 60_000, maxMs: 60_000 } });
    c.failed(new PlatformError('connection_refused', { delivery: 'not_sent', retry: 'backoff' }));
    expect([c.state, c.isOpen()]).toEqual(['offline', false]);
    c.heartbeat({ method: 'Device.Heartbeat', ok: true, failure: null });
    expect([c.state, c.isOpen()]).toEqual(['online', true]);
    c.failed(errorForResultCode(-3, '无权限调用该接口: WorkerAttendance.Add', EXPIRED, CLOCK));
    c.heartbeat({ method: 'Device.Heartbeat', ok: true, failure: null });
    expect([c.state, c.isOpen()]).toEqual(['blocked', false]);
    now += 1000;
    c.failed(errorForResultCode(-1, 'timestamp outside window', EXPIRED, CLOCK));
    c.heartbeat({ method: 'Device.Heartbeat', ok: true, failure: null });
    expect([c.state, c.isOpen(), c.problems()]).toEqual(['online', true, []]);
  });

  it('a repeated refusal of the heartbeat keeps one problem with its first time', () => {
    let now = 5000;
    const c = new Connectivity({ clock: { now: () => now }, random: () => 0.5, offlineProbe: { baseMs: 1, maxMs: 1 }, blockedProbe: { baseMs: 1, maxMs: 1 } });
    const beat = beatOf({ t: 'beat', ok: false, code: -3, message: '无权限调用该接口: Device.Heartbeat' });
    c.heartbeat(beat);
    now += 60_000;
    c.heartbeat(beat);
    expect(c.problems()).toEqual([{ code: 'heartbeat_not_permitted', params: { method: 'Device.Heartbeat', code: -3 }, since: 5000 }]);
    c.heartbeat({ method: 'Device.Heartbeat', ok: true, failure: null });
    expect(c.problems()).toEqual([]);
  });
});
