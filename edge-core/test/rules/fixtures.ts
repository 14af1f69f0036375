// Shared fixtures for the rules tests. All people are fictional: names 测试甲/乙/丙…, ID numbers
// built on the obviously synthetic region code 999999 with a correct check character.
import {
  DEFAULT_GATE_POLICY,
  EMPTY_CALENDAR,
  residentIdCheckChar,
  type PassEvent,
  type PassageInput,
  type PassagePerson,
} from '../../src/rules/index.js';

export const TZ = 'Asia/Shanghai';

/** Site-local 'YYYY-MM-DD HH:mm[:ss]' in Asia/Shanghai (UTC+8, no DST) to UTC ms. */
export function at(local: string): number {
  const [d, t = '00:00'] = local.split(' ');
  const full = t.length === 5 ? `${t}:00` : t;
  return Date.parse(`${d}T${full}+08:00`);
}

/** A synthetic resident ID: region 999999 (does not exist), birth date, sequence, check char. */
export function fakeIdNumber(birth = '19850307', seq = '123'): string {
  const first17 = `999999${birth}${seq}`;
  return first17 + residentIdCheckChar(first17);
}

export function person(over: Partial<PassagePerson> = {}): PassagePerson {
  return {
    workerId: 1,
    role: 'worker',
    teamId: 10,
    status: 'active',
    idValidFrom: '2015-01-01',
    idValidTo: '2035-01-01',
    hasContract: true,
    contractStart: '2026-01-01',
    contractEnd: '2026-12-31',
    hasInsurance: true,
    insuranceStart: '2026-01-01',
    insuranceEnd: '2026-12-31',
    ...over,
  };
}

export function faceAttempt(over: Partial<PassageInput> = {}, p: PassagePerson | null = person()): PassageInput {
  return {
    at: at('2026-03-10 07:30'),
    timeZone: TZ,
    laneId: 'lane-1',
    direction: 'in',
    credential: { kind: 'face', liveness: 'pass', person: p },
    detectors: { helmet: 'present', mask: 'absent' },
    calendar: EMPTY_CALENDAR,
    history: [],
    ...over,
  };
}

export const policy = DEFAULT_GATE_POLICY;

let seq = 0;
export function ev(workerId: number, direction: 'in' | 'out', local: string, over: Partial<PassEvent> = {}): PassEvent {
  seq++;
  return { id: `e${String(seq).padStart(6, '0')}`, workerId, laneId: 'lane-1', direction, occurredAt: at(local), timeZone: TZ, ...over };
}
