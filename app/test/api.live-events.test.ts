import { describe, expect, it, afterAll, beforeAll } from 'vitest';
import WebSocket from 'ws';
import { api, login, startTestCore, type TestCore } from './helpers.js';

let core: TestCore;
beforeAll(async () => {
  core = await startTestCore();
});
afterAll(async () => {
  await core.stop();
});

describe('local API: live events over the WebSocket', () => {
  it('a recorded passage is committed, then pushed to the UI, and counted on the dashboard', async () => {
    // The session travels in the subprotocol, as the UI sends it.
    const clerk = await login(core, 'clerk');
    const ws = new WebSocket(`${core.url.replace('http', 'ws')}/api/events`, ['sitegate.v1', `sitegate.auth.${clerk}`]);
    await new Promise((r, j) => {
      ws.once('open', r);
      ws.once('error', j);
    });
    const got = new Promise<Record<string, unknown>>((resolve) => ws.once('message', (d) => resolve(JSON.parse(String(d)))));
    const workers = await api(core, 'GET', '/api/workers', undefined, clerk);
    const worker = workers.json[0];
    const r = await api(core, 'POST', '/api/demo/passage', { laneId: 'lane-1', workerId: worker.id, direction: 'in' }, clerk);
    expect(r.status).toBe(200);
    const event = await got;
    expect(event).toMatchObject({ type: 'passage', eventId: r.json.id, decision: 'pass', workerName: worker.name });
    // the event was in the database before it was announced
    expect(core.services.attendance.get(r.json.id)).not.toBeNull();
    ws.close();
    const sup = await login(core, 'supervisor');
    const today = await api(core, 'GET', '/api/dashboard/today', undefined, sup);
    expect(today.json.passes).toBe(1);
    expect(today.json.onSiteNow).toBe(1);
    expect(today.json.sync.backlog).toBeGreaterThanOrEqual(1);
  });
});
