// The core process of the soak (the test SIGKILLs it mid-day and starts it again):
//   node --import tsx soak-core.main.ts SOAK_DIR START_SIM_MS
// It is the real composition root (`startCore`) with three test-side differences, all named:
// - the clock is the test's simulated clock, stepped over IPC (`{type:'tick', t}`), creeping
//   at real speed for at most CREEP_CAP_MS (250 ms) between ticks so it never stands still
//   mid-passage (the scheduler in run-day.ts allows for that creep in a lane's rest);
// - the face engine's analyzeImage is wrapped by the face stand-in (face-stand-in.ts, TEST PATH);
// - the synthetic workers' templates are added on the first start (their "enrollment");
// Logs go, as pino JSON lines, to SOAK_DIR/core.log (appended across restarts).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import pino from 'pino';
import { decodeImage, type Clock, type FaceAnalysis } from '../../../edge-core/src/index.js';
import { parseConfig } from '../../server/config.js';
import { startCore } from '../../server/core.js';
import { createLogger } from '../../server/logger.js';
import { installFaceStandIn, readMarker, workerTemplate, type LaneFace } from './face-stand-in.js';
import type { SoakSetup, ToCore, FromCore } from './protocol.js';

const [soakDir, startArg] = process.argv.slice(2);
if (!soakDir || !startArg || !process.send) throw new Error('usage: soak-core.main.ts SOAK_DIR START_SIM_MS (with an IPC channel)');
const setup = JSON.parse(readFileSync(join(soakDir, 'setup.json'), 'utf8')) as SoakSetup;
const send = (m: FromCore) => process.send?.(m);

// The stepped simulated clock (monotonic).
const CREEP_CAP_MS = 250;
let setTo = Number(startArg);
let setAt = performance.now();
let last = setTo;
const clock: Clock = {
  now() {
    const v = Math.floor(setTo + Math.min(performance.now() - setAt, CREEP_CAP_MS));
    if (v > last) last = v;
    return last;
  },
};

const lanes = new Map<number, LaneFace>();
process.on('message', (raw) => {
  const m = raw as ToCore;
  if (m.type === 'tick') {
    if (m.t > setTo) {
      setTo = m.t;
      setAt = performance.now();
    }
    if (m.lane !== undefined) {
      if (m.face) lanes.set(m.lane, m.face);
      else lanes.delete(m.lane);
    }
    send({ type: 'ack', id: m.id });
  } else if (m.type === 'counts') {
    send({ type: 'counts', id: m.id, counts: core.sync.outbox.counts(), face: faceCounts });
  } else if (m.type === 'stop') {
    void core.close().then(() => process.exit(0));
  }
});

const logger = createLogger({ level: 'info', destination: pino.destination({ dest: join(soakDir, 'core.log'), append: true, sync: true }) });
const core = await startCore({
  config: parseConfig(setup.config),
  dataDir: join(soakDir, 'appliance'),
  logger,
  uiDir: null,
  gate: true,
  waitForGate: true,
  clock,
});
const engine = core.gate.engine;
const gallery = core.gate.gallery;
if (!engine || !gallery) throw new Error(`face engine not loaded: ${core.gate.unavailableReason ?? ''}`);

// First start: the synthetic workers' templates (as if enrolled at the kiosk earlier).
if (core.gate.templates.count(engine.modelId) < setup.workerIds.length) {
  const have = new Set((core.services.store.db.prepare('SELECT DISTINCT worker_id AS w FROM face_templates WHERE model_id = ?').all(engine.modelId) as Array<{ w: number }>).map((r) => r.w));
  core.services.store.tx(() => {
    setup.workerIds.forEach((workerId, k) => {
      if (have.has(workerId)) return;
      const vector = workerTemplate(k, engine.embeddingDim);
      const t = core.gate.templates.add({ workerId, modelId: engine.modelId, kind: 'platform', vector });
      gallery.add([{ id: t.id, workerId, vector }]);
    });
  });
}
// The real face's template comes from its ID photo (the core computes it at start).
for (let i = 0; i < 100 && core.gate.templates.forWorker(setup.realWorkerId, engine.modelId).length === 0; i++) {
  await core.gate.computeMissingTemplates();
  await new Promise((r) => setTimeout(r, 50));
}
if (core.gate.templates.forWorker(setup.realWorkerId, engine.modelId).length === 0) throw new Error('no template from the real face ID photo');

// The stand-in's cached analyses: the real models on the unmarked frames, once.
const cached: FaceAnalysis[] = [];
for (let f = 0; f < setup.framesPerPassage; f++) {
  const d = await decodeImage(readFileSync(join(soakDir, 'frames', `real-${f}.jpg`)));
  if (!d.ok) throw new Error('frame does not decode');
  if (readMarker(d.image)) throw new Error('an unmarked frame reads as marked');
  const a = await engine.analyzeImage(d.image);
  if (!a.ok || !a.embedding) throw new Error(`frame ${f} has no usable face: ${a.reasons.map((r) => r.code).join(',')}`);
  cached.push(a);
}
const faceCounts = installFaceStandIn(engine, cached, (lane) => lanes.get(lane));

// The device heartbeat is the core's own (sync-service starts it whenever a platform client
// exists): it registers the public key the platform verifies the signed uploads with.
if (!core.sync.client) throw new Error('the soak needs a remote platform');

process.on('SIGTERM', () => {
  void core.close().then(() => process.exit(0));
});
send({ type: 'ready', url: core.url, pid: process.pid });
