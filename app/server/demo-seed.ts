// Demo data for a fresh demo install: one account per role with a published PIN, one employer
// with two teams and a few obviously synthetic workers (region code 999999 does not exist;
// names 测试甲…). Never used outside demo mode: the demo keeps its data in its own folder
// (`demo/` inside the data directory, see config.ts dataDirFor), a production core refuses to
// open a folder that holds demo data, and the published demo PINs are refused outside the demo.
import type { CoreServices } from './services.js';
import { withCheckDigit } from '../../edge-core/src/index.js';

export const DEMO_PINS = { admin: '900000', supervisor: '800000', clerk: '700000' } as const;
/** The demo's accounts (numbers 1–3 on a fresh demo), named for what they are. */
export const DEMO_ACCOUNTS = [
  { name: '演示管理员', role: 'admin', pin: DEMO_PINS.admin },
  { name: '演示主管', role: 'supervisor', pin: DEMO_PINS.supervisor },
  { name: '演示劳务员', role: 'clerk', pin: DEMO_PINS.clerk },
] as const;

/** The audit actor of everything the demo seed writes. */
export const DEMO_SEED_ACTOR = 'demo-seed';

/** True for a published demo PIN of any role (refused outside the demo). */
export function isDemoPin(pin: string): boolean {
  return (Object.values(DEMO_PINS) as string[]).includes(pin);
}

/**
 * True when the store holds what the demo seed wrote (PINs, employer, workers). The seed runs at
 * a demo store's first start, so its entries are among the first of the append-only audit log:
 * looking at the first 200 keeps this cheap on a large log.
 */
export function holdsDemoData(s: Pick<CoreServices, 'store'>): boolean {
  return (
    s.store.db.prepare('SELECT 1 FROM (SELECT actor FROM audit_log ORDER BY id LIMIT 200) WHERE actor = ?').get(DEMO_SEED_ACTOR) !== undefined
  );
}


function fakeResidentId(serial: number): string {
  return withCheckDigit(`99999919900101${String(serial).padStart(3, '0')}`);
}

export function seedDemo(s: CoreServices): boolean {
  if (s.accounts.any()) return false;
  s.accounts.create(DEMO_ACCOUNTS, DEMO_SEED_ACTOR);
  const employer = s.workers.createEmployer({ name: '演示劳务有限公司', creditCode: '91999999MA0DEMO001', corpType: 'labour' }, DEMO_SEED_ACTOR);
  const rebar = s.workers.createTeam({ employerId: employer.id, name: '钢筋班' }, DEMO_SEED_ACTOR);
  const formwork = s.workers.createTeam({ employerId: employer.id, name: '木工班' }, DEMO_SEED_ACTOR);
  // The platform registers every person in a team; management personnel have their own.
  const management = s.workers.createTeam({ employerId: employer.id, name: '项目管理组' }, DEMO_SEED_ACTOR);
  const people = [
    { name: '测试甲', trade: '020', team: rebar.id },
    { name: '测试乙', trade: '020', team: rebar.id },
    { name: '测试丙', trade: '240', team: formwork.id },
  ];
  people.forEach((p, i) =>
    s.workers.create(
      {
        name: p.name,
        idType: '01',
        idNumber: fakeResidentId(i + 1),
        sex: 'M',
        nation: '汉',
        tradeCode: p.trade,
        role: 'worker',
        employerId: employer.id,
        teamId: p.team,
        hasContract: true,
        contractStart: '2026-01-01',
        contractEnd: '2027-12-31',
        source: 'local',
      },
      DEMO_SEED_ACTOR,
    ),
  );
  s.workers.create(
    {
      name: '测试丁',
      idType: '01',
      idNumber: fakeResidentId(4),
      tradeCode: '900',
      role: 'manager',
      managementRole: 'safety_officer',
      employerId: employer.id,
      teamId: management.id,
      hasContract: true,
      source: 'local',
    },
    DEMO_SEED_ACTOR,
  );
  return true;
}
