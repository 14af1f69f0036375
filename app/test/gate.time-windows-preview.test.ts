// The time-window preview through the API: a draft is previewed without being saved, a saved
// change is audited with its diff and changes the preview, a stoppage day from the calendar
// closes the site to workers, and bad drafts or roles are refused.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, login, runningClockFrom, startTestCore, type TestCore } from './helpers.js';

// 2026-11-20 07:00 in Asia/Shanghai (a Friday, a workday).
const NOW = Date.UTC(2026, 10, 19, 23, 0);
let core: TestCore;
let admin: string;
let teamId: number;

beforeAll(async () => {
  core = await startTestCore({}, undefined, { clock: runningClockFrom(NOW) });
  admin = await login(core, 'admin');
  teamId = (await api(core, 'GET', '/api/teams', undefined, admin)).json[0].id;
});
afterAll(async () => {
  await core?.stop();
});

const preview = async (body: unknown = {}) => {
  const r = await api(core, 'POST', '/api/gate/time-windows/preview', body, admin);
  expect(r.status, JSON.stringify(r.json)).toBe(200);
  return r.json;
};

describe('time windows: preview, save, calendar', () => {
  it('previews a draft night shift for one team without saving it', async () => {
    const saved = await preview();
    expect(saved).toMatchObject({ localTime: '07:00', dayType: 'workday', refused: 0 });
    const everyone = saved.allowed as number;
    expect(everyone).toBeGreaterThan(1);
    const draft = await preview({
      timeWindows: { default: { workday: [{ from: '06:00', to: '20:00' }], holiday: [], stoppage: [] }, byTeam: { [String(teamId)]: { workday: [{ from: '18:00', to: '06:00' }], holiday: [], stoppage: [] } } },
    });
    const team = draft.groups.find((g: { source: { kind: string } }) => g.source.kind === 'team');
    expect(team).toMatchObject({ allowed: false, source: { teamId } });
    expect(draft.refused).toBe(team.people.length);
    expect(draft.allowed + draft.refused).toBe(everyone);
    expect((await preview()).refused).toBe(0); // nothing was saved
    expect(core.services.audit.list({ action: 'policy.change' })).toHaveLength(0);
  });

  it('saves per-team and per-role hours (audited) and the preview follows the calendar', async () => {
    const policy = (await api(core, 'GET', '/api/gate/policy', undefined, admin)).json;
    const tw = { ...policy.timeWindows, byTeam: { [String(teamId)]: { workday: [{ from: '08:00', to: '17:00' }], holiday: [], stoppage: [] } } };
    const r = await api(core, 'PUT', '/api/gate/policy', { ...policy, timeWindows: tw }, admin);
    expect(r.status).toBe(200);
    expect(r.json.summary.zh).toContain(`timeWindows.byTeam.${teamId}`);
    expect(core.services.audit.list({ action: 'policy.change' })[0]?.actor).toMatch(/^admin#\d+ /);
    const now = await preview();
    expect(now.groups.find((g: { source: { kind: string } }) => g.source.kind === 'team').allowed).toBe(false); // 07:00 < 08:00
    // Today becomes a stoppage day: only management (all day by default) may enter.
    await api(core, 'PUT', '/api/admin/calendar/days', { dates: ['2026-11-20'], kind: 'stoppage', reason: '停工整改' }, admin);
    const stop = await preview();
    expect(stop.dayType).toBe('stoppage');
    expect(stop.groups.filter((g: { allowed: boolean }) => g.allowed).map((g: { source: { kind: string; role?: string } }) => g.source)).toEqual([{ kind: 'role', role: 'manager' }]);
  });

  it('refuses a bad draft and a clerk', async () => {
    const bad = await api(core, 'POST', '/api/gate/time-windows/preview', { timeWindows: { default: { workday: [{ from: '25:00', to: '06:00' }], holiday: [], stoppage: [] } } }, admin);
    expect(bad.status).toBe(400);
    expect(bad.json.error.details[0].path).toContain('timeWindows.default.workday');
    expect((await api(core, 'POST', '/api/gate/time-windows/preview', { at: 'now' }, admin)).status).toBe(400);
    expect((await api(core, 'POST', '/api/gate/time-windows/preview', {}, await login(core, 'clerk'))).status).toBe(403);
  });
});
