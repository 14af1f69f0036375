// Runs one simulated working day against a real core process and reports what happened.
// Real parts: the core (startCore) in its own process, SQLite, HTTP, the drivers against the
// serial simulators on socat pseudo-terminals (held by this process, so they outlive a core
// crash), the platform simulator with random faults behind a TCP proxy that cuts the uplink.
// Test parts: the simulated clock (stepped over IPC, the three lanes sharing it, see the
// scheduler in runSoakDay), the face stand-in for the passages outside the real-face sample
// (face-stand-in.ts). The device heartbeat is the core's own. Used by soak.test.ts and the
// soak bench.
import type { ChildProcess } from 'node:child_process';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { mkdtempSync, readFileSync, rmSync, writeFileSync, mkdirSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { openStore, ProjectRepo, SettingsRepo, WorkersRepo, localDateTime } from '../../../edge-core/src/index.js';
import { startSimulators, type SimulatorSet } from '../../../drivers/src/index.js';
import { FAULT_KINDS, type FaultKind } from '../../../sync/simulator/faults.js';
import { DEFAULT_SIM_APP, startPlatformSimulator, type PlatformSimulator } from '../../../sync/simulator/server.js';
import { fakeName, fakeResidentId } from '../../../sync/test/support/fake-ids.js';
import { APPSECRET_KEY } from '../../server/sync-service.js';
import { GATE_POLICY_KEY } from '../../server/gate-service.js';
import { idCardPhoto, replayFrames } from '../fixtures/face-clips.js';
import { DAY_END, DAY_START, SITE_TZ, UNPLUGGED_RELAY, planDay, type DayPlan, type LaneId, type Passage } from './day-plan.js';
import { FRAMES_PER_PASSAGE, FRAME_H, FRAME_W, paintMarker } from './face-stand-in.js';
import { startFlapProxy, type FlapProxy } from './net-flap-proxy.js';
import type { FromCore, SoakSetup, ToCore } from './protocol.js';
import { auditLog, type LogAudit } from './log-audit.js';
import { spawnOwned } from '../../../build/test-support/owned-process.js';

export const PROJECT = 'SOAK-999999-0001';
/**
 * A lane's rest after a decision (gate.cooldownMs; site default 2000). Shorter here: every
 * passage of the day is a different person (the rest only keeps one person from being decided
 * twice), and each lane's rest has to pass on the shared simulated clock, which moves at most
 * a few seconds while another lane is mid-passage (see the scheduler in runSoakDay).
 */
export const SOAK_COOLDOWN_MS = 1000;
/** The appliance's serial as the platform knows it (its heartbeat registers the device key under it). */
/**
 * The simulated controllers run in this test process, whose event loop stalls for up to about
 * a second under CI load while it drives 5,000 passages; a real controller answers in
 * milliseconds. The drivers' reply timeouts (200-300 ms by default) would then report passes as
 * "not opened" although the simulator opened them. The harness gives them 2.5 s instead.
 */
function patientTurnstiles<T extends { type: string }>(list: readonly T[] | undefined): T[] {
  return (list ?? []).map((t) => {
    if (t.type === 'modbus_relay') return { ...t, timeoutMs: 2500 };
    if (t.type === 'wiegand_converter') return { ...t, ackTimeoutMs: 2500 };
    if (t.type === 'lcus_relay') return { ...t, statusTimeoutMs: 2500 };
    return t;
  });
}

export const DEVICE_SN = 'SOAK-DEVICE-01';
const LANES: LaneId[] = ['lane-1', 'lane-2', 'lane-3'];
/** The real face's identity number (region 999999 does not exist: obviously synthetic). */
const REAL_FACE_N = 20_000;
/** Platform faults during the day: every kind the simulator knows except the two that model a wrong appsecret (see README of the soak). */
export const SOAK_FAULT_KINDS: FaultKind[] = FAULT_KINDS.filter((k) => k !== 'code-2');

export interface SoakOptions {
  seed: number;
  passages: number;
  realEvery: number;
  faultRate?: number;
  log?: (line: string) => void;
  keepDir?: boolean;
  /**
   * Wall-time budget of the day's passages (ms; default none). When the pace measured so far
   * says the day would not fit, the passages still to come are thinned evenly — never the
   * real-face ones, never those at the relay's unplugged lane around its spell, and never below
   * `minPassages` in all — and every day event (flaps, unplugs, the SIGKILL, RSS samples) still
   * happens. The report says how many were left out. `npm test` sets it; the bench does not.
   */
  wallBudgetMs?: number;
  minPassages?: number;
  /** No passage finished for this long (ms, default 180 s): the core is killed and the day ends in errors. */
  stallMs?: number;
}

export interface PassageOutcome {
  seq: number;
  lane: LaneId;
  /** Planned arrival (simulated). */
  at: number;
  /** The decision's time by the core's clock (the record's time). */
  decidedAt?: number;
  who: Passage['who'];
  state: 'decided' | 'lost_in_crash' | 'error';
  decision?: 'pass' | 'refuse';
  opened?: boolean;
  eventId?: string | null;
  workerId?: number | null;
  reasons?: string[];
  frames: number;
  error?: string;
}

export interface RssSample {
  hour: number;
  /** Simulated time of the sample. */
  at: number;
  incarnation: number;
  pid: number;
  rssMb: number;
}

export interface SoakReport {
  seed: number;
  plan: Pick<DayPlan, 'workers' | 'strangers' | 'realPassages'> & { passages: number };
  outcomes: PassageOutcome[];
  /** Turnstile commands seen by the hardware simulators, per lane (ON pulses / Wiegand frames). */
  hardwareOpens: Record<LaneId, number>;
  relayUnplugged: { from: number; to: number };
  readerChecks: { offlineSeen: boolean; okAfterReplug: boolean; cardReadAfterReplug: boolean };
  relayOfflineSeen: boolean;
  local: { events: number; passRows: number; duplicateKeys: number; missingReported: string[]; outbox: Record<string, number> };
  platform: {
    rows: number;
    duplicateKeys: number;
    missing: number;
    extra: number;
    injected: Record<string, number>;
    /** Device signatures the platform verified / rejected (rejected: before the heartbeat registered the key, or forged). */
    signaturesVerified: number;
    signaturesRejected: number;
    /** The device's public key reached the platform through a heartbeat. */
    heartbeatSeen: boolean;
  };
  log: LogAudit;
  rss: RssSample[];
  /** Growth of VmRSS between the first and last hour sample of the same core process, per process. */
  rssGrowthMb: number[];
  flaps: number;
  connectionsCut: number;
  crashes: number;
  faceCounts: { real: number; standIn: number };
  drainedInMs: number;
  wallMs: number;
  /** Passages left out to fit `wallBudgetMs` (0 without a budget). */
  thinned: number;
  /** The day stalled (no passage finished for `stallMs`) and the core was killed. */
  stalled: boolean;
  /** Where the wall time went (real ms): see `Profile`. */
  profile: ProfileSummary;
}

/** Real-time latencies of the harness's round trips, to see where a passage's wall time goes. */
export interface ProfileSummary {
  /** Frame posts answered "collecting" (decode + analysis + detectors). */
  collectFrame: Latency;
  /** The frame post that decided (also: policy, the durable record, the turnstile command). */
  decideFrame: Latency;
  /** One passage, first frame to decision. */
  passage: Latency;
  /** IPC clock steps. */
  tick: Latency;
  /** Day events (flaps, unplug/replug with their health checks, RSS samples), total ms. */
  eventsMs: number;
  /** The passage loop (the whole simulated day), ms. */
  dayMs: number;
  /** Passages started while another lane was mid-passage. */
  concurrentStarts: number;
  /** Event-loop delay of the test process (it runs the serial simulators that ACK the turnstile commands), ms. */
  testLoopLagMs: { p99: number; max: number };
  /** Decision time minus planned arrival (simulated ms), over decided passages: the day's compression. */
  shiftMs: { min: number; max: number };
}
export interface Latency {
  n: number;
  totalMs: number;
  p50: number;
  p95: number;
  max: number;
}

function latency(xs: number[]): Latency {
  const s = [...xs].sort((a, b) => a - b);
  const q = (f: number) => Math.round(s[Math.min(s.length - 1, Math.floor(f * s.length))] ?? 0);
  return { n: s.length, totalMs: Math.round(s.reduce((a, b) => a + b, 0)), p50: q(0.5), p95: q(0.95), max: Math.round(s[s.length - 1] ?? 0) };
}

type WithoutId<T> = T extends unknown ? Omit<T, 'id'> : never;
type Waiter = { resolve: (m: FromCore) => void };

class CoreProcess {
  readonly proc: ChildProcess;
  readonly ready: Promise<{ url: string; pid: number }>;
  readonly exited: Promise<number | null>;
  readonly #waiters = new Map<number, Waiter>();
  #id = 0;
  stderr = '';

  constructor(soakDir: string, startSim: number) {
    // SOAK_CORE_NODE_ARGS: extra node flags for the core process (e.g. --cpu-prof), for profiling by hand.
    const extra = (process.env.SOAK_CORE_NODE_ARGS ?? '').split(' ').filter(Boolean);
    // An owned process (build/test-support/owned-process.ts): it cannot outlive the test, even one that times out.
    this.proc = spawnOwned(process.execPath, [...extra, '--import', import.meta.resolve('tsx'), join(import.meta.dirname, 'soak-core.main.ts'), soakDir, String(startSim)], {
      stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
    }).proc;
    this.proc.stderr?.on('data', (d: Buffer) => {
      this.stderr = (this.stderr + d.toString()).slice(-8000);
    });
    this.exited = new Promise((resolve) => this.proc.on('exit', (code) => resolve(code)));
    this.ready = new Promise((resolve, reject) => {
      this.proc.on('message', (raw) => {
        const m = raw as FromCore;
        if (m.type === 'ready') resolve({ url: m.url, pid: m.pid });
        else {
          const w = this.#waiters.get(m.id);
          this.#waiters.delete(m.id);
          w?.resolve(m);
        }
      });
      void this.exited.then((code) => reject(new Error(`core exited (${String(code)}) before ready: ${this.stderr.slice(-3000)}`)));
    });
  }

  ask(m: WithoutId<Extract<ToCore, { id: number }>>): Promise<FromCore> {
    const id = ++this.#id;
    return new Promise((resolve, reject) => {
      this.#waiters.set(id, { resolve });
      try {
        this.proc.send({ ...m, id } as ToCore);
      } catch (err) {
        this.#waiters.delete(id);
        reject(err as Error);
      }
      void this.exited.then(() => {
        if (this.#waiters.delete(id)) reject(new Error('core exited'));
      });
    });
  }
}

function rssMb(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = Number(/VmRSS:\s+(\d+)\s+kB/.exec(status)?.[1] ?? NaN);
  return kb / 1024;
}

async function until(what: string, check: () => boolean | Promise<boolean>, timeoutMs: number): Promise<boolean> {
  const end = Date.now() + timeoutMs;
  while (Date.now() < end) {
    if (await check()) return true;
    await new Promise((r) => setTimeout(r, 50));
  }
  return false;
}

async function prepareFrames(dir: string): Promise<{ real: Buffer[]; lanes: Buffer[][] }> {
  mkdirSync(dir, { recursive: true });
  const clip = await replayFrames(FRAMES_PER_PASSAGE);
  const real: Buffer[] = [];
  const lanes: Buffer[][] = LANES.map(() => []);
  for (let f = 0; f < clip.length; f++) {
    const raw = await sharp(clip[f]).resize(FRAME_W, FRAME_H).removeAlpha().raw().toBuffer();
    const jpeg = await sharp(raw, { raw: { width: FRAME_W, height: FRAME_H, channels: 3 } }).jpeg({ quality: 80 }).toBuffer();
    writeFileSync(join(dir, `real-${f}.jpg`), jpeg);
    real.push(jpeg);
    for (let l = 0; l < LANES.length; l++) {
      const marked = Uint8Array.from(raw);
      paintMarker(marked, l, f);
      lanes[l]?.push(await sharp(marked, { raw: { width: FRAME_W, height: FRAME_H, channels: 3 } }).jpeg({ quality: 80 }).toBuffer());
    }
  }
  return { real, lanes };
}

export async function runSoakDay(o: SoakOptions): Promise<SoakReport> {
  const wall0 = Date.now();
  const loopLag = monitorEventLoopDelay({ resolution: 10 });
  loopLag.enable();
  const log = o.log ?? (() => undefined);
  const plan = planDay({ seed: o.seed, passages: o.passages, realEvery: o.realEvery });
  const soakDir = mkdtempSync(join(tmpdir(), 'sitegate-soak-'));
  const applianceDir = join(soakDir, 'appliance');
  let sim: PlatformSimulator | null = null;
  let proxy: FlapProxy | null = null;
  let sims: SimulatorSet | null = null;
  let core: CoreProcess | null = null;
  let stallTimer: NodeJS.Timeout | null = null;
  try {
    // The simulated clock of this side (the platform's clock), stepped with the core's.
    let simT = DAY_START - 10 * 60_000;
    let simSetAt = performance.now();
    const simNow = () => Math.floor(simT + Math.min(performance.now() - simSetAt, 250));

    const frames = await prepareFrames(join(soakDir, 'frames'));
    sim = await startPlatformSimulator({ dbPath: join(soakDir, 'platform.db'), projects: [PROJECT], now: simNow, timestampWindowMs: 3600_000, asyncDelayMs: 20, rateLimit: null, seed: o.seed });
    const teamSysNo = sim.seedTeam({ projectCode: PROJECT, teamName: '测试班组', corpCode: '91999999MA00000000', corpName: '测试劳务公司' });
    for (let k = 0; k < plan.workers; k++) sim.seedWorker({ projectCode: PROJECT, idCardNumber: fakeResidentId(k), workerName: fakeName(k), teamSysNo });
    sim.seedWorker({ projectCode: PROJECT, idCardNumber: fakeResidentId(REAL_FACE_N), workerName: '测试真脸', teamSysNo });
    // The platform's roster says they have contracts and insurance (the roster pull keeps them passing).
    sim.store.db.prepare('UPDATE workers SET has_contract = 1, has_insurance = 1 WHERE project_code = ?').run(PROJECT);
    const simUrl = new URL(sim.url);
    proxy = await startFlapProxy({ host: simUrl.hostname, port: Number(simUrl.port) });
    sims = await startSimulators({ photo: 'jpeg', decodedJpeg: await idCardPhoto() });

    // The appliance as installed: project, team, workers (pulled earlier from the platform),
    // the gate policy (helmet as a reminder: the fixture face wears none) and the appsecret.
    const idPhoto = await idCardPhoto();
    const seeded = openStore({ dataDir: applianceDir, clock: { now: () => DAY_START - 3600_000 } });
    const workerIds: number[] = [];
    let realWorkerId = 0;
    {
      const store = seeded.store;
      new ProjectRepo(store).upsert({ code: PROJECT, name: '浸泡测试项目 Soak project', timeZone: SITE_TZ, lng: 115.89, lat: 28.68 });
      const workers = new WorkersRepo(store);
      const employerId = workers.createEmployer({ name: '测试劳务公司', creditCode: '91999999MA00000000', corpType: 'labour' }, 'soak').id;
      const teamId = workers.createTeam({ employerId, name: '测试班组', platformTeamSysNo: teamSysNo }, 'soak').id;
      const common = {
        idType: '01' as const,
        tradeCode: '010',
        role: 'worker' as const,
        employerId,
        teamId,
        source: 'platform' as const,
        hasContract: true,
        contractStart: '2026-01-01',
        contractEnd: '2027-12-31',
        hasInsurance: true,
        insuranceStart: '2026-01-01',
        insuranceEnd: '2027-12-31',
      };
      store.tx(() => {
        for (let k = 0; k < plan.workers; k++) workerIds.push(workers.create({ ...common, name: fakeName(k), idNumber: fakeResidentId(k) }, 'soak').id);
        realWorkerId = workers.create({ ...common, name: '测试真脸', idNumber: fakeResidentId(REAL_FACE_N), idPhoto }, 'soak').id;
      });
      const settings = new SettingsRepo(store);
      settings.set(GATE_POLICY_KEY, { helmet: { action: 'remind' } });
      settings.setSecret(APPSECRET_KEY, DEFAULT_SIM_APP.appsecret);
      store.close();
    }
    const idNumberOf = new Map<number, string>(workerIds.map((id, k) => [id, fakeResidentId(k)]));
    idNumberOf.set(realWorkerId, fakeResidentId(REAL_FACE_N));

    const setup: SoakSetup = {
      config: {
        demo: false,
        server: { port: 0 },
        project: { code: PROJECT, name: '浸泡测试项目 Soak project', timeZone: SITE_TZ, lng: 115.89, lat: 28.68 },
        lanes: [
          { id: 'lane-1', name: '1号通道 进 Lane 1 in', direction: 'in' },
          { id: 'lane-2', name: '2号通道 出 Lane 2 out', direction: 'out' },
          { id: 'lane-3', name: '3号通道 进 Lane 3 in', direction: 'in' },
        ],
        devices: { simulate: false, ...sims.config, turnstiles: patientTurnstiles(sims.config.turnstiles) },
        platform: { type: 'remote', endpoint: `${proxy.url}/api`, appId: DEFAULT_SIM_APP.appid, deviceSn: DEVICE_SN, timeoutMs: 1000, timestampWindowMs: 3600_000 },
        gate: { livenessPolicy: 'test-only:temporal-off', cooldownMs: SOAK_COOLDOWN_MS },
        log: { level: 'info' },
      },
      workerIds,
      realWorkerId,
      framesPerPassage: FRAMES_PER_PASSAGE,
    };
    writeFileSync(join(soakDir, 'setup.json'), JSON.stringify(setup));

    const logFile = join(soakDir, 'core.log');
    const cardReads = () => (existsSync(logFile) ? readFileSync(logFile, 'utf8').split('\n').filter((l) => l.includes('"msg":"ID card read"')).length : 0);
    const prof = { collect: [] as number[], decide: [] as number[], passage: [] as number[], tick: [] as number[], eventsMs: 0, dayMs: 0, concurrentStarts: 0 };
    let incarnation = 0;
    const startedAtSim = new Map<number, number>();
    let url = '';
    let pid = 0;
    const start = async () => {
      core = new CoreProcess(soakDir, simNow());
      const r = await core.ready;
      url = r.url;
      pid = r.pid;
      incarnation++;
      startedAtSim.set(incarnation, simNow());
      log(`core #${incarnation} ready pid ${pid} at ${localDateTime(simNow(), SITE_TZ)}`);
    };
    const tick = async (t: number, lane?: number, face?: Passage['who'] | null) => {
      if (t > simT) {
        simT = t;
        simSetAt = performance.now();
      }
      const c = core as CoreProcess | null;
      if (!c) return;
      const standIn = face && face.kind !== 'real' ? { kind: face.kind, k: face.k } : null;
      const t0 = performance.now();
      await c.ask(lane === undefined ? { type: 'tick', t } : { type: 'tick', t, lane, face: standIn });
      prof.tick.push(performance.now() - t0);
    };
    const health = async (): Promise<Record<string, { ok: boolean }>> => {
      const r = await fetch(`${url}/health`);
      return ((await r.json()) as { components: Record<string, { ok: boolean }> }).components;
    };

    sim.setRandomFaults({ rate: o.faultRate ?? 0.1, kinds: SOAK_FAULT_KINDS, delayMs: 300, hangMs: 1500 }, o.seed);
    await start();

    const outcomes: PassageOutcome[] = [];
    const crashIncarnation = { value: 0 };
    const runPassage = async (p: Passage): Promise<PassageOutcome> => {
      const base = { seq: p.seq, lane: p.lane, at: p.at, who: p.who };
      const myIncarnation = incarnation;
      const list = p.who.kind === 'real' ? frames.real : (frames.lanes[LANES.indexOf(p.lane)] as Buffer[]);
      let n = 0;
      const answers: Record<string, number> = {};
      const p0 = performance.now();
      try {
        for (; n < 30; n++) {
          const f0 = performance.now();
          const r = await fetch(`${url}/api/lanes/${p.lane}/frames`, { method: 'POST', headers: { 'content-type': 'image/jpeg' }, body: new Uint8Array(list[n % list.length] as Buffer) });
          // eslint-disable-next-line @typescript-eslint/no-explicit-any -- the lane's answer, read field by field
          const json = (await r.json()) as any;
          if (r.status !== 200) return { ...base, state: 'error', frames: n + 1, error: `HTTP ${r.status} ${JSON.stringify(json).slice(0, 300)}` };
          (json.state === 'decided' ? prof.decide : prof.collect).push(performance.now() - f0);
          const answer = json.state === 'rejected_frame' ? `rejected:${(json.reasons ?? []).map((x: { code: string }) => x.code).join('+')}` : String(json.state);
          answers[answer] = (answers[answer] ?? 0) + 1;
          if (json.state === 'decided') {
            prof.passage.push(performance.now() - p0);
            const d = json.decision;
            return {
              ...base,
              state: 'decided',
              frames: n + 1,
              decidedAt: d.at,
              decision: d.decision,
              opened: d.opened,
              eventId: d.eventId,
              workerId: d.worker?.id ?? null,
              reasons: [...(d.livenessReasons ?? []).map((x: { code: string }) => x.code), ...(d.reasons ?? []).map((x: { code: string }) => x.code)],
            };
          }
        }
        return { ...base, state: 'error', frames: n, error: `the lane never decided (answers: ${JSON.stringify(answers)})` };
      } catch (err) {
        if (crashIncarnation.value === myIncarnation) return { ...base, state: 'lost_in_crash', frames: n };
        return { ...base, state: 'error', frames: n, error: String((err as Error).message) };
      }
    };
    const rss: RssSample[] = [];
    const relayUnplugged = { from: 0, to: 0 };
    const readerChecks = { offlineSeen: false, okAfterReplug: false, cardReadAfterReplug: false };
    let relayOfflineSeen = false;
    let flaps = 0;
    let crashes = 0;
    // The lanes run at once, each through its own passages in order, on one shared simulated
    // clock that only moves forward. The clock is loose about WHEN a passage happens and strict
    // about what a lane sees DURING one:
    // - a lane may start a passage up to AHEAD_MS before its planned time (its record then
    //   carries the earlier time: the day is compressed, not reordered: every person's passages
    //   are hours apart);
    // - while any passage is in flight the clock moves at most JUMP_BUDGET_MS past that
    //   passage's start, so its liveness window (3 s of frames) is never emptied by a jump;
    // - a lane starts its next passage only after its rest (gate.cooldownMs) on the clock;
    // - when every lane is idle and nothing can start, the clock jumps to the earliest planned
    //   passage, and the lanes with a passage planned up to AHEAD_MS later start with it.
    // Day events happen when no lane could start anything before them; the relay and reader
    // unplugs/replugs wait for all lanes to be idle, so they fall between passages.
    const AHEAD_MS = 60_000;
    const JUMP_BUDGET_MS = 2500;
    /** gate.cooldownMs of the configuration, plus the core clock's creep (≤ 250 ms) between steps. */
    const LANE_REST_MS = SOAK_COOLDOWN_MS + 300;
    const laneQueue = new Map<LaneId, Passage[]>(LANES.map((l) => [l, plan.passages.filter((p) => p.lane === l)]));
    const laneBusy = new Set<LaneId>();
    const laneRestUntil = new Map<LaneId, number>();
    /** In-flight passages and the clock at their start. */
    const inflight = new Map<Promise<void>, number>();
    const events = [...plan.events];
    let crashPending = false;
    let done = 0;
    const handleEvent = async (e: DayPlan['events'][number]) => {
      const e0 = performance.now();
      try {
        await handleEventInner(e);
      } finally {
        prof.eventsMs += performance.now() - e0;
      }
    };
    const handleEventInner = async (e: DayPlan['events'][number]) => {
      await tick(e.at);
      if (e.kind === 'net-down') {
        proxy?.down();
        flaps++;
      } else if (e.kind === 'net-up') proxy?.up();
      else if (e.kind === 'unplug') {
        await sims?.unplug(e.device);
        if (e.device === UNPLUGGED_RELAY.device) {
          relayUnplugged.from = simNow();
          relayOfflineSeen = await until('relay offline', async () => (await health())['device:turnstile-modbus']?.ok === false, 10_000);
        } else readerChecks.offlineSeen = await until('reader offline', async () => (await health())['device:reader-1']?.ok === false, 10_000);
        log(`${e.device} unplugged at ${localDateTime(e.at, SITE_TZ)}`);
      } else if (e.kind === 'replug') {
        await sims?.replug(e.device);
        if (e.device === UNPLUGGED_RELAY.device) {
          relayUnplugged.to = simNow();
          await until('relay back', async () => (await health())['device:turnstile-modbus']?.ok === true, 10_000);
        } else {
          readerChecks.okAfterReplug = await until('reader back', async () => (await health())['device:reader-1']?.ok === true, 10_000);
          const before = cardReads();
          sims?.idCardReader.place('resident');
          readerChecks.cardReadAfterReplug = await until('card read', () => cardReads() > before, 10_000);
          sims?.idCardReader.remove();
        }
        log(`${e.device} replugged at ${localDateTime(e.at, SITE_TZ)}`);
      } else if (e.kind === 'crash') crashPending = true;
      else if (e.kind === 'rss-sample') rss.push({ hour: e.hour, at: e.at, incarnation, pid, rssMb: rssMb(pid) });
    };
    const day0 = performance.now();
    // Progress, not the wall clock: the day is thinned to its budget from the pace measured so
    // far (see SoakOptions.wallBudgetMs), and ends in an error only if nothing moves at all.
    let lastProgress = performance.now();
    let stalled = false;
    const stallMs = o.stallMs ?? 180_000;
    stallTimer = setInterval(() => {
      if (stalled || performance.now() - lastProgress < stallMs) return;
      stalled = true;
      log(`no passage finished for ${Math.round(stallMs / 1000)} s: the core is killed`);
      (core as CoreProcess | null)?.proc.kill('SIGKILL');
    }, 1000);
    stallTimer.unref();
    let thinned = 0;
    const budgetMs = o.wallBudgetMs ?? Number.POSITIVE_INFINITY;
    const relayFrom = plan.events.find((e) => e.kind === 'unplug' && e.device === UNPLUGGED_RELAY.device)?.at ?? 0;
    const relayTo = plan.events.find((e) => e.kind === 'replug' && e.device === UNPLUGGED_RELAY.device)?.at ?? 0;
    /** Passages a thinned day still makes: the real face's, and those at the relay's lane around its unplugged spell. */
    const kept = (p: Passage): boolean => p.who.kind === 'real' || (p.lane === UNPLUGGED_RELAY.lane && p.at >= relayFrom - 2 * AHEAD_MS && p.at <= relayTo + 2 * AHEAD_MS);
    const thinToBudget = (): void => {
      if (!Number.isFinite(budgetMs) || done < 100) return;
      const spent = performance.now() - day0;
      const left = [...laneQueue.values()].reduce((n, q) => n + q.length, 0);
      const afford = Math.max(Math.floor(((budgetMs - spent) * done) / spent), (o.minPassages ?? 0) - done - inflight.size, 0);
      if (left <= afford * 1.05) return;
      const optional = [...laneQueue.values()].reduce((n, q) => n + q.filter((p) => !kept(p)).length, 0);
      const ratio = optional ? Math.max(0, afford - (left - optional)) / optional : 1;
      let before = 0;
      for (const [lane, queue] of laneQueue) {
        let acc = 0.999; // rounds up: the floor of minPassages holds
        before += queue.length;
        laneQueue.set(
          lane,
          queue.filter((p) => {
            if (kept(p)) return true;
            acc += ratio;
            if (acc < 1) return false;
            acc -= 1;
            return true;
          }),
        );
      }
      const after = [...laneQueue.values()].reduce((n, q) => n + q.length, 0);
      thinned += before - after;
      log(`pace ${Math.round(spent / done)} ms a passage after ${done}: ${before - after} of the ${before} passages to come left out to fit the ${Math.round(budgetMs / 1000)} s budget`);
    };
    /** The earliest clock at which an idle lane may start its next passage. */
    const need = (l: LaneId): number => {
      const p = laneQueue.get(l)?.[0];
      return p ? Math.max(laneRestUntil.get(l) ?? 0, p.at - AHEAD_MS) : Number.POSITIVE_INFINITY;
    };
    /** How far the clock may move now. */
    const clockLimit = (): number => (inflight.size ? Math.min(...inflight.values()) + JUMP_BUDGET_MS : Number.POSITIVE_INFINITY);
    const startPassage = async (l: LaneId, at: number): Promise<void> => {
      const p = laneQueue.get(l)?.shift() as Passage;
      laneBusy.add(l);
      await tick(at, LANES.indexOf(l), p.who);
      const run: Promise<void> = runPassage(p).then((out) => {
        outcomes.push(out);
        laneBusy.delete(l);
        // The core starts the rest when the decision is done (its clock then is at most the creep past ours).
        laneRestUntil.set(l, Math.max(simT, out.decidedAt ?? at) + LANE_REST_MS);
        inflight.delete(run);
        done++;
        lastProgress = performance.now();
        if (done % 50 === 0) thinToBudget();
        if (done % 500 === 0) log(`${done} passages, ${localDateTime(simT, SITE_TZ)}, ${Math.round((Date.now() - wall0) / 1000)} s`);
      });
      inflight.set(run, simT);
    };
    for (;;) {
      if (stalled) throw new Error(`the day stalled after ${done} passages: none finished for ${Math.round(stallMs / 1000)} s (core killed)`);
      const idle = LANES.filter((l) => !laneBusy.has(l) && (laneQueue.get(l)?.length ?? 0) > 0);
      const frontier = Math.min(...idle.map(need));
      const nextEvent = events[0];
      if (nextEvent && nextEvent.at <= frontier) {
        const quiet = nextEvent.kind === 'unplug' || nextEvent.kind === 'replug';
        if (inflight.size && (quiet || nextEvent.at > clockLimit())) {
          await Promise.race(inflight.keys());
          continue;
        }
        events.shift();
        await handleEvent(nextEvent);
        continue;
      }
      if (idle.length === 0 && inflight.size === 0) break;
      if (inflight.size === 0 && frontier > simT) {
        // Nothing runs and nothing may start yet: jump so that the earliest passage is on time
        // (and the other lanes' passages within AHEAD_MS after it may start with it).
        const onTime = Math.min(...idle.map((l) => Math.max(laneRestUntil.get(l) ?? 0, (laneQueue.get(l)?.[0] as Passage).at)));
        await tick(Math.min(onTime, nextEvent?.at ?? Number.POSITIVE_INFINITY));
      }
      let started = 0;
      // Earliest first, so the clock never passes an idle lane's next start.
      for (const l of idle.sort((a, b) => need(a) - need(b))) {
        const n = need(l);
        if (n > clockLimit() || (nextEvent && n > nextEvent.at)) continue;
        if (laneBusy.size > 0) prof.concurrentStarts++;
        await startPassage(l, Math.max(simT, n));
        started++;
      }
      if (crashPending && inflight.size > 0) {
        // SIGKILL while passages are being decided.
        crashPending = false;
        await new Promise((r) => setTimeout(r, 40));
        const c = core as CoreProcess | null;
        if (c) {
          crashIncarnation.value = incarnation;
          const inFlight = inflight.size;
          c.proc.kill('SIGKILL');
          await c.exited;
          crashes++;
          await Promise.all(inflight.keys());
          log(`core SIGKILLed at ${localDateTime(simT, SITE_TZ)} with ${inFlight} passage(s) in flight`);
          await start();
        }
        continue;
      }
      if (started === 0 && inflight.size > 0) await Promise.race(inflight.keys());
    }
    for (const e of events) await handleEvent(e);
    prof.dayMs = performance.now() - day0;
    clearInterval(stallTimer); // the night's drain has its own bound
    log(`day over after ${Math.round((Date.now() - wall0) / 1000)} s; draining the outbox`);

    // Night: the uplink is back and the platform stops failing; the outbox must empty.
    proxy.up();
    sim.clearFaults();
    const drain0 = Date.now();
    let counts: Extract<FromCore, { type: 'counts' }> | null = null;
    let t = Math.max(DAY_END, simT);
    for (;;) {
      t += 10_000;
      await tick(t);
      counts = (await (core as unknown as CoreProcess).ask({ type: 'counts' })) as Extract<FromCore, { type: 'counts' }>;
      const c = counts.counts;
      if (c.pending + c.inflight + c.ambiguous === 0) break;
      if (Date.now() - drain0 > 120_000) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    const drainedInMs = Date.now() - drain0;
    const faceCounts = counts?.face ?? { real: 0, standIn: 0 };
    const final = core as unknown as CoreProcess;
    final.proc.send({ type: 'stop' } satisfies ToCore);
    const code = await Promise.race([final.exited, new Promise<'timeout'>((r) => setTimeout(() => r('timeout'), 20_000))]);
    if (code === 'timeout') final.proc.kill('SIGKILL');
    core = null;

    // What the hardware saw.
    const hardwareOpens: Record<LaneId, number> = {
      'lane-1': sims.modbusRelay.history.filter((h) => h.coil === 0 && h.on).length,
      'lane-2': sims.wiegandConverter.received.length,
      'lane-3': sims.lcusRelay.history.filter((h) => h.channel === 1 && h.on).length,
    };

    // What the appliance holds.
    const { store } = openStore({ dataDir: applianceDir, clock: { now: () => t } });
    const rows = store.db.prepare('SELECT id, worker_id AS workerId, direction, occurred_at AS at, decision FROM attendance_events').all() as Array<{
      id: string;
      workerId: number | null;
      direction: 'in' | 'out';
      at: number;
      decision: string;
    }>;
    const outboxRows = store.db.prepare("SELECT state, COUNT(*) AS n FROM outbox WHERE kind = 'attendance' GROUP BY state").all() as Array<{ state: string; n: number }>;
    store.close();
    const byId = new Map(rows.map((r) => [r.id, r]));
    const missingReported = outcomes.filter((x) => x.state === 'decided' && x.eventId && !byId.has(x.eventId)).map((x) => String(x.eventId));
    const keyOf = (idNumber: string, at: number, direction: string) => `${idNumber}|${localDateTime(at, SITE_TZ)}|${direction === 'in' || direction === '01' ? 'in' : 'out'}`;
    const localPass = rows.filter((r) => r.decision === 'pass' && r.workerId !== null);
    const localKeys = localPass.map((r) => keyOf(idNumberOf.get(r.workerId as number) ?? `?${r.workerId}`, r.at, r.direction));
    const platformRows = sim.store.allAttendance().filter((r) => r.projectCode === PROJECT);
    const platformKeys = platformRows.map((r) => `${r.idCardNumber}|${r.date}|${r.direction === '01' ? 'in' : 'out'}`);
    const count = (keys: string[]) => {
      const m = new Map<string, number>();
      for (const k of keys) m.set(k, (m.get(k) ?? 0) + 1);
      return m;
    };
    const localCount = count(localKeys);
    const platformCount = count(platformKeys);
    let missing = 0;
    let extra = 0;
    for (const [k, n] of localCount) missing += Math.max(0, n - (platformCount.get(k) ?? 0));
    for (const [k, n] of platformCount) extra += Math.max(0, n - (localCount.get(k) ?? 0));

    // Per core process: from its first hour sample after a warm-up hour to its last one.
    const rssGrowthMb: number[] = [];
    for (const [inc, startedAt] of startedAtSim) {
      const s = rss.filter((r) => r.incarnation === inc && r.at >= startedAt + 3600_000);
      if (s.length >= 2) rssGrowthMb.push((s[s.length - 1] as RssSample).rssMb - (s[0] as RssSample).rssMb);
    }
    return {
      seed: o.seed,
      plan: { workers: plan.workers, strangers: plan.strangers, realPassages: plan.realPassages, passages: plan.passages.length },
      outcomes: outcomes.sort((a, b) => a.seq - b.seq),
      hardwareOpens,
      relayUnplugged,
      readerChecks,
      relayOfflineSeen,
      local: {
        events: rows.length,
        passRows: localPass.length,
        duplicateKeys: localKeys.length - localCount.size,
        missingReported,
        outbox: Object.fromEntries(outboxRows.map((r) => [r.state, r.n])),
      },
      platform: {
        rows: platformRows.length,
        duplicateKeys: platformKeys.length - platformCount.size,
        missing,
        extra,
        injected: sim.stats().injected as Record<string, number>,
        signaturesVerified: sim.stats().signaturesVerified,
        signaturesRejected: sim.stats().signaturesRejected,
        heartbeatSeen: sim.stats().lastHeartbeat !== null,
      },
      log: auditLog(readFileSync(logFile, 'utf8'), { relayUnplugged, crashAt: plan.events.find((e) => e.kind === 'crash')?.at ?? 0 }),
      rss,
      rssGrowthMb,
      flaps,
      connectionsCut: proxy.cut,
      crashes,
      faceCounts,
      drainedInMs,
      wallMs: Date.now() - wall0,
      thinned,
      stalled,
      profile: {
        collectFrame: latency(prof.collect),
        decideFrame: latency(prof.decide),
        passage: latency(prof.passage),
        tick: latency(prof.tick),
        eventsMs: Math.round(prof.eventsMs),
        dayMs: Math.round(prof.dayMs),
        concurrentStarts: prof.concurrentStarts,
        testLoopLagMs: { p99: Math.round(loopLag.percentile(99) / 1e6), max: Math.round(loopLag.max / 1e6) },
        shiftMs: {
          min: Math.min(...outcomes.map((x) => (x.decidedAt ?? x.at) - x.at)),
          max: Math.max(...outcomes.map((x) => (x.decidedAt ?? x.at) - x.at)),
        },
      },
    };
  } finally {
    if (stallTimer) clearInterval(stallTimer);
    loopLag.disable();
    const c = core as CoreProcess | null;
    if (c) {
      c.proc.kill('SIGKILL');
      await c.exited;
    }
    await sims?.stop();
    await proxy?.close();
    await sim?.close();
    if (!o.keepDir) rmSync(soakDir, { recursive: true, force: true });
    else log(`soak dir kept: ${soakDir}`);
  }
}
