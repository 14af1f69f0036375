// Issue 8 item 3: every route of the local API fed random and mutated requests (valid
// examples mutated by fast-check: wrong types, missing and extra keys, huge and unicode
// strings, absurd numbers, nested junk, malformed JSON, wrong content types, bad path
// segments and queries, oversized bodies, broken JPEGs) under every role, without a session
// and with expired, revoked and forged tokens, from the kiosk's loopback and from the LAN.
// No answer may be a 5xx, the core must stay up, and a refused request must change nothing.
//
// Seeded: FUZZ_SEED=<n> replays a run (the seed is printed, and repeated in any failure).
// FUZZ_REQUESTS / FUZZ_HTTP_REQUESTS change the volume (defaults 20,000 and 1,200). On a busy
// machine the inject phase stops early once it has spent its budget (90 s) and sent at least
// 6,000 requests — every route still gets its round-robin share; the number sent is printed.
import { describe, expect, it, beforeAll, afterAll } from 'vitest';
import { randomInt } from 'node:crypto';
import { FuzzWorld, CANARY_HEADER } from './fuzz-world.js';
import { FuzzRunner, formatFindings, summarize } from './fuzz-runner.js';
import { exampleFor } from './route-examples.js';
import { routeKey } from './route-catalog.js';

const SEED = process.env.FUZZ_SEED ? Number(process.env.FUZZ_SEED) : randomInt(2 ** 31 - 1);
const INJECT_REQUESTS = Number(process.env.FUZZ_REQUESTS ?? 20_000);
const HTTP_REQUESTS = Number(process.env.FUZZ_HTTP_REQUESTS ?? 1_200);
const INJECT_BUDGET_MS = 90_000;
const INJECT_FLOOR = Math.min(INJECT_REQUESTS, 6_000);
/** The API had 48 method+path routes (HEAD twins included) when this was written; far fewer means enumeration broke. */
const ROUTE_FLOOR = 40;

let world: FuzzWorld;
let runner: FuzzRunner;

beforeAll(async () => {
  console.log(`API fuzz: FUZZ_SEED=${SEED}`);
  world = await FuzzWorld.start();
  runner = new FuzzRunner(world, SEED, world.routes);
});
afterAll(async () => {
  runner?.close();
  await world?.core.stop();
});

describe(`API fuzz (FUZZ_SEED=${SEED})`, () => {
  it('enumerates every route the server registers, from the server itself', () => {
    const keys = world.routes.map(routeKey);
    expect(world.routes.length).toBeGreaterThan(ROUTE_FLOOR);
    // Spot checks that the enumeration is the real table (kiosk, admin, WebSocket, HEAD twins).
    expect(keys).toEqual(expect.arrayContaining(['POST /api/lanes/:laneId/frames', 'PUT /api/admin/pins', 'GET /api/events', 'HEAD /health', 'PATCH /api/workers/:id']));
    expect(world.routes.find((r) => r.url === '/api/events')?.websocket).toBe(true);
    const withoutExample = world.routes.filter((r) => !exampleFor(r.method, r.url)).map(routeKey);
    if (withoutExample.length) console.log(`routes fuzzed with generic junk only (add an example in route-examples.ts): ${withoutExample.join(', ')}`);
    // Nearly every route starts from a known-good request, so mutations reach past validation.
    expect(withoutExample.length).toBeLessThanOrEqual(Math.floor(world.routes.length / 10));
  });

  it('the refusal check catches a refused request that wrote to the database (canary)', async () => {
    const canary = new FuzzRunner(world, SEED, world.routes);
    const route = { method: 'POST', url: '/api/workers', websocket: false };
    await canary.one(0, route, { method: 'POST', url: '/api/workers', headers: { [CANARY_HEADER]: 'write', 'content-type': 'application/json' }, payload: '{}', remoteAddress: '127.0.0.1', label: 'canary' }, 'inject');
    expect(canary.findings.map((f) => [f.kind, f.status]), formatFindings(canary.findings, SEED)).toEqual([['state-changed-on-refusal', 401]]);
    expect(canary.findings[0]?.detail).toContain('workers');
    // ...and a refused login, whose audit row and lockout counter are excluded, is not flagged.
    await canary.one(1, { method: 'POST', url: '/api/session', websocket: false }, { method: 'POST', url: '/api/session', headers: { 'content-type': 'application/json' }, payload: '{"role":"supervisor","pin":"000001"}', remoteAddress: '127.0.0.1', label: 'wrong pin' }, 'inject');
    expect(canary.findings).toHaveLength(1);
    expect(canary.stats.byStatus.get(401)).toBe(2);
    canary.close();
  });

  it(`up to ${INJECT_REQUESTS} requests through Fastify inject: no 5xx, nothing changed by a refusal`, async () => {
    const t0 = Date.now();
    await runner.run(INJECT_REQUESTS, 'inject', 0, (sent) => sent >= INJECT_FLOOR && Date.now() - t0 > INJECT_BUDGET_MS);
    const s = runner.stats;
    console.log(
      `inject: ${s.requests} requests in ${Date.now() - t0} ms over ${s.byRoute.size} routes; ${s.refusals} refused (4xx), ${s.digestsComputed} digests; statuses ${JSON.stringify(Object.fromEntries(s.byStatus))}`,
    );
    console.log(summarize(s));
    expect(runner.findings.length, formatFindings(runner.findings, SEED)).toBe(0);
    expect(s.requests).toBeGreaterThanOrEqual(INJECT_FLOOR);
    expect(s.requests).toBeLessThanOrEqual(INJECT_REQUESTS);
    // Every route got its share (round-robin), and the mix reached both answers and refusals.
    const share = Math.floor(s.requests / world.routes.length);
    for (const r of world.routes) expect(s.byRoute.get(routeKey(r)) ?? 0, routeKey(r)).toBeGreaterThanOrEqual(share);
    expect(s.refusals).toBeGreaterThan(s.requests / 2);
    expect([...s.byStatus.keys()].some((c) => c >= 200 && c < 300)).toBe(true);
  }, 600_000); // against a hang only: the budget ends the phase

  it(`${HTTP_REQUESTS} requests over real HTTP on 127.0.0.1: same checks through the socket`, async () => {
    const before = runner.stats.requests;
    const findingsBefore = runner.findings.length;
    await runner.run(HTTP_REQUESTS, 'http', 1);
    const sent = runner.stats.requests - before;
    console.log(`http: ${sent} requests, ${runner.stats.clientRejected} refused by Node's HTTP client or cut by its parser limits (head over 16 KB, body over 1 MB refused early)`);
    expect(runner.findings.length - findingsBefore, formatFindings(runner.findings.slice(findingsBefore), SEED)).toBe(0);
    expect(sent).toBeGreaterThan(HTTP_REQUESTS * 0.9);
  }, 120_000);

  it('the core is still up and healthy afterwards', async () => {
    const r = await fetch(`${world.core.url}/health`);
    expect(r.status).toBe(200);
    const health = (await r.json()) as { status: string; components: Record<string, { ok: boolean }> };
    expect(health.status, JSON.stringify(health.components)).toBe('ok');
    expect(health.components.store?.ok).toBe(true);
    expect(world.core.services.store.db.pragma('quick_check', { simple: true })).toBe('ok');
  });
});
