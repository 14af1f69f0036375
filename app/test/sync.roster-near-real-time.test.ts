// One enrollment, every gate, near real time (issue 15.7): two real cores and one real platform
// simulator over HTTP (A's embedded one). B's timers are set far apart, so every roster pull
// here is one this test starts: the outcome is judged per pull cycle, never by the wall clock.
// A worker enrolled on A passes B after ONE incremental pull; a departure (退场) and a blacklist
// recorded on the platform refuse at B after ONE more, with no full pull in between.
// The platform-side departure stands in for A's upload of it (issue 15.1, the lifecycle
// work): A records it locally through its API and the test records it on the platform.
// Face material: fixtures/face-clips.ts (one public-domain still, hence the test-only
// liveness policy, as in sync.enrolled-on-a-passes-b.test.ts).
import { describe, expect, it, afterAll } from 'vitest';
import { api, login } from './helpers.js';
import { replayFrames } from './fixtures/face-clips.js';
import { enrollFromCard, runLane, waitFor } from './fixtures/kiosk-flows.js';
import { startApplianceA, type TwoAppliances } from './fixtures/two-appliances.js';

let pair: TwoAppliances | undefined;
afterAll(async () => {
  await pair?.stop();
});

const codes = (d: { reasons: Array<{ code: string }> }): string[] => d.reasons.map((r) => r.code);

describe('sync: a change reaches every gate of the project within one incremental pull', () => {
  it('enrolled on A passes B after one pull; departed or blacklisted, B refuses after the next, before any full pull', async () => {
    const frames = await replayFrames(8);
    pair = await startApplianceA();
    const { a, platform } = pair;
    // Appliance B: same project, A's simulator as its platform over HTTP; no timer fires here.
    const b = await pair.startB({ rosterChangesSeconds: 3600, rosterFullMinutes: 1440 });
    const roster = b.sync.roster;
    if (!roster) throw new Error('B has no roster sync');
    const bAdmin = await login(b, 'admin');
    expect((await api(b, 'PUT', '/api/gate/policy', { helmet: { action: 'remind' }, duplicateScan: { windowSeconds: 0 } }, bAdmin)).status).toBe(200);
    await roster.pullChangesNow(); // joins (or follows) the pull B makes at start

    // Enrolled on A, delivered to the platform by A's outbox.
    const { saved } = await enrollFromCard(a, frames, { tradeCode: '020', role: 'worker', hasContract: true, contractStart: '2026-01-01', contractEnd: '2027-12-31', employerId: 1, teamId: 1 });
    expect(saved.status).toBe(201);
    const projectCode = a.services.config.project.code;
    const idNumber = a.services.workers.get(saved.json.workerId)?.idNumber ?? '';
    await waitFor('the worker on the platform', () => platform.store.workerExists(projectCode, idNumber));
    expect(b.services.workers.findIdByIdNumber(idNumber)).toBeNull();

    // One incremental pull on B: the worker arrives, B computes the template by itself.
    const first = await roster.pullChangesNow();
    expect(first).toMatchObject({ created: 1 });
    const onB = b.services.workers.findIdByIdNumber(idNumber) as number;
    expect(onB).not.toBeNull();
    await waitFor('B computed the template from the platform photo', () => b.services.store.db.prepare('SELECT 1 FROM face_templates WHERE worker_id = ?').get(onB) !== undefined, 60_000);
    const pass = await runLane(b, 'lane-1', frames);
    expect(pass.reasons).toEqual([]);
    expect(pass).toMatchObject({ decision: 'pass', opened: true });
    expect(pass.worker.id).toBe(onB);

    // 退场 on A (its own gate refuses at once), and on the platform.
    const aClerk = await login(a, 'clerk');
    expect((await api(a, 'POST', `/api/workers/${saved.json.workerId}/status`, { status: 'inactive', reason: '退场 / left the project' }, aClerk)).status).toBe(200);
    expect(platform.setWorkerState(idNumber, { exitDate: '2026-11-24' })).toBe(true);
    // Before B's next pull, B still lets the worker in: the pull is what refuses. (Exits are
    // never blocked for a known worker, so entries are what this test judges.)
    expect((await runLane(b, 'lane-2', frames)).decision).toBe('pass');
    expect(codes(await runLane(b, 'lane-1', frames))).toEqual([]);
    expect((await runLane(b, 'lane-2', frames)).decision).toBe('pass');
    const departed = await roster.pullChangesNow();
    expect(departed).toMatchObject({ statusChanged: 1 });
    const refused = await runLane(b, 'lane-1', frames);
    expect(refused.decision).toBe('refuse');
    expect(codes(refused)).toContain('worker_inactive');

    // Back on site per the platform: B lets them in again after one pull.
    platform.setWorkerState(idNumber, { exitDate: null });
    expect(await roster.pullChangesNow()).toMatchObject({ statusChanged: 1 });
    const back = await runLane(b, 'lane-1', frames);
    expect(codes(back)).toEqual([]);
    expect(back.decision).toBe('pass');
    expect((await runLane(b, 'lane-2', frames)).decision).toBe('pass');

    // Blacklisted on the platform: refused at B after one pull.
    platform.setWorkerState(idNumber, { blacklisted: true });
    expect(await roster.pullChangesNow()).toMatchObject({ statusChanged: 1 });
    const black = await runLane(b, 'lane-1', frames);
    expect(black.decision).toBe('refuse');
    expect(codes(black)).toContain('blacklisted');

    // All of it by incremental pulls: no full pull ran on B.
    expect(roster.stats()).toMatchObject({ fullPulls: 0, changesUnsupported: false });
    expect(b.services.workers.lastStatusActor(onB)).toBe('platform');
  }, 180_000);
});
