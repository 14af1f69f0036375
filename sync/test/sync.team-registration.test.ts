// Team registration against a real store and scripted platform replies (a scripted client,
// because the simulator never answers with duplicated rows, rows of other teams, rows out of
// order or a result that never comes): for any mix of local teams, some already on the
// platform, each team ends with the platform's own number for its name and employer, Team.Add
// is asked only for teams the platform does not hold (once each), and a team whose Team.Add
// result never settles is looked up again and otherwise keeps waiting — never a made-up number.
import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { SyncProgressEvent } from '../../edge-core/src/ports/platform.js';
import { TeamRegistrar } from '../src/outbox/team-registrar.js';
import type { AsyncResult } from '../src/platform/async-result.js';
import type { Page, PlatformClient, TeamInput, TeamRow } from '../src/platform/client.js';
import { resolvePlatformConfig } from '../src/platform/config.js';
import { openAppliance, type Appliance } from './support/appliance.js';
import { TEST_SECRET } from './support/fake-ids.js';

interface Script {
  /** Team.Query pages hold at most this many rows (whatever is asked). */
  cap: number;
  /** Query rows come back duplicated and mixed with other teams whose names contain the one asked. */
  noisy: boolean;
  /** Polls of a Team.Add that answer "waiting" before the result (Infinity: never settles). */
  waits: number;
  /** Team.Add is accepted but the team never appears (a lost write). */
  loses: boolean;
}

function scriptedPlatform(held: Map<string, TeamRow[]>, s: Script, seed: number) {
  const adds: TeamInput[] = [];
  const polls = new Map<string, number>();
  let n = 0;
  const client = {
    config: resolvePlatformConfig({ endpoint: 'http://127.0.0.1:9/api', appid: 'a', appsecret: TEST_SECRET, projectCode: 'P', pageSize: 100 }),
    async queryTeams(pageIndex: number, teamName?: string, pageSize = 100): Promise<Page<TeamRow>> {
      const all = [...held.values()].flat();
      let rows = all.filter((r) => (teamName ? (s.noisy ? r.teamName.includes(teamName) : r.teamName === teamName) : true));
      if (s.noisy) rows = [...rows, ...rows].sort((a, b) => ((a.teamSysNo.length * seed + b.teamName.length) % 3) - 1);
      const size = Math.min(pageSize, s.cap);
      return { rows: rows.slice(pageIndex * size, pageIndex * size + size), totalCount: rows.length };
    },
    async addTeam(t: TeamInput): Promise<string> {
      adds.push(t);
      if (!s.loses) held.set(t.teamName, [...(held.get(t.teamName) ?? []), { teamSysNo: `TNEW${++n}`, teamName: t.teamName, corpCode: t.corpCode }]);
      return `RSC-${t.teamName}`;
    },
    async asyncResult(serial: string): Promise<AsyncResult> {
      const k = (polls.get(serial) ?? 0) + 1;
      polls.set(serial, k);
      return k <= s.waits ? { status: 'waiting', result: '', failures: [], perItem: false } : { status: 'succeeded', result: '', failures: [], perItem: false };
    },
  } as unknown as PlatformClient;
  return { client, adds };
}

describe('sync: team registration (scripted platform replies)', () => {
  let a: Appliance;
  beforeEach(() => {
    a = openAppliance({ teamSysNo: 'T-EXISTING' });
  });
  afterEach(() => a.close());

  it('gives every local team the platform’s number for its name, adding only the teams the platform does not hold', async () => {
    let round = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.uniqueArray(fc.constantFrom('钢筋班', '木工班', '钢筋一班', '架子班', '电工班', '木工二班'), { minLength: 1, maxLength: 6 }),
        fc.func(fc.boolean()),
        fc.record({ cap: fc.integer({ min: 1, max: 5 }), noisy: fc.boolean(), waits: fc.constantFrom(0, 2, Number.POSITIVE_INFINITY), loses: fc.boolean() }),
        fc.integer({ min: 1, max: 99 }),
        async (names, onPlatformAlready, script, seed) => {
          round++;
          const corpCode = '91999999MA00000000';
          const held = new Map<string, TeamRow[]>();
          const teams = names.map((name) => {
            const local = a.workers.createTeam({ employerId: a.employerId, name: `${name}-${round}`, platformTeamSysNo: null }, 'test');
            if (onPlatformAlready(name)) held.set(local.name, [{ teamSysNo: `TOLD-${local.id}`, teamName: local.name, corpCode }, { teamSysNo: `TOTHER-${local.id}`, teamName: local.name, corpCode: '91999999MA00000001' }]);
            return local;
          });
          const { client, adds } = scriptedPlatform(held, script, seed);
          const events: SyncProgressEvent[] = [];
          const r = new TeamRegistrar({ outbox: a.outbox, client, clock: { now: () => 0 }, pollMs: 0, maxPolls: 5, succeeded: () => {}, emit: (e) => events.push(e), sleep: async () => {} });
          await r.run();
          const numberOf = (id: number) => a.store.db.prepare('SELECT platform_team_sys_no FROM teams WHERE id = ?').pluck().get(id) as string | null;
          for (const t of teams) {
            const platformRows = (held.get(t.name) ?? []).filter((x) => x.corpCode === corpCode);
            if (platformRows.length) expect(numberOf(t.id)).toBe(platformRows[0]?.teamSysNo);
            else expect(numberOf(t.id)).toBeNull(); // lost on the platform: keeps waiting
            expect(adds.filter((x) => x.teamName === t.name).length).toBe(onPlatformAlready(t.name.replace(/-\d+$/, '')) ? 0 : 1);
          }
          expect(events.filter((e) => e.type === 'notice' && e.code === 'team_registered').length).toBe(teams.filter((t) => numberOf(t.id) !== null).length);
          expect(events.some((e) => e.type === 'error')).toBe(false);
          // Teams still without a number are asked for again next time, never added twice blindly.
          a.store.db.prepare('UPDATE teams SET platform_team_sys_no = ? WHERE platform_team_sys_no IS NULL').run(`DONE-${round}`);
        },
      ),
      { numRuns: 150 },
    );
  });
});
