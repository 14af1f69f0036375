// The incremental roster pull's cursor: overlap, duplicates, out-of-order pages, a list that
// moves while it is read, and a device clock far from the platform's. The platform here is an
// in-memory model (rows stamped with its own clock, visible up to `lag` seconds after their
// stamp, offset paging by change time with a truthful totalCount); the pull, the paging and the
// cursor are the real code.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { advance, NO_CURSOR, planChanges, queryFrom, type ChangeCursor } from '../src/roster/change-cursor.js';
import { pullRosterChanges, ROSTER_CHANGES_CURSOR } from '../src/roster/roster-changes.js';
import type { PlatformWorkerRow } from '../src/platform/client.js';
import type { RosterSinkPort, SyncCursorPort } from '../../edge-core/src/ports/platform.js';
import { formatDateTime } from '../src/platform/timestamp.js';

const TZ = 'UTC';
const wall = (sec: number): string => formatDateTime(sec * 1000, TZ);

interface ModelRow {
  key: string;
  version: number;
  stamp: number;
  visibleAt: number;
  blacklisted: boolean;
}

/** The model platform: its clock, its rows, changes queued to land while a reader pages. */
class ModelPlatform {
  now = 1_000_000;
  rows = new Map<string, ModelRow>();
  /** Changes landing between page reads: key, blacklisted, lag (s). */
  pending: Array<{ key: string; blacklisted: boolean; lag: number; after: number }> = [];
  pageCost = 1;

  change(key: string, blacklisted: boolean, lag: number): void {
    const prev = this.rows.get(key);
    this.rows.set(key, { key, version: (prev?.version ?? 0) + 1, stamp: this.now - lag, visibleAt: this.now, blacklisted });
  }

  latest(): Map<string, number> {
    return new Map([...this.rows.values()].map((r) => [r.key, r.version]));
  }

  client(pageSizeCap = Infinity) {
    const queryWorkers = (pageIndex: number, pageSize = 3, changedSince?: string): Promise<{ rows: PlatformWorkerRow[]; totalCount: number }> => {
      // Changes queued for this moment land first, then the page is read, then time passes.
      const due = this.pending.filter((p) => p.after <= 0);
      this.pending = this.pending.filter((p) => p.after > 0).map((p) => ({ ...p, after: p.after - 1 }));
      for (const d of due) this.change(d.key, d.blacklisted, d.lag);
      const since = changedSince ?? wall(0);
      const list = [...this.rows.values()]
        .filter((r) => r.visibleAt <= this.now && wall(r.stamp) >= since)
        .sort((a, b) => a.stamp - b.stamp || (a.key < b.key ? -1 : 1));
      const size = Math.min(pageSize, pageSizeCap);
      const rows = list.slice(pageIndex * size, pageIndex * size + size).map(
        (r): PlatformWorkerRow => ({
          name: `v${r.version}`,
          idType: '01',
          idNumber: r.key,
          teamSysNo: null,
          tradeCode: null,
          corpCode: null,
          corpName: null,
          isTeamLeader: false,
          hasContract: false,
          hasInsurance: false,
          headImageJpeg: null,
          updateTime: wall(r.stamp),
          blacklisted: r.blacklisted,
          exitDate: null,
          raw: {},
        }),
      );
      this.now += this.pageCost;
      return Promise.resolve({ rows, totalCount: list.length });
    };
    return { queryWorkers, config: { pageSize: 3, timeZone: TZ } };
  }
}

function memoryCursors(): SyncCursorPort & { map: Map<string, string> } {
  const map = new Map<string, string>();
  return { map, get: (k) => map.get(k) ?? null, set: (k, v) => void map.set(k, v), delete: (k) => void map.delete(k) };
}

function replicaSink(): RosterSinkPort & { versions: Map<string, number>; order: string[] } {
  const versions = new Map<string, number>();
  const order: string[] = [];
  return {
    versions,
    order,
    upsertFromPlatform(w) {
      order.push(w.idNumber);
      const v = Number(w.name.slice(1));
      const had = versions.get(w.idNumber);
      versions.set(w.idNumber, v);
      return had === undefined ? 'created' : had === v ? 'unchanged' : 'updated';
    },
  };
}

const keyArb = fc.constantFrom('K1', 'K2', 'K3', 'K4', 'K5', 'K6', 'K7');

describe('roster change cursor (property)', () => {
  it('converges on the platform whatever lands while pages are read, with the device clock skewed by hours', async () => {
    const LAG = 4;
    await fc.assert(
      fc.asyncProperty(
        fc.array(
          fc.oneof(
            fc.record({ op: fc.constant('change' as const), key: keyArb, blacklisted: fc.boolean(), lag: fc.integer({ min: 0, max: LAG }), wait: fc.integer({ min: 0, max: 120 }) }),
            fc.record({ op: fc.constant('during' as const), key: keyArb, blacklisted: fc.boolean(), lag: fc.integer({ min: 0, max: LAG }), after: fc.integer({ min: 0, max: 4 }) }),
            fc.record({ op: fc.constant('pull' as const), cost: fc.integer({ min: 0, max: 6 }) }),
          ),
          { maxLength: 40 },
        ),
        fc.integer({ min: -6 * 3600_000, max: 6 * 3600_000 }),
        async (script, skewMs) => {
          const p = new ModelPlatform();
          const cursors = memoryCursors();
          const sink = replicaSink();
          const clock = { now: () => p.now * 1000 + skewMs };
          const pull = () => pullRosterChanges({ client: p.client(), cursors, sink, clock, overlapMs: LAG * 1000, pageSize: 3 }).catch(() => null);
          for (const s of script) {
            if (s.op === 'change') {
              p.change(s.key, s.blacklisted, s.lag);
              p.now += s.wait;
            } else if (s.op === 'during') p.pending.push({ key: s.key, blacklisted: s.blacklisted, lag: s.lag, after: s.after });
            else {
              p.pageCost = s.cost;
              await pull();
            }
          }
          // Quiet: whatever was still to land lands, every commit is visible, one more pull.
          for (const d of p.pending) p.change(d.key, d.blacklisted, d.lag);
          p.pending = [];
          p.now += LAG + 1;
          p.pageCost = 1;
          await pull();
          expect(sink.versions).toEqual(p.latest());
        },
      ),
      { numRuns: 1000 },
    );
  });

  it('misses a change that became visible late when there is no overlap (the overlap is what catches it)', async () => {
    const p = new ModelPlatform();
    const cursors = memoryCursors();
    const sink = replicaSink();
    const clock = { now: () => p.now * 1000 };
    p.pageCost = 0;
    p.now = 1000;
    p.change('K1', false, 5); // stamped 995, visible only from 1000
    p.now = 998;
    const k1 = p.rows.get('K1');
    if (k1) k1.visibleAt = 1000;
    p.change('K2', false, 0); // stamped 998, visible at once
    const run = (overlapMs: number) => pullRosterChanges({ client: p.client(), cursors, sink, clock, overlapMs, pageSize: 3 });
    await run(0);
    expect(sink.versions.has('K2')).toBe(true);
    expect(sink.versions.has('K1')).toBe(false);
    p.now = 1001;
    await run(0);
    expect(sink.versions.has('K1')).toBe(false);
    await run(5000);
    expect(sink.versions.get('K1')).toBe(1);
  });

  it('keeps the cursor where it was when a worker is listed twice (the list moved under the reader)', async () => {
    const p = new ModelPlatform();
    const cursors = memoryCursors();
    const sink = replicaSink();
    for (const k of ['K1', 'K2', 'K3', 'K4', 'K5']) {
      p.change(k, false, 0);
      p.now += 1;
    }
    const clock = { now: () => p.now * 1000 };
    // K1 (read on page 0) changes before page 1 is read: it moves to the end, K4 slides onto page 0.
    p.pending.push({ key: 'K1', blacklisted: true, lag: 0, after: 1 });
    const r = await pullRosterChanges({ client: p.client(), cursors, sink, clock, overlapMs: 0, pageSize: 3 });
    expect(r.drift).toBe(true);
    expect(sink.versions.has('K4')).toBe(false);
    expect(JSON.parse(cursors.get(ROSTER_CHANGES_CURSOR) ?? '{}').since).toBeNull();
    await pullRosterChanges({ client: p.client(), cursors, sink, clock, overlapMs: 0, pageSize: 3 });
    expect(sink.versions).toEqual(p.latest());
  });

  it('applies one row per worker, the newest, status changes first, whatever the page order or duplicates', () => {
    const rowArb = fc.record({
      idNumber: keyArb,
      updateTime: fc.integer({ min: 0, max: 50 }).map((s) => wall(1_000_000 + s)),
      blacklisted: fc.boolean(),
      exitDate: fc.option(fc.constant('2026-11-20'), { nil: null }),
    });
    fc.assert(
      fc.property(fc.array(rowArb, { maxLength: 30 }), fc.infiniteStream(fc.nat()), (rows, seeds) => {
        const shuffled = [...rows].map((r) => ({ r, k: seeds.next().value as number })).sort((a, b) => a.k - b.k).map((x) => x.r);
        const a = planChanges(rows, undefined);
        const b = planChanges(shuffled, undefined);
        const keys = new Set(rows.map((r) => r.idNumber));
        expect(a.apply.length).toBe(keys.size);
        expect(a.drift).toBe(keys.size < rows.length);
        expect(b.drift).toBe(a.drift);
        // The newest change time of each worker is the one applied, in either order.
        const newest = (list: typeof rows): Map<string, string> =>
          new Map([...list].sort((x, y) => (x.updateTime < y.updateTime ? -1 : 1)).map((r): [string, string] => [r.idNumber, r.updateTime]));
        for (const plan of [a, b]) {
          expect(new Map(plan.apply.map((r) => [r.idNumber, r.updateTime]))).toEqual(newest(rows));
          const firstPlain = plan.apply.findIndex((r) => !r.blacklisted && !r.exitDate);
          if (firstPlain >= 0) expect(plan.apply.slice(firstPlain).every((r) => !r.blacklisted && !r.exitDate)).toBe(true);
        }
        expect(a.newest).toBe(b.newest);
      }),
      { numRuns: 500 },
    );
  });

  it('never moves the cursor back, and asks from the cursor less the overlap and the pull time', () => {
    fc.assert(
      fc.property(
        fc.option(fc.integer({ min: 0, max: 1e6 }), { nil: null }),
        fc.option(fc.integer({ min: 0, max: 1e6 }), { nil: null }),
        fc.boolean(),
        fc.integer({ min: 0, max: 600_000 }),
        fc.integer({ min: 0, max: 600_000 }),
        (since, newest, drift, span, overlap) => {
          const c: ChangeCursor = since === null ? NO_CURSOR : { since: wall(1e9 + since), spanMs: 0 };
          const next = advance(c, { drift, newest: newest === null ? null : wall(1e9 + newest) }, span);
          if (c.since !== null) expect(next.since !== null && next.since >= c.since).toBe(true);
          if (drift) expect(next.since).toBe(c.since);
          const from = queryFrom(next, overlap, TZ);
          if (next.since === null) expect(from).toBeUndefined();
          else {
            const back = (Date.parse(`${next.since.replace(' ', 'T')}Z`) - Date.parse(`${(from ?? '').replace(' ', 'T')}Z`)) / 1000;
            expect(back).toBeGreaterThanOrEqual((overlap + next.spanMs) / 1000);
            expect(back).toBeLessThan((overlap + next.spanMs) / 1000 + 1);
          }
        },
      ),
      { numRuns: 500 },
    );
  });
});
