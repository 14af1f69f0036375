import { describe, expect, it } from 'vitest';
import { evaluatePassage } from '../../src/rules/index.js';
import { at, faceAttempt, person, policy } from './fixtures.js';

describe('a contract expiring at midnight in the site zone', () => {
  const p = person({ contractEnd: '2026-03-31' });

  it('passes at 23:59:59 on the last day of the contract (site time), with an expiry reminder', () => {
    const r = evaluatePassage(faceAttempt({ at: at('2026-03-31 23:59:59'), direction: 'in' }, p), policy);
    expect(r.decision).toBe('pass');
    expect(r.reasons).toEqual([]);
    expect(r.reminders.map((x) => x.code)).toContain('contract_expiring_soon');
    expect(r.reminders.find((x) => x.code === 'contract_expiring_soon')?.detail).toMatchObject({ daysLeft: 0 });
  });

  it('refuses at 00:00:00 the next day in Asia/Shanghai, although it is still 31 March in UTC', () => {
    const instant = at('2026-04-01 00:00:00');
    expect(new Date(instant).toISOString()).toBe('2026-03-31T16:00:00.000Z');
    const r = evaluatePassage(faceAttempt({ at: instant }, p), policy);
    expect(r.decision).toBe('refuse');
    expect(r.reasons.map((x) => x.code)).toEqual(['contract_expired']);
    expect(r.reasons[0]).toMatchObject({ zh: '合同已到期', en: 'Contract expired', detail: { contractEnd: '2026-03-31' } });
  });

  it('uses the site zone, not UTC: the same instant is still 31 March in a UTC-zoned site', () => {
    const r = evaluatePassage(faceAttempt({ at: at('2026-04-01 00:00:00'), timeZone: 'UTC' }, p), policy);
    expect(r.localDate).toBe('2026-03-31');
    expect(r.decision).toBe('pass');
  });

  it('lets the worker leave after expiry (exits never block a known person) but records the reason as a reminder', () => {
    const r = evaluatePassage(faceAttempt({ at: at('2026-04-01 00:30'), direction: 'out' }, p), policy);
    expect(r.decision).toBe('pass');
    expect(r.reminders.map((x) => x.code)).toContain('contract_expired');
  });

  it('refuses the exit as well under exit mode same_as_entry', () => {
    const strict = { ...policy, exit: { mode: 'same_as_entry' as const } };
    const r = evaluatePassage(faceAttempt({ at: at('2026-04-01 00:30'), direction: 'out' }, p), strict);
    expect(r.decision).toBe('refuse');
  });

  it('refuses before the contract starts and when there is no contract', () => {
    expect(evaluatePassage(faceAttempt({}, person({ contractStart: '2026-03-11' })), policy).reasons.map((x) => x.code)).toEqual(['contract_not_started']);
    expect(evaluatePassage(faceAttempt({}, person({ hasContract: false })), policy).reasons.map((x) => x.code)).toEqual(['contract_missing']);
  });

  it('only reminds about missing insurance by default', () => {
    const r = evaluatePassage(faceAttempt({}, person({ hasInsurance: false })), policy);
    expect(r.decision).toBe('pass');
    expect(r.reminders.map((x) => x.code)).toEqual(['insurance_missing']);
  });

  it('treats an ID card as valid through its last day and refuses the day after; null means long-term', () => {
    expect(evaluatePassage(faceAttempt({ at: at('2026-03-10 23:00') }, person({ idValidTo: '2026-03-10' })), policy).decision).toBe('pass');
    expect(evaluatePassage(faceAttempt({ at: at('2026-03-11 06:00') }, person({ idValidTo: '2026-03-10' })), policy).reasons.map((x) => x.code)).toEqual(['id_expired']);
    expect(evaluatePassage(faceAttempt({}, person({ idValidTo: null })), policy).decision).toBe('pass');
  });
});
