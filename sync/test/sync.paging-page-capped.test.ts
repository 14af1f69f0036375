// Reading a paged platform query without trusting a page size: against model platforms that
// cap their pages (offset by their own size or by the size asked), omit totalCount, answer −1
// past the last page, and fail some requests, every row is read exactly once; a platform whose
// pages do not add up is an error, never a short list (a short list resends records: duplicates).
// Then the real simulator with its page cap, through the real client.
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from '../src/platform/client.js';
import { PlatformError } from '../src/platform/errors.js';
import { readAllPages } from '../src/platform/paging.js';
import { pullRoster, ROSTER_CURSOR } from '../src/roster/roster-pull.js';
import { createRosterSink } from '../src/roster/roster-sink.js';
import { openAppliance } from './support/appliance.js';
import { fakeResidentId } from './support/fake-ids.js';
import { startSimFixture, type SimFixture } from './support/sim-setup.js';

interface ModelPlatform {
  rows: number;
  /** Rows per page at most, whatever is asked (null: as asked). */
  cap: number | null;
  /** How the offset is computed: by the capped size, or by the size asked. */
  offsetBy: 'capped' | 'asked';
  totalCount: boolean;
  /** Past the last page: an empty page, or −1. */
  pastEnd: 'empty' | 'code-1';
  /** Indexes of requests that fail once with a passing error (HTTP 500 / −5). */
  failing: Set<number>;
}

function modelFetch(p: ModelPlatform): { fetch: (i: number, size: number) => Promise<Page<number>>; calls: () => number } {
  let calls = 0;
  return {
    calls: () => calls,
    fetch: async (pageIndex, pageSize) => {
      const call = calls++;
      if (p.failing.has(call)) throw new PlatformError(call % 2 ? 'http_status' : 'rate_limited', { delivery: 'rejected', retry: 'backoff', httpStatus: 500 });
      const size = p.cap === null ? pageSize : Math.min(pageSize, p.cap);
      const offset = pageIndex * (p.offsetBy === 'capped' ? size : pageSize);
      if (offset >= p.rows && pageIndex > 0 && p.pastEnd === 'code-1') {
        throw new PlatformError('bad_parameters', { delivery: 'rejected', retry: 'never', code: -1, detail: 'pageIndex 超出范围' });
      }
      const rows = Array.from({ length: Math.max(0, Math.min(size, p.rows - offset)) }, (_, k) => offset + k);
      return { rows, totalCount: p.totalCount ? p.rows : null };
    },
  };
}

const retryPassing = async (e: unknown, attempt: number): Promise<boolean> => e instanceof PlatformError && e.retry === 'backoff' && attempt < 3;

const platformArb = fc.record({
  rows: fc.integer({ min: 0, max: 400 }),
  cap: fc.option(fc.integer({ min: 1, max: 120 }), { nil: null }),
  offsetBy: fc.constantFrom('capped' as const, 'asked' as const),
  totalCount: fc.boolean(),
  pastEnd: fc.constantFrom('empty' as const, 'code-1' as const),
  failing: fc.uniqueArray(fc.integer({ min: 0, max: 40 }), { maxLength: 6 }).map((a) => new Set(a.filter((i, _, all) => !all.includes(i - 1)))),
});

describe('sync: paging a platform that caps its page size', () => {
  it('reads every row exactly once, whatever the cap, offset rule, totalCount or passing failures', async () => {
    await fc.assert(
      fc.asyncProperty(platformArb, fc.integer({ min: 1, max: 100 }), async (p, asked) => {
        const m = modelFetch(p);
        const rows = await readAllPages(m.fetch, { pageSize: asked, onPageError: retryPassing });
        expect(rows).toEqual(Array.from({ length: p.rows }, (_, i) => i));
      }),
      { numRuns: 400 },
    );
  });

  it('a page cap of 50 with a truthful totalCount: 251 rows asked 100 at a time are all read', async () => {
    const m = modelFetch({ rows: 251, cap: 50, offsetBy: 'capped', totalCount: true, pastEnd: 'empty', failing: new Set() });
    const rows = await readAllPages(m.fetch, { pageSize: 100 });
    expect(rows.length).toBe(251);
    expect(m.calls()).toBe(6);
  });

  it('pages that do not add up are an error, never a short list', async () => {
    const lying = (mutate: (page: number, rows: number[]) => Page<number>) => async (pageIndex: number, pageSize: number) => {
      const size = Math.min(pageSize, 50);
      const rows = Array.from({ length: Math.max(0, Math.min(size, 120 - pageIndex * size)) }, (_, k) => pageIndex * size + k);
      return mutate(pageIndex, rows);
    };
    const kindOf = async (p: Promise<unknown>) => {
      try {
        await p;
      } catch (e) {
        return e instanceof PlatformError ? e.kind : String(e);
      }
      return 'no error';
    };
    // A page missing in the middle (the platform lost track): empty before the total was read.
    expect(await kindOf(readAllPages(lying((i, rows) => ({ rows: i === 1 ? [] : rows, totalCount: 120 })), { pageSize: 50 }))).toBe('inconsistent_reply');
    // A short page before the total.
    expect(await kindOf(readAllPages(lying((i, rows) => ({ rows: i === 1 ? rows.slice(0, 10) : rows, totalCount: 120 })), { pageSize: 50 }))).toBe('inconsistent_reply');
    // totalCount changes while paging (a late write landed): read again later.
    expect(await kindOf(readAllPages(lying((i, rows) => ({ rows, totalCount: i === 0 ? 120 : 121 })), { pageSize: 50 }))).toBe('inconsistent_reply');
    // More rows than totalCount.
    expect(await kindOf(readAllPages(lying((_, rows) => ({ rows, totalCount: 30 })), { pageSize: 50 }))).toBe('inconsistent_reply');
    // More rows than asked.
    expect(await kindOf(readAllPages(async () => ({ rows: [1, 2, 3], totalCount: null }), { pageSize: 2 }))).toBe('inconsistent_reply');
    // A passing failure without a retry policy is passed on as it is.
    expect(
      await kindOf(
        readAllPages(async () => {
          throw new PlatformError('http_status', { delivery: 'rejected', retry: 'backoff', httpStatus: 500 });
        }, { pageSize: 50 }),
      ),
    ).toBe('http_status');
  });
});

describe('sync: WorkerAttendance.Query on the page-capped simulator', () => {
  let f: SimFixture;
  const day = Date.UTC(2026, 3, 1, 1, 0, 0); // 09:00 Beijing
  beforeAll(async () => {
    f = await startSimFixture({ maxPageSize: 50 }, { pageSize: 100 }, 120);
    for (let i = 0; i < 251; i += 20) {
      const n = Math.min(20, 251 - i);
      await f.client.addAttendance(
        f.teamSysNo,
        Array.from({ length: n }, (_, k) => ({ idType: '01', idNumber: fakeResidentId(0), occurredAt: day + (i + k) * 1000, direction: (i + k) % 2 ? ('out' as const) : ('in' as const) })),
      );
    }
  });
  afterAll(async () => {
    await f.close();
  });

  it('answers at most 50 rows whatever pageSize is asked, with a truthful totalCount', async () => {
    const p = await f.client.queryAttendance({ date: '2026-04-01', idNumber: fakeResidentId(0), pageIndex: 0, pageSize: 100 });
    expect(p.rows.length).toBe(50);
    expect(p.totalCount).toBe(251);
  });

  it('every one of the 251 rows of the day is read with the configured page size of 100', async () => {
    const rows = await readAllPages((pageIndex, pageSize) => f.client.queryAttendance({ date: '2026-04-01', idNumber: fakeResidentId(0), pageIndex, pageSize }), {
      pageSize: f.client.config.pageSize,
    });
    expect(rows.length).toBe(251);
    expect(new Set(rows.map((r) => r.date)).size).toBe(251);
  });
});

describe('sync: roster pull from the page-capped simulator', () => {
  it('pulls all 120 workers with pageSize 100 configured and 50 answered, resuming by the platform’s page size', async () => {
    const f = await startSimFixture({ maxPageSize: 50 }, { pageSize: 100 }, 120);
    const b = openAppliance({ teamSysNo: f.teamSysNo });
    try {
      const sink = createRosterSink(b.workers);
      const clock = { now: () => Date.now() };
      const first = await pullRoster({ client: f.client, cursors: b.cursors, sink, clock, maxPages: 1 });
      expect(first).toMatchObject({ pulled: 50, complete: false });
      expect(JSON.parse(b.cursors.get(ROSTER_CURSOR) ?? '{}')).toMatchObject({ pageIndex: 1, pageSize: 50, read: 50 });
      const rest = await pullRoster({ client: f.client, cursors: b.cursors, sink, clock });
      expect(rest).toMatchObject({ pulled: 70, created: 70, complete: true, fullResync: false });
      expect(b.workers.list({ limit: 500 }).length).toBe(120);
    } finally {
      b.close();
      await f.close();
    }
  });
});
