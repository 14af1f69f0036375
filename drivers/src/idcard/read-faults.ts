// What the clerk is told when a card read fails on the way from the reader (pure).
// A damaged reply (bad checksum, truncated, garbage) or a read with no answer is tried again a
// few times; when it still fails, the clerk takes the card off and places it again.
import type { DeviceFailure, Bilingual } from '../../../edge-core/src/ports/devices.js';

const DETAIL: Record<string, Bilingual> = {
  bad_checksum: { zh: '校验和错误', en: 'checksum error' },
  bad_length: { zh: '长度错误', en: 'bad length' },
  bad_preamble: { zh: '帧头错误', en: 'bad frame start' },
  trailing_bytes: { zh: '多余字节', en: 'extra bytes' },
  truncated: { zh: '数据不完整', en: 'reply cut short' },
  garbage: { zh: '数据无法识别', en: 'unreadable bytes' },
  reply_timeout: { zh: '读卡器无应答', en: 'no answer from the reader' },
};

/** SAM statuses after which placing the card again usually helps (the card moved, or its chip did not answer in time). */
const REPLACE_STATUSES = new Set(['read_card_failed', 'card_auth_sam_failed', 'sam_auth_card_failed', 'info_verify_error', 'random_number_failed']);

/** Frame-level codes of the read data itself (inside a good frame). */
const REPLACE_DATA = new Set(['truncated', 'bad_length']);

export interface ReadFault extends DeviceFailure {
  detail: Bilingual;
}

/** The failure of a placement whose read replies were damaged or missing every time. */
export function readFaultFailure(code: string): ReadFault {
  const detail = DETAIL[code] ?? { zh: '数据出错', en: 'damaged data' };
  return {
    code: `read_${code}`,
    detail,
    message: {
      zh: `读卡失败（${detail.zh}），请重新放置身份证`,
      en: `The card could not be read (${detail.en}); place the ID card on the reader again`,
    },
    action: 'replace_card',
  };
}

/** `{ action: 'replace_card' }` for failures that placing the card again may cure. */
export function replaceCardAdvice(code: string): Pick<DeviceFailure, 'action'> {
  return REPLACE_STATUSES.has(code) || REPLACE_DATA.has(code) ? { action: 'replace_card' } : {};
}
