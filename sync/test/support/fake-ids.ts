// Obviously synthetic identity numbers: region code 999999 does not exist, the check digit
// is correct so validators accept them. Names are 测试 + a number.
import { withCheckDigit } from '../../src/platform/id-number.js';

export function fakeResidentId(n: number): string {
  const seq = String(n % 1000).padStart(3, '0');
  const day = 1 + (Math.floor(n / 1000) % 28);
  const month = 1 + (Math.floor(n / 28000) % 12);
  const first17 = `999999` + `1990${String(month).padStart(2, '0')}${String(day).padStart(2, '0')}` + seq;
  return withCheckDigit(first17);
}

export function fakeName(n: number): string {
  return `测试${n}`;
}

export const TEST_SECRET = '0123456789abcdefABCDEF0123456789';
