// Team registration: records of a team without a platform number (teamSysNo) wait; the
// registrar looks the team up by name (Team.Query, every page), adds it when the platform does
// not know it (Team.Add, then its async result), looks it up again, stores the number and
// releases the waiting records. A lookup always comes first, so an unclear Team.Add is never
// repeated blindly: the next run finds the team.
import type { Clock } from '../../../edge-core/src/ports/clock.js';
import type { OutboxStorePort, SyncProgressEvent } from '../../../edge-core/src/ports/platform.js';
import type { PlatformClient } from '../platform/client.js';
import { readAllPages } from '../platform/paging.js';

export interface TeamRegistrarOptions {
  outbox: OutboxStorePort;
  client: PlatformClient;
  clock: Clock;
  /** Interval between AsyncHandleResult polls of a Team.Add. */
  pollMs: number;
  /** Polls of one Team.Add before looking the team up anyway (default 50). */
  maxPolls?: number;
  succeeded: () => void;
  emit: (e: SyncProgressEvent) => void;
  sleep?: (ms: number) => Promise<void>;
}

export class TeamRegistrar {
  #needed = false;
  #running = false;

  constructor(private readonly o: TeamRegistrarOptions) {}

  /** Some records wait for their team: register teams on the next dispatch. */
  request(): void {
    this.#needed = true;
  }

  /** Starts a registration run when one is needed and none is running. */
  dispatch(): Promise<number> | null {
    if (!this.#needed || this.#running) return null;
    this.#needed = false;
    this.#running = true;
    return this.run().finally(() => {
      this.#running = false;
    });
  }

  /** The platform's number of a team, by exact name (the same employer first), or null. */
  async find(teamName: string, corpCode: string): Promise<string | null> {
    const rows = await readAllPages((pageIndex, pageSize) => this.o.client.queryTeams(pageIndex, teamName, pageSize), { pageSize: this.o.client.config.pageSize });
    const named = rows.filter((r) => r.teamName === teamName && r.teamSysNo);
    return (named.find((r) => r.corpCode === corpCode) ?? named[0])?.teamSysNo ?? null;
  }

  /** Registers local teams the platform does not know yet; returns how many got a number. */
  async run(): Promise<number> {
    const { outbox, client, clock } = this.o;
    const sleep = this.o.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
    let registered = 0;
    for (const t of outbox.teamsWithoutPlatformNumber()) {
      let sysNo = await this.find(t.teamName, t.corpCode);
      if (!sysNo) {
        const serial = await client.addTeam({ corpCode: t.corpCode, corpName: t.corpName, teamName: t.teamName });
        for (let i = 0; i < (this.o.maxPolls ?? 50); i++) {
          if ((await client.asyncResult(serial, 1)).status !== 'waiting') break;
          await sleep(this.o.pollMs);
        }
        sysNo = await this.find(t.teamName, t.corpCode);
      }
      if (sysNo) {
        registered++;
        outbox.setTeamPlatformNumber(t.teamId, sysNo);
        this.o.emit({ type: 'notice', code: 'team_registered', params: { teamName: t.teamName, teamSysNo: sysNo }, at: clock.now() });
      }
    }
    this.o.succeeded();
    // Records waiting for their team may go now (only if a team got its number: otherwise they
    // keep waiting and the loop does not cycle on them).
    if (registered > 0) outbox.releaseWaitingForTeam(clock.now());
    return registered;
  }
}
