import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { parseConfig } from '../server/config.js';
import { startCore, type CoreHandle } from '../server/core.js';
import { createLogger } from '../server/logger.js';
import type { Clock } from '../../edge-core/src/index.js';

/** A clock that starts at `startUtcMs` and runs at real speed (policies depend on the site's local time). */
export function runningClockFrom(startUtcMs: number): Clock {
  const t0 = Date.now();
  return { now: () => startUtcMs + (Date.now() - t0) };
}

export interface TestCore extends CoreHandle {
  dataDir: string;
  logLines: string[];
  stop(): Promise<void>;
}

/**
 * Starts a real core on a free loopback port with a fresh data dir, logs kept in memory.
 * API tests run without devices and without the face engine unless `opts` asks for them.
 */
export async function startTestCore(
  overrides: Record<string, unknown> = {},
  dataDir?: string,
  opts: { gate?: boolean; simulatorPhoto?: Uint8Array; clock?: Clock } = {},
): Promise<TestCore> {
  const dir = dataDir ?? mkdtempSync(join(tmpdir(), 'sitegate-core-'));
  const logLines: string[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _enc, cb) {
      logLines.push(chunk.toString('utf8'));
      cb();
    },
  });
  // No disk reserve unless a test asks (it writes 128 MB per core); gate.disk-full tests it.
  // Test machines have no sound card: simulated devices speak into WAV files (the real engine)
  // unless the test configures the announcer itself.
  const devices = overrides.devices as { simulate?: boolean; announcer?: unknown } | undefined;
  if (devices?.simulate && devices.announcer === undefined) overrides = { ...overrides, devices: { ...devices, announcer: { wavDir: join(dir, 'voice') } } };
  const config = parseConfig({ demo: true, server: { port: 0 }, platform: { type: 'off' }, devices: { simulate: false }, storage: { reserveMb: 0 }, ...overrides });
  const core = await startCore({
    config,
    dataDir: dir,
    logger: createLogger({ level: 'debug', destination }),
    uiDir: null,
    gate: opts.gate ?? false,
    ...(opts.clock ? { clock: opts.clock } : {}),
    ...(opts.simulatorPhoto ? { simulatorPhoto: opts.simulatorPhoto } : {}),
  });
  return Object.assign(core, {
    dataDir: dir,
    logLines,
    async stop() {
      await core.close();
      if (!dataDir) rmSync(dir, { recursive: true, force: true });
    },
  });
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- test helper: responses are asserted field by field
export async function api(core: { url: string }, method: string, path: string, body?: unknown, token?: string): Promise<{ status: number; json: any }> {
  const headers: Record<string, string> = {};
  if (body !== undefined) headers['content-type'] = 'application/json';
  if (token) headers.authorization = `Bearer ${token}`;
  const r = await fetch(core.url + path, { method, headers, body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body) });
  const text = await r.text();
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- test helper: responses are asserted field by field
  let json: any = null;
  try {
    json = JSON.parse(text);
  } catch {
    json = text;
  }
  return { status: r.status, json };
}

export async function login(core: { url: string }, role: 'clerk' | 'supervisor' | 'admin'): Promise<string> {
  const pins = { admin: '900000', supervisor: '800000', clerk: '700000' };
  const r = await api(core, 'POST', '/api/session', { role, pin: pins[role] });
  if (r.status !== 200) throw new Error(`login failed: ${JSON.stringify(r.json)}`);
  return r.json.token as string;
}
