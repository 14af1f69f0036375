// The notice's six management posts (赣建建〔2022〕9号 第五条) both ways (issue 15.1b), and the ID
// card fields of a worker record: managers enrolled on one appliance reach the real simulator
// with workRole 10 and their post (which the simulator requires of a manager), with the card's
// issue date and the portrait side photographed at enrollment; a second appliance pulling the
// roster gets each manager's own post back — nobody becomes 劳务员 who is not one, and a manager
// whose post the platform does not state is kept without a post (trade 900, shown by the data
// check) rather than labelled 劳务员.
import sharp from 'sharp';
import { afterEach, describe, expect, it } from 'vitest';
import { EnrollmentRepo, MANAGEMENT_ROLES, WorkersRepo, type ManagementRole } from '../../edge-core/src/index.js';
import { startOutboxWorker, type OutboxWorker } from '../src/outbox/outbox-worker.js';
import { DEFAULT_MANAGEMENT_POST_CODES } from '../src/platform/config.js';
import { createRosterSink } from '../src/roster/roster-sink.js';
import { pullRoster } from '../src/roster/roster-pull.js';
import { openAppliance, type Appliance } from './support/appliance.js';
import { fakeName, fakeResidentId } from './support/fake-ids.js';
import { PROJECT, startSimFixture, type SimFixture } from './support/sim-setup.js';

let f: SimFixture | null = null;
const open: Appliance[] = [];
let worker: OutboxWorker | null = null;
afterEach(async () => {
  await worker?.stop();
  worker = null;
  for (const a of open.splice(0)) a.close();
  await f?.close();
  f = null;
});

const CLERK = 'clerk#3 测试劳务员';

describe('sync: management posts and card fields', () => {
  it('sends each post and the card fields, and a roster pull gives every manager their own post back', async () => {
    f = await startSimFixture({ rateLimit: null }, {}, 0);
    const a = openAppliance({ teamSysNo: f.teamSysNo });
    open.push(a);
    const card = await sharp({ create: { width: 320, height: 200, channels: 3, background: '#7a8fa0' } }).jpeg({ quality: 90 }).toBuffer();
    const base = { idType: '01' as const, employerId: a.employerId, teamId: a.teamId, validFrom: '2015-03-01', validTo: '2035-03-01', source: 'local' as const };
    MANAGEMENT_ROLES.forEach((post, i) => {
      a.workers.create({ ...base, name: fakeName(i), idNumber: fakeResidentId(i), tradeCode: '900', role: 'manager', managementRole: post }, CLERK);
    });
    // A worker enrolled with the card photographed: its portrait side is the card picture.
    new EnrollmentRepo(a.store).save(
      { worker: { ...base, name: fakeName(6), idNumber: fakeResidentId(6), tradeCode: '010', role: 'worker' }, modelId: 'test', templates: [], idMatchScore: null, liveness: {}, photoJpeg: null, flags: [], cardImages: { portrait: card } },
      CLERK,
    );
    worker = startOutboxWorker({ outbox: a.outbox, client: f.client, clock: { now: () => Date.now() }, settleMs: 50, idleMs: 30, resultPollMs: 20 });
    expect(await worker.drain(20_000)).toBe(true);
    expect(a.outbox.counts()).toMatchObject({ sent: 7, parked: 0 });

    const held = f.sim.store.workers(PROJECT, 0, 100).rows;
    const byId = new Map(held.map((r) => [r.idCardNumber, r]));
    MANAGEMENT_ROLES.forEach((post, i) => {
      expect([post, byId.get(fakeResidentId(i))?.workRole, byId.get(fakeResidentId(i))?.managePost]).toEqual([post, '10', DEFAULT_MANAGEMENT_POST_CODES[post]]);
    });
    const w = byId.get(fakeResidentId(6));
    expect(w).toMatchObject({ workRole: '20', managePost: null, issueCardDate: '2015-03-01' });
    expect(w?.issueCardPicBytes).toBe(card.length);

    // The platform also lists a manager by post name, and one whose post it does not state.
    f.sim.store.upsertWorker({ ...held[0]!, idCardNumber: fakeResidentId(7), workerName: fakeName(7), managePost: '项目经理', headImage: null });
    f.sim.store.upsertWorker({ ...held[0]!, idCardNumber: fakeResidentId(8), workerName: fakeName(8), managePost: null, headImage: null });

    const b = openAppliance({ teamSysNo: f.teamSysNo });
    open.push(b);
    const bWorkers = new WorkersRepo(b.store);
    const pulled = await pullRoster({ client: f.client, cursors: b.cursors, sink: createRosterSink(bWorkers), clock: { now: () => Date.now() } });
    expect(pulled).toMatchObject({ pulled: 9, created: 9, complete: true });
    const post = (n: number): [string, ManagementRole | null, string] => {
      const rec = bWorkers.get(bWorkers.findIdByIdNumber(fakeResidentId(n)) ?? -1);
      return [rec?.role ?? '?', rec?.managementRole ?? null, rec?.tradeCode ?? '?'];
    };
    MANAGEMENT_ROLES.forEach((p, i) => expect(post(i)).toEqual(['manager', p, '900']));
    expect(post(6)).toEqual(['worker', null, '010']);
    expect(post(7)).toEqual(['manager', 'project_manager', '900']);
    expect(post(8)).toEqual(['worker', null, '900']);
    expect(bWorkers.list({ limit: 100 }).filter((x) => x.managementRole === 'labour_officer').map((x) => x.name)).toEqual([fakeName(5)]);
    // Pulled rows are not sent back to the platform.
    expect(b.outbox.counts().pending).toBe(0);
  }, 60_000);

  it('the simulator refuses a manager without a known post and a worker with one', async () => {
    f = await startSimFixture({ rateLimit: null }, {}, 0);
    const common = { corpCode: '91999999MA00000000', corpName: '测试劳务公司', teamSysNo: f.teamSysNo, name: fakeName(1), idType: '01', tradeCode: '900', isTeamLeader: false, hasContract: false, hasInsurance: false };
    const serial = await f.client.addWorkers([
      { ...common, idNumber: fakeResidentId(1), role: 'manager', managementRole: null },
      { ...common, idNumber: fakeResidentId(2), role: 'manager', managementRole: 'safety_officer' },
    ]);
    let r = await f.client.asyncResult(serial, 2);
    for (let i = 0; i < 50 && r.status === 'waiting'; i++) r = await f.client.asyncResult(serial, 2);
    expect(r.failures.map((x) => x.index)).toEqual([0]);
    expect(r.failures[0]?.reason).toMatch(/管理岗位/);
    const bad = await f.client.call('ProjectWorker.Add', { projectCode: PROJECT, workerList: [{ ...JSON.parse('{}'), workerName: 'x', idCardType: '01', idCardNumber: f.client.config.fieldCrypto.encrypt(fakeResidentId(3)), teamSysNo: f.teamSysNo, workType: '010', corpCode: 'c', corpName: 'n', workRole: '20', manageType: '06' }] });
    const serial2 = (bad as { requestSerialCode: string }).requestSerialCode;
    let r2 = await f.client.asyncResult(serial2, 1);
    for (let i = 0; i < 50 && r2.status === 'waiting'; i++) r2 = await f.client.asyncResult(serial2, 1);
    expect(r2.failures[0]?.reason).toMatch(/建筑工人不应填写管理岗位/);
  }, 30_000);
});
