// A make-up (补卡) carries on the wire who at the authority confirmed it and the document
// reference (issue 15.1d, notice 第六条): delivered by the outbox worker from the real store to
// the real simulator, which requires both of an attendType 002 item and keeps them; a face
// passage carries none.
import { afterEach, describe, expect, it } from 'vitest';
import { startOutboxWorker, type OutboxWorker } from '../src/outbox/outbox-worker.js';
import { openAppliance, type Appliance } from './support/appliance.js';
import { fakeResidentId } from './support/fake-ids.js';
import { startSimFixture, type SimFixture } from './support/sim-setup.js';

let f: SimFixture | null = null;
let a: Appliance | null = null;
let worker: OutboxWorker | null = null;
afterEach(async () => {
  await worker?.stop();
  worker = null;
  a?.close();
  a = null;
  await f?.close();
  f = null;
});

const T = Date.UTC(2026, 6, 6, 0, 30);

describe('sync: make-up attendance on the wire', () => {
  it('sends who confirmed the make-up and the document reference; the simulator keeps them', async () => {
    f = await startSimFixture({ rateLimit: null }, {}, 2);
    a = openAppliance({ teamSysNo: f.teamSysNo, workers: 2 });
    const makeup = { confirmedBy: '测试区住建局 王某', documentNo: '测建补〔2026〕7号', reason: 'storm: 暴雨', confirmedAt: T + 3600_000 };
    a.attendance.record({ laneId: 'makeup', workerId: a.workerIds[0]!, direction: 'in', decision: 'pass', occurredAt: T, makeup });
    a.attendance.record({ laneId: 'lane-1', workerId: a.workerIds[1]!, direction: 'in', decision: 'pass', occurredAt: T });
    worker = startOutboxWorker({ outbox: a.outbox, client: f.client, clock: { now: () => Date.now() }, settleMs: 50, idleMs: 30, resultPollMs: 20 });
    expect(await worker.drain(20_000)).toBe(true);
    expect(a.outbox.counts()).toMatchObject({ sent: 2, parked: 0 });
    const rows = f.sim.store.allAttendance();
    expect(rows.find((r) => r.idCardNumber === fakeResidentId(0))).toMatchObject({ attendType: '002', makeupConfirmedBy: makeup.confirmedBy, makeupDocumentNo: makeup.documentNo });
    expect(rows.find((r) => r.idCardNumber === fakeResidentId(1))).toMatchObject({ attendType: '001', makeupConfirmedBy: null, makeupDocumentNo: null });
  }, 30_000);

  it('the simulator refuses a make-up without its confirmation', async () => {
    f = await startSimFixture({ rateLimit: null }, {}, 1);
    const serial = await f.client.addAttendance(f.teamSysNo, [{ idType: '01', idNumber: fakeResidentId(0), occurredAt: T, direction: 'in', isMakeup: true }]);
    let r = await f.client.asyncResult(serial, 1);
    for (let i = 0; i < 50 && r.status === 'waiting'; i++) r = await f.client.asyncResult(serial, 1);
    expect(r.failures[0]?.reason).toMatch(/makeupConfirmedBy is required/);
    expect(f.sim.store.attendanceCount()).toBe(0);
  }, 30_000);
});
