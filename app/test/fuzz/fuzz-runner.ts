// Sends planned requests to the core (Fastify's inject for the bulk, real HTTP on 127.0.0.1
// for a slice) and checks each answer: never a 5xx, never a dropped connection, and a refused
// request (4xx) leaves the database digest unchanged.
import { createHash } from 'node:crypto';
import { request as httpRequest } from 'node:http';
import fc from 'fast-check';
import Database from 'better-sqlite3';
import { DbDigester, describeDifference, writeMarker, type DbDigest } from './db-digest.js';
import { requestPlan, resolvePlan, type ConcreteRequest } from './request-plan.js';
import { routeKey, type RouteInfo } from './route-catalog.js';
import type { FuzzResponse, FuzzWorld } from './fuzz-world.js';

export type Transport = 'inject' | 'http';

export interface Finding {
  kind: 'server-error' | 'state-changed-on-refusal' | 'transport';
  transport: Transport;
  seed: number;
  index: number;
  route: string;
  request: string;
  status?: number;
  detail: string;
}

export interface RunStats {
  requests: number;
  byRoute: Map<string, number>;
  byStatus: Map<number, number>;
  /** Per route: answers below 300, and milliseconds spent. */
  okByRoute: Map<string, number>;
  msByRoute: Map<string, number>;
  /** Answers per caller kind (auth:admin, auth:none, ...) and status class, e.g. "auth:clerk 4xx". */
  byCaller: Map<string, number>;
  refusals: number;
  digestsComputed: number;
  digestMs: number;
  clientRejected: number;
}

const BATCH = 100;
const MAX_FINDINGS = 25;

export class FuzzRunner {
  readonly findings: Finding[] = [];
  readonly stats: RunStats = { requests: 0, byRoute: new Map(), byStatus: new Map(), okByRoute: new Map(), msByRoute: new Map(), byCaller: new Map(), refusals: 0, digestsComputed: 0, digestMs: 0, clientRejected: 0 };
  #reader: Database.Database | null = null;
  #snapshotMarker: string | null = null;
  #before: DbDigester | null = null;
  #after: DbDigester | null = null;

  constructor(
    readonly world: FuzzWorld,
    readonly seed: number,
    readonly routes: RouteInfo[],
  ) {}

  /** Sends `count` requests, round-robin over the routes, plans drawn from `seed + stream`. */
  /** Sends `count` requests, or fewer when `enough()` says so after a batch (a time budget on a busy machine). */
  async run(count: number, transport: Transport, stream: number, enough: (sent: number) => boolean = () => false): Promise<void> {
    const ctx = this.world.context();
    for (let start = 0; start < count && this.findings.length < MAX_FINDINGS && !enough(start); start += BATCH) {
      const n = Math.min(BATCH, count - start);
      const plans = fc.sample(requestPlan, { seed: (this.seed + stream * 1_000_003 + start) | 0, numRuns: n });
      for (let j = 0; j < n; j++) {
        const index = start + j;
        const route = this.routes[index % this.routes.length] as RouteInfo;
        const req = resolvePlan(plans[j] as (typeof plans)[number], route, ctx);
        await this.one(index, route, req, transport);
        if (this.findings.length >= MAX_FINDINGS) break;
      }
      this.world.refresh();
      await this.world.replenish();
      await this.world.assertSessionsAlive();
    }
  }

  /** Sends one request and checks it (also used by the canary and the regression tests). */
  async one(index: number, route: RouteInfo, req: ConcreteRequest, transport: Transport): Promise<void> {
    const db = this.world.core.services.store.db;
    const key = routeKey(route);
    const before = writeMarker(db);
    this.#snapshot(before);
    const logFrom = this.world.core.logLines.length;
    let res: FuzzResponse | 'client-rejected';
    const t0 = performance.now();
    try {
      res = transport === 'inject' ? await this.#inject(req) : await this.#http(req);
    } catch (err) {
      this.#find({ kind: 'transport', transport, index, route: key, req, detail: String((err as Error)?.stack ?? err) });
      return;
    }
    if (res === 'client-rejected') {
      this.stats.clientRejected++;
      return;
    }
    this.stats.requests++;
    this.stats.byRoute.set(key, (this.stats.byRoute.get(key) ?? 0) + 1);
    this.stats.byStatus.set(res.status, (this.stats.byStatus.get(res.status) ?? 0) + 1);
    this.stats.msByRoute.set(key, (this.stats.msByRoute.get(key) ?? 0) + performance.now() - t0);
    if (res.status < 300) this.stats.okByRoute.set(key, (this.stats.okByRoute.get(key) ?? 0) + 1);
    const caller = `${/auth:[a-z-]+/.exec(req.label)?.[0] ?? 'auth:?'} ${res.status}`;
    this.stats.byCaller.set(caller, (this.stats.byCaller.get(caller) ?? 0) + 1);
    if (res.status >= 500) {
      const errors = this.world.core.logLines.slice(logFrom).filter((l) => l.includes('"level":50')).map(logError);
      this.#find({ kind: 'server-error', transport, index, route: key, req, status: res.status, detail: `${res.body.slice(0, 300)}\n  logged: ${errors.join('\n  logged: ')}` });
    }
    if (res.status >= 400 && res.status < 500) {
      this.stats.refusals++;
      // Nothing written at all (the usual case): nothing to compare. Otherwise the digest of
      // the snapshot taken before the request against the digest of the database now.
      if (writeMarker(db) !== before) {
        const [digestBefore, digestAfter] = this.#digests();
        if (digestAfter.hash !== digestBefore.hash) {
          this.#find({ kind: 'state-changed-on-refusal', transport, index, route: key, req, status: res.status, detail: `changed: ${describeDifference(digestBefore, digestAfter)}; answer ${res.body.slice(0, 300)}` });
        }
      }
    }
    await this.world.observe(req, res.status, res.body);
  }

  /**
   * Keeps a read transaction open on a second connection as the "before" picture: the store
   * runs in WAL mode, so that connection goes on seeing the database as it was when the
   * transaction began, whatever the core writes meanwhile. Renewed whenever the core wrote.
   */
  #snapshot(marker: string): void {
    if (this.#snapshotMarker === marker) return;
    const reader = (this.#reader ??= new Database(this.world.core.services.store.db.name, { readonly: true, fileMustExist: true }));
    if (reader.inTransaction) reader.exec('COMMIT');
    reader.exec('BEGIN');
    reader.prepare('SELECT count(*) FROM sqlite_master').get(); // the snapshot starts at the first read
    this.#snapshotMarker = marker;
  }

  /** Digests of the snapshot (before) and of the core's database (after). */
  #digests(): [DbDigest, DbDigest] {
    const t0 = performance.now();
    this.#before ??= new DbDigester(this.#reader as Database.Database);
    this.#after ??= new DbDigester(this.world.core.services.store.db);
    const pair: [DbDigest, DbDigest] = [this.#before.digest(), this.#after.digest()];
    this.stats.digestsComputed += 2;
    this.stats.digestMs += performance.now() - t0;
    return pair;
  }

  /** Ends the snapshot; call before stopping the core (its closing checkpoint waits for readers). */
  close(): void {
    if (this.#reader?.inTransaction) this.#reader.exec('COMMIT');
    this.#reader?.close();
    this.#reader = null;
    this.#snapshotMarker = null;
    this.#before = null;
  }

  async #inject(req: ConcreteRequest): Promise<FuzzResponse> {
    const r = await this.world.core.app.inject({
      method: req.method as 'GET',
      url: req.url,
      headers: req.headers,
      remoteAddress: req.remoteAddress,
      ...(req.payload !== undefined ? { payload: req.payload } : {}),
    });
    return { status: r.statusCode, body: r.body };
  }

  /**
   * Real HTTP over the loopback socket (always a loopback client), one connection per request
   * so that a connection the server closes after an error cannot be mistaken for the next
   * request's failure.
   */
  #http(req: ConcreteRequest): Promise<FuzzResponse | 'client-rejected'> {
    const u = new URL(this.world.core.url);
    // An explicit length: without it Node sends a GET/HEAD/DELETE body unframed, and the
    // server would rightly read those bytes as the next request on the connection.
    const headers: Record<string, string> = { ...req.headers, connection: 'close' };
    if (req.payload !== undefined) headers['content-length'] = String(Buffer.byteLength(req.payload));
    // Node's HTTP parser (maxHeaderSize 16 KB) answers 431 and closes the connection on a
    // longer head, and a server may close the connection while a big body is still being
    // written once it has refused it; neither is a fault of the API.
    const headBytes = req.url.length + Object.entries(headers).reduce((n, [k, v]) => n + k.length + v.length + 4, 0);
    const mayBeCut = headBytes > 16 * 1024 || (req.payload?.length ?? 0) > 1024 * 1024;
    return new Promise((resolve, reject) => {
      let r;
      try {
        r = httpRequest({ host: u.hostname, port: u.port, method: req.method, path: req.url, headers, agent: false });
      } catch {
        // Node's client refuses some of the odd paths and header values before they reach a socket.
        resolve('client-rejected');
        return;
      }
      let answered = false;
      r.on('response', (res) => {
        answered = true;
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
        res.on('error', reject);
      });
      r.on('error', (err) => {
        if (answered) return;
        if (mayBeCut) resolve('client-rejected');
        else reject(err);
      });
      r.end(req.payload);
    });
  }

  #find(f: { kind: Finding['kind']; transport: Transport; index: number; route: string; req: ConcreteRequest; status?: number; detail: string }): void {
    this.findings.push({
      kind: f.kind,
      transport: f.transport,
      seed: this.seed,
      index: f.index,
      route: f.route,
      request: describeRequest(f.req),
      ...(f.status !== undefined ? { status: f.status } : {}),
      detail: f.detail,
    });
  }
}

/** The error message and the first frames of its stack, from a JSON log line. */
function logError(line: string): string {
  try {
    const entry = JSON.parse(line) as { msg?: string; err?: { message?: string; stack?: string } };
    const frames = (entry.err?.stack ?? '').split('\n').slice(1, 5).map((f) => f.trim());
    return `${entry.msg ?? ''}: ${entry.err?.message ?? ''} ${frames.join(' < ')}`;
  } catch {
    return line.slice(0, 500);
  }
}

/** Where the time went and which routes never answered with a success (their examples may be stale). */
export function summarize(stats: RunStats): string {
  const slow = [...stats.msByRoute].sort((a, b) => b[1] - a[1]).slice(0, 6).map(([k, ms]) => `${k} ${Math.round(ms)} ms`);
  const neverOk = [...stats.byRoute.keys()].filter((k) => !stats.okByRoute.get(k));
  const callers = [...stats.byCaller].sort((a, b) => a[0].localeCompare(b[0])).map(([k, n]) => `${k}:${n}`);
  return `answers by caller: ${callers.join(' ')}\ndigests: ${stats.digestsComputed} in ${Math.round(stats.digestMs)} ms; slowest routes: ${slow.join(', ')}\nroutes never answered 2xx: ${neverOk.join(', ') || 'none'}`;
}

/** The request in full (payload cut at 2 KB, with its length and hash), ready to paste into a regression test. */
export function describeRequest(req: ConcreteRequest): string {
  const p = req.payload;
  const payload =
    p === undefined
      ? undefined
      : {
          length: p.length,
          sha256: createHash('sha256').update(p).digest('hex'),
          ...(typeof p === 'string' ? { text: p.slice(0, 2048) } : { base64: p.subarray(0, 1536).toString('base64') }),
        };
  return JSON.stringify({ method: req.method, url: req.url.slice(0, 2048), headers: Object.fromEntries(Object.entries(req.headers).map(([k, v]) => [k, v.slice(0, 300)])), remoteAddress: req.remoteAddress, label: req.label, payload });
}

export function formatFindings(findings: Finding[], seed: number): string {
  return [
    `${findings.length} finding(s); reproduce with FUZZ_SEED=${seed}`,
    ...findings.map((f, i) => `#${i + 1} ${f.kind} via ${f.transport} at request ${f.index} on ${f.route}${f.status ? ` -> ${f.status}` : ''}\n  request: ${f.request}\n  detail: ${f.detail}`),
  ].join('\n');
}
