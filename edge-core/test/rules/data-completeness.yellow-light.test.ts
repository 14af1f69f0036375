import { describe, expect, it } from 'vitest';
import { previewCompleteness, residentIdFacts, warningLight, type CompletenessWorker } from '../../src/rules/index.js';
import { fakeIdNumber } from './fixtures.js';

const good: CompletenessWorker = {
  workerId: 1,
  name: '测试甲',
  role: 'worker',
  status: 'active',
  idType: '01',
  idNumber: fakeIdNumber('19850307', '123'), // 999999… synthetic, odd sequence digit → male
  birthDate: '1985-03-07',
  sex: 'M',
  idValidTo: '2030-01-01',
  tradeCode: '020',
  employerId: 1,
  teamId: 10,
  hasContract: true,
  contractStart: '2026-01-01',
  contractEnd: '2026-12-31',
  hasBankCard: true,
  hasFaceTemplate: true,
};

describe("data-completeness preview: what the platform's yellow light would flag", () => {
  it('checks the synthetic ID numbers used in tests (GB 11643 check character)', () => {
    expect(residentIdFacts(good.idNumber!)).toEqual({ valid: true, birthDate: '1985-03-07', sex: 'M' });
    const bad = good.idNumber!.slice(0, 17) + (good.idNumber!.endsWith('0') ? '1' : '0');
    expect(residentIdFacts(bad).valid).toBe(false);
    expect(residentIdFacts('99999919850230123X').valid).toBe(false); // 30 February
  });

  it('finds nothing for a complete worker and a complete project', () => {
    const r = previewCompleteness({
      asOf: '2026-03-10',
      workers: [good],
      project: { hasGeneralContract: true, hasSubContracts: true, hasWageDepositProof: true, hasSpecialAccount: true, lastMonthWagesUploaded: true, teams: [{ teamId: 10, name: '钢筋班', platformTeamSysNo: 'T1' }], lastAttendanceUploadDate: '2026-03-10' },
    });
    expect(r).toMatchObject({ workers: [], project: [], notChecked: [], yellowCount: 0, wouldFlagYellow: false });
  });

  it('flags a missing contract, a missing team, an expired ID and inconsistent data, each with what to fix', () => {
    const r = previewCompleteness({
      asOf: '2026-03-10',
      workers: [
        { ...good, workerId: 2, hasContract: false, teamId: null },
        { ...good, workerId: 3, idValidTo: '2026-03-09', birthDate: '1985-03-08', sex: 'F' },
        { ...good, workerId: 4, role: 'manager', managementRole: 'safety_officer', teamId: null, tradeCode: '020', hasBankCard: false },
        { ...good, workerId: 5, status: 'inactive', hasContract: false },
      ],
      project: {},
    });
    expect(r.workers.map((w) => [w.workerId, w.issues.map((i) => i.code)])).toEqual([
      [2, ['contract_missing', 'team_missing']],
      [3, ['id_expired', 'birth_date_inconsistent', 'sex_inconsistent']],
      [4, ['manager_trade_inconsistent', 'bank_card_missing']],
    ]);
    const missing = r.workers[0]!.issues[0]!;
    expect(missing).toMatchObject({ severity: 'yellow', problem: { zh: '缺少劳动合同' } });
    expect(missing.fix.zh).toContain('上传劳动合同');
    expect(r.yellowCount).toBe(6);
    expect(r.wouldFlagYellow).toBe(true);
    expect(r.notChecked.map((t) => t.zh)).toContain('缺少工资保证金缴纳凭证');
    // the plain ID number never leaks into the report
    expect(JSON.stringify(r)).not.toContain(good.idNumber!);
  });

  it('flags project data: contracts, wage deposit, special account, last month wages, unsynced teams, stale upload', () => {
    const r = previewCompleteness({
      asOf: '2026-03-10',
      workers: [],
      project: { hasGeneralContract: false, hasSubContracts: true, hasWageDepositProof: false, hasSpecialAccount: false, lastMonthWagesUploaded: false, teams: [{ teamId: 11, name: '木工班', platformTeamSysNo: null }], lastAttendanceUploadDate: '2026-03-07' },
    });
    expect(r.project.map((i) => i.code)).toEqual(['general_contract_missing', 'wage_deposit_missing', 'special_account_missing', 'last_month_wages_missing', 'team_not_on_platform', 'attendance_not_uploaded']);
    expect(r.project[4]!.problem.zh).toBe('班组“木工班”未上传平台');
  });

  it('turns yellow into red after 5 days without a fix', () => {
    expect(warningLight('2026-03-01', '2026-03-05')).toEqual({ light: 'yellow', redOn: '2026-03-06' });
    expect(warningLight('2026-03-01', '2026-03-06').light).toBe('red');
  });
});
