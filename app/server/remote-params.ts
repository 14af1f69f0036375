// Remote parameter changes (远程修改参数, device standard 一.13): which configuration entries the
// platform may change, whether a change applies live or at the next restart, and the check of
// the whole resulting configuration against the configuration schema. Changes are kept in an
// overlay file beside the database (`remote-config.json`), merged over the configuration file
// at every start, so the site's own file (and its comments) is never rewritten. Pure, except
// for the two small file helpers at the end.
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { configSchema, type AppConfig } from './config.js';

export type ApplyMode = 'live' | 'restart';

/**
 * The entries the platform may change and how they take effect. Not listed (refused): the
 * network exposure (server.*), lanes and devices (wiring on site), the project identity, demo
 * mode, the data directory and the liveness policy.
 */
export const REMOTE_PARAMS: Readonly<Record<string, ApplyMode>> = {
  'log.level': 'live',
  'retention.passPhotoDays': 'live',
  'retention.refusalPhotoDays': 'live',
  'retention.departedWorkerDays': 'live',
  'gate.cooldownMs': 'restart',
  'storage.warnFreeMb': 'restart',
  'storage.criticalFreeMb': 'restart',
  'storage.reserveMb': 'restart',
  'backup.everyHours': 'restart',
  'backup.keep': 'restart',
  'log.maxFileMb': 'restart',
  'log.keepFiles': 'restart',
  'platform.endpoint': 'restart',
  'platform.timeoutMs': 'restart',
  'platform.timestampWindowMs': 'restart',
  'platform.pageSize': 'restart',
  'platform.signature': 'restart',
  'platform.fieldCipher': 'restart',
  'platform.heartbeatSeconds': 'restart',
  'platform.calendarMethod': 'restart',
  'platform.rosterChangesSeconds': 'restart',
  'platform.rosterFullMinutes': 'restart',
};

export type Overlay = Record<string, unknown>;

export interface ParamPlan {
  ok: boolean;
  /** Problems, each naming the entry: not changeable remotely, or refused by the schema. */
  errors: string[];
  live: Array<{ path: string; value: unknown }>;
  restart: Array<{ path: string; value: unknown }>;
  /** The overlay to persist when ok. */
  overlay: Overlay;
  /** The configuration the core will run with (live values applied now, the rest after a restart). */
  config: AppConfig | null;
}

function setPath(target: Record<string, unknown>, path: string, value: unknown): void {
  const keys = path.split('.');
  let o = target;
  for (const k of keys.slice(0, -1)) {
    const next = o[k];
    if (typeof next !== 'object' || next === null || Array.isArray(next)) o[k] = {};
    o = o[k] as Record<string, unknown>;
  }
  o[keys[keys.length - 1] as string] = value;
}

export function getPath(source: unknown, path: string): unknown {
  return path.split('.').reduce<unknown>((o, k) => (typeof o === 'object' && o !== null ? (o as Record<string, unknown>)[k] : undefined), source);
}

/** Reads the changes of a `set_param` command: `{ changes: { path: value } }` or `{ path, value }`. */
export function readChanges(params: Record<string, unknown>): Record<string, unknown> | string {
  if (typeof params.path === 'string') return { [params.path]: params.value };
  const c = params.changes;
  if (typeof c !== 'object' || c === null || Array.isArray(c) || Object.keys(c).length === 0) return 'set_param needs { changes: { "path": value } } or { path, value }';
  return c as Record<string, unknown>;
}

/**
 * Checks changes against the allow-list and the configuration schema (the whole configuration
 * after the change must be valid), against the configuration in force.
 */
export function planParamChange(current: AppConfig, overlay: Overlay, changes: Record<string, unknown>): ParamPlan {
  const errors: string[] = [];
  const live: ParamPlan['live'] = [];
  const restart: ParamPlan['restart'] = [];
  const candidate = structuredClone(current) as unknown as Record<string, unknown>;
  const nextOverlay = structuredClone(overlay);
  for (const [path, value] of Object.entries(changes)) {
    const mode = REMOTE_PARAMS[path];
    if (!mode) {
      errors.push(`${path}: not changeable remotely`);
      continue;
    }
    if (path.startsWith('platform.') && current.platform.type !== 'remote') {
      errors.push(`${path}: the platform is not a remote one here (type ${current.platform.type})`);
      continue;
    }
    setPath(candidate, path, value);
    setPath(nextOverlay, path, value);
    (mode === 'live' ? live : restart).push({ path, value });
  }
  if (errors.length) return { ok: false, errors, live: [], restart: [], overlay, config: null };
  const r = configSchema.safeParse(candidate);
  if (!r.success) {
    return { ok: false, errors: r.error.issues.map((i) => `${i.path.join('.') || '(top level)'}: ${i.message}`), live: [], restart: [], overlay, config: null };
  }
  return { ok: true, errors: [], live, restart, overlay: nextOverlay, config: r.data };
}

/** Deep-merges the overlay over a raw configuration (objects merge, everything else replaces). */
export function mergeOverlay(raw: unknown, overlay: Overlay): unknown {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return structuredClone(overlay);
  const out: Record<string, unknown> = { ...(raw as Record<string, unknown>) };
  for (const [k, v] of Object.entries(overlay)) {
    const base = out[k];
    out[k] = typeof v === 'object' && v !== null && !Array.isArray(v) && typeof base === 'object' && base !== null && !Array.isArray(base) ? mergeOverlay(base, v as Overlay) : v;
  }
  return out;
}

export const OVERLAY_FILE = 'remote-config.json';

export function readOverlay(dataDir: string): Overlay {
  const file = join(dataDir, OVERLAY_FILE);
  if (!existsSync(file)) return {};
  const v = JSON.parse(readFileSync(file, 'utf8')) as unknown;
  if (typeof v !== 'object' || v === null || Array.isArray(v)) throw new Error(`${file} is not a JSON object`);
  return v as Overlay;
}

/** Atomic: a crash leaves the old or the new file, never half of one. */
export function writeOverlay(dataDir: string, overlay: Overlay): void {
  const file = join(dataDir, OVERLAY_FILE);
  writeFileSync(`${file}.tmp`, `${JSON.stringify(overlay, null, 2)}\n`, { mode: 0o600 });
  renameSync(`${file}.tmp`, file);
}
