// The gate policy in words, for the settings screen and the audit trail: every rule with its
// setting ("未戴安全帽：拒绝通行"), and a change as "未戴安全帽：拒绝通行 → 放行并提醒" instead of
// `helmet.action: "refuse" → "remind"`. Pure (no React); the paths are those of edge-core's
// GatePolicySchema and of the core's change records (describePolicyChange).
import type { Bilingual } from '../../../shared/i18n/messages.js';
import type { GatePolicy } from '../api/admin.js';

type Lang = 'zh' | 'en';
const bi = (zh: string, en: string): Bilingual => ({ zh, en });

const ACTION: Record<string, Bilingual> = {
  refuse: bi('拒绝通行', 'refuse'),
  remind: bi('放行并提醒', 'pass with a reminder'),
  ignore: bi('不检查', 'not checked'),
};

const ENUMS: Record<string, Record<string, Bilingual>> = {
  'timeWindows.appliesTo': { in: bi('只限进场', 'entries only'), both: bi('进场和出场', 'entries and exits') },
  'antiPassback.scope': { site: bi('全工地', 'whole site'), lane: bi('同一通道', 'same lane') },
  'duplicateScan.action': {
    refuse: bi('提示已记录，不开闸', 'say already recorded, gate stays shut'),
    pass_without_record: bi('开闸，不再记录', 'open, record nothing new'),
  },
  'exit.mode': {
    never_block_known: bi('已识别人员出场不拦截（改为提醒）', 'never keep a recognised person in (reminders instead)'),
    same_as_entry: bi('出场与进场同样检查', 'exits checked like entries'),
  },
  'visitors.escort': { always: bi('总是需要陪同', 'always'), per_pass: bi('按访客码要求', 'as the pass says'), never: bi('不需要', 'never') },
};

const LABELS: Record<string, Bilingual> = {
  liveness: bi('活体检测未通过', 'Liveness check failed'),
  'idCard.expired': bi('身份证过期或未生效', 'ID card expired or not yet valid'),
  'contract.missing': bi('未签劳动合同', 'No labour contract'),
  'contract.outOfDates': bi('不在合同期内', 'Outside the contract dates'),
  'contract.expiringSoonDays': bi('合同到期前提醒天数', 'Remind before the contract ends (days)'),
  'insurance.missing': bi('未购买保险', 'No insurance'),
  'insurance.outOfDates': bi('不在保险期内', 'Outside the insurance dates'),
  'timeWindows.appliesTo': bi('通行时段限制', 'Time windows apply to'),
  'timeWindows.default': bi('通行时段', 'Permitted hours'),
  'timeWindows.byRole.worker': bi('建筑工人通行时段', 'Workers\u2019 hours'),
  'timeWindows.byRole.manager': bi('管理人员通行时段', 'Management\u2019s hours'),
  'timeWindows.byTeam': bi('班组专用时段', 'Team hours'),
  'helmet.action': bi('未戴安全帽', 'No helmet'),
  'helmet.whenUnknown': bi('安全帽无法识别时', 'Helmet cannot be checked'),
  'mask.action': bi('未戴口罩', 'No mask'),
  'mask.whenUnknown': bi('口罩无法识别时', 'Mask cannot be checked'),
  'antiPassback.action': bi('防反潜回（进出顺序不符）', 'Anti-passback (out of sequence)'),
  'antiPassback.scope': bi('防反潜回范围', 'Anti-passback scope'),
  'antiPassback.resetAfterHours': bi('防反潜回失效时间（小时）', 'Anti-passback resets after (hours)'),
  'duplicateScan.windowSeconds': bi('重复打卡间隔（秒）', 'Duplicate scan window (s)'),
  'duplicateScan.action': bi('重复打卡时', 'On a duplicate scan'),
  'exit.mode': bi('出场', 'Exits'),
  'visitors.enabled': bi('接待访客', 'Visitors admitted'),
  'visitors.escort': bi('访客陪同', 'Visitor escort'),
  'visitors.escortWindowSeconds': bi('陪同人员须先刷脸（秒内）', 'Escort scans first (within s)'),
  'visitors.escortRoles': bi('可陪同人员', 'Who may escort'),
};

const DAY_TYPES: Record<string, Bilingual> = {
  workday: bi('工作日', 'workdays'),
  holiday: bi('节假日', 'holidays'),
  stoppage: bi('停工日', 'stoppage days'),
};

function isWindow(v: unknown): v is { from: string; to: string } {
  return typeof v === 'object' && v !== null && typeof (v as { from?: unknown }).from === 'string' && typeof (v as { to?: unknown }).to === 'string';
}

function windowsText(v: unknown, lang: Lang): string {
  if (!Array.isArray(v)) return '';
  if (v.length === 0) return lang === 'zh' ? '不许通行' : 'no passage';
  return v
    .filter(isWindow)
    .map((w) => (w.from === '00:00' && w.to === '24:00' ? (lang === 'zh' ? '全天' : 'all day') : `${w.from}–${w.to}`))
    .join(lang === 'zh' ? '、' : ', ');
}

function dayWindowsText(v: unknown, lang: Lang): string {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return valueText('', v, lang);
  return Object.entries(v as Record<string, unknown>)
    .map(([day, w]) => `${(DAY_TYPES[day] ?? bi(day, day))[lang]} ${windowsText(w, lang)}`)
    .join(lang === 'zh' ? '；' : '; ');
}

/** A setting's value in words. */
export function valueText(path: string, v: unknown, lang: Lang): string {
  if (v === null || v === undefined) return lang === 'zh' ? '未设置' : 'not set';
  const en = ENUMS[path];
  if (en && typeof v === 'string' && en[v]) return en[v][lang];
  if (path.startsWith('timeWindows.') && path !== 'timeWindows.appliesTo') {
    if (Array.isArray(v)) return windowsText(v, lang);
    if (path === 'timeWindows.byTeam' && typeof v === 'object') {
      const n = Object.keys(v as object).length;
      return n === 0 ? (lang === 'zh' ? '无' : 'none') : lang === 'zh' ? `${n} 个班组` : `${n} team(s)`;
    }
    return dayWindowsText(v, lang);
  }
  if (typeof v === 'string' && ACTION[v]) return ACTION[v][lang];
  if (typeof v === 'boolean') return v ? (lang === 'zh' ? '是' : 'yes') : lang === 'zh' ? '否' : 'no';
  if (typeof v === 'number') return String(v);
  if (Array.isArray(v))
    return v.map((x) => (x === 'worker' ? (lang === 'zh' ? '建筑工人' : 'workers') : x === 'manager' ? (lang === 'zh' ? '管理人员' : 'management') : valueText('', x, lang))).join(lang === 'zh' ? '、' : ', ');
  if (typeof v === 'object') return dayWindowsText(v, lang);
  return String(v);
}

/** A setting's name in words; paths below a known one take its name (with the day type or team). */
export function labelText(path: string, lang: Lang): string {
  const exact = LABELS[path];
  if (exact) return exact[lang];
  const team = /^timeWindows\.byTeam\.([^.]+)(?:\.(\w+))?$/.exec(path);
  if (team) {
    const day = team[2] ? ` · ${(DAY_TYPES[team[2]] ?? bi(team[2], team[2]))[lang]}` : '';
    return lang === 'zh' ? `班组 ${team[1]} 的通行时段${day}` : `Hours of team ${team[1]}${day}`;
  }
  const parts = path.split('.');
  for (let i = parts.length - 1; i > 0; i--) {
    const base = LABELS[parts.slice(0, i).join('.')];
    if (base) {
      const rest = parts[i] ?? '';
      const day = DAY_TYPES[rest];
      return `${base[lang]}${day ? ` · ${day[lang]}` : ''}`;
    }
  }
  return lang === 'zh' ? '其他规则' : 'Other rule';
}

export interface PolicyChange {
  path: string;
  before: unknown;
  after: unknown;
}

/** One change in words: "未戴安全帽：拒绝通行 → 放行并提醒". */
export function changeText(c: PolicyChange, lang: Lang): string {
  const path = c.path;
  const v = (x: unknown) => (path.startsWith('timeWindows.') && /\.(workday|holiday|stoppage)$/.test(path) ? windowsText(x, lang) : valueText(path, x, lang));
  return `${labelText(path, lang)}${lang === 'zh' ? '：' : ': '}${v(c.before)} → ${v(c.after)}`;
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Every changed leaf between two policies (arrays compare whole), like the core's audit record. */
export function diffPolicies(before: unknown, after: unknown, path = '', out: PolicyChange[] = []): PolicyChange[] {
  if (isPlainObject(before) && isPlainObject(after)) {
    for (const k of [...new Set([...Object.keys(before), ...Object.keys(after)])].sort())
      diffPolicies(before[k], after[k], path ? `${path}.${k}` : k, out);
    return out;
  }
  if (JSON.stringify(before) !== JSON.stringify(after)) out.push({ path, before: before ?? null, after: after ?? null });
  return out;
}

/** The whole policy as lines of words (the settings screen's read-only list). */
export function policyLines(p: GatePolicy, lang: Lang): Array<{ path: string; label: string; value: string }> {
  const paths = [
    'liveness',
    'idCard.expired',
    'contract.missing',
    'contract.outOfDates',
    'contract.expiringSoonDays',
    'insurance.missing',
    'insurance.outOfDates',
    'timeWindows.appliesTo',
    'timeWindows.default',
    'timeWindows.byRole.worker',
    'timeWindows.byRole.manager',
    'timeWindows.byTeam',
    'helmet.action',
    'helmet.whenUnknown',
    'mask.action',
    'mask.whenUnknown',
    'antiPassback.action',
    'antiPassback.scope',
    'antiPassback.resetAfterHours',
    'duplicateScan.windowSeconds',
    'duplicateScan.action',
    'exit.mode',
    'visitors.enabled',
    'visitors.escort',
    'visitors.escortWindowSeconds',
    'visitors.escortRoles',
  ];
  const get = (path: string): unknown => path.split('.').reduce<unknown>((o, k) => (isPlainObject(o) ? o[k] : undefined), p);
  return paths.filter((path) => get(path) !== undefined).map((path) => ({ path, label: labelText(path, lang), value: valueText(path, get(path), lang) }));
}
