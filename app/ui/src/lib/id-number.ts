// Resident ID number (居民身份证号, GB 11643) check: 17 digits, then a check character from
// the weighted sum mod 11. Used to catch typos in manual entry before the core sees them.
import { idCheckDigit, isValidResidentId as isValidNumber } from '../../../../edge-core/src/domain/resident-id.js';

export const residentIdCheckChar = idCheckDigit;

/** As typed: spaces around it and a lower-case x are accepted. */
export function isValidResidentId(id: string): boolean {
  return isValidNumber(id.trim().toUpperCase());
}

/** Birth date (YYYY-MM-DD) encoded in a resident ID number, or null. */
export function birthDateOf(id: string): string | null {
  if (!isValidResidentId(id)) return null;
  return `${id.slice(6, 10)}-${id.slice(10, 12)}-${id.slice(12, 14)}`;
}

export function maskId(id: string): string {
  return id.length <= 8 ? '****' : `${id.slice(0, 4)}**********${id.slice(-4)}`;
}
