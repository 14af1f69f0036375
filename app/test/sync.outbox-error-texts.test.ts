// outbox.last_error holds a code with parameters; the words are said only here at the edge
// (app/shared/i18n/sync-texts.ts), Chinese first — also for rows an older version wrote in words.
import { describe, expect, it } from 'vitest';
import { decodeOutboxError, encodeOutboxError, OUTBOX_ERROR_CODES, outboxError } from '../../edge-core/src/domain/outbox-errors.js';
import { OUTBOX_ERROR_TEXTS, outboxErrorText } from '../shared/i18n/sync-texts.js';

describe('last_error: codes in the store, words at the edge', () => {
  it('has zh and en words for every code', () => {
    for (const code of OUTBOX_ERROR_CODES) {
      expect(Object.keys(OUTBOX_ERROR_TEXTS)).toContain(code);
      if (code !== 'legacy') expect(OUTBOX_ERROR_TEXTS[code].zh, code).toMatch(/[\u4e00-\u9fff]/);
      expect(OUTBOX_ERROR_TEXTS[code].en, code).toMatch(/\S/);
    }
  });

  it('round-trips through the stored JSON and says it with the parameters and the platform detail', () => {
    const stored = encodeOutboxError(outboxError('platform', { kind: 'timeout', detail: 'gateway said 504', unused: undefined }));
    expect(stored).toBe('{"code":"platform","params":{"kind":"timeout","detail":"gateway said 504"}}');
    const back = decodeOutboxError(stored);
    expect(back).toEqual({ code: 'platform', params: { kind: 'timeout', detail: 'gateway said 504' } });
    expect(outboxErrorText(back!)).toEqual({
      zh: '平台调用失败（timeout），稍后自动重试（gateway said 504）',
      en: 'The platform call failed (timeout); retried automatically (gateway said 504)',
    });
  });

  it('reads the words of an older version, as the code they meant or as they were', () => {
    expect(decodeOutboxError(null)).toBeNull();
    expect(decodeOutboxError('restored from backup: check the platform before sending again')).toEqual({ code: 'restored_from_backup', params: {} });
    const old = 'bad_parameters: 平台拒收：数据不符合要求 / The platform rejected the data as invalid';
    expect(outboxErrorText(decodeOutboxError(old)!)).toEqual({ zh: old, en: old });
    // JSON that is not ours (an unknown code, params that are not flat) is kept as words too.
    expect(decodeOutboxError('{"code":"from_the_future","params":{}}')).toEqual({ code: 'legacy', params: { text: '{"code":"from_the_future","params":{}}' } });
    expect(decodeOutboxError('{"code":"parked","params":{"x":[1]}}')?.code).toBe('legacy');
    expect(decodeOutboxError('{not json')?.code).toBe('legacy');
  });
});
