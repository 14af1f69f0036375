// Typed failures of a platform call. Each carries what the outbox needs to decide (was the
// request possibly processed? retry, wait for a person, or give up?) and a plain-words
// message for the supervisor, Chinese first.
import type { Bilingual } from '../../../edge-core/src/ports/platform.js';

export type PlatformErrorKind =
  | 'bad_parameters' // -1
  | 'bad_signature' // -2
  | 'no_permission' // -3
  | 'ip_not_allowed' // -4
  | 'rate_limited' // -5 or HTTP 429
  | 'expired_secret'
  | 'clock_rejected'
  | 'unknown_code'
  | 'malformed_json'
  | 'inconsistent_reply'
  | 'html_page'
  | 'reply_signature'
  | 'truncated_body'
  | 'redirect'
  | 'http_status'
  | 'tls'
  | 'timeout'
  | 'connection_refused'
  | 'connection_reset'
  | 'network'
  | 'bad_config';

/**
 * not_sent: the platform certainly did not process the request (safe to resend).
 * rejected: the platform answered and refused it (nothing stored).
 * ambiguous: the request may have been processed; check before resending a write.
 */
export type Delivery = 'not_sent' | 'rejected' | 'ambiguous';

/**
 * backoff: retry later with exponential backoff.
 * blocked: nothing will work until a person fixes configuration (secret, IP allow-list...).
 * never: the data itself is refused; park it with the reason.
 */
export type RetryAdvice = 'backoff' | 'blocked' | 'never';

const TEXT: Record<PlatformErrorKind, Bilingual> = {
  bad_parameters: { zh: '平台拒收：数据不符合要求', en: 'The platform rejected the data as invalid' },
  bad_signature: { zh: '平台签名校验失败：请检查 appid/appsecret 配置与设备时间', en: 'Signature rejected: check appid/appsecret and the device time' },
  no_permission: { zh: '平台未开通该接口权限，请联系平台管理员', en: 'No permission for this method; ask the platform administrator' },
  ip_not_allowed: { zh: '本机 IP 不在平台白名单内，请联系平台管理员', en: "This device's IP address is not on the platform allow-list" },
  rate_limited: { zh: '平台限流，稍后自动重试', en: 'The platform is rate limiting; will retry automatically' },
  clock_rejected: {
    zh: '平台拒绝了本机的请求时间（时间戳超出平台允许的时间窗口）：请核对本机日期、时间和时区（北京时间）',
    en: "The platform refuses this device's request time (timestamp outside its window): check the device's date, time and time zone (Beijing time)",
  },
  expired_secret: { zh: '平台密钥（appsecret）已过期，请在设置中更新', en: 'The platform appsecret has expired; update it in the settings' },
  unknown_code: { zh: '平台返回未知结果码，稍后核对后重试', en: 'Unknown result code from the platform; will check and retry' },
  malformed_json: { zh: '平台返回内容无法解析，稍后核对后重试', en: 'Unreadable reply from the platform; will check and retry' },
  inconsistent_reply: { zh: '平台分页查询结果前后不一致，稍后核对后重试', en: 'The platform’s paged query results do not add up; will check again later' },
  html_page: { zh: '收到网页而不是平台数据（可能是网络认证页或网关错误页）', en: 'Received a web page instead of platform data (captive portal or gateway error page)' },
  reply_signature: { zh: '平台回复签名不正确，回复被丢弃', en: "The platform reply's signature is wrong; reply discarded" },
  truncated_body: { zh: '平台回复不完整（连接中断），稍后核对后重试', en: 'Incomplete reply (connection cut); will check and retry' },
  redirect: { zh: '平台地址被重定向，请检查平台地址配置或网络认证', en: 'The platform address redirects elsewhere; check the endpoint setting or network login' },
  http_status: { zh: '平台服务器出错，稍后自动重试', en: 'Platform server error; will retry automatically' },
  tls: { zh: '无法建立安全连接（证书错误），请检查平台地址与设备时间', en: 'Secure connection failed (certificate error); check the endpoint and device time' },
  timeout: { zh: '平台响应超时，稍后核对后重试', en: 'The platform did not answer in time; will check and retry' },
  connection_refused: { zh: '无法连接平台（网络不通或平台停机）', en: 'Cannot reach the platform (network down or platform offline)' },
  connection_reset: { zh: '与平台的连接被中断，稍后核对后重试', en: 'The connection to the platform was cut; will check and retry' },
  network: { zh: '网络故障，无法连接平台', en: 'Network failure; cannot reach the platform' },
  bad_config: { zh: '平台配置不正确', en: 'The platform configuration is invalid' },
};

export interface PlatformErrorInit {
  delivery: Delivery;
  retry: RetryAdvice;
  /** Platform's own message or technical detail (not shown as the headline). */
  detail?: string;
  /** The platform result code when it answered one. */
  code?: number;
  httpStatus?: number;
  /** Honour this wait before the next call (429 Retry-After). */
  retryAfterMs?: number;
  cause?: unknown;
}

export class PlatformError extends Error {
  readonly kind: PlatformErrorKind;
  readonly delivery: Delivery;
  readonly retry: RetryAdvice;
  readonly detail: string | undefined;
  readonly code: number | undefined;
  readonly httpStatus: number | undefined;
  readonly retryAfterMs: number | undefined;
  readonly userMessage: Bilingual;

  constructor(kind: PlatformErrorKind, init: PlatformErrorInit) {
    const text = TEXT[kind];
    super(`${kind}: ${text.en}${init.detail ? ` (${init.detail})` : ''}`, init.cause !== undefined ? { cause: init.cause } : undefined);
    this.name = 'PlatformError';
    this.kind = kind;
    this.delivery = init.delivery;
    this.retry = init.retry;
    this.detail = init.detail;
    this.code = init.code;
    this.httpStatus = init.httpStatus;
    this.retryAfterMs = init.retryAfterMs;
    this.userMessage = init.detail
      ? { zh: `${text.zh}（${init.detail}）`, en: `${text.en} (${init.detail})` }
      : text;
  }
}

export function isPlatformError(e: unknown): e is PlatformError {
  return e instanceof PlatformError;
}

/** Text for a platform result code, for the envelope parser. */
export function errorForResultCode(code: number, message: string, expiredPattern: RegExp, clockPattern?: RegExp): PlatformError {
  // A request time outside the platform's window comes back as −1 or −2 depending on the
  // platform; either way no call can work until the clock is right (not bad data, not a secret).
  if ((code === -1 || code === -2) && clockPattern?.test(message)) {
    return new PlatformError('clock_rejected', { delivery: 'rejected', retry: 'blocked', code, detail: message });
  }
  switch (code) {
    case -1:
      return new PlatformError('bad_parameters', { delivery: 'rejected', retry: 'never', code, detail: message });
    case -2:
      if (expiredPattern.test(message)) return new PlatformError('expired_secret', { delivery: 'rejected', retry: 'blocked', code, detail: message });
      return new PlatformError('bad_signature', { delivery: 'rejected', retry: 'blocked', code, detail: message });
    case -3:
      return new PlatformError('no_permission', { delivery: 'rejected', retry: 'blocked', code, detail: message });
    case -4:
      return new PlatformError('ip_not_allowed', { delivery: 'rejected', retry: 'blocked', code, detail: message });
    case -5:
      return new PlatformError('rate_limited', { delivery: 'rejected', retry: 'backoff', code, detail: message });
    default:
      if (expiredPattern.test(message)) return new PlatformError('expired_secret', { delivery: 'rejected', retry: 'blocked', code, detail: message });
      return new PlatformError('unknown_code', { delivery: 'ambiguous', retry: 'backoff', code, detail: `code ${code}: ${message}` });
  }
}
