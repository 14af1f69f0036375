// Chaos producer: one appliance process. Three lanes record passes as fast as the store
// commits them while the outbox worker delivers to the simulator. The test SIGKILLs this
// process at random instants and restarts it; it resumes from what the store holds.
//   tsx sync/test/support/chaos-producer.ts DIR ENDPOINT TOTAL TEAM_SYS_NO WORKERS
import { createPlatformClient } from '../../src/platform/client.js';
import { startOutboxWorker } from '../../src/outbox/outbox-worker.js';
import { DEFAULT_SIM_APP } from '../../simulator/server.js';
import { openAppliance } from './appliance.js';
import { PROJECT } from './sim-setup.js';

const [dir, endpoint, totalArg, teamSysNo, workersArg] = process.argv.slice(2);
const total = Number(totalArg);
const workerCount = Number(workersArg);
const base = Date.UTC(2026, 3, 1, 0, 0, 0);

const app = openAppliance({ dir, teamSysNo: teamSysNo ?? null, workers: workerCount });
const client = createPlatformClient({
  endpoint: endpoint ?? '',
  appid: DEFAULT_SIM_APP.appid,
  appsecret: DEFAULT_SIM_APP.appsecret,
  projectCode: PROJECT,
  timeoutMs: 500,
});
const worker = startOutboxWorker({
  outbox: app.outbox,
  client,
  clock: { now: () => Date.now() },
  concurrency: 4,
  settleMs: 300,
  idleMs: 50,
  resultPollMs: 30,
  backoff: { baseMs: 50, maxMs: 1000 },
  offlineProbe: { baseMs: 50, maxMs: 300 },
  blockedProbe: { baseMs: 100, maxMs: 300 },
});

let produced = app.attendance.count();
const lanes = ['lane-1', 'lane-2', 'lane-3'];

async function lane(laneId: string): Promise<void> {
  while (produced < total) {
    // Each record gets a distinct second, so (person, time, direction) identifies it on the platform.
    const k = produced++;
    const workerId = app.workerIds[k % workerCount] ?? null;
    app.attendance.record({ laneId, workerId, direction: k % 2 ? 'out' : 'in', decision: 'pass', occurredAt: base + k * 1000 });
    if (k % 50 === 0) worker.wake();
    await new Promise((r) => setImmediate(r));
  }
}

await Promise.all(lanes.map((l) => lane(l)));
const report = setInterval(() => {
  process.stdout.write(`${JSON.stringify({ produced, ...app.outbox.counts() })}\n`);
}, 1000);
// Drain while the backlog keeps moving: a busy machine is slow, a stuck worker makes no progress.
let drained = false;
let lastMove = Date.now();
let last = '';
while (!drained && Date.now() - lastMove < 180_000) {
  drained = await worker.drain(5_000);
  const now = JSON.stringify(app.outbox.counts());
  if (now !== last) lastMove = Date.now();
  last = now;
}
clearInterval(report);
await worker.stop();
client.close();
const counts = app.outbox.counts();
app.close();
process.stdout.write(`${JSON.stringify({ done: drained, produced, ...counts })}\n`);
process.exit(drained ? 0 : 1);
