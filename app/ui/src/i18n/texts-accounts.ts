// Texts of named accounts (issue 15 item 3): signing in as a person, and the accounts section
// of the settings. zh-CN first, English second.
import type { Bilingual } from '../../../shared/i18n/messages.js';

export const ACCOUNTS_TEXTS = {
  'login.title_person': { zh: '请选择您的账号并输入 PIN 码', en: 'Choose your account and enter your PIN' },
  'login.people': { zh: '人员', en: 'People' },
  'login.no_people': { zh: '该角色还没有账号，请输入账号编号或联系管理员', en: 'No account has this role yet: type an account number or ask the administrator' },
  'login.account_number': { zh: '账号编号（可直接输入）', en: 'Account number (or type it)' },
  'login.who': { zh: '{name}（{role} #{n}）', en: '{name} ({role} #{n})' },
  'login.who_number': { zh: '账号 #{n}', en: 'Account #{n}' },
  'login.role_too_low': { zh: '该账号无权使用此页面', en: 'This account may not use this screen' },
  'login.logout_person': { zh: '退出（{name}）', en: 'Sign out ({name})' },

  'accounts.actor': { zh: '{name}（{role} #{n}）', en: '{name} ({role} #{n})' },
  'accounts.actor_role': { zh: '{role}（共用 PIN 时期）', en: '{role} (shared-PIN era)' },
  'accounts.title': { zh: '账号', en: 'Accounts' },
  'accounts.hint': {
    zh: '每位劳务员、主管和管理员使用自己的账号和 PIN 码；操作日志记录到人。账号不能删除，可停用。',
    en: 'Every clerk, supervisor and administrator has their own account and PIN; the audit log names the person. Accounts are never deleted, only disabled.',
  },
  'accounts.shared_warning': {
    zh: '以下账号由升级前的共用 PIN 码生成：请改为实际使用人的姓名，或为每人新建账号后停用它。',
    en: 'These accounts came from the shared PINs before the upgrade: rename each to the person who uses it, or create personal accounts and disable it.',
  },
  'accounts.shared': { zh: '原共用', en: 'formerly shared' },
  'accounts.number': { zh: '编号', en: 'No.' },
  'accounts.name': { zh: '姓名', en: 'Name' },
  'accounts.role': { zh: '角色', en: 'Role' },
  'accounts.state': { zh: '状态', en: 'State' },
  'accounts.enabled': { zh: '启用', en: 'Enabled' },
  'accounts.disabled': { zh: '已停用', en: 'Disabled' },
  'accounts.you': { zh: '（本人）', en: '(you)' },
  'accounts.rename': { zh: '改名', en: 'Rename' },
  'accounts.reset_pin': { zh: '重设 PIN', en: 'New PIN' },
  'accounts.disable': { zh: '停用', en: 'Disable' },
  'accounts.enable': { zh: '启用', en: 'Enable' },
  'accounts.disable_confirm': { zh: '确认停用 {name}（其所有登录立即结束）', en: 'Confirm: disable {name} (all their sessions end at once)' },
  'accounts.create': { zh: '新建账号', en: 'New account' },
  'accounts.created': { zh: '已新建：{name}，账号编号 {n}', en: 'Created: {name}, account number {n}' },
  'accounts.renamed': { zh: '已改名为 {name}', en: 'Renamed to {name}' },
  'accounts.pin_set': { zh: '{name} 的 PIN 已更新，其其他登录已结束', en: "{name}'s PIN is updated; their other sessions have ended" },
  'accounts.disabled_done': { zh: '{name} 已停用', en: '{name} is disabled' },
  'accounts.enabled_done': { zh: '{name} 已启用', en: '{name} is enabled' },
} as const satisfies Record<string, Bilingual>;
