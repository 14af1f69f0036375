// Two appliances of one project and one platform: a worker enrolled at appliance A's kiosk is
// pushed to the platform (A's embedded simulator), pulled by appliance B with the roster, B
// computes the face template from the platform photo, and the worker passes B's gate.
// Face material: fixtures/face-clips.ts (one public-domain still, hence the test-only liveness
// policy; the replay refusal under the production policy is in gate.enroll-then-pass.test.ts).
import { describe, expect, it, afterAll } from 'vitest';
import { api, login } from './helpers.js';
import { replayFrames } from './fixtures/face-clips.js';
import { enrollFromCard, runLane, waitFor } from './fixtures/kiosk-flows.js';
import { startApplianceA, type TwoAppliances } from './fixtures/two-appliances.js';

let pair: TwoAppliances | undefined;
afterAll(async () => {
  await pair?.stop();
});

describe('sync: one enrollment serves every gate of the project', () => {
  it('a worker enrolled on A passes B', async () => {
    const frames = await replayFrames(8);
    pair = await startApplianceA();
    const { a, platform } = pair;
    const { saved } = await enrollFromCard(a, frames, { tradeCode: '020', role: 'worker', hasContract: true, contractStart: '2026-01-01', contractEnd: '2027-12-31', employerId: 1, teamId: 1 });
    expect(saved.status).toBe(201);
    const idNumber = a.services.workers.get(saved.json.workerId)?.idNumber ?? '';
    await waitFor('the worker on the platform', () => platform.store.workerExists(a.services.config.project.code, idNumber));

    // Appliance B: same project, the platform is A's simulator; its appsecret entered in Settings.
    const b = await pair.startB();
    const bAdmin = await login(b, 'admin');
    expect((await api(b, 'PUT', '/api/gate/policy', { helmet: { action: 'remind' } }, bAdmin)).status).toBe(200);
    await waitFor('the roster pulled on B', () => b.services.workers.findIdByIdNumber(idNumber) !== null);
    const onB = b.services.workers.findIdByIdNumber(idNumber) as number;
    expect(b.services.workers.get(onB)?.source).toBe('platform');
    // B computes the template from the platform photo (normally within a minute; here at once).
    await b.gate.computeMissingTemplates();
    const decision = await runLane(b, 'lane-1', frames);
    expect(decision.reasons).toEqual([]);
    expect(decision).toMatchObject({ decision: 'pass', opened: true });
    expect(decision.worker.id).toBe(onB);
  }, 120_000);
});
