// The request envelope (form parameters and signature) and the reply envelope
// (`{code, message, data[, sign]}`), as pure functions over strings and bytes.
import { errorForResultCode, PlatformError } from './errors.js';
import type { Signer } from './signer.js';
import { signaturesEqual } from './signer.js';
import { formatRequestTimestamp } from './timestamp.js';

export interface RequestParams {
  appid: string;
  data: string;
  format: 'json';
  method: string;
  nonce: string;
  timestamp: string;
  version: string;
  sign: string;
}

export interface BuildRequestInput {
  appid: string;
  appsecret: string;
  method: string;
  data: unknown;
  nonce: string;
  nowMs: number;
  timeZone: string;
  version: string;
  signer: Signer;
}

export function buildRequestParams(i: BuildRequestInput): RequestParams {
  const unsigned = {
    appid: i.appid,
    data: JSON.stringify(i.data),
    format: 'json' as const,
    method: i.method,
    nonce: i.nonce,
    timestamp: formatRequestTimestamp(i.nowMs, i.timeZone),
    version: i.version,
  };
  return { ...unsigned, sign: i.signer.sign(unsigned, i.appsecret) };
}

export function encodeForm(params: Readonly<Record<string, string>>): string {
  return new URLSearchParams(Object.entries(params)).toString();
}

export function decodeForm(body: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of new URLSearchParams(body)) out[k] = v;
  return out;
}

/** What the transport got back. `complete` is false when the body ended early. */
export interface RawReply {
  status: number;
  headers: Readonly<Record<string, string | string[] | undefined>>;
  body: Buffer;
  complete: boolean;
}

export interface ReplyEnvelope {
  code: number;
  message: string;
  data: unknown;
}

export interface ParseReplyOptions {
  appsecret: string;
  signer: Signer;
  replySignature: 'if-present' | 'required' | 'ignore';
  expiredSecretPattern: RegExp;
  /** Messages meaning "request time outside the window" (−1/−2 become clock_rejected). */
  clockRefusalPattern?: RegExp;
  nowMs: number;
}

function header(h: RawReply['headers'], name: string): string | undefined {
  const v = h[name];
  return Array.isArray(v) ? v[0] : v;
}

/** Retry-After as delay seconds or an HTTP date; undefined when absent or unreadable. */
export function parseRetryAfter(value: string | undefined, nowMs: number): number | undefined {
  if (!value) return undefined;
  const s = value.trim();
  if (/^\d+$/.test(s)) return Number(s) * 1000;
  const at = Date.parse(s);
  return Number.isNaN(at) ? undefined : Math.max(0, at - nowMs);
}

/** The fields a reply signature covers (a variant some platforms add). */
export function replySignatureParams(code: number, message: string, data: unknown): Record<string, string> {
  return { code: String(code), message, data: data === undefined ? '' : JSON.stringify(data) };
}

/** Parses and checks a reply; returns the envelope on code 0, else throws a PlatformError. */
export function parseReply(raw: RawReply, o: ParseReplyOptions): ReplyEnvelope {
  const status = raw.status;
  const retryAfterMs = parseRetryAfter(header(raw.headers, 'retry-after'), o.nowMs);
  if (status >= 300 && status < 400) {
    const location = header(raw.headers, 'location') ?? '?';
    throw new PlatformError('redirect', { delivery: 'not_sent', retry: 'blocked', httpStatus: status, detail: `HTTP ${status} → ${location}` });
  }
  if (status === 429) {
    throw new PlatformError('rate_limited', { delivery: 'not_sent', retry: 'backoff', httpStatus: status, detail: 'HTTP 429', ...(retryAfterMs !== undefined ? { retryAfterMs } : {}) });
  }
  const contentType = header(raw.headers, 'content-type') ?? '';
  const text = raw.body.toString('utf8');
  const looksHtml = /text\/html/i.test(contentType) || /^\s*<(!doctype|html|head|body|\?xml)/i.test(text);
  if (status >= 500) {
    // 503 means "not processed" by convention; other 5xx may come after the write committed.
    throw new PlatformError('http_status', {
      delivery: status === 503 ? 'not_sent' : 'ambiguous',
      retry: 'backoff',
      httpStatus: status,
      detail: `HTTP ${status}`,
      ...(retryAfterMs !== undefined ? { retryAfterMs } : {}),
    });
  }
  if (status >= 400) {
    const kind = status === 401 || status === 403 ? 'no_permission' : 'http_status';
    throw new PlatformError(kind, { delivery: 'rejected', retry: 'blocked', httpStatus: status, detail: `HTTP ${status}` });
  }
  if (!raw.complete) {
    throw new PlatformError('truncated_body', { delivery: 'ambiguous', retry: 'backoff', httpStatus: status, detail: `${raw.body.length} bytes received` });
  }
  if (looksHtml) {
    throw new PlatformError('html_page', { delivery: 'ambiguous', retry: 'backoff', httpStatus: status, detail: text.slice(0, 80).replace(/\s+/g, ' ') });
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new PlatformError('malformed_json', { delivery: 'ambiguous', retry: 'backoff', httpStatus: status, detail: text.slice(0, 60) });
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new PlatformError('malformed_json', { delivery: 'ambiguous', retry: 'backoff', httpStatus: status, detail: 'not a JSON object' });
  }
  const env = parsed as Record<string, unknown>;
  const code = typeof env.code === 'number' ? env.code : typeof env.code === 'string' && /^-?\d+$/.test(env.code) ? Number(env.code) : NaN;
  if (Number.isNaN(code)) {
    throw new PlatformError('malformed_json', { delivery: 'ambiguous', retry: 'backoff', httpStatus: status, detail: 'no result code' });
  }
  const message = typeof env.message === 'string' ? env.message : '';
  const sign = typeof env.sign === 'string' ? env.sign : undefined;
  // Only success replies are checked: they are what marks records delivered. An error reply
  // to a request signed with a wrong secret cannot be verified with that secret anyway.
  if (code === 0 && o.replySignature !== 'ignore' && (sign !== undefined || o.replySignature === 'required')) {
    const expected = o.signer.sign(replySignatureParams(code, message, env.data), o.appsecret);
    if (sign === undefined || !signaturesEqual(sign, expected)) {
      throw new PlatformError('reply_signature', { delivery: 'ambiguous', retry: 'backoff', httpStatus: status, detail: sign === undefined ? 'missing' : 'mismatch' });
    }
  }
  if (code !== 0) throw errorForResultCode(code, message, o.expiredSecretPattern, o.clockRefusalPattern);
  return { code, message, data: env.data };
}
