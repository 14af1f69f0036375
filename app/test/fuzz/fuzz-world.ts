// The core under fuzz and what the fuzzer knows about it: a real core (simulated devices,
// the real face engine, a real SQLite file) on a clock the test can move, the routes it
// registered, sessions for each role plus an expired and a revoked one, and the ids the
// examples use (workers, events, card reads, capture sessions), refreshed as the run goes.
import sharp from 'sharp';
import type { Role } from '../../../edge-core/src/index.js';
import { startTestCore, type TestCore } from '../helpers.js';
import { idCardPhoto, replayFrames } from '../fixtures/face-clips.js';
import { readCard } from '../fixtures/kiosk-flows.js';
import { captureRoutes, type RouteInfo } from './route-catalog.js';
import { syntheticIdNumber, type WorldView } from './route-examples.js';
import type { ConcreteRequest, ResolveContext, Tokens } from './request-plan.js';

export const CANARY_HEADER = 'x-fuzz-canary';

/** Live capture sessions re-made per run after saves consumed the first ones. */
const REPLENISH_LIMIT = 8;

export const INITIAL_PINS: Record<Role, string> = { admin: '900000', supervisor: '800000', clerk: '700000' };
/** The demo's accounts, the fuzzer's own sessions. */
export const WORLD_ACCOUNTS: Record<Role, number> = { admin: 1, supervisor: 2, clerk: 3 };

/** A route each role may read: its answer says whether the role's fuzzer session still works. */
const SESSION_CHECKS: Array<[Role, string]> = [
  ['clerk', '/api/employers'],
  ['supervisor', '/api/sync/status'],
  ['admin', '/api/admin/voice-templates'],
];

export interface FuzzResponse {
  status: number;
  body: string;
}

export class FuzzWorld implements WorldView {
  #offset = 0;
  pins: Record<Role, string> = { ...INITIAL_PINS };
  readonly accountIds: Record<Role, number> = { ...WORLD_ACCOUNTS };
  accounts: number[] = [];
  workers: number[] = [];
  employers: number[] = [];
  teams: number[] = [];
  events: string[] = [];
  lanes: string[] = [];
  readIds: string[] = [];
  /** Capture sessions: the seeded live ones stay first, then the newest the fuzzer opened. */
  #liveSessions: string[] = [];
  #seededSessions: string[] = [];
  #openedSessions: string[] = [];
  #liveWanted = 0;
  #replenished = 0;
  #clip: Buffer[] = [];
  policy: unknown = {};
  tokens: Tokens = { clerk: '', supervisor: '', admin: '', expired: '', revoked: '' };
  readonly sacrificial: string[] = [];
  /** Roles whose fuzzer session ended and must be signed in again. */
  readonly #stale = new Set<Role>();
  jpegs: Buffer[] = [];
  readonly oversizedJson = `{"name":"${'x'.repeat(8 * 1024 * 1024)}"}`;
  readonly oversizedJpeg = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.alloc(4 * 1024 * 1024 + 16, 0x41)]);
  core!: TestCore;
  routes: RouteInfo[] = [];

  now(): number {
    return Date.now() + this.#offset;
  }

  get sessions(): string[] {
    return [...this.#liveSessions, ...this.#openedSessions, ...this.#seededSessions];
  }

  /**
   * Starts the core, capturing its routes, and seeds it with a small site. `livenessPolicy`
   * 'test-only:temporal-off' lets the replayed clip pass liveness, so that `liveSessions`
   * capture sessions are ready to save and the enrollment save path is reached.
   */
  static async start(opts: { livenessPolicy?: string; liveSessions?: number } = {}): Promise<FuzzWorld> {
    const w = new FuzzWorld();
    const idPhoto = await idCardPhoto();
    const gateConfig = opts.livenessPolicy ? { gate: { livenessPolicy: opts.livenessPolicy } } : {};
    const { value: core, routes } = await captureRoutes(
      () => startTestCore({ devices: { simulate: true }, platform: { type: 'off' }, ...gateConfig }, undefined, { gate: true, simulatorPhoto: idPhoto, clock: { now: () => w.now() } }),
      (fastify) => {
        // The canary (test-only, never sent by the fuzzer): a request carrying this header
        // writes to a business table before the route refuses it, to prove the check sees it.
        fastify.addHook('onRequest', async (req) => {
          if (req.headers[CANARY_HEADER] === 'write') w.core.services.store.db.prepare("UPDATE workers SET updated_at = updated_at + 1").run();
        });
      },
    );
    w.core = core;
    w.routes = routes;
    await core.gateReady;
    const tiny = await sharp({ create: { width: 24, height: 16, channels: 3, background: '#7f8a90' } }).jpeg().toBuffer();
    w.jpegs = [tiny, ...(await replayFrames(2)), idPhoto];
    await w.#seed(opts.liveSessions ?? 0);
    return w;
  }

  async request(method: string, url: string, body?: unknown, token?: string): Promise<FuzzResponse & { json: unknown }> {
    const r = await this.core.app.inject({
      method: method as 'GET',
      url,
      headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
      ...(body !== undefined ? { payload: JSON.stringify(body) } : {}),
    });
    let json: unknown = null;
    try {
      json = JSON.parse(r.body);
    } catch {
      json = null;
    }
    return { status: r.statusCode, body: r.body, json };
  }

  /**
   * Signs in as the kiosk does. The fuzzer's own wrong PINs and login bursts from loopback may
   * have locked the role or spent the kiosk's login allowance: the world then moves its clock
   * past the lock or the wait (as a person would wait) and tries again.
   */
  async #login(role: Role): Promise<string> {
    for (let attempt = 0; attempt < 12; attempt++) {
      const r = await this.request('POST', '/api/session', { account: this.accountIds[role], pin: this.pins[role] });
      if (r.status === 200) return (r.json as { token: string }).token;
      const e = (r.json as { error?: { code?: string; details?: { lockedUntil?: number; retryAfterS?: number } } }).error;
      if (r.status !== 429) break;
      if (e?.code === 'auth.locked') this.#offset += Math.max(1000, (e.details?.lockedUntil ?? 0) - this.now() + 1000);
      else this.#offset += (e?.details?.retryAfterS ?? 2) * 1000;
    }
    throw new Error(`login ${role} failed`);
  }

  /**
   * Signs the fuzzer's sessions in again where they ended: a successful PIN change ends the
   * role's other sessions (issue 14 item 9), and moving the clock past a lock may expire the
   * admin's. Each role is then checked, so the fuzzer never quietly tests only refusals.
   */
  async renewSessions(): Promise<void> {
    for (let round = 0; round < 5 && this.#stale.size; round++) {
      for (const role of [...this.#stale]) {
        this.tokens[role] = await this.#login(role);
        this.#stale.delete(role);
      }
      for (const [role, url] of SESSION_CHECKS) {
        const r = await this.request('GET', url, undefined, this.tokens[role]);
        if (r.status === 401) this.#stale.add(role);
      }
    }
  }

  async #seed(liveSessions: number): Promise<void> {
    // An admin session that then expires (admin sessions last 30 minutes), one that is revoked.
    this.tokens.expired = await this.#login('admin');
    this.#offset += 31 * 60_000;
    this.tokens.revoked = await this.#login('clerk');
    await this.request('DELETE', '/api/session', undefined, this.tokens.revoked);
    this.tokens.clerk = await this.#login('clerk');
    this.tokens.supervisor = await this.#login('supervisor');
    this.tokens.admin = await this.#login('admin');
    for (let i = 0; i < 12; i++) this.sacrificial.push(await this.#login('clerk'));

    const must = async (method: string, url: string, body: unknown, token: string) => {
      const r = await this.request(method, url, body, token);
      if (r.status >= 300) throw new Error(`seed ${method} ${url}: ${r.status} ${r.body}`);
      return r.json as Record<string, unknown>;
    };
    const clerk = this.tokens.clerk;
    const employer = await must('POST', '/api/employers', { name: '测试建设集团', creditCode: '91999999MA00000001', corpType: 'general' }, clerk);
    await must('POST', '/api/teams', { employerId: employer.id, name: '测试钢筋班' }, clerk);
    for (let i = 0; i < 3; i++) {
      await must(
        'POST',
        '/api/workers',
        { name: `测试种子${i}`, idType: '01', idNumber: syntheticIdNumber(900_000 + i * 40), tradeCode: '010', role: 'worker', employerId: employer.id, hasContract: true, contractStart: '2026-01-01', contractEnd: '2028-12-31' },
        clerk,
      );
    }
    this.refresh();
    // Attendance with a photo (what the kiosk shows), and a demo passage without one.
    const photo = this.jpegs[0] as Buffer;
    this.core.services.attendance.record({ laneId: 'lane-1', workerId: this.workers[0] ?? null, direction: 'in', decision: 'pass', photoJpeg: photo });
    await must('POST', '/api/demo/passage', { laneId: 'lane-1', workerId: this.workers[1], direction: 'in' }, clerk);
    // A held card read and two capture sessions.
    await readCard(this.core, clerk, 'resident');
    for (let i = 0; i < 2; i++) {
      const s = await must('POST', '/api/enrollment/sessions', undefined, clerk);
      this.#seededSessions.push(String(s.sessionId));
    }
    this.#liveWanted = liveSessions;
    if (liveSessions) this.#clip = await replayFrames(8);
    await this.replenish();
    this.policy = (await this.request('GET', '/api/gate/policy', undefined, this.tokens.supervisor)).json;
    this.refresh();
  }

  /**
   * Tops the live capture sessions back up (each successful save consumes one), at most
   * `REPLENISH_LIMIT` times per run: every one costs eight face analyses.
   */
  async replenish(): Promise<void> {
    while (this.#liveSessions.length < this.#liveWanted && this.#replenished < this.#liveWanted + REPLENISH_LIMIT) {
      this.#replenished++;
      this.#liveSessions.push(await this.openLiveSession());
    }
  }

  /** A new capture session fed the replayed clip until live (needs `liveSessions` at start). */
  async openLiveSession(): Promise<string> {
    const opened = await this.request('POST', '/api/enrollment/sessions', undefined, this.tokens.clerk);
    const id = String((opened.json as { sessionId?: string }).sessionId);
    let live = false;
    for (const frame of this.#clip) {
      const r = await this.core.app.inject({ method: 'POST', url: `/api/enrollment/sessions/${id}/frames`, headers: { 'content-type': 'image/jpeg', authorization: `Bearer ${this.tokens.clerk}` }, payload: frame });
      live = Boolean((JSON.parse(r.body) as { liveness?: { live?: boolean } }).liveness?.live);
    }
    if (!live) throw new Error(`the capture session did not become live (${opened.status} ${opened.body.slice(0, 200)})`);
    return id;
  }

  /**
   * Throws if a role's session stopped working: the fuzzer would then quietly test only
   * refusals. (Routes that revoke their token get tokens of their own, see TOKEN_REVOKING_ROUTES.)
   */
  async assertSessionsAlive(): Promise<void> {
    await this.renewSessions();
    for (const [role, url] of SESSION_CHECKS) {
      const r = await this.request('GET', url, undefined, this.tokens[role]);
      if (r.status !== 200) throw new Error(`the fuzzer's ${role} session stopped working (${r.status} ${r.body.slice(0, 200)})`);
    }
  }

  /** Re-reads the ids the examples draw from. */
  refresh(): void {
    const db = this.core.services.store.db;
    const ids = (sql: string) => (db.prepare(sql).all() as Array<{ id: number | string }>).map((r) => r.id);
    this.workers = ids('SELECT id FROM workers ORDER BY id DESC LIMIT 50') as number[];
    this.employers = ids('SELECT id FROM employers ORDER BY id DESC LIMIT 10') as number[];
    this.teams = ids('SELECT id FROM teams ORDER BY id DESC LIMIT 10') as number[];
    this.events = ids('SELECT id FROM attendance_events ORDER BY rowid DESC LIMIT 50') as string[];
    this.lanes = this.core.services.project.lanes().map((l) => l.id);
    const card = this.core.devices.latestCard();
    if (card && !this.readIds.includes(card.readId)) this.readIds = [card.readId, ...this.readIds].slice(0, 5);
  }

  /** Learns from what the core answered (new sessions, changed PINs, new tokens). */
  async observe(req: ConcreteRequest, status: number, body: string): Promise<void> {
    await this.#observe(req, status, body);
    await this.renewSessions();
  }

  async #observe(req: ConcreteRequest, status: number, body: string): Promise<void> {
    if (status < 200 || status >= 300) return;
    const path = req.url.split('?')[0];
    let json: Record<string, unknown> | null = null;
    try {
      json = JSON.parse(body) as Record<string, unknown>;
    } catch {
      return;
    }
    if (req.method === 'POST' && path === '/api/enrollment/sessions' && typeof json?.sessionId === 'string') {
      this.#openedSessions = [json.sessionId, ...this.#openedSessions].slice(0, 6);
    } else if (req.method === 'PUT' && path === '/api/admin/pins' && typeof req.payload === 'string') {
      const sent = JSON.parse(req.payload) as { role: Role; pin: string };
      this.#pinChanged(Number(json?.account), sent.pin, req);
    } else if (req.method === 'PUT' && /^\/api\/accounts\/\d+\/pin$/.test(path ?? '') && typeof req.payload === 'string') {
      this.#pinChanged(Number(path?.split('/')[3]), (JSON.parse(req.payload) as { pin: string }).pin, req);
    } else if (req.method === 'POST' && /^\/api\/accounts\/\d+\/disable$/.test(path ?? '')) {
      // One of the fuzzer's own accounts disabled (its sessions ended): enabled again behind
      // the API's back, and signed in anew.
      const role = this.#ownRole(Number(path?.split('/')[3]));
      if (role) {
        this.core.services.accounts.setEnabled(this.accountIds[role], true, 'fuzz-world');
        this.#stale.add(role);
      }
    } else if (req.method === 'POST' && path === '/api/accounts' && typeof json?.id === 'number') {
      this.accounts = [json.id, ...this.accounts].slice(0, 8);
    } else if (req.method === 'POST' && path === '/api/enrollments' && status === 201 && typeof req.payload === 'string') {
      const used = (JSON.parse(req.payload) as { sessionId?: string }).sessionId;
      this.#liveSessions = this.#liveSessions.filter((id) => id !== used);
    } else if (req.method === 'POST' && path === '/api/session' && typeof json?.token === 'string') {
      if (this.sacrificial.length < 50) this.sacrificial.push(json.token);
    } else if (req.method === 'PUT' && path === '/api/gate/policy' && json?.policy) {
      this.policy = json.policy;
    }
  }

  #ownRole(accountId: number): Role | null {
    return (Object.keys(this.accountIds) as Role[]).find((r) => this.accountIds[r] === accountId) ?? null;
  }

  /** A new PIN for an account: the fuzzer's own one's other sessions ended (the caller's own stays). */
  #pinChanged(accountId: number, pin: string, req: ConcreteRequest): void {
    const role = this.#ownRole(accountId);
    if (!role) return;
    this.pins[role] = pin;
    const caller = req.headers.authorization?.slice(7);
    if (caller !== this.tokens[role]) this.#stale.add(role);
  }

  context(): ResolveContext {
    return {
      world: this,
      tokens: this.tokens,
      takeSacrificialToken: () => this.sacrificial.pop() ?? null,
      jpegs: this.jpegs,
      oversizedJson: this.oversizedJson,
      oversizedJpeg: this.oversizedJpeg,
    };
  }
}
