// Sync benchmarks against the real simulator over loopback, with a real appliance store:
//   sync.drain.per_s             a queued backlog (with photos) drained into the platform
//   sync.online_latency.p95_ms   passage committed → platform confirmed, 3 lanes × 1/s
//   sync.bytes_per_record        request bytes per attendance record (all calls counted)
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import { AttendanceRepo, OutboxRepo, openStore, ProjectRepo, uuidv7, WorkersRepo, type Store } from '../../edge-core/src/index.js';
import type { BenchContext, BenchResult, BenchSuite } from '../../build/bench/harness.js';
import { distribution } from '../../build/bench/harness.js';
import { createPlatformClient } from '../src/platform/client.js';
import { startOutboxWorker } from '../src/outbox/outbox-worker.js';
import { DEFAULT_SIM_APP } from '../simulator/server.js';
import { withCheckDigit } from '../src/platform/id-number.js';

const PROJECT = 'TEST-PROJECT-001';
const WORKERS = 300;

/** Synthetic ID numbers (region 999999 does not exist). */
function fakeId(n: number): string {
  const first17 = `99999919900101${String(n).padStart(3, '0')}`;
  return withCheckDigit(first17);
}

async function facePhoto(): Promise<Buffer> {
  // A 160×160 gradient with noise: about the size of a face crop after the platform fit.
  const w = 160;
  const raw = Buffer.alloc(w * w * 3);
  for (let i = 0; i < raw.length; i++) raw[i] = ((i % (w * 3)) + ((i * 2654435761) >>> 28)) & 0xff;
  return sharp(raw, { raw: { width: w, height: w, channels: 3 } }).jpeg({ quality: 70 }).toBuffer();
}

/** The simulator in its own process (as the real platform is elsewhere), driven over HTTP. */
interface SimHandle {
  url: string;
  admin(path: string, body?: unknown): Promise<unknown>;
  attendanceCount(): Promise<number>;
  close(): Promise<void>;
}

async function startExternalSim(dir: string, asyncDelayMs: number): Promise<SimHandle> {
  const proc: ChildProcess = spawn(
    process.execPath,
    ['--import', import.meta.resolve('tsx'), join(import.meta.dirname, '../simulator/main.ts'), '--port', '0', '--db', join(dir, 'platform.db'), '--async-delay-ms', String(asyncDelayMs), '--rate-limit', '0'],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    proc.stdout?.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /listening on (http:\/\/[^\s]+)/.exec(out);
      if (m?.[1]) resolve(m[1]);
    });
    proc.on('exit', (code) => reject(new Error(`simulator exited (${code}): ${out}`)));
  });
  const base = url.replace(/\/api$/, '');
  const admin = async (path: string, body?: unknown): Promise<unknown> => {
    const res = await fetch(`${base}${path}`, body === undefined ? {} : { method: 'POST', body: JSON.stringify(body) });
    return res.json();
  };
  return {
    url,
    admin,
    attendanceCount: async () => ((await admin('/admin/status')) as { attendanceRows: number }).attendanceRows,
    close: () =>
      new Promise<void>((resolve) => {
        proc.once('exit', () => resolve());
        proc.kill('SIGTERM');
      }),
  };
}

interface Setup {
  store: Store;
  outbox: OutboxRepo;
  workerIds: number[];
  sim: SimHandle;
}

async function setup(dir: string, asyncDelayMs: number): Promise<Setup> {
  mkdirSync(dir, { recursive: true });
  const sim = await startExternalSim(dir, asyncDelayMs);
  const { teamSysNo } = (await sim.admin('/admin/teams', { teamName: '测试班组', corpCode: '91999999MA00000000', corpName: '测试劳务公司' })) as { teamSysNo: string };
  const { store } = openStore({ dataDir: join(dir, 'appliance'), clock: { now: () => Date.now() } });
  new ProjectRepo(store).upsert({ code: PROJECT, name: '测试项目', timeZone: 'Asia/Shanghai', lng: 115.89, lat: 28.68 });
  const workers = new WorkersRepo(store);
  const employerId = workers.createEmployer({ name: '测试劳务公司', creditCode: '91999999MA00000000', corpType: 'labour' }, 'bench').id;
  const teamId = workers.createTeam({ employerId, name: '测试班组', platformTeamSysNo: teamSysNo }, 'bench').id;
  const workerIds: number[] = [];
  for (let i = 0; i < WORKERS; i++) {
    await sim.admin('/admin/workers', { idCardNumber: fakeId(i), workerName: `测试${i}`, teamSysNo });
    workerIds.push(workers.create({ name: `测试${i}`, idType: '01', idNumber: fakeId(i), tradeCode: '010', role: 'worker', employerId, teamId, source: 'platform' }, 'bench').id);
  }
  return { store, outbox: new OutboxRepo(store), workerIds, sim };
}

function client(sim: SimHandle) {
  return createPlatformClient({ endpoint: sim.url, appid: DEFAULT_SIM_APP.appid, appsecret: DEFAULT_SIM_APP.appsecret, projectCode: PROJECT, timeoutMs: 10_000 });
}

/** Queues `n` passes with photos the way AttendanceRepo does (event + outbox row), in bulk. */
function queueBacklog(s: Setup, n: number, photo: Buffer): void {
  const db = s.store.db;
  const ev = db.prepare(
    `INSERT INTO attendance_events (id, lane_id, worker_id, direction, occurred_at, time_zone, local_date, decision, photo_enc, created_at)
     VALUES (?, ?, ?, ?, ?, 'Asia/Shanghai', '2026-05-01', 'pass', ?, ?)`,
  );
  const ob = db.prepare(`INSERT INTO outbox (kind, ref_id, partition_key, state, next_attempt_at, created_at) VALUES ('attendance', ?, ?, 'pending', ?, ?)`);
  const base = Date.UTC(2026, 3, 30, 16, 0, 0);
  const now = Date.now();
  for (let start = 0; start < n; start += 5000) {
    s.store.tx(() => {
      for (let k = start; k < Math.min(n, start + 5000); k++) {
        const w = s.workerIds[k % WORKERS] as number;
        const at = base + k * 1000; // distinct seconds: one record per (person, time)
        const id = uuidv7(at);
        ev.run(id, `lane-${(k % 3) + 1}`, w, k % 2 ? 'out' : 'in', at, s.store.cipher.encrypt(photo, 'attendance_events.photo'), now);
        ob.run(id, `worker:${w}`, now, now);
      }
    });
  }
}

async function drainBench(ctx: BenchContext, photo: Buffer): Promise<BenchResult[]> {
  const n = ctx.quick ? 5_000 : 100_000;
  const s = await setup(join(ctx.tmpDir, 'drain'), 50);
  queueBacklog(s, n, photo);
  ctx.log(`sync.drain: ${n} records queued (photo ${photo.length} B), draining…`);
  const c = client(s.sim);
  const t0 = process.hrtime.bigint();
  const worker = startOutboxWorker({ outbox: s.outbox, client: c, clock: { now: () => Date.now() }, concurrency: Number(process.env.SYNC_BENCH_CONCURRENCY ?? 4), idleMs: 20, resultPollMs: 60, onProgress: (e) => { if (process.env.SYNC_BENCH_DEBUG && e.type === "error") ctx.log(`${Date.now() % 100000} ${e.kind} ${e.message.en}`); } });
  const drained = await worker.drain(30 * 60_000);
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  await worker.stop();
  ctx.log(`sync.drain: ${seconds.toFixed(1)} s; platform calls ${JSON.stringify(((await s.sim.admin('/admin/status')) as { byMethod: unknown }).byMethod)}`);
  const onPlatform = await s.sim.attendanceCount();
  const bytes = c.stats.requestBytes / n;
  c.close();
  s.store.close();
  await s.sim.close();
  if (!drained || onPlatform !== n) throw new Error(`drain incomplete: ${onPlatform}/${n} on the platform`);
  return [
    { name: 'sync.drain.per_s', unit: 'records/s', value: Math.round(n / seconds), n, target: '>= 500', note: `${n} queued records with ${photo.length} B photos, loopback simulator` },
    { name: 'sync.bytes_per_record', unit: 'bytes', value: Math.round(bytes), n, note: `all request bytes (writes, result polls) / records; photo ${photo.length} B JPEG` },
  ];
}

async function latencyBench(ctx: BenchContext, photo: Buffer): Promise<BenchResult[]> {
  const seconds = ctx.quick ? 8 : 60;
  const s = await setup(join(ctx.tmpDir, 'latency'), 50);
  const c = client(s.sim);
  const attendance = new AttendanceRepo(s.store);
  const worker = startOutboxWorker({ outbox: s.outbox, client: c, clock: { now: () => Date.now() } });
  let k = 0;
  const lanes = ['lane-1', 'lane-2', 'lane-3'].map((laneId, li) =>
    (async () => {
      await new Promise((r) => setTimeout(r, li * 333));
      for (let i = 0; i < seconds; i++) {
        const workerId = s.workerIds[k++ % WORKERS] ?? null;
        attendance.record({ laneId, workerId, direction: 'in', decision: 'pass', photoJpeg: photo });
        worker.wake();
        await new Promise((r) => setTimeout(r, 1000));
      }
    })(),
  );
  await Promise.all(lanes);
  await worker.drain(60_000);
  await worker.stop();
  const samples = (s.store.db.prepare(`SELECT sent_at - created_at AS ms FROM outbox WHERE kind = 'attendance' AND state = 'sent'`).all() as Array<{ ms: number }>).map((r) => r.ms);
  c.close();
  s.store.close();
  await s.sim.close();
  return [distribution('sync.online_latency.p95_ms', 'ms', samples, 'p95', '<= 5000')];
}

const suite: BenchSuite = {
  prefix: 'sync.',
  async run(ctx) {
    const photo = await facePhoto();
    return [...(await drainBench(ctx, photo)), ...(await latencyBench(ctx, photo))];
  },
};

export default suite;
