// Codes the core sends, put into words for the screens: the next step after a gate refusal,
// enrollment flags, lane names, device names, long-task names, and the core's "中文 English"
// health details split into their two languages. Pure.
import type { TextKey } from '../i18n/texts.js';
import type { DeviceHealthView, Lane } from '../../../shared/api-types.js';
import type { Bilingual } from '../../../shared/i18n/messages.js';

/** What the worker should do after a refusal with this reason (the gate's second line). */
export function reasonNextStep(code: string | undefined): TextKey {
  if (!code) return 'reason_do.default';
  if (code === 'not_enrolled' || code === 'match.none') return 'reason_do.not_enrolled';
  if (code === 'helmet_missing') return 'reason_do.helmet_missing';
  if (code === 'helmet_unchecked') return 'reason_do.helmet_unchecked';
  if (code === 'mask_missing') return 'reason_do.mask_missing';
  if (code === 'mask_unchecked') return 'reason_do.mask_unchecked';
  if (code === 'liveness_failed') return 'reason_do.liveness_failed';
  if (code.startsWith('liveness.')) return 'reason_do.liveness';
  if (/^(id_|contract_|insurance_)/.test(code) || code === 'worker_inactive' || code === 'blacklisted') return 'reason_do.documents';
  if (code === 'outside_time_window' || code === 'site_stoppage') return 'reason_do.time';
  if (code === 'anti_passback') return 'reason_do.anti_passback';
  if (code === 'record_failed') return 'reason_do.record_failed';
  return 'reason_do.default';
}

/** True when a passage is only a repeat of one just recorded (the calm 已记录，请通行). */
export function isRepeatScan(p: { duplicate?: boolean; reasons: string[] }): boolean {
  return Boolean(p.duplicate) || (p.reasons.length > 0 && p.reasons.every((r) => r === 'duplicate_scan'));
}

const FLAG_KEYS: Record<string, TextKey> = {
  manual_entry: 'enroll.flag.manual_entry',
  no_id_photo: 'enroll.flag.no_id_photo',
  id_photo_not_compared: 'enroll.flag.id_photo_not_compared',
  no_face_engine: 'enroll.flag.no_face_engine',
  id_photo_mismatch_confirmed: 'enroll.flag.id_photo_mismatch_confirmed',
};

export function flagKey(flag: string): TextKey {
  return FLAG_KEYS[flag] ?? 'enroll.flag.other';
}

/** A lane's name from the core's list; the make-up pseudo-lane and unknown ids in words. */
export function laneLabel(laneId: string, lanes: readonly Pick<Lane, 'id' | 'name'>[], t: (k: TextKey, v?: Record<string, string | number>) => string): string {
  if (laneId === 'makeup') return t('dash.lane_makeup');
  const lane = lanes.find((l) => l.id === laneId);
  if (lane) return lane.name;
  const n = /(\d+)$/.exec(laneId);
  return n ? t('setup.lane', { n: n[1] ?? '' }) : t('dash.lane');
}

const KIND_KEYS: Record<string, TextKey> = {
  idcard_reader: 'device.kind.idcard_reader',
  turnstile: 'device.kind.turnstile',
  announcer: 'device.kind.announcer',
  code_scanner: 'device.kind.code_scanner',
  frame_source: 'device.kind.frame_source',
};

/**
 * A device by what it is and where, never by its configured id: "闸机控制器（1号通道）",
 * "身份证阅读器". Lanes come from the device's health report when it names them.
 */
export function deviceLabel(
  d: Pick<DeviceHealthView, 'kind'> & { lanes?: readonly string[] },
  lanes: readonly Pick<Lane, 'id' | 'name'>[],
  t: (k: TextKey, v?: Record<string, string | number>) => string,
): string {
  const kind = t(KIND_KEYS[d.kind] ?? 'device.name');
  const on = (d.lanes ?? []).map((id) => laneLabel(id, lanes, t));
  return on.length ? `${kind}${t('device.lanes', { lanes: on.join('、') })}` : kind;
}

export function taskKey(task: string): TextKey {
  return task === 'models' ? 'dash.task.models' : task === 'export' ? 'dash.task.export' : 'dash.task.other';
}

const CJK = /[\u3400-\u9fff\uf900-\ufaff\u3000-\u303f\uff00-\uffef]/;

/**
 * The core's health details are often "中文 English" in one string ("正在加载人脸模型 Loading
 * face models", "考勤写入失败 — Attendance record not written"): the Chinese is everything up to
 * the last Chinese character, the English what follows it. A detail with no Chinese has no
 * Chinese side: in Chinese the screen then says only 正常/异常 (an English-only detail is never
 * shown on a Chinese screen).
 */
export function splitBilingual(detail: string): Bilingual {
  const s = detail.trim();
  let last = -1;
  for (let i = 0; i < s.length; i++) if (CJK.test(s[i] ?? '')) last = i;
  if (last < 0) return { zh: '', en: s };
  const en = s.slice(last + 1).replace(/^[\s—–\-:;,.]+/, '').trim();
  if (!/[A-Za-z]/.test(en)) return { zh: s, en: s };
  return { zh: s.slice(0, last + 1).trim(), en };
}

/** A health detail in the screen's language ('' when there is none in that language). */
export function detailIn(detail: string | undefined, lang: 'zh' | 'en'): string {
  return detail ? splitBilingual(detail)[lang] : '';
}
