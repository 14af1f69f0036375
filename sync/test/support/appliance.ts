// A real appliance store (SQLite file + device key in a temp dir) with a project, a team
// known to the platform and enrolled workers, plus the outbox repo the sync worker uses.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  AttendanceRepo,
  OutboxRepo,
  SyncCursorRepo,
  openStore,
  ProjectRepo,
  WorkersRepo,
  type Store,
} from '../../../edge-core/src/index.js';
import type { Clock } from '../../../edge-core/src/ports/clock.js';
import { fakeName, fakeResidentId } from './fake-ids.js';
import { PROJECT } from './sim-setup.js';

export interface Appliance {
  dir: string;
  store: Store;
  outbox: OutboxRepo;
  cursors: SyncCursorRepo;
  attendance: AttendanceRepo;
  workers: WorkersRepo;
  teamId: number;
  employerId: number;
  /** Local worker ids by fixture number. */
  workerIds: number[];
  close(): void;
}

export function openAppliance(opts: {
  dir?: string;
  teamSysNo: string | null;
  workers?: number;
  workerSource?: 'local' | 'platform';
  clock?: Clock;
}): Appliance {
  const dir = opts.dir ?? mkdtempSync(join(tmpdir(), 'sitegate-appliance-'));
  const clock = opts.clock ?? { now: () => Date.now() };
  const { store } = openStore({ dataDir: dir, clock });
  const project = new ProjectRepo(store);
  const workers = new WorkersRepo(store);
  let teamId = 0;
  let employerId = 0;
  const workerIds: number[] = [];
  if (!project.get()) {
    // One transaction: a SIGKILL during set-up must not leave a project without its workers.
    store.db.transaction(() => {
      project.upsert({ code: PROJECT, name: '测试项目', timeZone: 'Asia/Shanghai', lng: 115.89, lat: 28.68 });
      employerId = workers.createEmployer(
        { name: '测试劳务公司', creditCode: '91999999MA00000000', corpType: 'labour' },
        'test',
      ).id;
      teamId = workers.createTeam(
        { employerId, name: '测试班组', platformTeamSysNo: opts.teamSysNo },
        'test',
      ).id;
      for (let i = 0; i < (opts.workers ?? 0); i++) {
        const w = workers.create(
          {
            name: fakeName(i),
            idType: '01',
            idNumber: fakeResidentId(i),
            tradeCode: '010',
            role: 'worker',
            employerId,
            teamId,
            source: opts.workerSource ?? 'platform',
          },
          'test',
        );
        workerIds.push(w.id);
      }
    })();
  } else {
    employerId = (workers.listEmployers()[0]?.id ?? 0) as number;
    teamId = (workers.listTeams()[0]?.id ?? 0) as number;
    for (let i = 0; i < (opts.workers ?? 0); i++)
      workerIds.push(workers.findIdByIdNumber(fakeResidentId(i)) ?? -1);
  }
  return {
    dir,
    store,
    outbox: new OutboxRepo(store),
    cursors: new SyncCursorRepo(store),
    attendance: new AttendanceRepo(store),
    workers,
    teamId,
    employerId,
    workerIds,
    close: () => store.close(),
  };
}
