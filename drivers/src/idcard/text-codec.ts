// The 256-byte text block of a card read (UCS-2 little-endian, space padded), pure functions.
// The card type is the UCS-2 character at bytes 248–249: ' ' or NUL resident ID, 'I' foreign
// permanent residence ID (2017), 'Y' foreign permanent residence ID (2023), 'J' HMT residence
// permit. Each type has its own layout; a number that contradicts the type is rejected so one
// card is never read as another.
import type {
  CardIdentity,
  ForeignPermanentIdentity,
  HmtResidenceIdentity,
  IdCardType,
  ResidentIdentity,
  ValidTo,
} from '../../../edge-core/src/ports/devices.js';
import { codecError, ok, type CodecResult } from '../errors.js';
import { isSexCode, nationName } from './code-tables.js';
import { isHmtNumber, isValidForeign2017Number, isValidIdNumber } from './id-number.js';

export const TEXT_BLOCK_BYTES = 256;
const TYPE_OFFSET = 248;
export const LONG_TERM = '长期';

/** [offset, length in bytes] of each field. */
type Layout = Record<string, readonly [number, number]>;

export const RESIDENT_LAYOUT = {
  name: [0, 30],
  sex: [30, 2],
  nation: [32, 4],
  birth: [36, 16],
  address: [52, 70],
  idNumber: [122, 36],
  authority: [158, 30],
  validFrom: [188, 16],
  validTo: [204, 16],
} as const satisfies Layout;

/** 港澳台居民居住证: like the resident layout, no nation, plus pass number and issue count. */
export const HMT_LAYOUT = {
  name: [0, 30],
  sex: [30, 2],
  birth: [36, 16],
  address: [52, 70],
  idNumber: [122, 36],
  authority: [158, 30],
  validFrom: [188, 16],
  validTo: [204, 16],
  passNumber: [220, 18],
  issueCount: [238, 4],
} as const satisfies Layout;

/** 外国人永久居留身份证, 2017 layout (type 'I'). */
export const FOREIGN_2017_LAYOUT = {
  englishName: [0, 120],
  sex: [120, 2],
  idNumber: [122, 30],
  nationality: [152, 6],
  name: [158, 30],
  validFrom: [188, 16],
  validTo: [204, 16],
  birth: [220, 16],
  cardVersion: [236, 4],
  authority: [240, 8],
} as const satisfies Layout;

/**
 * 外国人永久居留身份证, 2023 layout (type 'Y'), closer to the resident layout. Offsets as we
 * read the 2023 machine-readable rules; verify against the reader vendor's document.
 */
export const FOREIGN_2023_LAYOUT = {
  name: [0, 30],
  sex: [30, 2],
  renewalCount: [32, 4],
  birth: [36, 16],
  englishName: [52, 70],
  idNumber: [122, 36],
  authority: [158, 30],
  validFrom: [188, 16],
  validTo: [204, 16],
  englishNameMore: [220, 22],
  nationality: [242, 6],
  previousCardLink: [250, 6],
} as const satisfies Layout;

export function decodeUcs2(bytes: Uint8Array, offset: number, length: number): string {
  let s = '';
  for (let i = offset; i + 1 < offset + length && i + 1 < bytes.length; i += 2) {
    s += String.fromCharCode((bytes[i] as number) | ((bytes[i + 1] as number) << 8));
  }
  return s;
}

/** Removes space and NUL padding at both ends. */
export function trimPadding(s: string): string {
  let start = 0;
  let end = s.length;
  const pad = (c: string | undefined): boolean => c === '\u0000' || (c !== undefined && c.trim() === '');
  while (start < end && pad(s[start])) start++;
  while (end > start && pad(s[end - 1])) end--;
  return s.slice(start, end);
}

/** Field text with the space/NUL padding removed. */
function field(bytes: Uint8Array, [offset, length]: readonly [number, number]): string {
  return trimPadding(decodeUcs2(bytes, offset, length));
}

export function cardTypeOf(text: Uint8Array): CodecResult<IdCardType> {
  if (text.length !== TEXT_BLOCK_BYTES) {
    return codecError('bad_text_length', '文字信息长度错误', `Text block is ${text.length} bytes, expected 256`);
  }
  const t = (text[TYPE_OFFSET] as number) | ((text[TYPE_OFFSET + 1] as number) << 8);
  switch (t) {
    case 0x20:
    case 0x00:
      return ok('resident');
    case 0x49: // 'I'
      return ok('foreign_permanent_2017');
    case 0x59: // 'Y'
      return ok('foreign_permanent_2023');
    case 0x4a: // 'J'
      return ok('hmt_residence_permit');
    default:
      return codecError('unknown_card_type', '无法识别的证件类型', `Unknown card type character 0x${t.toString(16)}`);
  }
}

function parseDate(s: string, what: string): CodecResult<string> {
  const m = /^(\d{4})(\d{2})(\d{2})$/.exec(s);
  if (!m) return codecError('bad_date', `${what}格式错误`, `Bad ${what} date`);
  const [, y, mo, d] = m as unknown as [string, string, string, string];
  const date = new Date(Date.UTC(Number(y), Number(mo) - 1, Number(d)));
  if (date.getUTCFullYear() !== Number(y) || date.getUTCMonth() !== Number(mo) - 1 || date.getUTCDate() !== Number(d)) {
    return codecError('bad_date', `${what}不是有效日期`, `Invalid ${what} date`);
  }
  return ok(`${y}-${mo}-${d}`);
}

function parseValidTo(s: string): CodecResult<ValidTo> {
  if (s === LONG_TERM) return ok({ kind: 'long_term' });
  const d = parseDate(s, '有效期截止日期');
  return d.ok ? ok({ kind: 'date', date: d.value }) : d;
}

/** No control characters (apart from padding, already trimmed) in a text field. */
function checkPrintable(values: string[]): CodecResult<true> {
  for (const v of values) {
    // eslint-disable-next-line no-control-regex -- detecting control characters is the point
    if (/[\u0000-\u001f\u007f\ud800-\udfff]/u.test(v)) {
      return codecError('bad_text', '文字信息含非法字符', 'Text field holds control or unpaired surrogate characters');
    }
  }
  return ok(true);
}

interface Common {
  sex: ResidentIdentity['sex'];
  birthDate: string;
  validFrom: string;
  validTo: ValidTo;
}

function parseCommon(sex: string, birth: string, from: string, to: string): CodecResult<Common> {
  if (!isSexCode(sex)) return codecError('bad_sex_code', '性别代码错误', `Unknown sex code '${sex}'`);
  const b = parseDate(birth, '出生日期');
  if (!b.ok) return b;
  const f = parseDate(from, '有效期起始日期');
  if (!f.ok) return f;
  const t = parseValidTo(to);
  if (!t.ok) return t;
  return ok({ sex, birthDate: b.value, validFrom: f.value, validTo: t.value });
}

function birthMatches(idNumber: string, birthDate: string): boolean {
  return idNumber.slice(6, 14) === birthDate.replaceAll('-', '');
}

export function parseCardText(text: Uint8Array): CodecResult<CardIdentity> {
  const type = cardTypeOf(text);
  if (!type.ok) return type;
  switch (type.value) {
    case 'resident':
      return parseResident(text);
    case 'hmt_residence_permit':
      return parseHmt(text);
    case 'foreign_permanent_2017':
      return parseForeign2017(text);
    case 'foreign_permanent_2023':
      return parseForeign2023(text);
  }
}

function readFields<L extends Layout>(text: Uint8Array, layout: L): Record<keyof L, string> {
  const out = {} as Record<keyof L, string>;
  for (const key of Object.keys(layout) as (keyof L)[]) out[key] = field(text, layout[key] as readonly [number, number]);
  return out;
}

function parseResident(text: Uint8Array): CodecResult<ResidentIdentity> {
  const f = readFields(text, RESIDENT_LAYOUT);
  const printable = checkPrintable(Object.values(f));
  if (!printable.ok) return printable;
  if (isHmtNumber(f.idNumber) || f.idNumber.startsWith('9')) {
    return codecError('card_type_mismatch', '号码与证件类型不符', 'Number belongs to another card type than the type byte says');
  }
  if (!/^[1-8]/.test(f.idNumber)) return codecError('bad_id_number', '公民身份号码地址码错误', 'ID number must start with a province digit 1–8');
  if (!isValidIdNumber(f.idNumber)) return codecError('bad_id_number', '公民身份号码校验失败', 'ID number fails its check digit');
  const c = parseCommon(f.sex, f.birth, f.validFrom, f.validTo);
  if (!c.ok) return c;
  const nation = nationName(f.nation);
  if (nation === undefined) return codecError('bad_nation_code', '民族代码错误', `Unknown nation code '${f.nation}'`);
  if (!birthMatches(f.idNumber, c.value.birthDate)) {
    return codecError('inconsistent_card', '出生日期与身份号码不符', 'Birth date does not match the ID number');
  }
  if (f.name === '') return codecError('missing_field', '姓名为空', 'Name is empty');
  return ok({
    cardType: 'resident',
    name: f.name,
    idNumber: f.idNumber.toUpperCase(),
    nationCode: f.nation,
    nation,
    address: f.address,
    issuingAuthority: f.authority,
    ...c.value,
  });
}

function parseHmt(text: Uint8Array): CodecResult<HmtResidenceIdentity> {
  const f = readFields(text, HMT_LAYOUT);
  const printable = checkPrintable(Object.values(f));
  if (!printable.ok) return printable;
  const c = parseCommon(f.sex, f.birth, f.validFrom, f.validTo);
  if (!c.ok) return c;
  if (!isValidIdNumber(f.idNumber)) return codecError('bad_id_number', '公民身份号码校验失败', 'ID number fails its check digit');
  if (!isHmtNumber(f.idNumber)) {
    return codecError('card_type_mismatch', '号码与证件类型不符', 'HMT residence permit number must start with 81, 82 or 83');
  }
  if (!birthMatches(f.idNumber, c.value.birthDate)) {
    return codecError('inconsistent_card', '出生日期与身份号码不符', 'Birth date does not match the ID number');
  }
  if (f.name === '') return codecError('missing_field', '姓名为空', 'Name is empty');
  return ok({
    cardType: 'hmt_residence_permit',
    name: f.name,
    idNumber: f.idNumber.toUpperCase(),
    address: f.address,
    issuingAuthority: f.authority,
    passNumber: f.passNumber,
    issueCount: f.issueCount,
    ...c.value,
  });
}

function parseForeign2017(text: Uint8Array): CodecResult<ForeignPermanentIdentity> {
  const f = readFields(text, FOREIGN_2017_LAYOUT);
  const printable = checkPrintable(Object.values(f));
  if (!printable.ok) return printable;
  const c = parseCommon(f.sex, f.birth, f.validFrom, f.validTo);
  if (!c.ok) return c;
  if (!isValidForeign2017Number(f.idNumber)) {
    return codecError('bad_id_number', '永久居留证号码格式错误', 'Permanent residence number must be 3 letters and 12 digits');
  }
  if (f.englishName === '') return codecError('missing_field', '英文姓名为空', 'English name is empty');
  return ok({
    cardType: 'foreign_permanent_2017',
    name: f.name,
    englishName: f.englishName,
    idNumber: f.idNumber,
    nationality: f.nationality,
    cardVersion: f.cardVersion,
    issuingAuthority: f.authority,
    ...c.value,
  });
}

function parseForeign2023(text: Uint8Array): CodecResult<ForeignPermanentIdentity> {
  const f = readFields(text, FOREIGN_2023_LAYOUT);
  const printable = checkPrintable(Object.values(f));
  if (!printable.ok) return printable;
  const c = parseCommon(f.sex, f.birth, f.validFrom, f.validTo);
  if (!c.ok) return c;
  if (!isValidIdNumber(f.idNumber)) return codecError('bad_id_number', '永久居留身份证号码校验失败', 'Number fails its check digit');
  if (!f.idNumber.startsWith('9')) {
    return codecError('card_type_mismatch', '号码与证件类型不符', '2023 permanent residence number must start with 9');
  }
  if (!birthMatches(f.idNumber, c.value.birthDate)) {
    return codecError('inconsistent_card', '出生日期与证件号码不符', 'Birth date does not match the number');
  }
  // The name continues from its first part into the second: each part's padding was trimmed for
  // the field check, so a control character at the end of the first part (a NUL or a newline
  // that trimming took for padding) would sit inside the joined name. Check the name as joined.
  const englishName = trimPadding(decodeUcs2(text, 52, 70) + decodeUcs2(text, 220, 22));
  if (!checkPrintable([englishName]).ok) {
    return codecError('bad_english_name', '英文姓名含非法字符（控制字符）', 'The English name holds control characters');
  }
  if (englishName === '') return codecError('missing_field', '英文姓名为空', 'English name is empty');
  const result: ForeignPermanentIdentity = {
    cardType: 'foreign_permanent_2023',
    name: f.name,
    englishName,
    idNumber: f.idNumber.toUpperCase(),
    nationality: f.nationality,
    issuingAuthority: f.authority,
    renewalCount: f.renewalCount,
    ...c.value,
  };
  if (f.previousCardLink !== '') result.previousCardLink = f.previousCardLink;
  return ok(result);
}

// ------------------------------------------------------------------ encoding (simulator, tests)

function putUcs2(out: Uint8Array, [offset, length]: readonly [number, number], value: string): void {
  const chars = length / 2;
  if (value.length > chars) throw new RangeError(`field at ${offset} holds ${chars} characters, got ${value.length}`);
  const padded = value.padEnd(chars, ' ');
  for (let i = 0; i < chars; i++) {
    const code = padded.charCodeAt(i);
    out[offset + 2 * i] = code & 0xff;
    out[offset + 2 * i + 1] = code >> 8;
  }
}

const compact = (date: string): string => date.replaceAll('-', '');
const validToText = (v: ValidTo): string => (v.kind === 'long_term' ? LONG_TERM : compact(v.date));

/** Writes a card's 256-byte text block (throws RangeError when a value does not fit its field). */
export function encodeCardText(card: CardIdentity): Uint8Array {
  const out = new Uint8Array(TEXT_BLOCK_BYTES);
  putUcs2(out, [0, 256], '');
  switch (card.cardType) {
    case 'resident': {
      const L = RESIDENT_LAYOUT;
      putUcs2(out, L.name, card.name);
      putUcs2(out, L.sex, card.sex);
      putUcs2(out, L.nation, card.nationCode);
      putUcs2(out, L.birth, compact(card.birthDate));
      putUcs2(out, L.address, card.address);
      putUcs2(out, L.idNumber, card.idNumber);
      putUcs2(out, L.authority, card.issuingAuthority);
      putUcs2(out, L.validFrom, compact(card.validFrom));
      putUcs2(out, L.validTo, validToText(card.validTo));
      break;
    }
    case 'hmt_residence_permit': {
      const L = HMT_LAYOUT;
      putUcs2(out, L.name, card.name);
      putUcs2(out, L.sex, card.sex);
      putUcs2(out, L.birth, compact(card.birthDate));
      putUcs2(out, L.address, card.address);
      putUcs2(out, L.idNumber, card.idNumber);
      putUcs2(out, L.authority, card.issuingAuthority);
      putUcs2(out, L.validFrom, compact(card.validFrom));
      putUcs2(out, L.validTo, validToText(card.validTo));
      putUcs2(out, L.passNumber, card.passNumber);
      putUcs2(out, L.issueCount, card.issueCount);
      putUcs2(out, [TYPE_OFFSET, 2], 'J');
      break;
    }
    case 'foreign_permanent_2017': {
      const L = FOREIGN_2017_LAYOUT;
      putUcs2(out, L.englishName, card.englishName);
      putUcs2(out, L.sex, card.sex);
      putUcs2(out, L.idNumber, card.idNumber);
      putUcs2(out, L.nationality, card.nationality);
      putUcs2(out, L.name, card.name);
      putUcs2(out, L.validFrom, compact(card.validFrom));
      putUcs2(out, L.validTo, validToText(card.validTo));
      putUcs2(out, L.birth, compact(card.birthDate));
      putUcs2(out, L.cardVersion, card.cardVersion ?? '');
      putUcs2(out, L.authority, card.issuingAuthority);
      putUcs2(out, [TYPE_OFFSET, 2], 'I');
      break;
    }
    case 'foreign_permanent_2023': {
      const L = FOREIGN_2023_LAYOUT;
      putUcs2(out, L.name, card.name);
      putUcs2(out, L.sex, card.sex);
      putUcs2(out, L.renewalCount, card.renewalCount ?? '');
      putUcs2(out, L.birth, compact(card.birthDate));
      putUcs2(out, L.englishName, card.englishName.slice(0, 35));
      putUcs2(out, L.englishNameMore, card.englishName.slice(35));
      putUcs2(out, L.idNumber, card.idNumber);
      putUcs2(out, L.authority, card.issuingAuthority);
      putUcs2(out, L.validFrom, compact(card.validFrom));
      putUcs2(out, L.validTo, validToText(card.validTo));
      putUcs2(out, L.nationality, card.nationality);
      putUcs2(out, [TYPE_OFFSET, 2], 'Y');
      putUcs2(out, L.previousCardLink, card.previousCardLink ?? '');
      break;
    }
  }
  return out;
}
