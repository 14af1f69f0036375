// Why an outbox item is waiting, as stored in outbox.last_error: a code with parameters, never
// words (the edge says them: app/shared/i18n/sync-texts.ts). Plain types and pure functions, no
// Node: the kiosk UI and app/shared import this file (app/ui/tsconfig.json lists it).

/**
 * - platform: a platform call failed (params: kind — the PlatformError kind; detail — the
 *   platform's own message or technical detail, when there was one);
 * - failed: another failure (params: message, technical);
 * - waiting_for_team: held back until the worker's team (or employer) is registered there;
 * - kind_unsupported: this version cannot send the item's kind (params: kind);
 * - refused_whole: the platform refused a whole batch, so its items go alone to find the bad one
 *   (params: reason — the platform's words or the local cause);
 * - result_unclear: the platform's asynchronous result could not be read (params: detail);
 * - result_timeout: no asynchronous result in time;
 * - resend_after_unclear / absent_after_unclear: an unclear outcome was settled by asking the
 *   platform, and the item goes again;
 * - parked: held for a person (the reason is in parked_reason);
 * - interrupted: in flight when the core stopped;
 * - restored_from_backup: undelivered when the store was restored from a backup;
 * - legacy: a row written by an older version in words (params: text, as it was).
 */
export const OUTBOX_ERROR_CODES = [
  'platform',
  'failed',
  'waiting_for_team',
  'kind_unsupported',
  'refused_whole',
  'result_unclear',
  'result_timeout',
  'resend_after_unclear',
  'absent_after_unclear',
  'parked',
  'interrupted',
  'restored_from_backup',
  'legacy',
] as const;
export type OutboxErrorCode = (typeof OUTBOX_ERROR_CODES)[number];

export type OutboxErrorParams = Readonly<Record<string, string | number>>;

export interface OutboxError {
  code: OutboxErrorCode;
  params: OutboxErrorParams;
}

export function isOutboxErrorCode(code: unknown): code is OutboxErrorCode {
  return typeof code === 'string' && (OUTBOX_ERROR_CODES as readonly string[]).includes(code);
}

/** The one way to build a last_error: undefined parameters are left out. */
export function outboxError(code: OutboxErrorCode, params: Record<string, string | number | undefined> = {}): OutboxError {
  const kept: Record<string, string | number> = {};
  for (const [k, v] of Object.entries(params)) if (v !== undefined) kept[k] = v;
  return { code, params: kept };
}

/** As stored in outbox.last_error: `{"code":…,"params":{…}}`. */
export function encodeOutboxError(e: OutboxError): string {
  return JSON.stringify({ code: e.code, params: e.params });
}

function paramsOf(v: unknown): Record<string, string | number> | null {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return null;
  const out: Record<string, string | number> = {};
  for (const [k, x] of Object.entries(v)) {
    if (typeof x !== 'string' && typeof x !== 'number') return null;
    out[k] = x;
  }
  return out;
}

/**
 * Reads outbox.last_error back. Rows of this version hold the JSON of encodeOutboxError; rows
 * of older versions hold words ('waiting_for_team: …', 'interrupted', 'restored from backup: …',
 * 'timeout: 平台… / The platform…'), read as the code they meant where it is known and as
 * `legacy` with the text otherwise. Never throws: a stored row is read whatever it holds.
 */
export function decodeOutboxError(raw: string | null): OutboxError | null {
  if (raw === null || raw === '') return null;
  if (raw.startsWith('{')) {
    try {
      const v: unknown = JSON.parse(raw);
      if (typeof v === 'object' && v !== null && 'code' in v && isOutboxErrorCode(v.code)) {
        const params = paramsOf('params' in v ? v.params : {});
        if (params) return { code: v.code, params };
      }
    } catch {
      // Not ours: read as legacy words below.
    }
  }
  if (raw === 'interrupted') return outboxError('interrupted');
  if (raw.startsWith('waiting_for_team')) return outboxError('waiting_for_team');
  if (raw.startsWith('restored from backup')) return outboxError('restored_from_backup');
  if (raw === 'resend after an unclear outcome') return outboxError('resend_after_unclear');
  if (raw.startsWith('not on the platform after an unclear outcome')) return outboxError('absent_after_unclear');
  if (raw === 'kind not handled by this version') return outboxError('kind_unsupported');
  if (raw === 'no async result in time') return outboxError('result_timeout');
  return outboxError('legacy', { text: raw });
}
