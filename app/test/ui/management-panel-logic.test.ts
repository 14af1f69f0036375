// Pure logic behind the dashboard's management-personnel panel and sheet export: the colour of
// each compliance status, the rate text and bar share, month arithmetic for the pickers, and
// the file-size text of the download progress.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  barShare,
  isMonth,
  monthAt,
  monthOf,
  rateText,
  shiftMonth,
  statusTone,
} from '../../ui/src/lib/compliance.js';
import { sizeText } from '../../ui/src/lib/bytes.js';

describe('management panel logic', () => {
  it('colours met / on track green, at risk amber, below / unreachable red, no construction days grey', () => {
    expect(statusTone('met')).toBe('ok');
    expect(statusTone('on_track')).toBe('ok');
    expect(statusTone('at_risk')).toBe('warn');
    expect(statusTone('below')).toBe('bad');
    expect(statusTone('unreachable')).toBe('bad');
    expect(statusTone('not_applicable')).toBe('muted');
  });

  it('writes rates with at most one decimal and a dash without construction days', () => {
    expect(rateText(80)).toBe('80 %');
    expect(rateText(66.7)).toBe('66.7 %');
    expect(rateText(0)).toBe('0 %');
    expect(rateText(null)).toBe('—');
  });

  it('keeps the bar share within 0…1', () => {
    expect(barShare(null)).toBe(0);
    expect(barShare(50)).toBe(0.5);
    expect(barShare(140)).toBe(1);
    expect(barShare(-3)).toBe(0);
  });

  it('shifts months across year ends and back', () => {
    expect(shiftMonth('2026-01', -1)).toBe('2025-12');
    expect(shiftMonth('2026-12', 1)).toBe('2027-01');
    expect(shiftMonth('2026-11', 0)).toBe('2026-11');
    expect(() => shiftMonth('2026-13', 1)).toThrow(RangeError);
    fc.assert(
      fc.property(
        fc.integer({ min: 2000, max: 2100 }),
        fc.integer({ min: 1, max: 12 }),
        fc.integer({ min: -40, max: 40 }),
        (y, m, d) => {
          const start = `${y}-${String(m).padStart(2, '0')}`;
          const moved = shiftMonth(start, d);
          expect(isMonth(moved)).toBe(true);
          expect(shiftMonth(moved, -d)).toBe(start);
        },
      ),
    );
  });

  it('reads months from site dates and moments, and rejects non-months', () => {
    expect(monthOf('2026-11-24')).toBe('2026-11');
    expect(isMonth(monthAt(Date.UTC(2026, 5, 15, 12)))).toBe(true);
    expect(isMonth('2026-00')).toBe(false);
    expect(isMonth('2026-1')).toBe(false);
    expect(isMonth('')).toBe(false);
  });

  it('writes download sizes in B, KB and MB', () => {
    expect(sizeText(512)).toBe('512 B');
    expect(sizeText(8 * 1024)).toBe('8 KB');
    expect(sizeText(3.5 * 1024 * 1024)).toBe('3.5 MB');
  });
});
