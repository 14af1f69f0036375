// The visitor pass form: datetime-local values round-trip, bad ones are refused, the default
// window runs to 18:00 (at least 4 h), and the entries field accepts 1–100 or empty.
import { describe, expect, it } from 'vitest';
import { defaultWindow, fromLocalInput, parseMaxEntries, toLocalInput } from '../../ui/src/lib/visitor-form.js';

describe('visitor form logic', () => {
  it('converts datetime-local values both ways and refuses junk', () => {
    const ms = new Date(2026, 10, 20, 9, 5).getTime();
    expect(toLocalInput(ms)).toBe('2026-11-20T09:05');
    expect(fromLocalInput('2026-11-20T09:05')).toBe(ms);
    expect(fromLocalInput('')).toBeNull();
    expect(fromLocalInput('2026-11-20 09:05')).toBeNull();
  });

  it('defaults to now until 18:00, or four hours late in the day', () => {
    expect(defaultWindow(new Date(2026, 10, 20, 9, 5, 30).getTime())).toEqual({ from: '2026-11-20T09:05', to: '2026-11-20T18:00' });
    expect(defaultWindow(new Date(2026, 10, 20, 16, 0).getTime())).toEqual({ from: '2026-11-20T16:00', to: '2026-11-20T20:00' });
  });

  it('reads the entries field', () => {
    expect(parseMaxEntries('')).toBeNull();
    expect(parseMaxEntries(' 2 ')).toBe(2);
    expect(parseMaxEntries('0')).toBeUndefined();
    expect(parseMaxEntries('101')).toBeUndefined();
    expect(parseMaxEntries('1.5')).toBeUndefined();
  });
});
