// Words for the sync core's codes: standing problems towards the platform, each with what to
// do, zh-CN first and English second. The core reports codes with parameters
// (edge-core/src/ports/platform.ts SyncProblem); /health, the log and the dashboard say them
// in these words.
import type { SyncProblem, SyncProblemCode } from '../../../edge-core/src/ports/platform.js';
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
    en: "The platform refuses the heartbeat {method} (result code {code}); this device's public key may not be registered, so the platform may not verify the device signature on uploaded attendance. Check platform.heartbeatMethod in the configuration and pass the platform's reason to its administrator.",
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
