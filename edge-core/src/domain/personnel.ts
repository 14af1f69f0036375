// Roles on site. 管理人员 (management personnel) under the Jiangxi notice are the six roles
// below; everyone else is a worker (建筑工人).
import type { Bilingual } from './bilingual.js';
export const MANAGEMENT_ROLES = [
  'project_manager', // 项目负责人
  'technical_lead', // 技术负责人
  'quality_officer', // 质量员
  'safety_officer', // 安全员
  'construction_officer', // 施工员
  'labour_officer', // 劳务员
] as const;
export type ManagementRole = (typeof MANAGEMENT_ROLES)[number];

export const MANAGEMENT_ROLE_NAMES: Record<ManagementRole, Bilingual> = {
  project_manager: { zh: '项目负责人', en: 'Project manager' },
  technical_lead: { zh: '技术负责人', en: 'Technical lead' },
  quality_officer: { zh: '质量员', en: 'Quality officer' },
  safety_officer: { zh: '安全员', en: 'Safety officer' },
  construction_officer: { zh: '施工员', en: 'Construction officer' },
  labour_officer: { zh: '劳务员', en: 'Labour officer' },
};

export type PersonRole = 'worker' | 'manager';
export type WorkerStatus = 'active' | 'inactive' | 'blacklisted';
export type CorpType = 'general' | 'sub' | 'labour';

/** Platform ID-card type codes (idCardType). */
export const ID_TYPES = {
  '01': { zh: '居民身份证', en: 'Resident ID card' },
  '02': { zh: '军官证', en: 'Military officer ID' },
  '03': { zh: '武警警官证', en: 'Armed police officer ID' },
  '04': { zh: '士兵证', en: 'Soldier ID' },
  '05': { zh: '军队离退休干部证', en: 'Retired military cadre ID' },
  '06': { zh: '残疾人证', en: 'Disability certificate' },
  '07': { zh: '残疾军人证', en: 'Disabled serviceman ID' },
  '08': { zh: '护照', en: 'Passport' },
  '09': { zh: '港澳同胞回乡证', en: 'Home return permit (HK/Macau)' },
  '10': { zh: '港澳居民来往内地通行证', en: 'Mainland travel permit (HK/Macau)' },
  '11': { zh: '中华人民共和国往来港澳通行证', en: 'Exit-entry permit to HK/Macau' },
  '12': { zh: '台湾居民来往大陆通行证', en: 'Mainland travel permit (Taiwan)' },
  '13': { zh: '大陆居民往来台湾通行证', en: 'Exit-entry permit to Taiwan' },
  '14': { zh: '外国人居留证', en: "Foreigner's residence permit" },
  '15': { zh: '外交官证', en: 'Diplomat ID' },
  '16': { zh: '领事馆证', en: 'Consular ID' },
  '17': { zh: '海员证', en: "Seafarer's ID" },
  '18': { zh: '香港身份证', en: 'Hong Kong ID card' },
  '19': { zh: '台湾身份证', en: 'Taiwan ID card' },
  '20': { zh: '澳门身份证', en: 'Macau ID card' },
  '21': { zh: '外国人身份证件', en: 'Foreign ID document' },
  '22': { zh: '高校毕业生自主创业证', en: 'Graduate entrepreneurship certificate' },
  '23': { zh: '就业失业登记证', en: 'Employment registration certificate' },
  '24': { zh: '台胞证', en: 'Taiwan compatriot permit' },
  '25': { zh: '退休证', en: 'Retirement certificate' },
  '26': { zh: '离休证', en: 'Retired cadre certificate' },
  '99': { zh: '其他证件', en: 'Other document' },
} as const;
export type IdType = keyof typeof ID_TYPES;

/** Masks an identity number for screens and logs: first 4 and last 4 characters kept. */
export function maskIdNumber(id: string): string {
  const s = id.trim();
  if (s.length <= 8) return '*'.repeat(s.length);
  return `${s.slice(0, 4)}${'*'.repeat(s.length - 8)}${s.slice(-4)}`;
}

/** Masks a person's name: keeps the family name character. */
export function maskName(name: string): string {
  const chars = [...name.trim()];
  if (chars.length <= 1) return '*';
  return chars[0] + '*'.repeat(chars.length - 1);
}
