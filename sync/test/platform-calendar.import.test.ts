// Construction-calendar import against the real platform simulator: the (assumed) method is
// paged, limited to the asked range, rows it cannot read are reported and kept out, and a
// platform that does not offer the method (−3) makes the import "unsupported", not an error.
import { afterEach, describe, expect, it } from 'vitest';
import { pullPlatformCalendar, readCalendarRow } from '../src/calendar/calendar-pull.js';
import { startSimFixture, type SimFixture } from './support/sim-setup.js';

let fx: SimFixture | null = null;
afterEach(async () => {
  await fx?.close();
  fx = null;
});

describe('platform calendar import', () => {
  it('pulls every page of the declared days within the range', async () => {
    fx = await startSimFixture({}, {}, 0);
    for (let d = 1; d <= 25; d++) fx.sim.setCalendarDay({ date: `2026-03-${String(d).padStart(2, '0')}`, dayType: d % 2 ? 'weather' : 'holiday', reason: `第${d}天` });
    fx.sim.setCalendarDay({ date: '2026-04-10', dayType: 'stoppage', reason: '范围外' });
    const r = await pullPlatformCalendar({ client: fx.client, from: '2026-03-01', to: '2026-03-31', pageSize: 10 });
    expect(r.state).toBe('ok');
    expect(r.days).toHaveLength(25);
    expect(r.days[0]).toEqual({ date: '2026-03-01', kind: 'weather', reason: '第1天' });
    expect(fx.sim.stats().byMethod['ProjectCalendar.Query']).toBe(3);
  });

  it('reports a platform without the method as unsupported', async () => {
    fx = await startSimFixture({ apps: [{ appid: 'sitegate-test-app', appsecret: '0123456789abcdefABCDEF0123456789', methods: ['Device.Heartbeat'] }] }, {}, 0);
    const r = await pullPlatformCalendar({ client: fx.client, from: '2026-03-01', to: '2026-03-31' });
    expect(r).toEqual({ state: 'unsupported', days: [], rejected: [] });
    // A method name that does not exist is −3 too.
    const other = await pullPlatformCalendar({ client: fx.client, method: 'Project.Calendar', from: '2026-03-01', to: '2026-03-31' });
    expect(other.state).toBe('unsupported');
  });

  it('says what is wrong with a row it cannot use', () => {
    expect(readCalendarRow({ date: '2026-02-30', dayType: 'weather' })).toMatch(/not yyyy-MM-dd/);
    expect(readCalendarRow({ date: '2026-03-01', dayType: 'rain' })).toMatch(/dayType "rain"/);
    expect(readCalendarRow(null)).toBe('row is not an object');
    expect(readCalendarRow({ date: '2026-03-01 00:00:00', dayType: 'holiday' })).toEqual({ date: '2026-03-01', kind: 'holiday', reason: '平台日历' });
  });
});
