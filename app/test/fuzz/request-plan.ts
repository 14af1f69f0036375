// A fuzz request in two steps: fast-check generates an abstract, seeded plan (who asks, from
// where, which part of the request is mutated and how), and `resolvePlan` turns it into a
// concrete HTTP request for one route against what the core currently holds. Same seed, same
// plans; the concrete request is printed in full when something fails.
import fc from 'fast-check';
import { badAuthHeader, badJsonText, contentTypeJunk, encodeComponent, numberJunk, pathSegmentJunk, stringJunk, valueJunk } from './junk-values.js';
import { exampleFor, type Example, type WorldView } from './route-examples.js';
import type { RouteInfo } from './route-catalog.js';

export type AuthKind = 'none' | 'clerk' | 'supervisor' | 'admin' | 'expired' | 'revoked' | 'bad' | 'query-token';

type Mutation =
  | { op: 'drop'; at: number }
  | { op: 'set'; at: number; value: unknown }
  | { op: 'add'; key: string; value: unknown }
  /** Same type, wrong content: a string for a string, a number for a number. */
  | { op: 'tweak'; at: number; str: string; num: number }
  /** Same shape, wrong content: the digits of a string (a date, a month, a code) or a number's digits replaced. */
  | { op: 'reshape'; at: number; group: number; digits: string }
  | { op: 'wrap' };

type BodyPlan =
  | { kind: 'example' }
  | { kind: 'mutated'; muts: Mutation[] }
  | { kind: 'junk'; value: unknown }
  | { kind: 'bad-json'; text: string }
  | { kind: 'binary'; bytes: Uint8Array }
  | { kind: 'oversized' }
  | { kind: 'none' };

type JpegMutation =
  | { op: 'none' }
  | { op: 'truncate'; at: number }
  | { op: 'flip'; positions: number[] }
  | { op: 'append'; bytes: Uint8Array }
  | { op: 'huge-dimensions' }
  | { op: 'header-only'; length: number };

type QueryPlan =
  | { kind: 'example' }
  | { kind: 'none' }
  | { kind: 'mutated'; drop: number[]; set: Array<[number, string]>; add: Array<[string, string]>; duplicate: boolean; reshape: Array<[number, number, string]> }
  | { kind: 'raw'; text: string };

export interface RequestPlan {
  pick: number;
  auth: AuthKind;
  badAuth: string;
  queryTokenValid: boolean;
  remote: 'loopback' | 'lan';
  methodSwap: string | null;
  pathJunk: Array<string | null>;
  pathSuffix: string | null;
  query: QueryPlan;
  body: BodyPlan;
  jpeg: { base: number; mut: JpegMutation };
  contentType: string | null;
}

/** Numbers at the edges that matter here: zero, signs, int32/uint32, safe-integer and Date limits. */
const boundaryNumber: fc.Arbitrary<number> = fc.constantFrom(0, 1, -1, 2 ** 31, 2 ** 32, 8.64e15, 8.64e15 + 1, 253402300800000, Number.MAX_SAFE_INTEGER, -Number.MAX_SAFE_INTEGER, 1e21, 0.1);

/** Replacement digits for `reshape`: all zeros, all nines, or random. */
const digitsJunk: fc.Arbitrary<string> = fc.oneof(fc.constantFrom('0', '9', '00', '99', '0000', '9999'), fc.stringMatching(/^\d{1,20}$/));

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  { weight: 2, arbitrary: fc.record({ op: fc.constant('drop' as const), at: fc.nat() }) },
  { weight: 3, arbitrary: fc.record({ op: fc.constant('set' as const), at: fc.nat(), value: valueJunk }) },
  {
    weight: 2,
    arbitrary: fc.record({ op: fc.constant('add' as const), key: fc.oneof(fc.string({ maxLength: 12 }), fc.constantFrom('__proto__', 'constructor', 'salary', 'id', 'role')), value: valueJunk }),
  },
  { weight: 1, arbitrary: fc.constant({ op: 'wrap' as const }) },
  {
    weight: 2,
    arbitrary: fc.record({ op: fc.constant('tweak' as const), at: fc.nat(), str: fc.oneof({ weight: 4, arbitrary: fc.string({ unit: 'grapheme', minLength: 1, maxLength: 30 }) }, { weight: 1, arbitrary: stringJunk }), num: numberJunk }),
  },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('tweak' as const), at: fc.nat(), str: fc.string({ unit: 'grapheme-ascii', minLength: 1, maxLength: 12 }), num: fc.integer() }) },
  { weight: 3, arbitrary: fc.record({ op: fc.constant('tweak' as const), at: fc.nat(), str: stringJunk, num: boundaryNumber }) },
  { weight: 3, arbitrary: fc.record({ op: fc.constant('reshape' as const), at: fc.nat(), group: fc.nat(), digits: digitsJunk }) },
);

const bodyPlan: fc.Arbitrary<BodyPlan> = fc.oneof(
  { weight: 30, arbitrary: fc.constant({ kind: 'example' as const }) },
  { weight: 45, arbitrary: fc.record({ kind: fc.constant('mutated' as const), muts: fc.array(mutation, { minLength: 1, maxLength: 3 }) }) },
  { weight: 10, arbitrary: fc.record({ kind: fc.constant('junk' as const), value: valueJunk }) },
  { weight: 8, arbitrary: fc.record({ kind: fc.constant('bad-json' as const), text: badJsonText }) },
  { weight: 5, arbitrary: fc.record({ kind: fc.constant('binary' as const), bytes: fc.uint8Array({ maxLength: 2048 }) }) },
  { weight: 6, arbitrary: fc.constant({ kind: 'none' as const }) },
  { weight: 1, arbitrary: fc.constant({ kind: 'oversized' as const }) },
);

const jpegMutation: fc.Arbitrary<JpegMutation> = fc.oneof(
  { weight: 40, arbitrary: fc.constant({ op: 'none' as const }) },
  { weight: 15, arbitrary: fc.record({ op: fc.constant('truncate' as const), at: fc.nat() }) },
  { weight: 20, arbitrary: fc.record({ op: fc.constant('flip' as const), positions: fc.array(fc.nat(), { minLength: 1, maxLength: 20 }) }) },
  { weight: 5, arbitrary: fc.record({ op: fc.constant('append' as const), bytes: fc.uint8Array({ minLength: 1, maxLength: 4096 }) }) },
  { weight: 10, arbitrary: fc.constant({ op: 'huge-dimensions' as const }) },
  { weight: 10, arbitrary: fc.record({ op: fc.constant('header-only' as const), length: fc.integer({ min: 1, max: 64 }) }) },
);

const queryPlan: fc.Arbitrary<QueryPlan> = fc.oneof(
  { weight: 40, arbitrary: fc.constant({ kind: 'example' as const }) },
  { weight: 15, arbitrary: fc.constant({ kind: 'none' as const }) },
  {
    weight: 35,
    arbitrary: fc.record({
      kind: fc.constant('mutated' as const),
      drop: fc.array(fc.nat(), { maxLength: 2 }),
      set: fc.array(fc.tuple(fc.nat(), stringJunk), { maxLength: 3 }),
      add: fc.array(fc.tuple(fc.oneof(fc.string({ maxLength: 8 }), fc.constantFrom('token', '__proto__', 'limit[]', 'q[a]', 'constructor')), stringJunk), { maxLength: 2 }),
      duplicate: fc.boolean(),
      reshape: fc.array(fc.tuple(fc.nat(), fc.nat(), digitsJunk), { maxLength: 2 }),
    }),
  },
  {
    weight: 10,
    arbitrary: fc.record({
      kind: fc.constant('raw' as const),
      text: fc.oneof(
        fc.constantFrom('=', '&&&', '=&=', 'a=%zz', 'a=%', '%E0%A4%A=1', 'limit=1&limit=2', 'q=' + 'a'.repeat(10000), '&'.repeat(2000), 'a[b][c][d]=1', 'a=1;b=2', '?', '#'),
        stringJunk.map((s) => encodeComponent(s.slice(0, 4000))),
      ),
    }),
  },
);

export const requestPlan: fc.Arbitrary<RequestPlan> = fc.record({
  pick: fc.nat({ max: 1_000_000 }),
  auth: fc.oneof(
    { weight: 15, arbitrary: fc.constant('none' as const) },
    { weight: 20, arbitrary: fc.constant('clerk' as const) },
    { weight: 20, arbitrary: fc.constant('supervisor' as const) },
    { weight: 22, arbitrary: fc.constant('admin' as const) },
    { weight: 8, arbitrary: fc.constant('expired' as const) },
    { weight: 4, arbitrary: fc.constant('revoked' as const) },
    { weight: 8, arbitrary: fc.constant('bad' as const) },
    { weight: 3, arbitrary: fc.constant('query-token' as const) },
  ),
  badAuth: badAuthHeader,
  queryTokenValid: fc.boolean(),
  // From the LAN over plain HTTP (inject cannot do TLS) the core refuses everything with 403 lan.tls_required.
  remote: fc.oneof({ weight: 9, arbitrary: fc.constant('loopback' as const) }, { weight: 1, arbitrary: fc.constant('lan' as const) }),
  methodSwap: fc.oneof({ weight: 30, arbitrary: fc.constant(null) }, { weight: 1, arbitrary: fc.constantFrom('GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS', 'HEAD') }),
  pathJunk: fc.array(fc.oneof({ weight: 3, arbitrary: fc.constant(null) }, { weight: 1, arbitrary: pathSegmentJunk }), { minLength: 3, maxLength: 3 }),
  pathSuffix: fc.oneof({ weight: 25, arbitrary: fc.constant(null) }, { weight: 1, arbitrary: fc.constantFrom('/', '//', '/x', '%2F', '/..', '/%00', '/.', '/' + 'a'.repeat(5000)) }),
  query: queryPlan,
  body: bodyPlan,
  jpeg: fc.record({ base: fc.nat(), mut: jpegMutation }),
  contentType: fc.oneof({ weight: 9, arbitrary: fc.constant(null) }, { weight: 1, arbitrary: contentTypeJunk }),
});

export interface Tokens {
  clerk: string;
  supervisor: string;
  admin: string;
  expired: string;
  revoked: string;
}

export interface ResolveContext {
  world: WorldView;
  tokens: Tokens;
  /** Fresh tokens for routes that revoke the token they are called with. */
  takeSacrificialToken(): string | null;
  /** Valid JPEGs: the first is cheap (no face), later ones cost a face analysis. */
  jpegs: Buffer[];
  /** The same bytes each time (prebuilt), to keep generation cheap. */
  oversizedJson: string;
  oversizedJpeg: Buffer;
}

export interface ConcreteRequest {
  method: string;
  url: string;
  headers: Record<string, string>;
  payload?: string | Buffer;
  remoteAddress: string;
  /** What was done to the request, for the report. */
  label: string;
}

/** Routes that revoke the bearer token they are called with: given a token of their own. */
export const TOKEN_REVOKING_ROUTES = new Set(['DELETE /api/session']);

export function resolvePlan(plan: RequestPlan, route: RouteInfo, ctx: ResolveContext): ConcreteRequest {
  const exampleFn = exampleFor(route.method, route.url);
  const ex: Example = exampleFn ? exampleFn(ctx.world, plan.pick) : {};
  const label: string[] = [exampleFn ? 'example' : 'no-example'];
  const method = plan.methodSwap ?? route.method;
  if (plan.methodSwap) label.push(`method:${plan.methodSwap}`);

  // Path: the example's params, some replaced by junk.
  let paramIndex = 0;
  let path = route.url.replace(/:([A-Za-z0-9_]+)|\*/g, (_m, name: string | undefined) => {
    const junk = plan.pathJunk[paramIndex++ % plan.pathJunk.length];
    if (junk !== null && junk !== undefined) {
      label.push(`path-junk:${name ?? '*'}`);
      return junk;
    }
    return encodeComponent(name ? (ex.params?.[name] ?? '1') : 'x');
  });
  if (plan.pathSuffix) {
    path += plan.pathSuffix;
    label.push('path-suffix');
  }

  // Query.
  let query = '';
  const exQuery = Object.entries(ex.query ?? {});
  const q = plan.query;
  if (q.kind === 'example' && exQuery.length) query = new URLSearchParams(exQuery).toString();
  else if (q.kind === 'mutated') {
    const entries = exQuery.slice();
    for (const d of q.drop) if (entries.length) entries.splice(d % entries.length, 1);
    for (const [at, v] of q.set) if (entries.length) (entries[at % entries.length] as [string, string])[1] = v.slice(0, 4000);
    for (const [at, group, digits] of q.reshape) {
      const e = entries[at % Math.max(1, entries.length)];
      if (e) e[1] = reshapeDigits(e[1], group, digits);
    }
    for (const [k, v] of q.add) entries.push([k, v.slice(0, 4000)]);
    if (q.duplicate && entries.length) entries.push(entries[plan.pick % entries.length] as [string, string]);
    query = new URLSearchParams(entries).toString();
    label.push('query-mutated');
  } else if (q.kind === 'raw') {
    query = q.text;
    label.push('query-raw');
  }

  // Who asks.
  const headers: Record<string, string> = {};
  let auth = plan.auth;
  // The effective method: a swapped method can land on a revoking route too.
  const key = `${method} ${route.url}`;
  if (TOKEN_REVOKING_ROUTES.has(key) && (auth === 'clerk' || auth === 'supervisor' || auth === 'admin')) {
    const t = ctx.takeSacrificialToken();
    if (t) headers.authorization = `Bearer ${t}`;
    else auth = 'bad';
  } else if (auth === 'clerk' || auth === 'supervisor' || auth === 'admin' || auth === 'expired' || auth === 'revoked') {
    headers.authorization = `Bearer ${ctx.tokens[auth]}`;
  }
  if (auth === 'bad') headers.authorization = plan.badAuth;
  if (auth === 'query-token') {
    const t = plan.queryTokenValid ? ctx.tokens.supervisor : ctx.tokens.expired;
    query = query ? `${query}&token=${encodeComponent(t)}` : `token=${encodeComponent(t)}`;
  }
  label.push(`auth:${auth}`, `from:${plan.remote}`);

  // Body.
  let payload: string | Buffer | undefined;
  let contentType: string | undefined;
  const b = plan.body;
  if (b.kind === 'oversized') {
    payload = ex.jpeg ? ctx.oversizedJpeg : ctx.oversizedJson;
    contentType = ex.jpeg ? 'image/jpeg' : 'application/json';
    label.push('body:oversized');
  } else if (ex.jpeg && (b.kind === 'example' || b.kind === 'mutated' || b.kind === 'junk')) {
    payload = mutateJpeg(pickJpeg(ctx.jpegs, plan.jpeg.base), plan.jpeg.mut);
    contentType = 'image/jpeg';
    label.push(`body:jpeg-${plan.jpeg.mut.op}`);
  } else if (b.kind === 'example') {
    if (ex.body !== undefined) {
      payload = JSON.stringify(ex.body);
      contentType = 'application/json';
    }
    label.push('body:example');
  } else if (b.kind === 'mutated') {
    const value = applyMutations(structuredClone(ex.body ?? {}), b.muts);
    try {
      payload = JSON.stringify(value);
    } catch {
      payload = JSON.stringify(ex.body ?? {}); // a mutation nested a value in itself: send the example
    }
    contentType = 'application/json';
    label.push(`body:mutated(${b.muts.map((m) => m.op).join(',')})`);
  } else if (b.kind === 'junk') {
    payload = JSON.stringify(b.value) ?? 'null';
    contentType = 'application/json';
    label.push('body:junk');
  } else if (b.kind === 'bad-json') {
    payload = b.text;
    contentType = 'application/json';
    label.push('body:bad-json');
  } else if (b.kind === 'binary') {
    payload = Buffer.from(b.bytes);
    contentType = ex.jpeg ? 'image/jpeg' : plan.pick % 2 ? 'application/json' : 'application/octet-stream';
    label.push('body:binary');
  } else label.push('body:none');
  if (plan.contentType !== null && payload !== undefined) {
    contentType = plan.contentType;
    label.push(`content-type:${plan.contentType || '(empty)'}`);
  }
  if (contentType !== undefined) headers['content-type'] = contentType;
  // A body on GET/HEAD/DELETE is sent as generated: servers must cope with it too.

  return {
    method,
    url: query ? `${path}?${query}` : path,
    headers,
    ...(payload !== undefined ? { payload } : {}),
    remoteAddress: plan.remote === 'loopback' ? '127.0.0.1' : '192.168.1.77',
    label: label.join(' '),
  };
}

function pickJpeg(jpegs: Buffer[], n: number): Buffer {
  // Mostly the cheap image; a face (a full analysis) about one time in eight.
  const i = n % 8 === 0 ? 1 + (n % Math.max(1, jpegs.length - 1)) : 0;
  return jpegs[Math.min(i, jpegs.length - 1)] as Buffer;
}

function mutateJpeg(src: Buffer, m: JpegMutation): Buffer {
  switch (m.op) {
    case 'none':
      return src;
    case 'truncate':
      return src.subarray(0, m.at % src.length);
    case 'flip': {
      const out = Buffer.from(src);
      for (const p of m.positions) out[p % out.length] = (out[p % out.length] as number) ^ 0xff;
      return out;
    }
    case 'append':
      return Buffer.concat([src, Buffer.from(m.bytes)]);
    case 'header-only':
      return src.subarray(0, m.length);
    case 'huge-dimensions': {
      // Rewrite the frame header (SOF0/SOF2) to claim 65535×65535 pixels: a decompression bomb.
      const out = Buffer.from(src);
      for (let i = 2; i + 9 < out.length; i++) {
        if (out[i] === 0xff && (out[i + 1] === 0xc0 || out[i + 1] === 0xc2)) {
          out.writeUInt16BE(0xffff, i + 5);
          out.writeUInt16BE(0xffff, i + 7);
          break;
        }
      }
      return out;
    }
  }
}

/**
 * Keeps the shape of `s` and changes its meaning: one run of digits (the `group`-th, cycling)
 * is overwritten with `digits`, repeated to the run's length. '2026-11' with group 0 and '0'
 * gives '0000-11'; with group 1 and '9', '2026-99'.
 */
export function reshapeDigits(s: string, group: number, digits: string): string {
  const runs = [...s.matchAll(/\d+/g)];
  const run = runs[group % Math.max(1, runs.length)];
  if (!run || run.index === undefined) return s;
  const filled = digits.repeat(Math.ceil(run[0].length / digits.length)).slice(0, run[0].length);
  return s.slice(0, run.index) + filled + s.slice(run.index + run[0].length);
}

/** Dotted paths to every key of a nested example body (objects only). */
/** A copy of a generated value; one too deep to copy is used as it is (sending it then falls back to the example). */
function copyOf(v: unknown): unknown {
  try {
    return structuredClone(v);
  } catch {
    return v;
  }
}

function keyPaths(v: unknown, prefix: string[] = [], seen = new Set<object>()): string[][] {
  // Bounded: a generated value may be deep, or (shared between mutations) reach itself.
  if (v === null || typeof v !== 'object' || Array.isArray(v) || seen.has(v) || prefix.length > 16) return [];
  seen.add(v);
  return Object.entries(v).flatMap(([k, child]) => [[...prefix, k], ...keyPaths(child, [...prefix, k], seen)]);
}

function applyMutations(body: unknown, muts: Mutation[]): unknown {
  let value = body;
  for (const m of muts) {
    if (m.op === 'wrap') {
      value = [value];
      continue;
    }
    if (value === null || typeof value !== 'object' || Array.isArray(value)) continue;
    if (m.op === 'add') {
      // defineProperty so that a '__proto__' key becomes an own key of the JSON text.
      // A copy: two mutations carrying the same generated object must not nest it in itself.
      Object.defineProperty(value, m.key, { value: copyOf(m.value), enumerable: true, configurable: true, writable: true });
      continue;
    }
    const paths = keyPaths(value);
    const path = paths[m.at % Math.max(1, paths.length)];
    if (!path) continue;
    let parent = value as Record<string, unknown>;
    for (const k of path.slice(0, -1)) parent = parent[k] as Record<string, unknown>;
    const last = path[path.length - 1] as string;
    if (m.op === 'drop') delete parent[last];
    else if (m.op === 'set') parent[last] = copyOf(m.value);
    else if (m.op === 'reshape') {
      const current = parent[last];
      if (typeof current === 'string') parent[last] = reshapeDigits(current, m.group, m.digits);
      else if (typeof current === 'number') parent[last] = Number(reshapeDigits(String(current), m.group, m.digits));
    } else {
      const current = parent[last];
      parent[last] = typeof current === 'number' ? m.num : typeof current === 'boolean' ? !current : current === null || typeof current === 'string' ? m.str : current;
    }
  }
  return value;
}
