// User-facing texts, zh-CN first, English second. The API returns a message code and both
// texts; the UI picks the language. Keys are stable codes used in tests and logs.
import type { Bilingual } from '../../../edge-core/src/domain/bilingual.js';

/** The one zh/en type, defined in edge-core (which may not import app) and re-exported here. */
export type { Bilingual };

export const MESSAGES = {
  'auth.required': { zh: '请先登录', en: 'Please sign in first' },
  'auth.forbidden': { zh: '当前角色无权执行此操作', en: 'Your role may not do this' },
  'lan.tls_required': { zh: '局域网访问必须使用 HTTPS 加密连接', en: 'Access over the LAN requires HTTPS' },
  'auth.wrong_pin': { zh: 'PIN 码错误', en: 'Wrong PIN' },
  'auth.locked': { zh: '错误次数过多，已锁定，请稍后再试', en: 'Too many wrong PINs; locked for a while' },
  'auth.not_set': { zh: '该角色尚未设置 PIN 码，请管理员设置', en: 'No PIN set for this role; ask the administrator' },
  'auth.expired': { zh: '登录已过期，请重新登录', en: 'Session expired; sign in again' },
  'auth.no_account': { zh: '没有这个账号，请核对账号编号', en: 'No such account; check the account number' },
  'auth.disabled': { zh: '该账号已停用，请联系管理员', en: 'This account is disabled; ask the administrator' },
  'auth.account_required': {
    zh: '该角色有多个账号，请先选择您的账号（或输入账号编号）',
    en: 'Several people have this role: choose your account (or type its number) first',
  },
  'account.not_found': { zh: '没有这个账号', en: 'No such account' },
  'account.name_taken': { zh: '已有同名账号，请换一个名字', en: 'An account of this name exists; choose another name' },
  'account.name_invalid': { zh: '姓名须为 1–40 个字', en: 'The name must be 1–40 characters' },
  'account.last_admin': {
    zh: '这是最后一个启用的管理员账号，不能停用（请先另建一个管理员账号）',
    en: 'This is the last enabled administrator account; it cannot be disabled (create another administrator first)',
  },
  'account.ambiguous': {
    zh: '该角色有多个账号，请在“账号”中为具体人员重设 PIN 码',
    en: 'Several accounts have this role: reset the PIN of the person under Accounts',
  },
  'lan.local_only': { zh: '此操作只能在闸机电脑本机上进行', en: 'This can only be done on the gate PC itself' },
  'request.bad_host': {
    zh: '请求的主机名不属于本设备，已拒绝（请用本机地址或配置的名称访问）',
    en: 'The requested host name is not this appliance; refused (use its address or a configured name)',
  },
  'request.cross_origin': { zh: '拒绝来自其他网页的请求', en: 'Requests from other web pages are refused' },
  'rate.limited': { zh: '请求过于频繁，请稍后再试', en: 'Too many requests; try again shortly' },
  'request.invalid': { zh: '请求内容有误', en: 'The request is invalid' },
  'request.not_found': { zh: '未找到', en: 'Not found' },
  'request.too_large': { zh: '请求内容过大', en: 'The request is too large' },
  'worker.duplicate': { zh: '该证件号码已登记', en: 'This ID number is already enrolled' },
  'employer.duplicate': { zh: '该统一社会信用代码已登记', en: 'An employer with this credit code is already registered' },
  'team.duplicate': { zh: '该单位已有同名班组', en: 'This employer already has a team of this name' },
  'request.conflict': { zh: '与已有数据冲突', en: 'The request conflicts with existing data' },
  'worker.not_found': { zh: '未找到该人员', en: 'Worker not found' },
  'store.disk_full': { zh: '磁盘已满，记录无法保存', en: 'Disk full: records cannot be saved' },
  'backup.no_room': {
    zh: '磁盘空间不足，未做备份（保留给考勤记录的空间不会被占用），请清理磁盘或将备份另存他处',
    en: 'Not enough disk space for a backup (the space kept for attendance records is not used); free space or save a backup elsewhere',
  },
  'store.unavailable': { zh: '数据库不可用', en: 'Database unavailable' },
  'store.read_only': { zh: '数据盘只读（可能已损坏），无法保存，请联系管理员检查硬盘', en: 'The data disk is read-only (it may be failing); nothing was saved — ask the administrator to have the disk checked' },
  'store.io_error': { zh: '数据盘读写错误，无法保存，请联系管理员检查硬盘', en: 'Data disk I/O error; nothing was saved — ask the administrator to have the disk checked' },
  'store.corrupt': { zh: '数据库已损坏，请重启 SiteGate（将自动从备份恢复）', en: 'The database is corrupted; restart SiteGate to restore it from the backup' },
  'server.error': { zh: '系统内部错误，已记录', en: 'Internal error; it has been logged' },
  'pin.weak': { zh: 'PIN 码须为 6–12 位数字，且不能是简单序列', en: 'PIN must be 6–12 digits and not a trivial sequence' },
  'setup.already_done': { zh: '初始设置已完成', en: 'Initial setup is already done' },
  'enrollment.failed': { zh: '登记未完成', en: 'Enrollment not completed' },
  'gate.unavailable': { zh: '闸机人脸识别不可用', en: 'Gate face recognition unavailable' },
  'makeup.refused': { zh: '补卡未通过校验', en: 'Make-up attendance refused' },
  'demo.only': { zh: '仅演示模式可用', en: 'Available in demo mode only' },
  'auth.demo_pin': {
    zh: '演示 PIN 码不能在正式模式使用，请使用初始设置时设定的 PIN 码',
    en: 'Demo PINs are not accepted outside the demo; use the PINs set at the initial setup',
  },
  'setup.local_only': {
    zh: '初始设置只能在闸机主机本机上进行',
    en: 'The initial setup can only be done on the gate PC itself',
  },
  'setup.demo': { zh: '演示模式无需初始设置', en: 'The demo needs no initial setup' },
  'setup.no_config_file': {
    zh: '找不到配置文件，无法保存设置；请用 --config 指定配置文件后重新启动',
    en: 'No configuration file to save the setup in; start SiteGate with --config FILE',
  },
  'setup.write_failed': {
    zh: '配置文件无法写入（只读或无权限），设置未保存',
    en: 'The configuration file cannot be written (read-only or no permission); nothing was saved',
  },
  'worker.face_failed': { zh: '人脸重新采集未完成', en: 'Face re-capture not completed' },
  'camera.no_picture': { zh: '摄像头暂无画面', en: 'The camera has no picture yet' },
  'visitor.not_found': { zh: '未找到该访客码', en: 'Visitor pass not found' },
  'visitor.card_not_found': { zh: '身份证读取已过期，请重新刷卡', en: 'The ID-card read has expired; place the card again' },
  'visitor.already_revoked': { zh: '该访客码已作废', en: 'This visitor pass is already revoked' },
  'visitor.window_invalid': { zh: '有效期不正确：结束须晚于开始和当前时间，最长 31 天', en: 'Invalid validity: the end must be after the start and now, at most 31 days' },
  'visitor.unknown_lane': { zh: '没有这个通道', en: 'No such lane' },
  'admin.restart_unsupervised': {
    zh: '核心服务未在守护进程下运行（npm start 或 SiteGate 外壳），无法自动重启，请手动重启',
    en: 'The core is not running under a supervisor (npm start or the SiteGate shell); restart it by hand',
  },
} as const satisfies Record<string, Bilingual>;

export type MessageCode = keyof typeof MESSAGES;

export function message(code: MessageCode): Bilingual {
  return MESSAGES[code];
}
