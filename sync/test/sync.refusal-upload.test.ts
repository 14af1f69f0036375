// Helmet refusals reach the platform (Jiangxi device standard 5: 禁止该人员通行，并将记录上传给
// 业务平台; decision 0012). A refused passage of an identified worker for no helmet is queued
// with its record in the appliance's real SQLite store (kind 'refusal', one per worker per
// window), sent by the outbox worker over HTTP to the real simulator's refusal method, which
// checks the request strictly and stores it once per person, time and direction.
import { afterEach, describe, expect, it } from 'vitest';
import sharp from 'sharp';
import { AttendanceRepo, DEFAULT_REFUSAL_UPLOAD } from '../../edge-core/src/index.js';
import type { SyncProgressEvent } from '../../edge-core/src/ports/platform.js';
import type { OutboxWorker } from '../src/outbox/outbox-worker.js';
import { startFastWorker } from './support/fast-worker.js';
import type { PlatformConfig } from '../src/platform/config.js';
import { isPlatformError } from '../src/platform/errors.js';
import { formatDateTime } from '../src/platform/timestamp.js';
import { ALL_METHODS, DEFAULT_SIM_APP, startPlatformSimulator, type SimulatorOptions } from '../simulator/server.js';
import { openAppliance, type Appliance } from './support/appliance.js';
import { fakeResidentId } from './support/fake-ids.js';
import { PROJECT, startSimFixture, type SimFixture } from './support/sim-setup.js';

const DEVICE_SN = 'SG-TEST-0001';
const METHOD = 'WorkerAccessRefusal.Add';

let f: SimFixture | null = null;
let a: Appliance | null = null;
let worker: OutboxWorker | null = null;
let events: SyncProgressEvent[] = [];

afterEach(async () => {
  await worker?.stop();
  worker = null;
  a?.close();
  a = null;
  await f?.close();
  f = null;
});

async function setUp(sim: Partial<SimulatorOptions> = {}, client: Partial<PlatformConfig> = {}): Promise<{ f: SimFixture; a: Appliance; attendance: AttendanceRepo }> {
  f = await startSimFixture({ rateLimit: null, ...sim }, { deviceSn: DEVICE_SN, ...client }, 3);
  a = openAppliance({ teamSysNo: f.teamSysNo, workers: 3 });
  events = [];
  // As the core builds it for the Jiangxi profile (app/server/refusal-upload.ts): on, 60 s.
  return { f, a, attendance: new AttendanceRepo(a.store, { refusalUpload: DEFAULT_REFUSAL_UPLOAD }) };
}

function start(fx: SimFixture, ap: Appliance): OutboxWorker {
  worker = startFastWorker(ap.outbox, fx.client, (e) => events.push(e));
  return worker;
}

const photo = (): Promise<Buffer> => sharp({ create: { width: 96, height: 96, channels: 3, background: '#7a6a5a' } }).jpeg().toBuffer();

function refuse(attendance: AttendanceRepo, workerId: number | null, at: number, reasons: string[] = ['helmet_missing'], photoJpeg: Buffer | null = null, direction: 'in' | 'out' = 'in'): string {
  return attendance.record({ laneId: 'lane-1', workerId, direction, occurredAt: at, decision: 'refuse', reasons, photoJpeg }).id;
}

function queuedRefusals(ap: Appliance): string[] {
  return ap.store.db.prepare("SELECT ref_id FROM outbox WHERE kind = 'refusal' ORDER BY id").pluck().all() as string[];
}

describe('sync: helmet refusals to the platform', () => {
  it('one refusal is one upload with the national fields; repeats within the window add none; after it, one more', async () => {
    const { f, a, attendance } = await setUp();
    const [w0, w1] = a.workerIds as [number, number];
    const jpeg = await photo();
    const t0 = Date.now() - 120_000;
    const first = refuse(attendance, w0, t0, ['helmet_missing'], jpeg);
    // The worker stays at the camera: the lane decides again and again within the window.
    for (let s = 1; s <= 5; s++) refuse(attendance, w0, t0 + s * 1000);
    // Not uploaded: another reason only, and a stranger (nobody to name) without a helmet.
    refuse(attendance, w1, t0, ['contract_expired']);
    refuse(attendance, null, t0, ['not_enrolled', 'helmet_missing']);
    expect(queuedRefusals(a)).toEqual([first]);
    // A minute later the same worker without a helmet is a new upload.
    const later = refuse(attendance, w0, t0 + 61_000, ['contract_expired', 'helmet_missing'], null, 'out');
    expect(queuedRefusals(a)).toEqual([first, later]);
    expect(a.store.db.prepare("SELECT COUNT(*) FROM attendance_events WHERE decision = 'refuse'").pluck().get()).toBe(9);

    start(f, a);
    expect(await worker!.drain(20_000)).toBe(true);
    expect(a.outbox.counts()).toMatchObject({ sent: 2, parked: 0 });
    const rows = f.sim.store.refusals(PROJECT);
    expect(rows).toHaveLength(2);
    expect(rows[0]).toMatchObject({
      idCardType: '01',
      idCardNumber: fakeResidentId(0),
      date: formatDateTime(t0),
      direction: '01',
      deviceSn: DEVICE_SN,
      refuseType: '01',
      refuseReason: '未戴安全帽',
    });
    expect(rows[0]!.imageBytes).toBeGreaterThan(100);
    expect(rows[1]).toMatchObject({ date: formatDateTime(t0 + 61_000), direction: '02', refuseType: '01', refuseReason: '合同已到期；未戴安全帽', imageBytes: 0 });
    expect(f.sim.stats().byMethod[METHOD]).toBe(1); // both in one request
    expect(events.some((e) => e.type === 'delivered' && e.kind === 'refusal' && e.count === 2)).toBe(true);
  });

  it('with the switch off (no policy) nothing is queued', async () => {
    const { a } = await setUp();
    const off = new AttendanceRepo(a.store);
    refuse(off, a.workerIds[0] as number, Date.now());
    off.setRefusalUpload(DEFAULT_REFUSAL_UPLOAD);
    const on = refuse(off, a.workerIds[1] as number, Date.now());
    off.setRefusalUpload(null);
    refuse(off, a.workerIds[2] as number, Date.now());
    expect(queuedRefusals(a)).toEqual([on]);
  });

  it('while the platform is down the refusal waits in the outbox; it is delivered once the platform returns', async () => {
    const { f, a, attendance } = await setUp();
    const port = f.sim.port;
    await f.sim.close();
    refuse(attendance, a.workerIds[0] as number, Date.now());
    start(f, a);
    await new Promise((r) => setTimeout(r, 400));
    expect(worker!.status().connectivity).toBe('offline');
    const c = a.outbox.counts();
    expect([c.pending + c.inflight, c.sent, c.parked]).toEqual([1, 0, 0]);
    f.sim = await startPlatformSimulator({ dbPath: `${f.dir}/platform.db`, port, asyncDelayMs: 0, sealer: f.sealer, rateLimit: null });
    worker!.wake();
    expect(await worker!.drain(20_000)).toBe(true);
    expect(f.sim.store.refusals(PROJECT).map((r) => r.idCardNumber)).toEqual([fakeResidentId(0)]);
  });

  it('an unclear send is sent again and held once (repeat-safe by person, time and direction)', async () => {
    const { f, a, attendance } = await setUp();
    refuse(attendance, a.workerIds[0] as number, Date.now());
    f.sim.enqueueFaults({ kind: 'timeout-after-commit', method: METHOD });
    start(f, a);
    expect(await worker!.drain(20_000)).toBe(true);
    expect(a.outbox.counts()).toMatchObject({ sent: 1, parked: 0 });
    expect(f.sim.stats().byMethod[METHOD]).toBe(2);
    expect(f.sim.store.refusals(PROJECT)).toHaveLength(1);
  });

  it('a platform without the method (−3) parks the refusals with plain words; attendance goes on and the link stays up', async () => {
    const { f, a, attendance } = await setUp();
    f.sim.setApp({ ...DEFAULT_SIM_APP, methods: ALL_METHODS.filter((m) => m !== METHOD) });
    refuse(attendance, a.workerIds[0] as number, Date.now() - 5000);
    attendance.record({ laneId: 'lane-1', workerId: a.workerIds[1] as number, direction: 'in', decision: 'pass', occurredAt: Date.now() - 4000 });
    start(f, a);
    expect(await worker!.drain(20_000)).toBe(true);
    expect(a.outbox.counts()).toMatchObject({ sent: 1, parked: 1 });
    const parked = a.outbox.parked(10)[0]!;
    expect(parked.kind).toBe('refusal');
    expect(parked.parkedReason).toContain('platform.refusalUpload.method');
    expect(worker!.status().connectivity).toBe('online');
    expect(f.sim.stats().attendanceRows).toBe(1);
  });

  it('a province name for the method is configurable', async () => {
    const { f, a, attendance } = await setUp({ methodAliases: { 'JxGate.RefuseRecord': METHOD } }, { refusalMethod: 'JxGate.RefuseRecord' });
    refuse(attendance, a.workerIds[0] as number, Date.now());
    start(f, a);
    expect(await worker!.drain(20_000)).toBe(true);
    expect(f.sim.stats().byMethod['JxGate.RefuseRecord']).toBe(1);
    expect(f.sim.store.refusals(PROJECT)).toHaveLength(1);
  });

  it('the simulator checks the method strictly: unknown or missing fields are −1, a person off the roster fails per item', async () => {
    const { f } = await setUp();
    const c = f.client;
    const item = (over: Record<string, unknown> = {}) => ({
      idCardType: '01',
      idCardNumber: c.config.fieldCrypto.encrypt(fakeResidentId(1)),
      date: formatDateTime(Date.now()),
      direction: '01',
      deviceSn: DEVICE_SN,
      refuseType: '01',
      refuseReason: '未戴安全帽',
      ...over,
    });
    const code = async (data: unknown): Promise<number | string> => {
      try {
        await c.call(METHOD, data);
        return 'accepted';
      } catch (e) {
        return isPlatformError(e) ? (e.code ?? e.kind) : String(e);
      }
    };
    expect(await code({ projectCode: PROJECT, dataList: [item({ helmet: 0 })] })).toBe(-1);
    const missing: Record<string, unknown> = item();
    delete missing.refuseReason;
    expect(await code({ projectCode: PROJECT, dataList: [missing] })).toBe(-1);
    expect(await code({ projectCode: PROJECT, dataList: [item()], teamSysNo: 'T1' })).toBe(-1);
    expect(await code({ projectCode: PROJECT, dataList: [item({ direction: '03' })] })).toBe(-1);
    expect(await code({ projectCode: PROJECT, dataList: [item({ refuseType: '99' })] })).toBe(-1);
    expect(await code({ projectCode: PROJECT, dataList: [] })).toBe(-1);
    expect(f.sim.store.refusals(PROJECT)).toHaveLength(0);
    // Well formed, but the second person is not on the project's roster: that item fails alone.
    const serial = (await c.call(METHOD, { projectCode: PROJECT, dataList: [item(), item({ idCardNumber: c.config.fieldCrypto.encrypt(fakeResidentId(77)) })] })) as { requestSerialCode: string };
    const result = await c.asyncResult(serial.requestSerialCode, 2);
    expect(result).toMatchObject({ status: 'failed', perItem: true });
    expect(result.status === 'failed' && result.perItem ? result.failures.map((x) => x.index) : []).toEqual([1]);
    expect(f.sim.store.refusals(PROJECT).map((r) => r.idCardNumber)).toEqual([fakeResidentId(1)]);
  });
});
