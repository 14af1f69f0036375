// Demo data for a fresh demo install: one account per role with a published PIN, one employer
// with two teams and a few obviously synthetic workers (region code 999999 does not exist;
// names 测试甲…). Never used outside demo mode.
import type { CoreServices } from './services.js';

export const DEMO_PINS = { admin: '900000', supervisor: '800000', clerk: '700000' } as const;
/** The demo's accounts (numbers 1–3 on a fresh demo), named for what they are. */
export const DEMO_ACCOUNTS = [
  { name: '演示管理员', role: 'admin', pin: DEMO_PINS.admin },
  { name: '演示主管', role: 'supervisor', pin: DEMO_PINS.supervisor },
  { name: '演示劳务员', role: 'clerk', pin: DEMO_PINS.clerk },
] as const;

function fakeResidentId(serial: number): string {
  const body = `99999919900101${String(serial).padStart(3, '0')}`;
  const weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
  const sum = [...body].reduce((acc, ch, i) => acc + Number(ch) * (weights[i] ?? 0), 0);
  return body + '10X98765432'[sum % 11];
}

export function seedDemo(s: CoreServices): boolean {
  if (s.accounts.any()) return false;
  s.accounts.create(DEMO_ACCOUNTS, 'demo-seed');
  const employer = s.workers.createEmployer({ name: '演示劳务有限公司', creditCode: '91999999MA0DEMO001', corpType: 'labour' }, 'demo-seed');
  const rebar = s.workers.createTeam({ employerId: employer.id, name: '钢筋班' }, 'demo-seed');
  const formwork = s.workers.createTeam({ employerId: employer.id, name: '木工班' }, 'demo-seed');
  // The platform registers every person in a team; management personnel have their own.
  const management = s.workers.createTeam({ employerId: employer.id, name: '项目管理组' }, 'demo-seed');
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
      'demo-seed',
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
    'demo-seed',
  );
  return true;
}
