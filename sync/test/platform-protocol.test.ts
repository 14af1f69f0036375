import { describe, expect, it } from 'vitest';
import sharp from 'sharp';
import { canonicalString, md5Signer, sha256Signer, signaturesEqual } from '../src/platform/signer.js';
import { aesFieldCrypto, desFieldCrypto, FieldCryptoError } from '../src/platform/field-crypto.js';
import { formatDateTime, formatRequestTimestamp, parseRequestTimestamp } from '../src/platform/timestamp.js';
import { buildRequestParams, decodeForm, encodeForm, parseReply, replySignatureParams, type RawReply } from '../src/platform/envelope.js';
import { PlatformError } from '../src/platform/errors.js';
import { parseAsyncResult } from '../src/platform/async-result.js';
import { base64Length, fitJpegForPlatform } from '../src/platform/photo.js';
import { isValidResidentId } from '../src/platform/id-number.js';
import { fakeResidentId, TEST_SECRET } from './support/fake-ids.js';

const params = { appid: 'a1', data: '{"x":1}', format: 'json', method: 'Team.Query', nonce: 'n1', timestamp: '20250102030405', version: '1.0' };

describe('request signature', () => {
  it('sorts, joins, appends the secret and lower-cases before hashing', () => {
    expect(canonicalString({ ...params, sign: 'ignored' }, 'SECRET')).toBe(
      'appid=a1&data={"x":1}&format=json&method=team.query&nonce=n1&timestamp=20250102030405&version=1.0&appsecret=secret',
    );
  });
  it('SHA-256 matches a vector computed with sha256sum', () => {
    expect(sha256Signer.sign(params, 'SECRET')).toBe('856358a8b4858a820284b71e9aaac0d0f9e8cb0ce1ce93924d38d9e46f0b0cad');
  });
  it('MD5 variant matches a vector computed with md5sum', () => {
    expect(md5Signer.sign(params, 'SECRET')).toBe('50a5366a1eae760405f8fe6c7e518ff5');
  });
  it('compares signatures case-insensitively and rejects a different one', () => {
    expect(signaturesEqual('ABCDEF', 'abcdef')).toBe(true);
    expect(signaturesEqual('abcdef', 'abcdee')).toBe(false);
    expect(signaturesEqual('abc', 'abcd')).toBe(false);
  });
  it('builds a form with every parameter and a signature that verifies', () => {
    const p = buildRequestParams({
      appid: 'a1', appsecret: TEST_SECRET, method: 'Team.Query', data: { pageIndex: 0 }, nonce: 'n', nowMs: Date.UTC(2025, 0, 1, 16, 0, 0),
      timeZone: 'Asia/Shanghai', version: '1.0', signer: sha256Signer,
    });
    expect(p.timestamp).toBe('20250102000000');
    const back = decodeForm(encodeForm({ ...p }));
    expect(Object.keys(back).sort()).toEqual(['appid', 'data', 'format', 'method', 'nonce', 'sign', 'timestamp', 'version']);
    expect(back.sign).toBe(sha256Signer.sign(back, TEST_SECRET));
    expect(JSON.parse(back.data ?? '')).toEqual({ pageIndex: 0 });
  });
});

describe('field encryption', () => {
  const id = '999999199001011234';
  it('AES-256-CBC matches a vector computed with openssl enc', () => {
    const f = aesFieldCrypto(TEST_SECRET);
    expect(f.encrypt(id)).toBe('prHtSy16Bo67CVr47NfXjO5KHwYlAkGqZrzI2YpzxoQ=');
    expect(f.decrypt('prHtSy16Bo67CVr47NfXjO5KHwYlAkGqZrzI2YpzxoQ=')).toBe(id);
  });
  it('DES variant matches openssl -des-cbc (legacy provider)', () => {
    const f = desFieldCrypto(TEST_SECRET);
    expect(f.encrypt(id)).toBe('G1skJ/fM9ulwiyquBINfN0IszHnszCwP');
    expect(f.decrypt('G1skJ/fM9ulwiyquBINfN0IszHnszCwP')).toBe(id);
  });
  it('refuses a secret that is not 32 bytes unless zero-padding is chosen', () => {
    expect(() => aesFieldCrypto('0123456789abcdefXYZ')).toThrow(FieldCryptoError);
    expect(() => aesFieldCrypto('short')).toThrow(/at least 16/);
    const padded = aesFieldCrypto('0123456789abcdefXYZ', 'zero-pad');
    expect(padded.decrypt(padded.encrypt(id))).toBe(id);
  });
  it('a value encrypted with another secret does not decrypt', () => {
    const other = aesFieldCrypto('ffffffffffffffffffffffffffffffff');
    expect(() => aesFieldCrypto(TEST_SECRET).decrypt(other.encrypt(id))).toThrow(FieldCryptoError);
    expect(() => aesFieldCrypto(TEST_SECRET).decrypt('not base64 !!')).toThrow(FieldCryptoError);
  });
});

describe('time formats', () => {
  it('formats Beijing wall-clock time and parses it back', () => {
    const t = Date.UTC(2025, 11, 31, 16, 30, 5);
    expect(formatRequestTimestamp(t)).toBe('20260101003005');
    expect(formatDateTime(t)).toBe('2026-01-01 00:30:05');
    expect(parseRequestTimestamp('20260101003005')).toBe(t);
    expect(parseRequestTimestamp('2026010100300')).toBeNull();
    expect(parseRequestTimestamp('20261301003005')).toBeNull();
  });
});

function reply(body: string | object, extra: Partial<RawReply> = {}): RawReply {
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  return { status: 200, headers: { 'content-type': 'application/json' }, body: Buffer.from(text), complete: true, ...extra };
}
const opts = { appsecret: TEST_SECRET, signer: sha256Signer, replySignature: 'if-present' as const, expiredSecretPattern: /过期|expired/i, nowMs: 0 };

function errorOf(raw: RawReply): PlatformError {
  try {
    parseReply(raw, opts);
  } catch (e) {
    if (e instanceof PlatformError) return e;
    throw e;
  }
  throw new Error('expected a PlatformError');
}

describe('reply parsing: every bad reply is a typed error with plain words', () => {
  it('accepts code 0 and returns data', () => {
    expect(parseReply(reply({ code: 0, message: 'ok', data: { requestSerialCode: 'S1' } }), opts).data).toEqual({ requestSerialCode: 'S1' });
  });
  it('maps -1..-5 to typed errors', () => {
    const kinds = [-1, -2, -3, -4, -5].map((code) => errorOf(reply({ code, message: 'x' })));
    expect(kinds.map((k) => k.kind)).toEqual(['bad_parameters', 'bad_signature', 'no_permission', 'ip_not_allowed', 'rate_limited']);
    expect(kinds.map((k) => k.retry)).toEqual(['never', 'blocked', 'blocked', 'blocked', 'backoff']);
    expect(kinds.every((k) => k.delivery === 'rejected')).toBe(true);
  });
  it('recognises an expired secret', () => {
    const e = errorOf(reply({ code: -2, message: 'appsecret已过期' }));
    expect(e.kind).toBe('expired_secret');
    expect(e.userMessage.zh).toContain('过期');
  });
  it('unknown result code is ambiguous', () => {
    const e = errorOf(reply({ code: 42, message: '?' }));
    expect([e.kind, e.delivery]).toEqual(['unknown_code', 'ambiguous']);
  });
  it('malformed JSON, HTML page, truncated body, redirect, 429, 5xx', () => {
    expect(errorOf(reply('{"code":0,')).kind).toBe('malformed_json');
    expect(errorOf(reply('<html><body>502 Bad Gateway</body></html>', { headers: { 'content-type': 'text/html' } })).kind).toBe('html_page');
    expect(errorOf(reply('{"code":0,"data":{}}', { complete: false })).kind).toBe('truncated_body');
    const r = errorOf(reply('', { status: 302, headers: { location: 'http://portal.local/login' } }));
    expect([r.kind, r.retry]).toEqual(['redirect', 'blocked']);
    expect(r.userMessage.zh).toContain('portal.local');
    const rl = errorOf(reply('', { status: 429, headers: { 'retry-after': '7' } }));
    expect([rl.kind, rl.delivery, rl.retryAfterMs]).toEqual(['rate_limited', 'not_sent', 7000]);
    expect(errorOf(reply('oops', { status: 500 })).delivery).toBe('ambiguous');
    expect(errorOf(reply('oops', { status: 503 })).delivery).toBe('not_sent');
    expect(errorOf(reply('[1,2]')).kind).toBe('malformed_json');
  });
  it('checks a reply signature when present', () => {
    const data = { requestSerialCode: 'S1' };
    const good = sha256Signer.sign(replySignatureParams(0, 'ok', data), TEST_SECRET);
    expect(parseReply(reply({ code: 0, message: 'ok', data, sign: good }), opts).data).toEqual(data);
    const e = errorOf(reply({ code: 0, message: 'ok', data: { requestSerialCode: 'S2' }, sign: good }));
    expect([e.kind, e.delivery]).toEqual(['reply_signature', 'ambiguous']);
    expect(() => parseReply(reply({ code: 0, message: 'ok', data }), { ...opts, replySignature: 'required' })).toThrow(PlatformError);
  });
});

describe('async results', () => {
  it('reads waiting, success, per-item and whole failures', () => {
    expect(parseAsyncResult({ status: '0' }, 3).status).toBe('waiting');
    expect(parseAsyncResult({ status: '20', result: 'ok' }, 3)).toMatchObject({ status: 'succeeded', failures: [] });
    const per = parseAsyncResult({ status: '10', result: 'partly', failList: [{ index: 1, reason: '人员不存在' }] }, 3);
    expect(per).toMatchObject({ status: 'failed', perItem: true, failures: [{ index: 1, reason: '人员不存在' }] });
    const inResult = parseAsyncResult({ status: '10', result: '[{"index":0,"reason":"x"}]' }, 2);
    expect(inResult.failures).toEqual([{ index: 0, reason: 'x' }]);
    const whole = parseAsyncResult({ status: '10', result: '数据格式错误' }, 2);
    expect(whole).toMatchObject({ perItem: false, failures: [{ index: 0 }, { index: 1 }] });
    expect(() => parseAsyncResult({ status: '99' }, 1)).toThrow();
  });
});

describe('synthetic ID numbers', () => {
  it('are valid by check digit and use the non-existent region 999999', () => {
    for (const n of [0, 1, 999, 12345, 19999]) {
      const id = fakeResidentId(n);
      expect(id.startsWith('999999')).toBe(true);
      expect(isValidResidentId(id)).toBe(true);
    }
    expect(isValidResidentId('999999199001011235')).toBe(false);
  });
});

describe('photos', () => {
  it('re-encodes a large photo to fit 50 KB of Base64 and keeps it a JPEG', async () => {
    const noise = Buffer.alloc(800 * 600 * 3);
    for (let i = 0; i < noise.length; i++) noise[i] = (i * 2654435761) >>> 24;
    const big = await sharp(noise, { raw: { width: 800, height: 600, channels: 3 } }).jpeg({ quality: 95 }).toBuffer();
    expect(base64Length(big.length)).toBeGreaterThan(50 * 1024);
    const fitted = await fitJpegForPlatform(big);
    expect(base64Length(fitted.length)).toBeLessThanOrEqual(50 * 1024);
    expect((await sharp(fitted).metadata()).format).toBe('jpeg');
    const small = await sharp(noise.subarray(0, 32 * 32 * 3), { raw: { width: 32, height: 32, channels: 3 } }).jpeg().toBuffer();
    expect(await fitJpegForPlatform(small)).toBe(small);
  });
});
