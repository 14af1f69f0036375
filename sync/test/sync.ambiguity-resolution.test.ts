// Ambiguity resolution: records whose send had an unclear outcome are checked against the
// platform before anything is sent again. As a property of the counting (rows in any order,
// identical-looking records, duplicates already on the platform), and against the real
// simulator capped at 50 rows a page with 30 % of queries failing in passing: for a worker with
// up to 130 records in a day, exactly the records the platform holds are judged delivered and
// exactly the others are sent again — no duplicate, nothing lost.
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemClock } from '../../edge-core/src/ports/clock.js';
import { outboxError } from '../../edge-core/src/ports/platform.js';
import { AmbiguityResolver, matchOnPlatform, type Unclear } from '../src/outbox/ambiguity-resolver.js';
import { ItemOutcomes } from '../src/outbox/item-outcomes.js';
import { formatDateTime } from '../src/platform/timestamp.js';
import { openAppliance } from './support/appliance.js';
import { fakeResidentId } from './support/fake-ids.js';
import { startSimFixture, type SimFixture } from './support/sim-setup.js';

const TZ = 'Asia/Shanghai';
const day = Date.UTC(2026, 5, 1, 0, 0, 0); // 08:00 Beijing

describe('sync: counting unclear records against the platform', () => {
  const recordArb = fc.record({
    second: fc.integer({ min: 0, max: 30 }), // few distinct seconds: identical-looking records
    direction: fc.constantFrom<'in' | 'out'>('in', 'out'),
    fate: fc.constantFrom('confirmed', 'unclear-on-platform', 'unclear-absent'),
  });

  it('finds exactly as many records per (second, direction) as the platform holds beyond those confirmed', () => {
    fc.assert(
      fc.property(fc.array(recordArb, { maxLength: 60 }), fc.integer({ min: 0, max: 3 }), fc.infiniteStream(fc.nat()), (records, dupes, noise) => {
        const at = (s: number) => day + s * 1000;
        const key = (s: number, d: string) => `${formatDateTime(at(s), TZ)}|${d}`;
        const rows = records.filter((r) => r.fate !== 'unclear-absent').map((r) => ({ date: formatDateTime(at(r.second), TZ), direction: r.direction }));
        const confirmed = records.filter((r) => r.fate === 'confirmed').map((r) => ({ occurredAt: at(r.second), direction: r.direction }));
        const unclear: Unclear[] = records.flatMap((r, i) => (r.fate === 'confirmed' ? [] : [{ outboxId: i + 1, occurredAt: at(r.second), direction: r.direction }]));
        // Rows come in any order.
        const it = noise[Symbol.iterator]();
        const shuffled = [...rows].sort(() => ((it.next().value as number) % 3) - 1);
        const { found, absent } = matchOnPlatform(unclear, shuffled, confirmed, TZ);
        expect([...found, ...absent].sort((a, b) => a - b)).toEqual(unclear.map((u) => u.outboxId));
        const count = (list: Array<{ second: number; direction: string }>, k: string) => list.filter((r) => key(r.second, r.direction) === k).length;
        for (const k of new Set(records.map((r) => key(r.second, r.direction)))) {
          const onPlatform = count(records.filter((r) => r.fate === 'unclear-on-platform'), k);
          const judged = found.filter((id) => {
            const r = records[id - 1];
            return r !== undefined && key(r.second, r.direction) === k;
          }).length;
          expect(judged).toBe(onPlatform);
        }
        // A duplicate already on the platform never makes an absent record look present beyond it.
        if (dupes > 0 && rows[0]) {
          const extra = matchOnPlatform(unclear, [...rows, ...Array.from({ length: dupes }, () => rows[0] as (typeof rows)[number])], confirmed, TZ);
          expect(extra.found.length).toBeLessThanOrEqual(found.length + dupes);
          expect(extra.found.length).toBeGreaterThanOrEqual(found.length);
        }
      }),
      { numRuns: 1000 },
    );
  });
});

describe('sync: resolving unclear sends on a page-capped platform with failing queries', () => {
  let f: SimFixture;
  const WORKERS = 16;
  beforeAll(async () => {
    // The appliance asks for 100 rows a page; the platform answers at most 50.
    f = await startSimFixture({ maxPageSize: 50, rateLimit: null }, { pageSize: 100 }, WORKERS);
  });
  afterAll(async () => {
    await f.close();
  });

  it('judges delivered exactly the records the platform holds, whatever their number and order', async () => {
    let run = 0;
    await fc.assert(
      fc.asyncProperty(
        // Half the worker-days span more than one capped page (over 50 records).
        fc.oneof(fc.integer({ min: 1, max: 50 }), fc.integer({ min: 75, max: 130 })).chain((n) => fc.array(fc.constantFrom('confirmed', 'unclear-on-platform', 'unclear-absent'), { minLength: n, maxLength: n })),
        fc.integer({ min: 1, max: 1000 }),
        async (fates, seed) => {
        const w = run++ % WORKERS;
        const dayOf = day + run * 86_400_000; // a fresh worker-day per run
        const a = openAppliance({ teamSysNo: f.teamSysNo, workers: WORKERS });
        try {
          const workerId = a.workerIds[w] ?? null;
          fates.forEach((_, i) => a.attendance.record({ laneId: 'lane-1', workerId, direction: i % 2 ? 'out' : 'in', decision: 'pass', occurredAt: dayOf + i * 1000 }));
          const items = a.outbox.claimable(Date.now() + 1000, 500);
          expect(items.length).toBe(fates.length);
          const att = a.outbox.attendanceForPlatform(items);
          // What reached the platform before the outcome became unclear (sent in shuffled batches).
          const onPlatform = att.filter((_, i) => fates[i] !== 'unclear-absent').sort((x, y) => ((x.outboxId * seed) % 7) - ((y.outboxId * seed) % 7));
          for (let i = 0; i < onPlatform.length; i += 20) await f.client.addAttendance(f.teamSysNo, onPlatform.slice(i, i + 20));
          a.outbox.markInflight(items.map((i) => i.id), Date.now());
          a.outbox.markSent(att.filter((_, i) => fates[i] === 'confirmed').map((x) => x.outboxId), Date.now());
          const unclear = att.filter((_, i) => fates[i] !== 'confirmed');
          a.outbox.markAmbiguous(unclear.map((x) => x.outboxId), outboxError('result_timeout'), Date.now());

          // 30 % of queries fail in passing (HTTP 500, −5) while the resolver pages.
          f.sim.setRandomFaults({ rate: 0.3, kinds: ['http500', 'code-5'], methods: ['WorkerAttendance.Query'] }, seed);
          const resolver = new AmbiguityResolver({
            outbox: a.outbox,
            client: f.client,
            clock: systemClock,
            outcomes: new ItemOutcomes({ outbox: a.outbox, clock: systemClock, backoff: { baseMs: 1, maxMs: 5 }, random: Math.random, budgetMs: 3600_000, emit: () => {} }),
            backoff: { baseMs: 1, maxMs: 5 },
            random: Math.random,
            succeeded: () => {},
            failed: () => false,
            emit: () => {},
            pageAttempts: 10,
          });
          for (let attempt = 0; attempt < 20 && a.outbox.counts().ambiguous > 0; attempt++) {
            const due = a.outbox.attendanceForPlatform(a.outbox.ambiguous(500));
            await resolver.resolve(due);
            if (a.outbox.counts().ambiguous > 0) a.outbox.markAmbiguous(a.outbox.ambiguous(500).map((i) => i.id), outboxError('result_timeout'), Date.now());
          }
          f.sim.setRandomFaults(null);
          const state = (id: number) => a.store.db.prepare('SELECT state FROM outbox WHERE id = ?').pluck().get(id);
          att.forEach((x, i) => {
            const expected = fates[i] === 'unclear-absent' ? 'pending' : 'sent';
            expect([i, state(x.outboxId)]).toEqual([i, expected]);
          });
          const held = f.sim.store.attendanceFor('TEST-PROJECT-001', fakeResidentId(w), formatDateTime(dayOf, TZ).slice(0, 10), 0, 1000).total;
          expect(held).toBe(fates.filter((x) => x !== 'unclear-absent').length);
        } finally {
          a.close();
          f.sim.setRandomFaults(null);
        }
        },
      ),
      { numRuns: 12 },
    );
  }, 300_000);
});
