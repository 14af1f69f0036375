// The API contract on a real core (the fuzz world: simulated devices, the real face engine, a
// real SQLite file): every route the core registers has an entry in the contract
// (app/shared/api/contract.ts), every JSON route called with a valid request answers 2xx with
// a body its response schema parses (strict objects: a field renamed, dropped or added fails),
// and every live event of the run — a demo passage, a face decided at a lane, a visitor's QR
// pass, a card read, a saved worker — parses as a live event. The lane's HTTP decision and its
// live passage event come from one mapper: the test checks that they agree.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { z } from 'zod';
import { RESPONSES, type RouteKey } from '../shared/api/contract.js';
import { liveEvent } from '../shared/api/live.js';
import { FuzzWorld } from './fuzz/fuzz-world.js';
import { EXAMPLES, type Example } from './fuzz/route-examples.js';
import { replayFrames } from './fixtures/face-clips.js';
import { routeKey } from './fuzz/route-catalog.js';

/** Registered only when the core runs a lane camera it reads itself (none in this world). */
const CAMERA_ROUTES = new Set(['GET /api/lanes/:laneId/still.jpg', 'GET /api/lanes/:laneId/live.mjpeg', 'GET /api/lanes/:laneId/live.mp4']);
/** Refused in the demo or once accounts exist: their replies are checked on a first-run core in demo-folder-and-first-run.test.ts. */
const FIRST_RUN_ONLY = new Set<RouteKey>(['POST /api/setup', 'POST /api/setup/pins', 'POST /api/setup/platform-test']);

interface Call extends Example {
  token?: string;
  /** Raw JPEG bytes for a route that takes an image. */
  image?: Buffer;
}

let world: FuzzWorld;
let ws: WebSocket;
const events: unknown[] = [];
const checked = new Set<string>();

beforeAll(async () => {
  world = await FuzzWorld.start({ livenessPolicy: 'test-only:temporal-off', liveSessions: 2 });
  ws = new WebSocket(`${world.core.url.replace('http', 'ws')}/api/events`, ['sitegate.v1', `sitegate.auth.${world.tokens.admin}`]);
  ws.on('message', (d) => events.push(JSON.parse(String(d))));
  await new Promise((resolve, reject) => {
    ws.once('open', resolve);
    ws.once('error', reject);
  });
}, 120_000);

afterAll(async () => {
  ws?.close();
  await world?.core.stop();
});

async function call(key: RouteKey, c: Call = {}): Promise<{ status: number; json: unknown }> {
  const [method, pattern] = key.split(' ') as [string, string];
  const url = pattern.replace(/:(\w+)/g, (_m, name: string) => encodeURIComponent(c.params?.[name] ?? `missing-${name}`));
  const query = c.query ? `?${new URLSearchParams(c.query).toString()}` : '';
  const headers: Record<string, string> = { authorization: `Bearer ${c.token ?? world.tokens.admin}` };
  let payload: string | Buffer | undefined;
  if (c.image) {
    headers['content-type'] = 'image/jpeg';
    payload = c.image;
  } else if (c.body !== undefined) {
    headers['content-type'] = 'application/json';
    payload = JSON.stringify(c.body);
  }
  const r = await world.core.app.inject({ method: method as 'GET', url: url + query, headers, ...(payload !== undefined ? { payload } : {}) });
  return { status: r.statusCode, json: r.body ? JSON.parse(r.body) : null };
}

/** Calls a JSON route, expects a 2xx, and parses the reply with the route's response schema. */
async function check(key: RouteKey, c?: Call): Promise<Record<string, unknown>> {
  const schema = RESPONSES[key];
  if (!(schema instanceof z.ZodType)) throw new Error(`${key} answers with a file, not JSON`);
  const r = await call(key, c ?? EXAMPLES[key]?.(world, 1) ?? {});
  expect(r.status, `${key}: ${JSON.stringify(r.json).slice(0, 400)}`).toBeGreaterThanOrEqual(200);
  expect(r.status, `${key}: ${JSON.stringify(r.json).slice(0, 400)}`).toBeLessThan(300);
  const parsed = schema.safeParse(r.json);
  expect(parsed.success ? null : { route: key, issues: z.prettifyError(parsed.error) }).toBeNull();
  checked.add(key);
  return r.json as Record<string, unknown>;
}

describe('the API contract on a real core', () => {
  it('every registered route has a contract entry, and every entry a route', () => {
    const registered = world.routes.filter((r) => r.method !== 'HEAD').map(routeKey);
    const contract = Object.keys(RESPONSES);
    expect(registered.filter((k) => !contract.includes(k) && k !== 'GET /')).toEqual([]);
    expect(contract.filter((k) => !registered.includes(k) && !CAMERA_ROUTES.has(k))).toEqual([]);
  });

  it('every JSON route answers a valid request with a reply its schema parses', async () => {
    const admin = world.tokens.admin;
    const clerk = world.tokens.clerk;
    // Sessions and accounts.
    await check('GET /health');
    await check('GET /api/setup/status');
    await check('GET /api/session/accounts');
    await check('POST /api/session', EXAMPLES['POST /api/session']?.(world, 0));
    await check('POST /api/kiosk/session', { body: {} });
    await check('DELETE /api/session', { token: world.sacrificial.pop() as string });
    await check('GET /api/accounts');
    const account = await check('POST /api/accounts', { body: { name: '测试合同账号', role: 'clerk', pin: '613579' } });
    const accountId = { id: String(account.id) };
    await check('PATCH /api/accounts/:id', { params: accountId, body: { name: '测试合同改名' } });
    await check('PUT /api/accounts/:id/pin', { params: accountId, body: { pin: '624680' } });
    await check('POST /api/accounts/:id/disable', { params: accountId, body: {} });
    await check('POST /api/accounts/:id/enable', { params: accountId, body: {} });
    await check('PUT /api/admin/pins', { body: { role: 'supervisor', pin: '813579' } });

    // The register.
    await check('GET /api/employers');
    await check('POST /api/employers', EXAMPLES['POST /api/employers']?.(world, 2));
    await check('GET /api/teams');
    await check('POST /api/teams');
    await check('GET /api/workers', { query: { q: '测试' } });
    const created = await check('POST /api/workers');
    world.refresh();
    const worker = { id: String(created.id) };
    await check('GET /api/workers/:id', { params: worker });
    await check('PATCH /api/workers/:id', { params: worker, body: { phone: '13900000001', isTeamLeader: true } });
    await check('POST /api/workers/:id/status', { params: worker, body: { status: 'active', reason: '测试原因' } });
    await check('GET /api/workers/:id/attendance', { params: worker, query: { limit: '5' } });
    await check('POST /api/workers/lookup');

    // Attendance, reports, calendar, audit.
    await check('POST /api/demo/passage', { body: { laneId: 'lane-1', workerId: Number(created.id), direction: 'in' } });
    await check('POST /api/demo/passage', { body: { laneId: 'lane-1', workerId: Number(created.id), direction: 'in', reasons: ['duplicate_scan'] } });
    await check('GET /api/attendance', { query: { limit: '20' } });
    await check('POST /api/attendance/makeup', EXAMPLES['POST /api/attendance/makeup']?.(world, 0));
    await check('GET /api/dashboard/today');
    await check('GET /api/audit');
    await check('GET /api/reports/management');
    await check('GET /api/reports/completeness');
    await check('GET /api/calendar');
    await check('PUT /api/admin/calendar/days');
    await check('POST /api/admin/calendar/unmark');
    await check('PUT /api/admin/calendar/base');
    await check('POST /api/admin/calendar/import', { body: {} });

    // Gate, lanes, devices, policy.
    await check('GET /api/lanes');
    await check('GET /api/devices');
    const policy = await check('GET /api/gate/policy');
    await check('PUT /api/gate/policy', { body: policy });
    await check('POST /api/gate/time-windows/preview', { body: {} });
    await check('POST /api/lanes/:laneId/frames', { params: { laneId: 'lane-1' }, image: world.jpegs[0] });

    // Enrollment: a held card read, a fresh session, the live sessions the world prepared.
    await check('POST /api/demo/card', { body: { key: 'resident' } });
    world.refresh();
    const card = await check('GET /api/enrollment/card');
    const readId = (card.card as { readId: string }).readId;
    await check('GET /api/enrollment/card/:readId/enrolled', { params: { readId } });
    const opened = await check('POST /api/enrollment/sessions');
    await check('POST /api/enrollment/sessions/:id/frames', { params: { id: String(opened.sessionId) }, image: world.jpegs[1] });
    const [live, second] = world.sessions as [string, string];
    await check('POST /api/enrollment/sessions/:id/match', { params: { id: live }, body: { readId } });
    await check('POST /api/enrollment/sessions/:id/card-image/:side', { params: { id: live, side: 'emblem' }, image: world.jpegs[0] });
    await check('POST /api/enrollment/sessions/:id/card-image/:side', { params: { id: live, side: 'portrait' }, image: world.jpegs.at(-1) });
    const saved = await check('POST /api/enrollments', {
      body: { clientRequestId: '00000000-0000-4000-8000-00000000c0de', sessionId: live, readId, assignment: EXAMPLES['POST /api/enrollments']?.(world, 1).body && (EXAMPLES['POST /api/enrollments']?.(world, 1).body as { assignment: unknown }).assignment },
    });
    await check('POST /api/workers/:id/face', { params: { id: String(saved.workerId) }, body: { sessionId: second } });
    await check('GET /api/demo/info');

    // The first-run wizard's helpers, the platform link, admin tools.
    await check('GET /api/setup/site');
    await check('GET /api/setup/ports');
    await check('GET /api/sync/status');
    await check('POST /api/sync/retry');
    await check('GET /api/sync/parked');
    await check('PUT /api/admin/platform-secret');
    await check('POST /api/admin/backup');
    await check('GET /api/admin/cameras');
    await check('GET /api/admin/voice-templates');
    await check('PUT /api/admin/voice-templates');
    world.core.remote.restartHandler = () => {};
    await check('POST /api/admin/restart');
    world.core.remote.restartHandler = null;
    await check('GET /api/admin/remote');

    // Visitor passes: issued, scanned at a lane (a decision and a live event), listed, revoked.
    const pass = await check('POST /api/visitor-passes', { token: clerk, body: { name: '测试访客', host: '项目部', purpose: '参观', validFrom: world.now() - 60_000, validTo: world.now() + 3_600_000 } });
    await check('POST /api/lanes/:laneId/visitor-code', { params: { laneId: 'lane-1' }, body: { code: pass.code } });
    await check('GET /api/visitor-passes');
    await check('GET /api/visitor-passes/:id', { params: { id: String(pass.id) } });
    await check('GET /api/visitor-passages');
    await check('POST /api/visitor-passes/:id/revoke', { params: { id: String(pass.id) }, body: { reason: '取消' } });

    // Only on a first run: refused here, with the documented error.
    for (const key of FIRST_RUN_ONLY) {
      const r = await call(key, EXAMPLES[key]?.(world, 1) ?? {});
      expect([key, r.status]).toEqual([key, 409]);
    }
    const json = Object.entries(RESPONSES).filter(([, s]) => s instanceof z.ZodType).map(([k]) => k);
    expect(json.filter((k) => !checked.has(k) && !FIRST_RUN_ONLY.has(k as RouteKey))).toEqual([]);
    expect(admin).toBe(world.tokens.admin);
  }, 120_000);

  it('a face decided at a lane: the HTTP decision and its live passage event come from one mapper', async () => {
    events.length = 0;
    let decided: Record<string, unknown> | null = null;
    for (const frame of await replayFrames(12)) {
      const r = await call('POST /api/lanes/:laneId/frames', { params: { laneId: 'lane-1' }, image: frame, token: world.tokens.clerk });
      expect(RESPONSES['POST /api/lanes/:laneId/frames'].safeParse(r.json).error).toBeUndefined();
      const outcome = r.json as { state: string; decision?: Record<string, unknown> };
      if (outcome.state === 'decided') {
        decided = outcome.decision ?? null;
        break;
      }
    }
    expect(decided).not.toBeNull();
    const d = decided as { eventId: string | null; decision: string; reasons: Array<{ code: string; zh: string; en: string }>; at: number };
    await expect.poll(() => events.some((e) => (e as { type: string; at: number }).type === 'passage' && (e as { at: number }).at === d.at)).toBe(true);
    const event = events.find((e) => (e as { type: string; at: number }).type === 'passage' && (e as { at: number }).at === d.at) as Record<string, unknown>;
    expect(event).toMatchObject({ eventId: d.eventId ?? '', decision: d.decision, reasons: d.reasons.map((r) => r.code), reasonTexts: d.reasons.map((r) => ({ zh: r.zh, en: r.en })) });
  }, 60_000);

  it('every live event of the run parses as a live event', async () => {
    // A demo passage now, so that the stream has one whatever ran before.
    await check('POST /api/demo/passage', { body: { laneId: 'lane-1', workerId: null, direction: 'out' } });
    await expect.poll(() => events.some((e) => (e as { type: string; laneId?: string; direction?: string }).type === 'passage' && (e as { direction: string }).direction === 'out')).toBe(true);
    const bad = events.map((e) => ({ e, r: liveEvent.safeParse(e) })).filter((x) => !x.r.success).map((x) => ({ event: x.e, issues: x.r.error && z.prettifyError(x.r.error) }));
    expect(bad).toEqual([]);
    expect(events.length).toBeGreaterThan(0);
  });
});
