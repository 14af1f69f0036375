// Identity numbers (GB 11643 公民身份号码, also used by HMT residence permits and 2023
// foreign permanent residence cards): 17 digits + MOD 11-2 check character.

import { idCheckDigit, withCheckDigit } from '../../../edge-core/src/index.js';

/** Check character for the first 17 digits, or null when they are not 17 digits. */
export const checkCharacter = idCheckDigit;

export function isValidIdNumber(id: string): boolean {
  if (id.length !== 18) return false;
  const c = checkCharacter(id.slice(0, 17));
  return c !== null && c === id[17]!.toUpperCase();
}

/** Completes 17 digits with their check character (for fixtures and the simulator). */
export const withCheckCharacter = withCheckDigit;

/** 2017 foreign permanent residence number: 3 letters (nationality) + 12 digits. */
export function isValidForeign2017Number(id: string): boolean {
  return /^[A-Z]{3}\d{12}$/.test(id);
}

/** The region prefixes of HMT residence permits: 81 Hong Kong, 82 Macau, 83 Taiwan. */
export function isHmtNumber(id: string): boolean {
  return /^8[123]/.test(id);
}
