// Resident ID number (居民身份证号, GB 11643) check: 17 digits, then a check character from
// the weighted sum mod 11. Used to catch typos in manual entry before the core sees them.
const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const CHECK = '10X98765432';

export function residentIdCheckChar(first17: string): string | null {
  if (!/^\d{17}$/.test(first17)) return null;
  const sum = [...first17].reduce((acc, ch, i) => acc + Number(ch) * (WEIGHTS[i] ?? 0), 0);
  return CHECK[sum % 11] ?? null;
}

export function isValidResidentId(id: string): boolean {
  const s = id.trim().toUpperCase();
  if (!/^\d{17}[\dX]$/.test(s)) return false;
  return residentIdCheckChar(s.slice(0, 17)) === s[17];
}

/** Birth date (YYYY-MM-DD) encoded in a resident ID number, or null. */
export function birthDateOf(id: string): string | null {
  if (!isValidResidentId(id)) return null;
  return `${id.slice(6, 10)}-${id.slice(10, 12)}-${id.slice(12, 14)}`;
}

export function maskId(id: string): string {
  return id.length <= 8 ? '****' : `${id.slice(0, 4)}**********${id.slice(-4)}`;
}
