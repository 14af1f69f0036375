// Pure logic of the first-run wizard: the form's shape, what each step still lacks, and the
// POST /api/setup body. The core checks everything again (siteSetupRequest, PIN rules).
import type { SiteSetupInput } from '../../../shared/api-types.js';
import type { SetupCurrent } from '../api/site.js';

export type TurnstileType = 'none' | 'modbus_relay' | 'wiegand_converter' | 'lcus_relay';
export const TURNSTILE_TYPES: readonly TurnstileType[] = ['none', 'modbus_relay', 'wiegand_converter', 'lcus_relay'];

export interface LaneForm {
  id: string;
  name: string;
  direction: 'in' | 'out';
  turnstile: TurnstileType;
  path: string;
  channelIn: string;
  channelOut: string;
}

export interface SetupForm {
  pins: { admin: string; supervisor: string; clerk: string };
  repeat: { admin: string; supervisor: string; clerk: string };
  projectCode: string;
  projectName: string;
  timeZone: string;
  lanes: LaneForm[];
  simulate: boolean;
  readerPath: string;
  platform: 'remote' | 'off';
  endpoint: string;
  appId: string;
  appsecret: string;
}

export type SetupStep = 'pins' | 'project' | 'lanes' | 'platform' | 'review';
export const SETUP_STEPS: readonly SetupStep[] = ['pins', 'project', 'lanes', 'platform', 'review'];

/** Published demo PINs: never accepted outside the demo. */
export const DEMO_PINS = ['900000', '800000', '700000'] as const;

export function newLane(n: number, direction: 'in' | 'out' = n % 2 === 1 ? 'in' : 'out'): LaneForm {
  return {
    id: `lane-${n}`,
    name: `${n}号通道`,
    direction,
    turnstile: 'none',
    path: '',
    channelIn: String((n - 1) * 2),
    channelOut: String((n - 1) * 2 + 1),
  };
}

/**
 * A new lane after the given ones: the first free lane-N id (ids are kept for lanes that exist,
 * since gate screens are opened by it; the person names lanes, the id is not asked for).
 */
export function nextLane(lanes: readonly LaneForm[]): LaneForm {
  let n = lanes.length + 1;
  while (lanes.some((l) => l.id === `lane-${n}`)) n++;
  return newLane(n);
}

export function emptySetupForm(current?: SetupCurrent | null, project?: { code: string; name: string; timeZone: string } | null): SetupForm {
  const lanes =
    current?.lanes
      .filter((l) => l.direction !== 'both')
      .map((l, i) => ({ ...newLane(i + 1, l.direction === 'out' ? 'out' : 'in'), id: l.id, name: l.name })) ?? [];
  const p = current?.platform;
  // The demo's defaults are no project of anyone's: start those fields empty.
  const demoProject = !project || project.code.startsWith('DEMO-');
  return {
    pins: { admin: '', supervisor: '', clerk: '' },
    repeat: { admin: '', supervisor: '', clerk: '' },
    projectCode: demoProject ? '' : project.code,
    projectName: demoProject ? '' : project.name,
    timeZone: project?.timeZone ?? 'Asia/Shanghai',
    lanes: lanes.length ? lanes : [newLane(1, 'in'), newLane(2, 'out')],
    simulate: current?.simulate ?? false,
    readerPath: current?.idCardReaderPath ?? '',
    platform: p?.type === 'remote' ? 'remote' : 'off',
    endpoint: p?.endpoint ?? '',
    appId: p?.appId ?? '',
    appsecret: '',
  };
}

/** The core's rule (edge-core isAcceptablePin): 6–12 digits, no repeats or runs. */
export function pinProblem(pin: string): 'shape' | 'trivial' | 'demo' | null {
  if (!/^\d{6,12}$/.test(pin)) return 'shape';
  if (/^(\d)\1+$/.test(pin) || '01234567890123'.includes(pin) || '98765432109876'.includes(pin)) return 'trivial';
  if ((DEMO_PINS as readonly string[]).includes(pin)) return 'demo';
  return null;
}

const LANE_ID = /^[a-z0-9-]{1,32}$/;

function validUrl(s: string): boolean {
  try {
    const u = new URL(s);
    return u.protocol === 'https:' || u.protocol === 'http:';
  } catch {
    return false;
  }
}

const channelOk = (s: string) => /^\d{1,5}$/.test(s) && Number(s) <= 65535;

/** What the step still lacks (field names); empty when the step is complete. */
export function stepProblems(step: SetupStep, f: SetupForm): string[] {
  const out: string[] = [];
  if (step === 'pins') {
    for (const r of ['clerk', 'supervisor', 'admin'] as const) {
      if (pinProblem(f.pins[r])) out.push(`pins.${r}`);
      if (f.repeat[r] !== f.pins[r]) out.push(`repeat.${r}`);
    }
    const all = [f.pins.admin, f.pins.supervisor, f.pins.clerk];
    if (new Set(all).size !== 3) out.push('pins.differ');
  }
  if (step === 'project') {
    if (!f.projectCode.trim()) out.push('projectCode');
    if (!f.projectName.trim()) out.push('projectName');
    if (!f.timeZone.trim()) out.push('timeZone');
  }
  if (step === 'lanes') {
    const ids = f.lanes.map((l) => l.id);
    f.lanes.forEach((l, i) => {
      if (!LANE_ID.test(l.id) || ids.indexOf(l.id) !== i) out.push(`lanes.${i}.id`);
      if (!l.name.trim()) out.push(`lanes.${i}.name`);
      if (l.turnstile !== 'none' && !f.simulate) {
        if (!l.path.trim()) out.push(`lanes.${i}.path`);
        if (!channelOk(l.channelIn)) out.push(`lanes.${i}.channelIn`);
        if (!channelOk(l.channelOut)) out.push(`lanes.${i}.channelOut`);
      }
    });
    if (f.lanes.length === 0) out.push('lanes');
  }
  if (step === 'platform' && f.platform === 'remote') {
    if (!validUrl(f.endpoint.trim())) out.push('endpoint');
    if (!f.appId.trim()) out.push('appId');
    if (f.appsecret.length < 8 || f.appsecret.length > 128) out.push('appsecret');
  }
  if (step === 'review') for (const s of SETUP_STEPS.slice(0, -1)) out.push(...stepProblems(s, f));
  return out;
}

/** The POST /api/setup body of a complete form. */
export function setupBody(f: SetupForm): SiteSetupInput {
  return {
    pins: { ...f.pins },
    project: { code: f.projectCode.trim(), name: f.projectName.trim(), timeZone: f.timeZone.trim() },
    lanes: f.lanes.map((l) => ({
      id: l.id,
      name: l.name.trim(),
      direction: l.direction,
      // Simulated devices stand in for every controller: none is configured then.
      turnstile:
        l.turnstile === 'none' || f.simulate
          ? { type: 'none' as const }
          : {
              type: l.turnstile,
              path: l.path.trim(),
              channels: { in: Number(l.channelIn), out: Number(l.channelOut) },
            },
    })),
    devices: { simulate: f.simulate, idCardReaderPath: f.simulate || !f.readerPath.trim() ? null : f.readerPath.trim() },
    platform:
      f.platform === 'off'
        ? { type: 'off' }
        : { type: 'remote', endpoint: f.endpoint.trim(), appId: f.appId.trim(), appsecret: f.appsecret },
  };
}
