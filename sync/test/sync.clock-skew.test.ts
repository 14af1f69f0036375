// Heartbeat and clock skew: a platform whose clock differs from the device's is detected,
// the supervisor gets plain words, and the corrected clock stamps records right.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CorrectedClock } from '../src/device/corrected-clock.js';
import { estimateSkew, heartbeatOnce } from '../src/device/heartbeat.js';
import { startSimFixture, type SimFixture } from './support/sim-setup.js';

let f: SimFixture;
beforeAll(async () => {
  f = await startSimFixture();
});
afterAll(async () => {
  await f.close();
});

describe('clock skew', () => {
  it('estimates offset and uncertainty from a sample', () => {
    const s = estimateSkew({ sentAt: 1000, receivedAt: 1200, serverTime: 61_100, resolutionMs: 0 }, 30_000);
    expect(s).toMatchObject({ offsetMs: 60_000, uncertaintyMs: 100, significant: true });
    expect(s.message?.zh).toContain('60 秒');
    expect(estimateSkew({ sentAt: 0, receivedAt: 10, serverTime: 5, resolutionMs: 0 }, 30_000).significant).toBe(false);
  });

  it('detects a device 90 s behind via the heartbeat and corrects the clock', async () => {
    f.sim.setTimeOffset(90_000);
    const clock = new CorrectedClock();
    const r = await heartbeatOnce({ client: f.client, clock, deviceSn: 'SG-TEST-1', health: () => ({ lanes: 3 }) });
    f.sim.setTimeOffset(0);
    expect(r.ok).toBe(true);
    expect(r.skew?.significant).toBe(true);
    expect(Math.abs((r.skew?.offsetMs ?? 0) - 90_000)).toBeLessThan(1000);
    expect(Math.abs(clock.now() - (Date.now() + 90_000))).toBeLessThan(1000);
    expect(f.sim.stats().lastHeartbeat?.device).toMatchObject({ deviceSn: 'SG-TEST-1' });
  });

  it('falls back to the HTTP Date header when the heartbeat method is refused', async () => {
    f.sim.setApp({ appid: f.clientConfig.appid, appsecret: f.clientConfig.appsecret, methods: ['Team.Query'] });
    f.sim.setTimeOffset(-120_000);
    const clock = new CorrectedClock();
    const r = await heartbeatOnce({ client: f.client, clock, deviceSn: 'SG-TEST-1', health: () => ({}) });
    f.sim.setTimeOffset(0);
    f.sim.setApp({ appid: f.clientConfig.appid, appsecret: f.clientConfig.appsecret });
    expect(r.ok).toBe(false);
    expect(r.error?.zh).toContain('权限');
    expect(Math.abs((r.skew?.offsetMs ?? 0) + 120_000)).toBeLessThan(2000);
    expect(clock.offsetMs).toBeLessThan(-100_000);
  });

  it('does not apply a small offset', () => {
    const clock = new CorrectedClock({ now: () => 1_000_000 });
    expect(clock.update(estimateSkew({ sentAt: 0, receivedAt: 100, serverTime: 800, resolutionMs: 0 }, 30_000))).toBe(false);
    expect(clock.now()).toBe(1_000_000);
  });

  it('delivers remote commands with the heartbeat and acknowledges their outcome', async () => {
    const id = f.sim.sendCommand('SG-TEST-2', 'set_param', { key: 'attendance.minIntervalMinutes', value: 5 });
    const seen: string[] = [];
    const opts = {
      client: f.client,
      clock: new CorrectedClock(),
      deviceSn: 'SG-TEST-2',
      health: () => ({}),
      onCommand: (c: { type: string; params: Record<string, unknown> }) => {
        seen.push(`${c.type}:${String(c.params.key)}`);
        return { ok: true, message: 'applied' };
      },
    };
    const r = await heartbeatOnce(opts);
    expect(r.commands.map((c) => c.commandId)).toEqual([id]);
    expect(seen).toEqual(['set_param:attendance.minIntervalMinutes']);
    await heartbeatOnce(opts);
    expect(f.sim.stats().acks).toEqual([{ deviceSn: 'SG-TEST-2', commandId: id, ok: true, message: 'applied' }]);
  });
});
