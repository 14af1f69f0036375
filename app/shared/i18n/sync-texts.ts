// Words for the sync core's codes: standing problems towards the platform, each with what to
// do, zh-CN first and English second. The core reports codes with parameters
// (edge-core/src/ports/platform.ts SyncProblem); /health, the log and the dashboard say them
// in these words.
import type { SyncProblem, SyncProblemCode } from '../../../edge-core/src/domain/sync-problems.js';
import type { OutboxError, OutboxErrorCode } from '../../../edge-core/src/domain/outbox-errors.js';
import type { Bilingual } from './messages.js';

export const SYNC_PROBLEM_TEXTS: Record<SyncProblemCode, Bilingual> = {
  clock_outside_window: {
    zh: '平台拒绝了本机的请求时间（时间戳超出平台允许的时间窗口），记录暂存在本机，不会丢失。请核对本机的日期、时间和时区（应为北京时间）并开启自动对时；时间正确后同步自动恢复。',
    en: "The platform refuses this device's request time (timestamp outside its accepted window); records are kept on this device and nothing is lost. Check the device's date, time and time zone (Beijing time) and turn on automatic time sync; sync resumes by itself once the time is right.",
  },
  heartbeat_not_permitted: {
    zh: '平台不允许本机调用心跳接口 {method}（-3 无权限），因此本机的设备公钥没有登记到平台，平台无法核验本机上传考勤的设备签名。请联系平台管理员为本项目的 appid 开通 {method} 接口；如平台的心跳接口另有名称，请核对配置项 platform.heartbeatMethod。',
    en: "The platform does not permit the heartbeat method {method} (-3, no permission), so this device's public key has not been registered and the platform cannot verify the device signature on uploaded attendance. Ask the platform administrator to grant {method} to this project's appid; if the platform names its heartbeat method differently, check platform.heartbeatMethod in the configuration.",
  },
  heartbeat_refused: {
    zh: '平台拒绝了心跳 {method}（结果码 {code}），本机的设备公钥可能未能登记，平台可能无法核验本机上传考勤的设备签名。请核对配置项 platform.heartbeatMethod，并将平台返回的原因告知平台管理员。',
    en: "The platform refuses the heartbeat {method} (result code {code}); this device's public key may not be registered, so the platform may not verify the device signature on uploaded attendance. Check platform.heartbeatMethod in the configuration and pass the reason it gives to the platform administrator.",
  },
};

function fill(template: string, params: Record<string, string | number>): string {
  return template.replace(/\{(\w+)\}/g, (_, k: string) => (k in params ? String(params[k]) : '?'));
}

/** A problem in plain words, with the platform's own reason when it gave one. */
export function syncProblemText(p: Pick<SyncProblem, 'code' | 'params'>): Bilingual {
  const t = SYNC_PROBLEM_TEXTS[p.code];
  const detail = typeof p.params.detail === 'string' && p.params.detail ? p.params.detail : null;
  return {
    zh: fill(t.zh, p.params) + (detail ? `（平台返回：${detail}）` : ''),
    en: fill(t.en, p.params) + (detail ? ` (the platform says: ${detail})` : ''),
  };
}

/** Why an outbox item waits (outbox.last_error, stored as a code with parameters). */
export const OUTBOX_ERROR_TEXTS: Record<OutboxErrorCode, Bilingual> = {
  platform: { zh: '平台调用失败（{kind}），稍后自动重试', en: 'The platform call failed ({kind}); retried automatically' },
  failed: { zh: '发送失败，稍后自动重试', en: 'Sending failed; retried automatically' },
  waiting_for_team: { zh: '班组或参建单位尚未在平台登记，登记后自动发送', en: 'The team or employer is not registered on the platform yet; sent once it is' },
  kind_unsupported: { zh: '本版本无法发送此类记录（{kind}）', en: 'This version cannot send records of this kind ({kind})' },
  refused_whole: { zh: '平台拒收整批记录，正在逐条发送以找出问题记录', en: 'The platform refused the whole batch; sending the records one by one to find the bad one' },
  result_unclear: { zh: '平台处理结果无法确认，正在向平台核对', en: "The platform's result is unclear; checking with the platform" },
  result_timeout: { zh: '未按时收到平台处理结果，正在向平台核对', en: 'No result from the platform in time; checking with the platform' },
  resend_after_unclear: { zh: '核对后平台未收到，重新发送', en: 'Checked: the platform did not get it; sending again' },
  absent_after_unclear: { zh: '核对后平台上没有此记录，重新发送', en: 'Checked: not on the platform; sending again' },
  parked: { zh: '已暂停发送，等待人工处理', en: 'Held for a person to look at' },
  interrupted: { zh: '发送中程序中断，正在向平台核对', en: 'Interrupted while sending; checking with the platform' },
  restored_from_backup: { zh: '数据已从备份恢复，发送前先向平台核对', en: 'Restored from a backup; checking with the platform before sending again' },
  legacy: { zh: '{text}', en: '{text}' },
};

/** last_error in plain words, with the platform's own detail when it gave one. */
export function outboxErrorText(e: OutboxError): Bilingual {
  const t = OUTBOX_ERROR_TEXTS[e.code];
  const detail = e.code !== 'legacy' && typeof e.params.detail === 'string' && e.params.detail ? e.params.detail : null;
  return {
    zh: fill(t.zh, e.params) + (detail ? `（${detail}）` : ''),
    en: fill(t.en, e.params) + (detail ? ` (${detail})` : ''),
  };
}
