// Pure logic behind the issue-16 screens: the zh-CN date fields (parse, tidy, month grid), the
// gate policy and its changes in words, the audit trail in words, the gate's next steps and
// repeat scans, the core's "中文 English" details split, device and lane labels, the first-run
// wizard's form, and the make-up list's labels for same-name workers.
import { describe, expect, it } from 'vitest';
import { displayValue, monthGrid, normalizeTyped, parseValue, shiftYearMonth } from '../../ui/src/lib/calendar.js';
import { changeText, diffPolicies, policyLines } from '../../ui/src/lib/policy-words.js';
import { actionText, actorText, targetText } from '../../ui/src/lib/audit-words.js';
import { deviceLabel, detailIn, flagKey, isRepeatScan, laneLabel, reasonNextStep, splitBilingual } from '../../ui/src/lib/words.js';
import { emptySetupForm, nextLane, pinProblem, setupBody, stepProblems } from '../../ui/src/lib/setup-form.js';
import { makeupOptionLabel } from '../../ui/src/components/MakeupForm.js';
import { tradeOptions } from '../../ui/src/screens/enroll/AssignStep.js';
import { termsProblem } from '../../ui/src/screens/enroll/TermsStep.js';
import { emptyDraft } from '../../ui/src/screens/enroll/draft.js';
import { translate } from '../../ui/src/i18n/i18n.js';
import { rules } from '../../../edge-core/src/index.js';
import type { TextKey } from '../../ui/src/i18n/texts.js';

const t = (k: TextKey, v?: Record<string, string | number>) => translate('zh', k, v);

describe('zh-CN date fields', () => {
  it('accept real dates only, and tidy what a person types', () => {
    expect(parseValue('date', '2026-02-29')).toBeNull();
    expect(parseValue('date', '2028-02-29')).toMatchObject({ year: 2028, month: 2, day: 29 });
    expect(parseValue('month', '2026-13')).toBeNull();
    expect(parseValue('datetime', '2026-03-01T24:00')).toBeNull();
    expect(normalizeTyped('date', '2026/3/1')).toBe('2026-03-01');
    expect(normalizeTyped('date', '2026年3月1日')).toBe('2026-03-01');
    expect(normalizeTyped('datetime', '2026-03-01 8:05')).toBe('2026-03-01T08:05');
    expect(normalizeTyped('month', '2026年3月')).toBe('2026-03');
    expect(displayValue('date', '2026-12-01', 'zh')).toBe('2026年12月1日');
  });

  it('lay a month out from Sunday, whatever the browser locale', () => {
    const dec = monthGrid({ year: 2026, month: 12 }); // 1 Dec 2026 is a Tuesday
    expect(dec[0]).toEqual([null, null, 1, 2, 3, 4, 5]);
    expect(dec.flat().filter((d) => d !== null)).toHaveLength(31);
    expect(shiftYearMonth({ year: 2026, month: 1 }, -1)).toEqual({ year: 2025, month: 12 });
  });
});

describe('gate policy in words', () => {
  it('says a change as a person reads it, never by its path', () => {
    const before = rules.DEFAULT_GATE_POLICY;
    const after = { ...before, helmet: { ...before.helmet, action: 'remind' as const }, duplicateScan: { ...before.duplicateScan, windowSeconds: 45 } };
    const lines = diffPolicies(before, after).map((c) => changeText(c, 'zh'));
    expect(lines).toEqual(['重复打卡间隔（秒）：30 → 45', '未戴安全帽：拒绝通行 → 放行并提醒']);
    const windows = changeText({ path: 'timeWindows.default.workday', before: [{ from: '00:00', to: '24:00' }], after: [{ from: '06:00', to: '20:00' }] }, 'zh');
    expect(windows).toBe('通行时段 · 工作日：全天 → 06:00–20:00');
  });

  it('lists the whole policy in words, without JSON', () => {
    const lines = policyLines(rules.DEFAULT_GATE_POLICY, 'zh');
    expect(lines.find((l) => l.path === 'helmet.action')).toMatchObject({ label: '未戴安全帽', value: '拒绝通行' });
    expect(lines.find((l) => l.path === 'timeWindows.default')?.value).toBe('工作日 全天；节假日 全天；停工日 不许通行');
    for (const l of lines) expect(`${l.label}${l.value}`).not.toMatch(/[{}"_]|\w+\.\w+/);
  });
});

describe('audit trail in words', () => {
  const ctx = { lang: 'zh' as const, workerName: (id: number) => (id === 5 ? '测试甲' : null) };
  it('names who, what and on whom', () => {
    // A person's account, a role from before named accounts, a system actor.
    expect(actorText('clerk#4 张三', 'zh')).toBe('张三（劳务员 #4）');
    expect(actorText('clerk#4 张三', 'en')).toBe('张三 (Labour clerk #4)');
    expect(actorText('admin', 'zh')).toBe('管理员（共用 PIN 时期）');
    expect(actorText('demo-seed', 'zh')).toBe('演示数据');
    expect(actionText({ action: 'account.pin_reset', details: {} }, 'zh')).toBe('重设账号 PIN 码');
    expect(targetText('account:4', ctx)).toBe('账号 #4');
    expect(actionText({ action: 'login.ok', details: {} }, 'zh')).toBe('登录');
    expect(actionText({ action: 'worker.status', details: { status: 'inactive', reason: '合同结束' } }, 'zh')).toBe('变更人员状态：已退场（合同结束）');
    expect(actionText({ action: 'policy.change', details: { changes: [{ path: 'helmet.action', before: 'refuse', after: 'remind' }] } }, 'zh')).toBe(
      '修改通行策略：未戴安全帽：拒绝通行 → 放行并提醒',
    );
    expect(targetText('worker:5', ctx)).toBe('人员 测试甲');
    expect(targetText('worker:9', ctx)).toBe('人员 （编号 9）');
    expect(targetText('role:admin', ctx)).toBe('管理员');
    expect(actionText({ action: 'something.new', details: {} }, 'zh')).toBe('其他操作');
  });
});

describe('gate wording and labels', () => {
  it('gives each refusal a next step and recognises a repeat scan', () => {
    expect(t(reasonNextStep('not_enrolled'))).toBe('请到劳务员处登记');
    expect(t(reasonNextStep('helmet_missing'))).toBe('请戴好安全帽后再刷脸');
    expect(t(reasonNextStep('liveness.planar_motion'))).toBe('请本人刷脸，不能使用照片或视频');
    expect(t(reasonNextStep('contract_expired'))).toBe('请到劳务员处办理');
    expect(isRepeatScan({ duplicate: true, reasons: ['duplicate_scan'] })).toBe(true);
    expect(isRepeatScan({ reasons: ['duplicate_scan'] })).toBe(true);
    expect(isRepeatScan({ reasons: ['duplicate_scan', 'helmet_missing'] })).toBe(false);
    expect(t(flagKey('no_id_photo'))).toBe('无证件照片，未做人证比对');
    expect(t(flagKey('unheard_of'))).toBe('其他需复核事项');
  });

  it('splits the core\u2019s "中文 English" details and names devices by kind and lane', () => {
    expect(splitBilingual('正在加载人脸模型 Loading face models')).toEqual({ zh: '正在加载人脸模型', en: 'Loading face models' });
    expect(splitBilingual('考勤写入失败，暂停通行 — Attendance record not written; passages refused')).toEqual({
      zh: '考勤写入失败，暂停通行',
      en: 'Attendance record not written; passages refused',
    });
    expect(detailIn('liveness policy test-only:temporal-off is for tests only', 'zh')).toBe('');
    expect(detailIn('尚未设置平台密钥（appsecret），请管理员在设置中填写', 'zh')).toBe('尚未设置平台密钥（appsecret），请管理员在设置中填写');
    const lanes = [{ id: 'lane-1', name: '1号通道（进）', directionMode: 'in' as const, enabled: true }];
    expect(laneLabel('lane-1', lanes, t)).toBe('1号通道（进）');
    expect(laneLabel('makeup', lanes, t)).toBe('补卡');
    expect(laneLabel('lane-7', lanes, t)).toBe('通道 7');
    expect(deviceLabel({ kind: 'turnstile', lanes: ['lane-1'] }, lanes, t)).toBe('闸机控制器 · 1号通道（进）');
    expect(deviceLabel({ kind: 'idcard_reader' }, lanes, t)).toBe('身份证阅读器');
  });
});

describe('enrollment and make-up forms', () => {
  it('lists trades in code order and requires contract dates when the contract is signed', () => {
    const codes = tradeOptions().map(([c]) => c);
    expect(codes[0]).toBe('010');
    expect(codes).toEqual([...codes].sort());
    expect(codes).not.toContain('900');
    const d = emptyDraft();
    expect(d.hasContract).toBe(true);
    expect(termsProblem(d)).toBe('contract_dates_missing');
    expect(termsProblem({ ...d, contractStart: '2026-01-01', contractEnd: '2026-12-31' })).toBeNull();
    expect(termsProblem({ ...d, hasContract: false })).toBeNull();
  });

  it('tells same-name workers apart by masked ID and team', () => {
    const base = { id: 1, name: '测试同名', idType: '01', tradeCode: '020', role: 'worker', managementRole: null, employerId: 1, status: 'active', validTo: null, contractEnd: null, hasContract: true, hasInsurance: false, manualEntry: false, source: 'local', updatedAt: 0 } as const;
    const a = makeupOptionLabel({ ...base, idNumberMasked: '9999**********0011', teamId: 1, teamName: '钢筋班' }, t);
    const b = makeupOptionLabel({ ...base, id: 2, idNumberMasked: '9999**********0029', teamId: null, teamName: null }, t);
    expect(a).toBe('测试同名 · 9999**********0011 · 钢筋班');
    expect(b).toBe('测试同名 · 9999**********0029 · 无班组');
  });
});

describe('first-run wizard form', () => {
  it('refuses weak, demo and repeated PINs before anything is sent', () => {
    expect(pinProblem('123456')).toBe('trivial');
    expect(pinProblem('900000')).toBe('demo');
    expect(pinProblem('12345')).toBe('shape');
    expect(pinProblem('731946')).toBeNull();
    const f = emptySetupForm(null, null);
    f.pins = { clerk: '731946', supervisor: '731946', admin: '917352' };
    f.repeat = { ...f.pins };
    expect(stepProblems('pins', f)).toEqual(['pins.differ']);
  });

  it('builds the setup body: simulated devices configure no controller, lane ids kept or generated', () => {
    const f = emptySetupForm(null, { code: 'DEMO-360100-0001', name: '演示项目', timeZone: 'Asia/Shanghai' });
    expect(f.projectCode).toBe(''); // the demo's project is nobody's
    f.lanes[0] = { ...f.lanes[0]!, turnstile: 'modbus_relay', path: '/dev/ttyUSB0' };
    f.simulate = true;
    const body = setupBody(f);
    expect(body.lanes.map((l) => l.turnstile.type)).toEqual(['none', 'none']);
    expect(body.devices).toEqual({ simulate: true, idCardReaderPath: null });
    expect(nextLane([{ ...f.lanes[0]!, id: 'lane-3' }]).id).toBe('lane-2');
    expect(nextLane([{ ...f.lanes[0]!, id: 'lane-2' }]).id).toBe('lane-3');
  });
});
