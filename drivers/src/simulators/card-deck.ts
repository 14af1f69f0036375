// Synthetic cards for the reader simulator, tests and the demo. Every person here is fake:
// names are 测试辛/壬/癸/子/丑/寅/卯 (the demo seed's workers are 测试甲…丁, so a card never
// repeats a seeded name), addresses are 测试省…, and resident numbers use the region code
// 109999 (there is no province "10"), so no number can belong to a real person. They cannot
// use the seed's 999999: a number starting with 9 is by rule a 2023 foreign permanent-
// residence card, and the reader refuses it on a resident card. HMT permits must start with
// 81/82/83 and 2023 foreign cards with 9 by rule; their remaining digits are synthetic too. The photo is the reader simulator's (a WLT placeholder, or in the demo a
// decoded public-domain portrait: demo-id-photo.ts). `label` is what the demo's on-screen
// card picker shows for each card.
import type { CardIdentity } from '../../../edge-core/src/ports/devices.js';
import { checkCharacter, withCheckCharacter } from '../idcard/id-number.js';
import { encodeCardText } from '../idcard/text-codec.js';

export interface DeckCard {
  /** Deck key, used by tests and the demo to place a card. */
  key: string;
  identity: CardIdentity;
  /** What this card exercises. */
  note: string;
  /** Short zh-CN label for the demo's card picker (what the card is, not who). */
  label?: string;
  /** Override the raw text block (malformed-card edge cases). */
  rawText?: Uint8Array;
  /** Status the simulated reader returns for the read command (e.g. 0x41 read failure). */
  readStatus?: number;
}

export const deck: readonly DeckCard[] = [
  {
    key: 'resident',
    note: 'resident ID, dated validity',
    label: '居民身份证',
    identity: {
      cardType: 'resident',
      name: '测试辛',
      sex: '1',
      nationCode: '01',
      nation: '汉',
      birthDate: '1990-03-07',
      address: '测试省测试市测试区测试路1号',
      idNumber: withCheckCharacter('10999919900307001'),
      issuingAuthority: '测试市公安局测试分局',
      validFrom: '2015-06-01',
      validTo: { kind: 'date', date: '2035-06-01' },
    },
  },
  {
    key: 'resident-long-term',
    note: 'resident ID with 长期 validity, minority nation, check character X',
    label: '居民身份证（长期有效）',
    identity: {
      cardType: 'resident',
      name: '测试壬',
      sex: '2',
      nationCode: '10',
      nation: '朝鲜',
      birthDate: '1960-01-01',
      address: '测试省测试县测试镇测试村二组',
      idNumber: findWithX('109999196001010'),
      issuingAuthority: '测试县公安局',
      validFrom: '2010-01-01',
      validTo: { kind: 'long_term' },
    },
  },
  {
    key: 'resident-long-name',
    note: 'resident ID with a 15-character name and a 35-character address (fields full)',
    label: '居民身份证（超长姓名）',
    identity: {
      cardType: 'resident',
      name: '测试'.padEnd(15, '癸'),
      sex: '1',
      nationCode: '98',
      nation: '外国血统中国籍人士',
      birthDate: '2000-02-29',
      address: '测'.repeat(35),
      idNumber: withCheckCharacter('10999920000229003'),
      issuingAuthority: '测试市公安局',
      validFrom: '2020-02-29',
      validTo: { kind: 'date', date: '2030-02-28' },
    },
  },
  {
    key: 'resident-expired',
    note: 'resident ID whose validity has ended (policy, not the reader, refuses it)',
    label: '居民身份证（已过期）',
    identity: {
      cardType: 'resident',
      name: '测试子',
      sex: '1',
      nationCode: '03',
      nation: '回',
      birthDate: '1985-12-31',
      address: '测试省测试市测试街5号',
      idNumber: withCheckCharacter('10999919851231005'),
      issuingAuthority: '测试市公安局',
      validFrom: '2005-01-01',
      validTo: { kind: 'date', date: '2015-01-01' },
    },
  },
  {
    key: 'hmt',
    note: 'Hong Kong/Macau/Taiwan residence permit (type J)',
    label: '港澳台居民居住证',
    identity: {
      cardType: 'hmt_residence_permit',
      name: '测试丑',
      sex: '2',
      birthDate: '1988-08-08',
      address: '测试省测试市测试大道8号',
      idNumber: withCheckCharacter('81000019880808999'),
      issuingAuthority: '测试市公安局',
      validFrom: '2019-01-01',
      validTo: { kind: 'date', date: '2024-01-01' },
      passNumber: 'H99999999',
      issueCount: '01',
    },
  },
  {
    key: 'foreign-2017',
    note: 'foreign permanent residence ID, 2017 layout (type I)',
    label: '外国人永久居留身份证（2017版）',
    identity: {
      cardType: 'foreign_permanent_2017',
      name: '测试寅',
      englishName: 'TEST, SAMPLE PERSON',
      sex: '1',
      birthDate: '1970-05-05',
      idNumber: 'ZZZ999970050599',
      nationality: 'ZZZ',
      cardVersion: '01',
      issuingAuthority: '9999',
      validFrom: '2017-07-01',
      validTo: { kind: 'date', date: '2027-07-01' },
    },
  },
  {
    key: 'foreign-2023',
    note: 'foreign permanent residence ID, 2023 layout (type Y), English name over 35 characters',
    label: '外国人永久居留身份证（2023版）',
    identity: {
      cardType: 'foreign_permanent_2023',
      name: '测试卯',
      englishName: 'TESTPERSON, SAMPLE WITH A VERY LONG GIVEN NAME',
      sex: '2',
      birthDate: '1980-10-10',
      idNumber: withCheckCharacter('99999919801010999'),
      nationality: '999',
      issuingAuthority: '测试移民管理局',
      renewalCount: '00',
      previousCardLink: 'ZZZ',
      validFrom: '2024-01-01',
      validTo: { kind: 'date', date: '2034-01-01' },
    },
  },
];

/** Edge cases that must produce a typed read error, not an identity. */
export const badCards: readonly DeckCard[] = [
  {
    key: 'bad-check-digit',
    note: 'resident card whose number fails its check character',
    identity: { ...deck[0]!.identity, idNumber: wrongCheck('10999919900307001') },
  },
  {
    key: 'unknown-type',
    note: 'card-type byte that no reader knows',
    identity: deck[0]!.identity,
    rawText: withTypeChar(encodeCardText(deck[0]!.identity), 'Q'),
  },
  {
    key: 'hmt-number-on-resident',
    note: 'type byte says resident but the number is an HMT (81…) number: must not be read as either',
    identity: deck[0]!.identity,
    rawText: withTypeChar(encodeCardText(deck[4]!.identity), ' '),
  },
  {
    key: 'read-failure',
    note: 'the reader reports 0x41 读证/卡操作失败',
    identity: deck[0]!.identity,
    readStatus: 0x41,
  },
];

function wrongCheck(first17: string): string {
  const right = checkCharacter(first17);
  return first17 + (right === '0' ? '1' : '0');
}

function withTypeChar(text: Uint8Array, ch: string): Uint8Array {
  const out = text.slice();
  out[248] = ch.charCodeAt(0) & 0xff;
  out[249] = ch.charCodeAt(0) >> 8;
  return out;
}

function findWithX(first15: string): string {
  for (let seq = 0; seq < 100; seq++) {
    const id = withCheckCharacter(first15 + String(seq).padStart(2, '0'));
    if (id.endsWith('X')) return id;
  }
  throw new Error('no X check character found');
}

export function findCard(key: string): DeckCard | undefined {
  return deck.find((c) => c.key === key) ?? badCards.find((c) => c.key === key);
}
