import { describe, expect, it } from 'vitest';
import { evaluatePassage, parseGatePolicy, type VisitorPass } from '../../src/rules/index.js';
import { at, faceAttempt, policy } from './fixtures.js';

describe('duplicate-scan suppression', () => {
  const t = at('2026-03-10 07:30:00');
  const history = [{ laneId: 'lane-1', direction: 'in' as const, occurredAt: t - 20_000 }];

  it('refuses a second recognition on the same lane and direction within 30 s and writes no record', () => {
    const r = evaluatePassage(faceAttempt({ at: t, history }), policy);
    expect(r.decision).toBe('refuse');
    expect(r.reasons.map((x) => x.zh)).toEqual(['重复打卡']);
    expect(r.suppressRecord).toBe(true);
  });

  it('reopens without a record under pass_without_record', () => {
    const r = evaluatePassage(faceAttempt({ at: t, history }), parseGatePolicy({ duplicateScan: { action: 'pass_without_record' } }));
    expect(r).toMatchObject({ decision: 'pass', suppressRecord: true, countsAsAttendance: false });
    expect(r.reminders.map((x) => x.code)).toEqual(['duplicate_scan']);
  });

  it('does not record the same refusal twice within the window, but lets the worker through once the helmet is on', () => {
    const refused = [{ laneId: 'lane-1', direction: 'in' as const, occurredAt: t - 5_000, decision: 'refuse' as const, reasonCodes: ['helmet_missing' as const] }];
    const again = evaluatePassage(faceAttempt({ at: t, history: refused, detectors: { helmet: 'absent' } }), policy);
    expect(again).toMatchObject({ decision: 'refuse', suppressRecord: true });
    expect(again.reasons.map((x) => x.code)).toEqual(['helmet_missing']);
    const other = evaluatePassage(faceAttempt({ at: t, history: refused, detectors: { helmet: 'absent', mask: 'absent' } }), parseGatePolicy({ mask: { action: 'refuse' } }));
    expect(other.suppressRecord).toBe(false); // a different refusal is recorded
    const fixed = evaluatePassage(faceAttempt({ at: t, history: refused, detectors: { helmet: 'present' } }), policy);
    expect(fixed).toMatchObject({ decision: 'pass', suppressRecord: false, countsAsAttendance: true });
    expect(evaluatePassage(faceAttempt({ at: t + 30_000, history: refused, detectors: { helmet: 'absent' } }), policy).suppressRecord).toBe(false);
  });

  it('is not a duplicate after the window, on another lane, or in the other direction', () => {
    expect(evaluatePassage(faceAttempt({ at: t + 15_000, history }), policy).suppressRecord).toBe(false);
    expect(evaluatePassage(faceAttempt({ at: t, history: [{ ...history[0]!, laneId: 'lane-2' }] }), policy).suppressRecord).toBe(false);
    expect(evaluatePassage(faceAttempt({ at: t, direction: 'out', history }), policy).suppressRecord).toBe(false);
  });
});

describe('anti-passback per lane direction', () => {
  const t = at('2026-03-10 12:00');
  const inAt8 = { laneId: 'lane-2', direction: 'in' as const, occurredAt: at('2026-03-10 08:00') };

  it('reminds by default when a worker enters twice without exiting', () => {
    const r = evaluatePassage(faceAttempt({ at: t, history: [inAt8] }), policy);
    expect(r.decision).toBe('pass');
    expect(r.reminders.map((x) => x.code)).toEqual(['anti_passback']);
  });

  it('refuses when configured, and only on the same lane in lane scope', () => {
    const refuse = parseGatePolicy({ antiPassback: { action: 'refuse' } });
    expect(evaluatePassage(faceAttempt({ at: t, history: [inAt8] }), refuse).reasons.map((x) => x.code)).toEqual(['anti_passback']);
    const lane = parseGatePolicy({ antiPassback: { action: 'refuse', scope: 'lane' } });
    expect(evaluatePassage(faceAttempt({ at: t, history: [inAt8] }), lane).decision).toBe('pass');
  });

  it('accepts the alternating sequence and forgets passages older than resetAfterHours', () => {
    const refuse = parseGatePolicy({ antiPassback: { action: 'refuse', resetAfterHours: 16 } });
    const out = { laneId: 'lane-1', direction: 'out' as const, occurredAt: at('2026-03-10 11:00') };
    expect(evaluatePassage(faceAttempt({ at: t, history: [out, inAt8] }), refuse).decision).toBe('pass');
    expect(evaluatePassage(faceAttempt({ at: at('2026-03-11 07:00'), history: [inAt8] }), refuse).decision).toBe('pass');
  });
});

describe('visitor passes (QR)', () => {
  const t = at('2026-03-10 10:00');
  const pass: VisitorPass = { passId: 'V-TEST-1', validFrom: at('2026-03-10 08:00'), validTo: at('2026-03-10 18:00'), maxEntries: 1, entriesUsed: 0 };
  const visit = (p: VisitorPass | null, over = {}) => faceAttempt({ at: t, credential: { kind: 'visitor_pass', pass: p }, ...over });

  it('admits a valid pass; a visitor never counts as attendance', () => {
    const r = evaluatePassage(visit(pass), policy);
    expect(r).toMatchObject({ decision: 'pass', countsAsAttendance: false });
  });

  it('refuses unknown, expired, not yet valid, revoked, used-up passes and wrong lanes', () => {
    const codes = (p: VisitorPass | null, over = {}) => evaluatePassage(visit(p, over), policy).reasons.map((x) => x.code);
    expect(codes(null)).toEqual(['visitor_pass_invalid']);
    expect(codes(pass, { at: at('2026-03-10 18:00') })).toEqual(['visitor_pass_expired']);
    expect(codes(pass, { at: at('2026-03-10 07:59') })).toEqual(['visitor_pass_not_yet_valid']);
    expect(codes({ ...pass, revoked: true, entriesUsed: 1, laneIds: ['lane-9'] })).toEqual(['visitor_pass_revoked', 'visitor_pass_used_up', 'visitor_lane_not_allowed']);
  });

  it('requires a manager escort on the same lane within 120 s when the pass says so', () => {
    const escorted = { ...pass, escortRequired: true };
    expect(evaluatePassage(visit(escorted), policy).reasons.map((x) => x.zh)).toEqual(['需陪同人员先刷脸']);
    const withManager = { kind: 'visitor_pass' as const, pass: escorted, escorts: [{ role: 'manager' as const, laneId: 'lane-1', occurredAt: t - 60_000 }] };
    expect(evaluatePassage(faceAttempt({ at: t, credential: withManager }), policy).decision).toBe('pass');
    const tooEarly = { ...withManager, escorts: [{ role: 'manager' as const, laneId: 'lane-1', occurredAt: t - 121_000 }] };
    expect(evaluatePassage(faceAttempt({ at: t, credential: tooEarly }), policy).decision).toBe('refuse');
    const worker = { ...withManager, escorts: [{ role: 'worker' as const, laneId: 'lane-1', occurredAt: t - 10_000 }] };
    expect(evaluatePassage(faceAttempt({ at: t, credential: worker }), policy).decision).toBe('refuse');
  });

  it('requires an escort for every visitor under escort always; refuses all visitors when disabled', () => {
    expect(evaluatePassage(visit(pass), parseGatePolicy({ visitors: { escort: 'always' } })).reasons.map((x) => x.code)).toEqual(['visitor_escort_missing']);
    expect(evaluatePassage(visit(pass), parseGatePolicy({ visitors: { enabled: false } })).reasons.map((x) => x.code)).toEqual(['visitors_disabled']);
  });

  it('lets a visitor leave after the pass expired', () => {
    expect(evaluatePassage(visit(pass, { at: at('2026-03-10 19:00'), direction: 'out' }), policy).decision).toBe('pass');
  });
});
