// fast-check arbitraries for hostile input: values of the wrong type, boundary and absurd
// numbers, huge and odd strings (unicode, control characters, SQL- and path-looking text),
// nested junk, prototype-pollution keys, malformed JSON text and bad path segments.
import fc from 'fast-check';

// Prebuilt so that generating them costs nothing per request.
const HUGE = {
  s64k: 'x'.repeat(64 * 1024),
  s1m: '测'.repeat(350 * 1024),
  digits: '9'.repeat(5000),
} as const;

export const numberJunk: fc.Arbitrary<number> = fc.oneof(
  fc.constantFrom(0, -0, -1, 1, 0.5, -0.5, 1e-300, 2 ** 31, 2 ** 31 - 1, -(2 ** 31), 2 ** 32, 2 ** 53, 2 ** 53 + 2, -(2 ** 53), 1e21, 1e308, -1e308, Number.MAX_VALUE, Number.MIN_VALUE, 8.64e15, 8.64e15 + 1, 253402300800000),
  fc.integer(),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.maxSafeInteger(),
);

const oddText = fc.constantFrom(
  '',
  ' ',
  '\u0000',
  '\t\r\n',
  '\uFEFF',
  '\uD800',
  '\uDFFF',
  '🙂',
  '测试',
  '工人\u200B',
  'e\u0301',
  "' OR 1=1 --",
  '"; DROP TABLE workers; --',
  '%',
  '%00',
  '../../etc/passwd',
  '..\\..\\windows',
  '<script>alert(1)</script>',
  '${jndi:ldap://x}',
  '{{7*7}}',
  '__proto__',
  'constructor',
  'NaN',
  'Infinity',
  '-1',
  '0',
  '1e400',
  '0x10',
  'null',
  'true',
  '[]',
  '{}',
  '2026-02-30',
  '9999-99-99',
  '0000-00-00',
  '2026-13',
  '-0001-01',
  '00000000-0000-0000-0000-000000000000',
  'ffffffff-ffff-ffff-ffff-ffffffffffff',
  HUGE.digits,
);

export const stringJunk: fc.Arbitrary<string> = fc.oneof(
  { weight: 3, arbitrary: fc.string({ maxLength: 40 }) },
  { weight: 3, arbitrary: fc.string({ unit: 'grapheme', maxLength: 40 }) },
  { weight: 2, arbitrary: fc.string({ unit: 'binary', maxLength: 40 }) },
  { weight: 4, arbitrary: oddText },
  { weight: 1, arbitrary: fc.string({ unit: 'grapheme-ascii', minLength: 200, maxLength: 3000 }) },
  { weight: 1, arbitrary: fc.constantFrom(HUGE.s64k, HUGE.s1m) },
  { weight: 1, arbitrary: fc.uuid() },
);

const leaf: fc.Arbitrary<unknown> = fc.oneof(
  numberJunk,
  stringJunk,
  fc.boolean(),
  fc.constant(null),
  fc.constantFrom([], {}, [null], [[[]]], { '': '' }),
);

/** Any JSON value, from a plain leaf to deeply nested junk. */
export const valueJunk: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 6, arbitrary: leaf },
  { weight: 2, arbitrary: fc.array(leaf, { maxLength: 5 }) },
  { weight: 2, arbitrary: fc.dictionary(fc.oneof(fc.string({ maxLength: 8 }), fc.constantFrom('__proto__', 'constructor', 'prototype')), leaf, { maxKeys: 5 }) },
  { weight: 1, arbitrary: fc.integer({ min: 50, max: 3000 }).map(deepNest) },
  { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 4 }) },
);

/** Nested arrays and objects `depth` deep (JSON parsers and validators must not recurse to death). */
export function deepNest(depth: number): unknown {
  let v: unknown = 1;
  for (let i = 0; i < depth; i++) v = i % 2 ? [v] : { a: v };
  return v;
}

/** JSON text that does not parse, or parses into something odd. */
export const badJsonText: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom(
    '',
    '{',
    '{"name":',
    '{"a":1,}',
    "{'a':1}",
    '[1,2',
    'null',
    'true',
    '0',
    '-',
    '"just a string"',
    '[]',
    '{"__proto__":{"polluted":1}}',
    '{"constructor":{"prototype":{"polluted":1}}}',
    '{"a":1}{"b":2}',
    '\uFEFF{"a":1}',
    '{"a":"\\ud800"}',
    '{"a":1e99999}',
    '{"a":NaN}',
    '{"a":Infinity}',
    '\u0000',
    '{"a":' + '['.repeat(20000) + ']'.repeat(20000) + '}',
    '[' + '{"a":'.repeat(5000) + '1' + '}'.repeat(5000) + ']',
  ),
  fc.string({ unit: 'binary', maxLength: 100 }),
  fc.jsonValue().map((v) => JSON.stringify(v).slice(0, -1)),
);

/** encodeURIComponent that does not throw on lone surrogates (they become U+FFFD, as a browser sends them). */
export function encodeComponent(s: string): string {
  return encodeURIComponent(s.replace(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, '\uFFFD'));
}

/** Path segments: wrong types, out-of-range numbers, encodings, traversal, unicode, huge. */
export const pathSegmentJunk: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom('0', '-1', '1.5', '1e3', '0x1f', '9007199254740993', '99999999999999999999999', 'NaN', 'Infinity', ' 1', '1 ', '+1', '00001', 'null', 'undefined'),
  // Sent raw (not encoded): broken escapes and traversal must not upset the router.
  fc.constantFrom('%', '%zz', '%E0%A4%A', '%00', '%2e%2e', '..', '.', '%2F', '%C0%AF', '%FF%FE', '%u0041'),
  stringJunk.map((s) => encodeComponent(s.slice(0, 3000))),
  fc.uuid().map((u) => u.toUpperCase()),
  fc.string({ unit: 'grapheme-ascii', maxLength: 3000 }).map(encodeComponent),
);

/** Authorization header values that are not a live session. */
export const badAuthHeader: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom('Bearer', 'Bearer ', 'Bearer  ', 'bearer x', 'Basic YWRtaW46OTAwMDAw', 'Token abc', 'Bearer null', 'Bearer undefined', 'Bearer ' + 'A'.repeat(8000)),
  fc.string({ unit: 'grapheme-ascii', maxLength: 64 }).map((s) => `Bearer ${s}`),
  fc.base64String({ maxLength: 64 }).map((s) => `Bearer ${s}`),
);

/** Content types that are wrong for a JSON route, or odd variants of right ones. */
export const contentTypeJunk: fc.Arbitrary<string> = fc.constantFrom(
  'text/plain',
  'text/plain; charset=utf-8',
  'application/x-www-form-urlencoded',
  'multipart/form-data; boundary=----x',
  'application/octet-stream',
  'application/xml',
  'image/jpeg',
  'image/png',
  'application/json; charset=utf-16',
  'application/json; charset=latin1',
  'application/json;charset=UTF-8',
  'APPLICATION/JSON',
  'application/jsonx',
  'application/vnd.api+json',
  'application/json, text/plain',
  ';',
  '',
  '*/*',
);
