// The audit trail in words: who (a person's account, a role from before named accounts, the
// system, the platform), what ("登录", "修改通行策略：
// 未戴安全帽：拒绝通行 → 放行并提醒") and on whom ("人员 测试甲", "管理员") instead of
// `login.ok` and `worker:5`. Pure; names of workers and lanes come from the caller.
import type { Bilingual } from '../../../shared/i18n/messages.js';
import { parseAccountActor } from '../../../../edge-core/src/auth/account-actor.js';
import type { AuditEntry } from '../api/core.js';
import { changeText, type PolicyChange } from './policy-words.js';

type Lang = 'zh' | 'en';
const bi = (zh: string, en: string): Bilingual => ({ zh, en });

const ROLES: Record<string, Bilingual> = {
  admin: bi('管理员', 'Administrator'),
  supervisor: bi('主管', 'Supervisor'),
  clerk: bi('劳务员', 'Labour clerk'),
};

const ACTORS: Record<string, Bilingual> = {
  system: bi('系统', 'System'),
  platform: bi('省平台', 'Platform'),
  setup: bi('初始设置', 'Initial setup'),
  'demo-seed': bi('演示数据', 'Demo data'),
};

const ACTIONS: Record<string, Bilingual> = {
  'login.ok': bi('登录', 'Signed in'),
  'login.failed': bi('PIN 码错误', 'Wrong PIN'),
  'login.locked': bi('登录被锁定', 'Sign-in locked'),
  'login.no_account': bi('登录时未选择账号', 'Sign-in without an account'),
  'login.disabled': bi('已停用账号尝试登录', 'Sign-in to a disabled account'),
  'pin.set': bi('设置 PIN 码', 'Set a PIN'),
  'account.create': bi('新建账号', 'Created an account'),
  'account.rename': bi('账号改名', 'Renamed an account'),
  'account.disable': bi('停用账号', 'Disabled an account'),
  'account.enable': bi('启用账号', 'Enabled an account'),
  'account.pin_reset': bi('重设账号 PIN 码', 'Reset an account\u2019s PIN'),
  'account.pin_change': bi('修改自己的 PIN 码', 'Changed their own PIN'),
  'account.upgrade': bi('共用 PIN 转为账号', 'Shared PIN turned into an account'),
  'employer.create': bi('新增参建单位', 'Added an employer'),
  'team.create': bi('新增班组', 'Added a team'),
  'team.platform_number': bi('平台登记班组', 'Team registered on the platform'),
  'worker.create': bi('新增人员', 'Added a worker'),
  'worker.update': bi('修改人员资料', 'Edited a worker'),
  'worker.status': bi('变更人员状态', 'Changed a worker\u2019s status'),
  'worker.face': bi('重新采集人脸', 'Captured the face again'),
  'enrollment.save': bi('人员登记', 'Enrolled a worker'),
  'policy.change': bi('修改通行策略', 'Changed the gate policy'),
  'platform.secret.set': bi('设置平台密钥', 'Set the platform appsecret'),
  'voice.templates': bi('修改语音播报文本', 'Changed the voice texts'),
  'backup.create': bi('备份数据', 'Backed up the data'),
  'report.export': bi('导出考勤表', 'Exported the attendance sheet'),
  'sync.retry': bi('重试平台同步', 'Retried the platform sync'),
  'attendance.makeup': bi('补卡', 'Make-up attendance'),
  'retention.purge': bi('按保存期限清除个人数据', 'Removed personal data past its retention'),
  'store.restored_from_backup': bi('从备份恢复数据库', 'Restored the database from a backup'),
  'gate.open_failed': bi('闸机未能开启', 'The turnstile did not open'),
  'setup.complete': bi('完成初始设置', 'Completed the initial setup'),
};

const STATUS: Record<string, Bilingual> = {
  active: bi('在场', 'active'),
  inactive: bi('已退场', 'inactive'),
  blacklisted: bi('黑名单', 'blacklisted'),
};

export interface AuditContext {
  lang: Lang;
  workerName(id: number): string | null;
}

/**
 * Who: a person (`admin#3 张三` → 张三（管理员 #3）), a role from before named accounts
 * (`admin` → 管理员（共用 PIN 时期）), or a system actor in words.
 */
export function actorText(actor: string, lang: Lang): string {
  const person = parseAccountActor(actor);
  if (person) {
    const role = (ROLES[person.role] as Bilingual)[lang];
    return lang === 'zh' ? `${person.name}（${role} #${person.id}）` : `${person.name} (${role} #${person.id})`;
  }
  const role = ROLES[actor];
  if (role) return lang === 'zh' ? `${role.zh}（共用 PIN 时期）` : `${role.en} (shared-PIN era)`;
  return (ACTORS[actor] ?? bi('其他', 'Other'))[lang];
}

/** The action in words, with the details a person needs (the policy changes, the new status…). */
export function actionText(e: Pick<AuditEntry, 'action' | 'details'>, lang: Lang): string {
  const sep = lang === 'zh' ? '：' : ': ';
  if (e.action.startsWith('remote.')) return lang === 'zh' ? '省平台远程指令' : 'Remote command from the platform';
  const base = (ACTIONS[e.action] ?? bi('其他操作', 'Other action'))[lang];
  const d = e.details ?? {};
  if (e.action === 'policy.change' && Array.isArray(d.changes)) {
    const changes = (d.changes as PolicyChange[]).map((c) => changeText(c, lang));
    return changes.length ? `${base}${sep}${changes.join(lang === 'zh' ? '；' : '; ')}` : base;
  }
  if (e.action === 'worker.status' && typeof d.status === 'string') {
    const s = STATUS[d.status]?.[lang] ?? '';
    const why = typeof d.reason === 'string' && d.reason ? (lang === 'zh' ? `（${d.reason}）` : ` (${d.reason})`) : '';
    return `${base}${sep}${s}${why}`;
  }
  if (e.action === 'login.failed' && typeof d.failures === 'number') {
    return lang === 'zh' ? `${base}（第 ${d.failures} 次）` : `${base} (${d.failures})`;
  }
  return base;
}

/** The subject in words: a worker's name, a role, the policy, an event. */
export function targetText(target: string | null, ctx: AuditContext): string {
  if (!target) return '';
  const { lang } = ctx;
  const m = /^(\w+):(.+)$/.exec(target);
  if (!m) {
    if (target === 'gate.policy') return lang === 'zh' ? '通行策略' : 'Gate policy';
    if (target === 'attendance-sheet') return lang === 'zh' ? '月度考勤表' : 'Monthly sheet';
    return '';
  }
  const [, kind, id] = m as unknown as [string, string, string];
  if (kind === 'worker') {
    const name = ctx.workerName(Number(id));
    return lang === 'zh' ? `人员 ${name ?? `（编号 ${id}）`}` : `Worker ${name ?? `(no. ${id})`}`;
  }
  if (kind === 'role') return (ROLES[id] ?? bi('角色', 'Role'))[lang];
  if (kind === 'account') return lang === 'zh' ? `账号 #${id}` : `Account #${id}`;
  if (kind === 'team') return lang === 'zh' ? `班组（编号 ${id}）` : `Team (no. ${id})`;
  if (kind === 'employer') return lang === 'zh' ? `参建单位（编号 ${id}）` : `Employer (no. ${id})`;
  if (kind === 'event') return lang === 'zh' ? '一条考勤记录' : 'An attendance record';
  return '';
}
