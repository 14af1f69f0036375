// Resident ID number (GB 11643-1999): 17 digits and a check character (ISO 7064 MOD 11-2).
// The one implementation of the check: the core, the drivers, sync, the simulators and the
// kiosk UI (browser-safe) all use it.
const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2] as const;
const CHECK = '10X98765432';

/** The check character of 17 digits, or null when they are not 17 digits. */
export function idCheckDigit(first17: string): string | null {
  if (!/^\d{17}$/.test(first17)) return null;
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(first17[i]) * (WEIGHTS[i] ?? 0);
  return CHECK[sum % 11] ?? null;
}

/** 17 digits completed with their check character (fixtures, simulators, the demo). */
export function withCheckDigit(first17: string): string {
  const c = idCheckDigit(first17);
  if (c === null) throw new RangeError('withCheckDigit needs 17 digits');
  return first17 + c;
}

/** 18 characters whose last is the right check character (upper-case X). */
export function isValidResidentId(id: string): boolean {
  return /^\d{17}[\dX]$/.test(id) && idCheckDigit(id.slice(0, 17)) === id[17];
}

/** True for a real calendar date written YYYY-MM-DD (years 1900–2999). */
export function isCalendarDate(s: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(s);
  if (!m) return false;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  if (y < 1900 || y > 2999 || mo < 1 || mo > 12 || d < 1) return false;
  return d <= new Date(Date.UTC(y, mo, 0)).getUTCDate();
}
