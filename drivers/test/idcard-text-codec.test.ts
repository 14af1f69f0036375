import { describe, expect, it } from 'vitest';
import { checkCharacter, isValidIdNumber } from '../src/idcard/id-number.js';
import { NATIONS, SEXES } from '../src/idcard/code-tables.js';
import { cardTypeOf, encodeCardText, parseCardText } from '../src/idcard/text-codec.js';
import { badCards, deck, findCard } from '../src/simulators/card-deck.js';

describe('ID card text block', () => {
  it.each(deck.map((c) => [c.key, c] as const))('round-trips the synthetic %s card', (_key, card) => {
    const text = encodeCardText(card.identity);
    expect(text.length).toBe(256);
    const parsed = parseCardText(text);
    expect(parsed).toEqual({ ok: true, value: card.identity });
  });

  it('detects each card type from the type byte and never reads one as another', () => {
    const types = deck.map((c) => {
      const t = cardTypeOf(encodeCardText(c.identity));
      return t.ok ? t.value : t.code;
    });
    expect(new Set(types)).toEqual(
      new Set(['resident', 'hmt_residence_permit', 'foreign_permanent_2017', 'foreign_permanent_2023']),
    );
    const hmtAsResident = parseCardText(findCard('hmt-number-on-resident')!.rawText!);
    expect(!hmtAsResident.ok && hmtAsResident.code).toBe('card_type_mismatch');
    const unknown = parseCardText(findCard('unknown-type')!.rawText!);
    expect(!unknown.ok && unknown.code).toBe('unknown_card_type');
  });

  it('reads the UCS-2 little-endian name and 长期 validity as printed', () => {
    const longTerm = deck.find((c) => c.key === 'resident-long-term')!;
    const text = encodeCardText(longTerm.identity);
    // 测 = U+6D4B → 4B 6D little-endian
    expect(Array.from(text.slice(0, 2))).toEqual([0x4b, 0x6d]);
    const parsed = parseCardText(text);
    expect(parsed.ok && parsed.value.validTo).toEqual({ kind: 'long_term' });
    expect(parsed.ok && parsed.value.idNumber.endsWith('X')).toBe(true);
  });

  it('rejects a resident number with a wrong check character', () => {
    const card = badCards.find((c) => c.key === 'bad-check-digit')!;
    const r = parseCardText(encodeCardText(card.identity));
    expect(!r.ok && r.code).toBe('bad_id_number');
  });

  it('rejects unknown sex and nation codes and impossible dates', () => {
    const base = deck[0]!.identity;
    if (base.cardType !== 'resident') throw new Error('deck[0] must be resident');
    const badNation = parseCardText(encodeCardText({ ...base, nationCode: '57' }));
    expect(!badNation.ok && badNation.code).toBe('bad_nation_code');
    const badSex = parseCardText(encodeCardText({ ...base, sex: '3' as '1' }));
    expect(!badSex.ok && badSex.code).toBe('bad_sex_code');
    const badDate = parseCardText(encodeCardText({ ...base, validFrom: '2015-02-30' }));
    expect(!badDate.ok && badDate.code).toBe('bad_date');
    const mismatch = parseCardText(encodeCardText({ ...base, birthDate: '1990-03-08' }));
    expect(!mismatch.ok && mismatch.code).toBe('inconsistent_card');
  });

  it('rejects a 2023 foreign card whose number does not start with 9 and an HMT permit without 81/82/83', () => {
    const f = deck.find((c) => c.key === 'foreign-2023')!.identity;
    const r1 = parseCardText(encodeCardText({ ...f, idNumber: deck[0]!.identity.idNumber, birthDate: '1990-03-07' }));
    expect(!r1.ok && r1.code).toBe('card_type_mismatch');
    const h = deck.find((c) => c.key === 'hmt')!.identity;
    const r2 = parseCardText(encodeCardText({ ...h, idNumber: deck[0]!.identity.idNumber, birthDate: '1990-03-07' }));
    expect(!r2.ok && r2.code).toBe('card_type_mismatch');
  });

  it('has the 56 nations plus 97/98 and the four sex codes', () => {
    expect(NATIONS.size).toBe(58);
    expect(NATIONS.get('01')).toBe('汉');
    expect(NATIONS.get('56')).toBe('基诺');
    expect(Object.keys(SEXES).sort()).toEqual(['0', '1', '2', '9']);
  });

  it('validates the MOD 11-2 check character', () => {
    // GB 11643 worked example
    expect(checkCharacter('11010519491231002')).toBe('X');
    expect(isValidIdNumber('11010519491231002X')).toBe(true);
    expect(isValidIdNumber('110105194912310021')).toBe(false);
    expect(isValidIdNumber('1101051949123100')).toBe(false);
  });

  it('gives a typed error for a text block of the wrong size', () => {
    const r = parseCardText(new Uint8Array(255));
    expect(!r.ok && r.code).toBe('bad_text_length');
  });
});

describe('2023 foreign permanent residence card: English name', () => {
  const card = deck.find((c) => c.key === 'foreign-2023')!.identity;
  if (card.cardType !== 'foreign_permanent_2023') throw new Error('foreign-2023 must be a 2023 card');
  /** The text block with `chars` written at UCS-2 character index `at` of the English name's first part (bytes 52–121). */
  const withNameChars = (name: string, at: number, chars: string): Uint8Array => {
    const text = encodeCardText({ ...card, englishName: name });
    for (let i = 0; i < chars.length; i++) {
      const code = chars.charCodeAt(i);
      text[52 + 2 * (at + i)] = code & 0xff;
      text[52 + 2 * (at + i) + 1] = code >> 8;
    }
    return text;
  };

  it('joins the name across its two parts (first part full)', () => {
    const r = parseCardText(encodeCardText(card));
    expect(r.ok && r.value.cardType === 'foreign_permanent_2023' && r.value.englishName).toBe(card.englishName);
  });

  it.each([
    ['NUL', '\u0000'],
    ['newline', '\n'],
    ['carriage return', '\r'],
    ['tab', '\t'],
  ])('refuses a %s at the end of the first part when the name goes on in the second (bad_english_name)', (_what, ch) => {
    // 35 characters in the first part, the last one a control character: trimming the part
    // alone takes it for padding, the joined name would carry it.
    const name = card.englishName;
    expect(name.length).toBeGreaterThan(35);
    const r = parseCardText(withNameChars(name, 34, ch));
    expect(r.ok).toBe(false);
    expect(!r.ok && r.code).toBe('bad_english_name');
    expect(!r.ok && r.message.zh).toContain('英文姓名');
  });

  it('refuses a NUL run padding the first part while the second part goes on', () => {
    const short = 'TESTPERSON';
    const text = encodeCardText({ ...card, englishName: short });
    // second part (bytes 220–241) carries more of the name after a NUL-padded first part
    const more = 'SAMPLE';
    for (let i = 10; i < 35; i++) text[52 + 2 * i] = text[52 + 2 * i + 1] = 0;
    for (let i = 0; i < more.length; i++) {
      text[220 + 2 * i] = more.charCodeAt(i);
      text[221 + 2 * i] = 0;
    }
    const r = parseCardText(text);
    expect(!r.ok && r.code).toBe('bad_english_name');
  });

  it('still accepts a short name padded with spaces or NULs that ends in the first part', () => {
    const text = encodeCardText({ ...card, englishName: 'TESTPERSON, SAMPLE' });
    for (let i = 18; i < 35; i++) text[52 + 2 * i] = text[52 + 2 * i + 1] = 0; // NUL padding
    const r = parseCardText(text);
    expect(r.ok && r.value.cardType === 'foreign_permanent_2023' && r.value.englishName).toBe('TESTPERSON, SAMPLE');
  });
});
