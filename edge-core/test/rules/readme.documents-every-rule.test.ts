import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { MAKEUP_REASONS, REASON_ORDER } from '../../src/rules/index.js';

const readme = readFileSync(new URL('../../src/rules/README.md', import.meta.url), 'utf8');

describe('rules README documents every rule', () => {
  it('lists every gate reason code with its Chinese text, in the documented order', () => {
    let last = -1;
    for (const code of REASON_ORDER) {
      const i = readme.indexOf(`\`${code}\``);
      expect(i, code).toBeGreaterThan(-1);
      expect(i, `${code} out of order`).toBeGreaterThan(last);
      last = i;
    }
  });

  it('names every make-up reason and cites the notice', () => {
    for (const code of Object.keys(MAKEUP_REASONS)) expect(readme).toContain(`\`${code}\``);
    expect(readme).toContain('赣建建〔2022〕9号');
    expect(readme).toContain('按当前出勤，月底将低于80%');
  });
});
