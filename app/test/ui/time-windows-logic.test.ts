// The time-window editor's text form: parsing (full-width separators, single-digit hours,
// empty = no entry), the bad part named, and the policy's timeWindows built from a draft.
import { describe, expect, it } from 'vitest';
import { draftOf, formatWindows, parseWindows, timeWindowsOf } from '../../ui/src/lib/time-windows.js';
import type { GatePolicy } from '../../ui/src/api/admin.js';

describe('time windows text', () => {
  it('parses and formats windows', () => {
    expect(parseWindows('6:00-20:00， 18:00~06:00')).toEqual({ ok: true, windows: [{ from: '06:00', to: '20:00' }, { from: '18:00', to: '06:00' }] });
    expect(parseWindows('')).toEqual({ ok: true, windows: [] });
    expect(parseWindows('00:00-24:00')).toEqual({ ok: true, windows: [{ from: '00:00', to: '24:00' }] });
    expect(parseWindows('8:00-8:00')).toEqual({ ok: false, bad: '8:00-8:00' });
    expect(parseWindows('06:00-25:00')).toEqual({ ok: false, bad: '06:00-25:00' });
    expect(parseWindows('morning')).toEqual({ ok: false, bad: 'morning' });
    expect(formatWindows([{ from: '06:00', to: '20:00' }, { from: '18:00', to: '06:00' }])).toBe('06:00-20:00, 18:00-06:00');
  });

  it('builds timeWindows from a draft and names where it is wrong', () => {
    const tw: GatePolicy['timeWindows'] = {
      appliesTo: 'in',
      default: { workday: [{ from: '06:00', to: '20:00' }], holiday: [], stoppage: [] },
      byRole: { manager: { workday: [{ from: '00:00', to: '24:00' }], holiday: [{ from: '00:00', to: '24:00' }], stoppage: [{ from: '00:00', to: '24:00' }] } },
      byTeam: { '3': { workday: [{ from: '18:00', to: '06:00' }], holiday: [], stoppage: [] } },
    };
    const draft = draftOf(tw);
    expect(draft.byRole.worker).toBeNull();
    expect(timeWindowsOf(draft, 'in')).toEqual({ ok: true, value: tw });
    const bad = { ...draft, byTeam: { '3': { ...draft.byTeam['3']!, holiday: '9-17' } } };
    expect(timeWindowsOf(bad, 'in')).toEqual({ ok: false, where: 'team:3', day: 'holiday', bad: '9-17' });
  });
});
