// Scrubs personal data from log records: resident ID numbers (18 chars), 15-digit legacy ID
// numbers, bank-card-like digit runs and mobile numbers in any string, and known sensitive
// keys wherever they appear. Names are masked to the family name.
const ID18 = /\b\d{6}(?:18|19|20)\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])\d{3}[\dXx]\b/g;
const LONG_DIGITS = /\b\d{12,19}\b/g; // legacy 15-digit IDs, bank cards
const MOBILE = /\b1[3-9]\d{9}\b/g;

const SENSITIVE_KEYS = new Set([
  'idnumber',
  'idcardnumber',
  'bankcard',
  'payrollbankcardnumber',
  'cellphone',
  'phone',
  'address',
  'appsecret',
  'secret',
  'pin',
  'token',
  'authorization',
  'photo',
  'image',
  'headimage',
  'issuecardpic',
  'template',
  'vector',
]);
const NAME_KEYS = new Set(['name', 'workername']);

export function scrubString(s: string): string {
  return s
    .replace(ID18, (m) => `${m.slice(0, 4)}**********${m.slice(-4)}`)
    .replace(LONG_DIGITS, (m) => `${m.slice(0, 4)}${'*'.repeat(m.length - 8)}${m.slice(-4)}`)
    .replace(MOBILE, (m) => `${m.slice(0, 3)}****${m.slice(-4)}`);
}

function maskName(v: string): string {
  const chars = [...v];
  return chars.length <= 1 ? '*' : chars[0] + '*'.repeat(chars.length - 1);
}

export function scrubValue(value: unknown, depth = 0): unknown {
  if (depth > 8) return '[deep]';
  if (typeof value === 'string') return scrubString(value);
  if (Buffer.isBuffer(value) || value instanceof Uint8Array) return `[${value.length} bytes]`;
  if (Array.isArray(value)) return value.map((v) => scrubValue(v, depth + 1));
  if (value instanceof Error) {
    return { type: value.name, message: scrubString(value.message), stack: value.stack ? scrubString(value.stack) : undefined };
  }
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      const key = k.toLowerCase();
      if (SENSITIVE_KEYS.has(key)) out[k] = v === null || v === undefined ? v : '[redacted]';
      else if (NAME_KEYS.has(key) && typeof v === 'string') out[k] = maskName(v);
      else out[k] = scrubValue(v, depth + 1);
    }
    return out;
  }
  return value;
}
