// Helmet refusals reach the platform through the real core (issue 15.1, decision 0012; Jiangxi
// device standard 5: 禁止该人员通行，并将记录上传给业务平台). The demo core (real SQLite, the
// embedded platform simulator over HTTP, the Jiangxi profile by default) refuses a worker at the
// lane for no helmet through the demo passage route — the same record path the lane controller
// takes — again and again while they stand there: one upload, with the national fields. With
// the platform down the refusal waits and is sent when it returns. With the national profile
// (the switch off) nothing is queued.
import { existsSync, readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { api, login, startTestCore, type TestCore } from './helpers.js';
import { waitFor } from './fixtures/kiosk-flows.js';
import { parseConfig } from '../server/config.js';
import { refusalUploadPolicy } from '../server/refusal-upload.js';
import { deviceSerial } from '../server/chain-anchor.js';
import { startPlatformSimulator } from '../../sync/src/index.js';
import { formatDateTime } from '../../sync/src/platform/timestamp.js';

const cores: TestCore[] = [];
afterEach(async () => {
  for (const c of cores.splice(0)) await c.stop();
});

async function core(platform: Record<string, unknown>): Promise<TestCore> {
  const c = await startTestCore({ platform: { type: 'simulator', port: 0, ...platform } });
  cores.push(c);
  return c;
}

function outboxRefusals(c: TestCore): Array<{ ref_id: string; state: string }> {
  return c.services.store.db.prepare("SELECT ref_id, state FROM outbox WHERE kind = 'refusal' ORDER BY id").all() as Array<{ ref_id: string; state: string }>;
}

const noHelmet = (c: TestCore, clerk: string, workerId: number) =>
  api(c, 'POST', '/api/demo/passage', { laneId: 'lane-1', workerId, direction: 'in', reasons: ['helmet_missing'] }, clerk);

describe('sync: helmet refusals through the core to the platform', () => {
  it('one upload per worker standing at the camera, with the national fields; queued while the platform is down, sent when it returns', async () => {
    const c = await core({});
    const clerk = await login(c, 'clerk');
    const project = c.services.config.project.code;
    const w1 = c.services.workers.get(1)!;
    const w2 = c.services.workers.get(2)!;

    // The worker stays at the camera without a helmet: four refusals recorded, one upload queued.
    const first = await noHelmet(c, clerk, w1.id);
    expect(first.status).toBe(200);
    for (let i = 0; i < 3; i++) expect((await noHelmet(c, clerk, w1.id)).status).toBe(200);
    const refused = c.services.attendance.list({ workerId: w1.id }).filter((e) => e.decision === 'refuse');
    expect(refused).toHaveLength(4);
    expect(outboxRefusals(c).map((r) => r.ref_id)).toEqual([first.json.id]);

    const sim = c.sync.simulator!;
    await waitFor('the refusal on the platform', () => outboxRefusals(c)[0]?.state === 'sent', 30_000);
    const rows = sim.store.refusals(project);
    expect(rows).toHaveLength(1);
    const event = c.services.attendance.get(first.json.id)!;
    expect(rows[0]).toMatchObject({
      idCardType: '01',
      idCardNumber: w1.idNumber,
      date: formatDateTime(event.occurredAt, c.services.config.project.timeZone),
      direction: '01',
      deviceSn: deviceSerial(c.services.config),
      refuseType: '01',
      refuseReason: '未戴安全帽',
    });

    // The simulator's file (in the appliance's data folder) holds the refusal's ID number sealed.
    const port = sim.port;
    const dbPath = sim.store.db.name;
    for (const file of [dbPath, `${dbPath}-wal`].filter((x) => existsSync(x))) expect(readFileSync(file).includes(Buffer.from(w1.idNumber))).toBe(false);

    // The platform goes down; another worker is refused meanwhile: the refusal waits.
    await sim.close();
    const second = await noHelmet(c, clerk, w2.id);
    expect(second.status).toBe(200);
    await new Promise((r) => setTimeout(r, 1500));
    expect(outboxRefusals(c)).toHaveLength(2);
    expect(outboxRefusals(c)[1]?.state).not.toBe('sent');
    // It comes back (same port, same file): the waiting refusal is delivered without a nudge.
    const back = await startPlatformSimulator({ port, host: '127.0.0.1', dbPath, sealer: c.services.store.cipher, projects: [project], requireDeviceSignatures: true });
    c.sync.simulator = back;
    await waitFor('the waiting refusal delivered', () => outboxRefusals(c)[1]?.state === 'sent', 60_000);
    expect(back.store.refusals(project).map((r) => r.idCardNumber)).toEqual([w1.idNumber, w2.idNumber]);
  }, 120_000);

  it('with the switch off (national profile) a helmet refusal is recorded but nothing is queued', async () => {
    const c = await core({ profile: 'national' });
    const clerk = await login(c, 'clerk');
    const r = await noHelmet(c, clerk, 1);
    expect(r.status).toBe(200);
    expect(c.services.attendance.get(r.json.id)?.decision).toBe('refuse');
    expect(outboxRefusals(c)).toEqual([]);
  }, 60_000);

  it('the switch: on by default for the Jiangxi profile, off for the national one and without a platform; each overridable', () => {
    const policy = (platform: unknown) => refusalUploadPolicy(parseConfig({ platform }));
    expect(policy({ type: 'simulator' })).toEqual({ reasons: ['helmet_missing'], minIntervalMs: 60_000 });
    expect(policy(undefined)).not.toBeNull();
    expect(policy({ type: 'simulator', profile: 'national' })).toBeNull();
    expect(policy({ type: 'simulator', profile: 'national', refusalUpload: { enabled: true, minIntervalSeconds: 20 } })).toEqual({ reasons: ['helmet_missing'], minIntervalMs: 20_000 });
    expect(policy({ type: 'simulator', refusalUpload: { enabled: false } })).toBeNull();
    expect(policy({ type: 'off' })).toBeNull();
    const remote = { type: 'remote', endpoint: 'https://platform.invalid/api', appId: 'x' };
    expect(policy(remote)).not.toBeNull();
    expect(parseConfig({ platform: remote }).platform).toMatchObject({ profile: 'jiangxi', refusalUpload: { method: 'WorkerAccessRefusal.Add' } });
    expect(() => parseConfig({ platform: { ...remote, refusalUpload: { method: 'not a method' } } })).toThrow(/refusalUpload\.method/);
    expect(() => parseConfig({ platform: { ...remote, refusalUpload: { helmet: true } } })).toThrow(/unknown key/);
  });
});
