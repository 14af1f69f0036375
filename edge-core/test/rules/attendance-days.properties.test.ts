import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { computeAttendanceDays, computeMonthlySheet, type PassEvent, type SheetWorker } from '../../src/rules/index.js';
import { at, TZ } from './fixtures.js';

const base = at('2026-03-01 00:00');

/** Random passed events of up to three workers over the first days of March 2026 (with some at the edges). */
const eventsArb = fc
  .array(
    fc.record({
      workerId: fc.integer({ min: 1, max: 3 }),
      direction: fc.constantFrom('in' as const, 'out' as const),
      // from 1 day before the month to 6 days into it, second resolution
      offsetS: fc.integer({ min: -86_400, max: 6 * 86_400 }),
      laneId: fc.constantFrom('lane-1', 'lane-2', 'lane-3'),
      isMakeup: fc.boolean(),
    }),
    { maxLength: 60 },
  )
  .map((rows) =>
    rows.map((r, i): PassEvent => ({ id: `p${String(i).padStart(4, '0')}`, workerId: r.workerId, direction: r.direction, laneId: r.laneId, occurredAt: base + r.offsetS * 1000, timeZone: TZ, isMakeup: r.isMakeup })),
  );

const shuffled = <T>(xs: readonly T[]) => fc.shuffledSubarray([...xs], { minLength: xs.length, maxLength: xs.length });

describe('attendance day computation: properties', () => {
  it('the order of events does not change the result', () => {
    fc.assert(
      fc.property(
        eventsArb.chain((events) => fc.tuple(fc.constant(events), shuffled(events))),
        ([events, permuted]) => {
          expect(computeAttendanceDays(permuted)).toEqual(computeAttendanceDays(events));
        },
      ),
      { numRuns: 300 },
    );
  });

  it('totals reconcile: every event in exactly one day, minutes = Σ sessions = Σ ⌊(out − in) / 60 s⌋, nothing invented', () => {
    fc.assert(
      fc.property(eventsArb, (events) => {
        const days = computeAttendanceDays(events);
        const ids = days.flatMap((d) => d.eventIds).sort();
        expect(ids).toEqual(events.map((e) => e.id).sort());
        for (const d of days) {
          expect(d.minutes).toBe(d.sessions.reduce((a, s) => a + s.minutes, 0));
          for (const s of d.sessions) {
            if (s.inAt === null || s.outAt === null) expect(s.minutes).toBe(0);
            else {
              expect(s.minutes).toBe(Math.floor((s.outAt - s.inAt) / 60_000));
              expect(s.outAt).toBeGreaterThanOrEqual(s.inAt);
              expect(s.minutes).toBeLessThanOrEqual(16 * 60);
            }
          }
          if (d.minutes > 0) expect(d.firstIn !== null && d.lastOut !== null).toBe(true);
        }
        // one day per worker and date, ordered
        const keys = days.map((d) => `${d.workerId}|${d.date}`);
        expect(new Set(keys).size).toBe(keys.length);
      }),
      { numRuns: 300 },
    );
  });

  it('the monthly sheet reconciles with the days and its group totals with its rows', () => {
    const workers: SheetWorker[] = [1, 2, 3].map((id) => ({
      workerId: id,
      name: `测试${'甲乙丙'[id - 1]}`,
      idNumberMasked: '9999**********000X',
      employerId: 1,
      employerName: '测试劳务公司',
      teamId: id === 3 ? 20 : 10,
      teamName: id === 3 ? '木工班' : '钢筋班',
      role: 'worker',
    }));
    fc.assert(
      fc.property(eventsArb, (events) => {
        const sheet = computeMonthlySheet({ month: '2026-03', groupBy: 'team', projectName: '测试项目', workers, events });
        const days = computeAttendanceDays(events).filter((d) => d.date.startsWith('2026-03'));
        for (const g of sheet.groups) {
          expect(g.totals.days).toBe(g.rows.reduce((a, r) => a + r.days, 0));
          expect(g.totals.minutes).toBe(g.rows.reduce((a, r) => a + r.minutes, 0));
          for (const r of g.rows) {
            const mine = days.filter((d) => d.workerId === r.workerId);
            expect(r.days).toBe(mine.length);
            expect(r.minutes).toBe(mine.reduce((a, d) => a + d.minutes, 0));
            expect(r.cells.filter((c) => c.present).length).toBe(r.days);
            expect(r.makeupDays).toBe(mine.filter((d) => d.flags.includes('makeup')).length);
          }
        }
        expect(sheet.groups.reduce((a, g) => a + g.totals.minutes, 0)).toBe(days.reduce((a, d) => a + d.minutes, 0));
      }),
      { numRuns: 150 },
    );
  });
});
