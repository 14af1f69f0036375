// Code tables printed on ID cards: 民族 (GB/T 3304) and 性别 (GB/T 2261.1).
import type { SexCode } from '../../../edge-core/src/ports/devices.js';
import type { Bilingual } from '../../../edge-core/src/ports/devices.js';

const NATION_NAMES = [
  '汉', '蒙古', '回', '藏', '维吾尔', '苗', '彝', '壮', '布依', '朝鲜',
  '满', '侗', '瑶', '白', '土家', '哈尼', '哈萨克', '傣', '黎', '傈僳',
  '佤', '畲', '高山', '拉祜', '水', '东乡', '纳西', '景颇', '柯尔克孜', '土',
  '达斡尔', '仫佬', '羌', '布朗', '撒拉', '毛南', '仡佬', '锡伯', '阿昌', '普米',
  '塔吉克', '怒', '乌孜别克', '俄罗斯', '鄂温克', '德昂', '保安', '裕固', '京', '塔塔尔',
  '独龙', '鄂伦春', '赫哲', '门巴', '珞巴', '基诺',
] as const;

/** '01' → '汉' … '56' → '基诺', '97' 其他, '98' 外国血统中国籍人士 (as printed on the card). */
export const NATIONS: ReadonlyMap<string, string> = new Map<string, string>([
  ...NATION_NAMES.map((n, i): [string, string] => [String(i + 1).padStart(2, '0'), n]),
  ['97', '其他'],
  ['98', '外国血统中国籍人士'],
]);

export const SEXES: Readonly<Record<SexCode, Bilingual>> = {
  '0': { zh: '未知', en: 'Unknown' },
  '1': { zh: '男', en: 'Male' },
  '2': { zh: '女', en: 'Female' },
  '9': { zh: '未说明', en: 'Unspecified' },
};

export function isSexCode(s: string): s is SexCode {
  return s === '0' || s === '1' || s === '2' || s === '9';
}

export function nationName(code: string): string | undefined {
  return NATIONS.get(code);
}
