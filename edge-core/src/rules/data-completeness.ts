// Data-completeness preview: what the platform's yellow light (黄灯预警, 赣建建〔2022〕9号 第三条)
// would flag among the data the appliance holds, per worker and per project, with what to fix.
// A yellow light not fixed within 5 days turns red (红灯) and affects bidding.
import { addDays } from './calendar-dates.js';
import type { PersonRole, WorkerStatus } from '../domain/personnel.js';
import type { Bilingual } from './reasons.js';
import { idCheckDigit } from '../domain/resident-id.js';

export type CompletenessSeverity =
  /** The platform would raise a yellow light for this. */
  | 'yellow'
  /** Not a platform rule, but it will cause trouble at the gate or in payroll. */
  | 'hint';

export interface CompletenessIssue {
  code: string;
  severity: CompletenessSeverity;
  problem: Bilingual;
  fix: Bilingual;
}

export interface CompletenessWorker {
  workerId: number;
  name: string;
  role: PersonRole;
  status: WorkerStatus;
  idType: string;
  /** The plain ID number, only to check its structure; never copied into the result. */
  idNumber?: string | null;
  birthDate?: string | null;
  sex?: 'M' | 'F' | 'U' | null;
  idValidTo?: string | null;
  tradeCode: string;
  managementRole?: string | null;
  employerId: number | null;
  teamId: number | null;
  hasContract: boolean;
  contractStart?: string | null;
  contractEnd?: string | null;
  hasBankCard?: boolean;
  hasFaceTemplate?: boolean;
}

/** Project-level facts; undefined = the appliance does not hold it (listed as not checked). */
export interface CompletenessProject {
  hasGeneralContract?: boolean; // 总承包合同
  hasSubContracts?: boolean; // 分包合同
  hasWageDepositProof?: boolean; // 工资保证金缴纳凭证
  hasSpecialAccount?: boolean; // 农民工工资专用账户
  lastMonthWagesUploaded?: boolean; // 上月工资发放
  /** Teams known locally and whether the platform knows them (teamSysNo). */
  teams?: readonly { teamId: number; name: string; platformTeamSysNo: string | null }[];
  /** Site-local date of the last attendance record uploaded, if known. */
  lastAttendanceUploadDate?: string | null;
}

export interface WorkerCompleteness {
  workerId: number;
  name: string;
  issues: CompletenessIssue[];
}

export interface CompletenessReport {
  asOf: string;
  workers: WorkerCompleteness[];
  project: CompletenessIssue[];
  /** Project checks the appliance cannot make because it does not hold the data. */
  notChecked: Bilingual[];
  yellowCount: number;
  wouldFlagYellow: boolean;
}

/** GB 11643-1999 check character of the first 17 digits of an 18-digit resident ID. */
export const residentIdCheckChar = idCheckDigit;

export interface ResidentIdFacts {
  valid: boolean;
  birthDate: string | null;
  sex: 'M' | 'F' | null;
}

/** Structure of an 18-digit resident ID: digits, a real birth date, the check character. */
export function residentIdFacts(id: string): ResidentIdFacts {
  const s = id.trim().toUpperCase();
  if (!/^\d{17}[\dX]$/.test(s)) return { valid: false, birthDate: null, sex: null };
  const birth = `${s.slice(6, 10)}-${s.slice(10, 12)}-${s.slice(12, 14)}`;
  const d = new Date(`${birth}T00:00:00Z`);
  const realDate = !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === birth;
  const sex = Number(s[16]) % 2 === 1 ? 'M' : 'F';
  return { valid: realDate && residentIdCheckChar(s.slice(0, 17)) === s[17], birthDate: realDate ? birth : null, sex };
}

const issue = (code: string, severity: CompletenessSeverity, problem: Bilingual, fix: Bilingual): CompletenessIssue => ({ code, severity, problem, fix });

function workerIssues(w: CompletenessWorker, asOf: string): CompletenessIssue[] {
  const out: CompletenessIssue[] = [];
  if (!w.hasContract)
    out.push(issue('contract_missing', 'yellow', { zh: '缺少劳动合同', en: 'No labour contract' }, { zh: '在人员资料中上传劳动合同并填写起止日期', en: 'Upload the labour contract and its dates in the person record' }));
  else if (!w.contractStart)
    out.push(issue('contract_dates_missing', 'yellow', { zh: '合同缺少开始日期', en: 'Contract start date missing' }, { zh: '补填合同开始日期', en: 'Enter the contract start date' }));
  else if (w.contractEnd && w.contractEnd < asOf)
    out.push(issue('contract_expired', 'yellow', { zh: `合同已于 ${w.contractEnd} 到期`, en: `Contract ended on ${w.contractEnd}` }, { zh: '续签合同或办理退场', en: 'Renew the contract or record the exit from the project' }));
  if (w.role === 'worker' && w.teamId === null)
    out.push(issue('team_missing', 'yellow', { zh: '未分配班组', en: 'No team assigned' }, { zh: '在人员资料中选择班组', en: 'Assign a team in the person record' }));
  if (w.employerId === null)
    out.push(issue('employer_missing', 'yellow', { zh: '未关联参建单位', en: 'No employer' }, { zh: '选择所属参建单位（总包/分包/劳务企业）', en: 'Select the employer (general, sub or labour company)' }));
  if (w.idValidTo && w.idValidTo < asOf)
    out.push(issue('id_expired', 'yellow', { zh: `身份证已于 ${w.idValidTo} 过期`, en: `ID card expired on ${w.idValidTo}` }, { zh: '请本人携带新身份证重新读卡', en: 'Re-read the renewed ID card with the person present' }));
  if (w.idType === '01' && w.idNumber) {
    const f = residentIdFacts(w.idNumber);
    if (!f.valid)
      out.push(issue('id_number_invalid', 'yellow', { zh: '身份证号码校验不通过', en: 'ID number fails its check digit' }, { zh: '用读卡器重新读取身份证，不要手工录入', en: 'Read the ID card with the reader instead of typing it' }));
    else {
      if (w.birthDate && f.birthDate !== w.birthDate)
        out.push(issue('birth_date_inconsistent', 'yellow', { zh: '出生日期与身份证号不一致', en: 'Birth date disagrees with the ID number' }, { zh: '重新读卡以更正人员信息', en: 'Re-read the ID card to correct the record' }));
      if (w.sex && w.sex !== 'U' && f.sex !== w.sex)
        out.push(issue('sex_inconsistent', 'yellow', { zh: '性别与身份证号不一致', en: 'Sex disagrees with the ID number' }, { zh: '重新读卡以更正人员信息', en: 'Re-read the ID card to correct the record' }));
    }
  }
  if (w.role === 'manager' && (w.tradeCode !== '900' || !w.managementRole))
    out.push(issue('manager_trade_inconsistent', 'yellow', { zh: '管理人员的工种应为“管理人员(900)”并选择岗位', en: 'Management personnel need trade 900 and a management role' }, { zh: '修改工种为900并选择岗位', en: 'Set trade 900 and choose the role' }));
  if (w.role === 'worker' && w.tradeCode === '900')
    out.push(issue('worker_trade_inconsistent', 'yellow', { zh: '工人的工种不能是“管理人员”', en: 'A worker cannot have the management trade 900' }, { zh: '选择实际工种，或改为管理人员', en: 'Choose the actual trade, or make the person management' }));
  if (w.hasBankCard === false)
    out.push(issue('bank_card_missing', 'hint', { zh: '缺少工资卡', en: 'No payroll bank card' }, { zh: '登记工资卡，用于工资代发', en: 'Register the payroll bank card' }));
  if (w.hasFaceTemplate === false)
    out.push(issue('face_missing', 'hint', { zh: '未采集人脸，无法刷脸考勤', en: 'No face enrolled, cannot check in' }, { zh: '重新采集人脸', en: 'Enroll the face again' }));
  return out;
}

/** Previews the yellow-light findings. Inactive and blacklisted people are not checked. */
export function previewCompleteness(input: { asOf: string; workers: readonly CompletenessWorker[]; project: CompletenessProject }): CompletenessReport {
  const workers = input.workers
    .filter((w) => w.status === 'active')
    .map((w) => ({ workerId: w.workerId, name: w.name, issues: workerIssues(w, input.asOf) }))
    .filter((w) => w.issues.length > 0)
    .sort((a, b) => a.workerId - b.workerId);

  const p = input.project;
  const project: CompletenessIssue[] = [];
  const notChecked: Bilingual[] = [];
  const docs: [keyof CompletenessProject, string, Bilingual, Bilingual][] = [
    ['hasGeneralContract', 'general_contract_missing', { zh: '缺少总承包合同', en: 'General contract missing' }, { zh: '上传总承包合同', en: 'Upload the general contract' }],
    ['hasSubContracts', 'sub_contracts_missing', { zh: '缺少分包合同', en: 'Subcontracts missing' }, { zh: '上传分包合同', en: 'Upload the subcontracts' }],
    ['hasWageDepositProof', 'wage_deposit_missing', { zh: '缺少工资保证金缴纳凭证', en: 'Wage deposit proof missing' }, { zh: '上传工资保证金缴纳凭证', en: 'Upload the wage deposit proof' }],
    ['hasSpecialAccount', 'special_account_missing', { zh: '未开设农民工工资专用账户', en: 'No wage special account' }, { zh: '登记工资专用账户信息', en: 'Register the wage special account' }],
    ['lastMonthWagesUploaded', 'last_month_wages_missing', { zh: '上月工资发放未上传', en: "Last month's wages not uploaded" }, { zh: '按考勤表录入并上传上月工资发放', en: "Upload last month's wage payments from the attendance sheet" }],
  ];
  for (const [key, code, problem, fix] of docs) {
    const v = p[key];
    if (v === undefined) notChecked.push(problem);
    else if (v === false) project.push(issue(code, 'yellow', problem, fix));
  }
  for (const t of p.teams ?? [])
    if (!t.platformTeamSysNo)
      project.push(issue('team_not_on_platform', 'yellow', { zh: `班组“${t.name}”未上传平台`, en: `Team "${t.name}" not on the platform` }, { zh: '联网后同步班组', en: 'Sync the team when online' }));
  if (p.lastAttendanceUploadDate !== undefined) {
    if (p.lastAttendanceUploadDate === null || p.lastAttendanceUploadDate < addDays(input.asOf, -1))
      project.push(issue('attendance_not_uploaded', 'yellow', { zh: '考勤数据未及时上传', en: 'Attendance not uploaded recently' }, { zh: '检查网络与同步状态', en: 'Check the network and the sync status' }));
  } else notChecked.push({ zh: '考勤上传情况', en: 'Attendance upload' });

  const yellowCount = workers.reduce((a, w) => a + w.issues.filter((i) => i.severity === 'yellow').length, 0) + project.filter((i) => i.severity === 'yellow').length;
  return { asOf: input.asOf, workers, project, notChecked, yellowCount, wouldFlagYellow: yellowCount > 0 };
}

/** Yellow turns red when not fixed within 5 days (第三条). */
export function warningLight(firstFlaggedDate: string, asOf: string, graceDays = 5): { light: 'yellow' | 'red'; redOn: string } {
  const redOn = addDays(firstFlaggedDate, graceDays);
  return { light: asOf >= redOn ? 'red' : 'yellow', redOn };
}
