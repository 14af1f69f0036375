// Chaos: three lanes produce 20,000 attendance records in an appliance process that is
// SIGKILLed 10 times at random instants, while the simulator fails 30 % of calls in every
// way it knows. Afterwards the platform holds every record exactly once and nothing else.
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { FAULT_KINDS } from '../simulator/faults.js';
import { startPlatformSimulator, type PlatformSimulator } from '../simulator/server.js';
import { AttendanceRepo, openStore } from '../../edge-core/src/index.js';
import { fakeName, fakeResidentId } from './support/fake-ids.js';
import { spawnOwned } from '../../build/test-support/owned-process.js';

const TOTAL = 20_000;
const WORKERS = 200;
const KILLS = 10;
const seed = Number(process.env.CHAOS_SEED ?? Date.now() % 100_000);

let sim: PlatformSimulator | null = null;
let child: ChildProcess | null = null;
afterAll(async () => {
  child?.kill('SIGKILL');
  await sim?.close();
});

/** No record produced or delivered for this long: the run has stalled (progress, not the wall clock, is judged). */
const STALL_MS = 120_000;

function runProducer(dir: string, url: string, teamSysNo: string): { proc: ChildProcess; exited: Promise<number | null>; lastLine: () => string; stalled: Promise<'stalled'> } {
  // An owned process (build/test-support/owned-process.ts): it cannot outlive the test.
  const proc = spawnOwned(process.execPath, ['--import', import.meta.resolve('tsx'), join(import.meta.dirname, 'support/chaos-producer.ts'), dir, url, String(TOTAL), teamSysNo, String(WORKERS)]).proc;
  let last = '';
  let err = '';
  let progress = '';
  let progressAt = performance.now();
  proc.stdout?.on('data', (d: Buffer) => {
    const lines = d.toString().trim().split('\n');
    last = lines[lines.length - 1] ?? last;
    try {
      const c = JSON.parse(last) as { produced?: number; sent?: number };
      const now = `${c.produced}/${c.sent}`;
      if (now !== progress) [progress, progressAt] = [now, performance.now()];
    } catch {
      // a partial line: the next one counts
    }
  });
  const stalled = new Promise<'stalled'>((resolve) => {
    const t = setInterval(() => {
      if (proc.exitCode !== null || proc.signalCode !== null) clearInterval(t);
      else if (performance.now() - progressAt > STALL_MS) {
        clearInterval(t);
        resolve('stalled');
      }
    }, 1000);
    t.unref();
  });
  proc.stderr?.on('data', (d: Buffer) => {
    err += d.toString();
  });
  const exited = new Promise<number | null>((resolve) =>
    proc.on('exit', (code) => {
      if (code !== 0 && code !== null && err) console.error(err.slice(-2000));
      resolve(code);
    }),
  );
  return { proc, exited, lastLine: () => last, stalled };
}

describe('chaos', () => {
  it(`every record reaches the platform exactly once despite ${KILLS} SIGKILLs and 30 % failures (seed ${seed})`, async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sitegate-chaos-'));
    sim = await startPlatformSimulator({ dbPath: join(dir, 'platform.db'), asyncDelayMs: 20, rateLimit: null, seed });
    const teamSysNo = sim.seedTeam({ teamName: '测试班组', corpCode: '91999999MA00000000', corpName: '测试劳务公司' });
    for (let i = 0; i < WORKERS; i++) sim.seedWorker({ idCardNumber: fakeResidentId(i), workerName: fakeName(i), teamSysNo });
    sim.setRandomFaults({ rate: 0.3, kinds: [...FAULT_KINDS], delayMs: 300, hangMs: 5000 }, seed);
    const appDir = join(dir, 'appliance');

    let rand = seed;
    const next = (): number => {
      rand = (rand * 1103515245 + 12345) % 2 ** 31;
      return rand / 2 ** 31;
    };
    for (let k = 0; k < KILLS; k++) {
      const run = runProducer(appDir, sim.url, teamSysNo);
      child = run.proc;
      const wait = 1500 + next() * 2500;
      const code = await Promise.race([run.exited, new Promise<'kill'>((r) => setTimeout(() => r('kill'), wait))]);
      if (code === 'kill') {
        run.proc.kill('SIGKILL');
        await run.exited;
      }
    }
    const final = runProducer(appDir, sim.url, teamSysNo);
    child = final.proc;
    const code = await Promise.race([final.exited, final.stalled]);
    if (code === 'stalled') final.proc.kill('SIGKILL');
    child = null;
    expect(code, final.lastLine()).toBe(0);
    expect(JSON.parse(final.lastLine())).toMatchObject({ done: true, produced: TOTAL, parked: 0, pending: 0, ambiguous: 0, inflight: 0 });

    // The platform: every local record exactly once, nothing else.
    const rows = sim.store.allAttendance();
    const platformKeys = rows.map((r) => `${r.idCardNumber}|${r.date}|${r.direction}`);
    const dupes = platformKeys.length - new Set(platformKeys).size;
    expect(dupes).toBe(0);
    expect(rows.length).toBe(TOTAL);
    const { store } = openStore({ dataDir: appDir, clock: { now: () => Date.now() } });
    const local = new AttendanceRepo(store).count();
    store.close();
    expect(local).toBe(TOTAL);
    const injected = sim.stats().injected;
    expect(Object.keys(injected).length).toBe(FAULT_KINDS.length);
  }, 1_200_000); // against a hang only: a run without progress for STALL_MS fails first
});
