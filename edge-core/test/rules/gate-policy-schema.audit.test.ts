import { describe, expect, it } from 'vitest';
import { ZodError } from 'zod';
import { DEFAULT_GATE_POLICY, describePolicyChange, GatePolicySchema, parseGatePolicy } from '../../src/rules/index.js';

describe('gate policy schema: defaults, validation and the audit description of a change', () => {
  it('fills the documented defaults from an empty object', () => {
    const p = parseGatePolicy({});
    expect(p).toEqual(DEFAULT_GATE_POLICY);
    expect(p.helmet).toEqual({ action: 'refuse', whenUnknown: 'ignore' });
    expect(p.mask.action).toBe('ignore');
    expect(p.duplicateScan).toEqual({ windowSeconds: 30, action: 'refuse' });
    expect(p.antiPassback).toEqual({ action: 'remind', scope: 'site', resetAfterHours: 16 });
    expect(p.exit.mode).toBe('never_block_known');
    expect(p.timeWindows.default.stoppage).toEqual([]);
    expect(p.timeWindows.byRole.manager?.stoppage).toEqual([{ from: '00:00', to: '24:00' }]);
  });

  it('keeps nested defaults when only one field of a section is given', () => {
    const p = parseGatePolicy({ contract: { expiringSoonDays: 14 } });
    expect(p.contract).toEqual({ missing: 'refuse', outOfDates: 'refuse', expiringSoonDays: 14 });
  });

  it('rejects bad values with every problem listed', () => {
    const r = GatePolicySchema.safeParse({ helmet: { action: 'maybe' }, timeWindows: { default: { workday: [{ from: '25:00', to: '06:00' }], holiday: [], stoppage: [] } }, duplicateScan: { windowSeconds: -1 } });
    expect(r.success).toBe(false);
    const paths = (r.error?.issues ?? []).map((i) => i.path.join('.')).sort();
    expect(paths).toEqual(['duplicateScan.windowSeconds', 'helmet.action', 'timeWindows.default.workday.0.from']);
    expect(() => parseGatePolicy({ timeWindows: { byTeam: { '1': { workday: [{ from: '08:00', to: '08:00' }], holiday: [], stoppage: [] } } } })).toThrow(ZodError);
  });

  it('round-trips through JSON (as stored in settings)', () => {
    const p = parseGatePolicy({ mask: { action: 'remind' } });
    expect(parseGatePolicy(JSON.parse(JSON.stringify(p)))).toEqual(p);
  });

  it('describes a change leaf by leaf for the audit log', () => {
    const before = DEFAULT_GATE_POLICY;
    const after = parseGatePolicy({ helmet: { action: 'remind' }, timeWindows: { byTeam: { '12': { workday: [{ from: '18:00', to: '06:00' }], holiday: [], stoppage: [] } } } });
    const d = describePolicyChange(before, after);
    expect(d.changes).toEqual([
      { path: 'helmet.action', before: 'refuse', after: 'remind' },
      { path: 'timeWindows.byTeam.12', before: null, after: { workday: [{ from: '18:00', to: '06:00' }], holiday: [], stoppage: [] } },
    ]);
    expect(d.summary.zh).toContain('通行策略变更 2 项');
    expect(d.summary.zh).toContain('helmet.action: "refuse" → "remind"');
    expect(d.audit).toEqual({ action: 'policy.change', details: { changes: d.changes } });
    expect(describePolicyChange(after, after).changes).toEqual([]);
    expect(describePolicyChange(after, after).summary.zh).toBe('通行策略未变更');
  });
});
