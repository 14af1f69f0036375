// Issue 15 item 1: migration 0009 rebuilds the outbox to take the worker lifecycle ('worker_change')
// and uploaded refusals ('refusal'). Upgrading a store whose outbox holds rows in every state
// keeps every row as it was (ids, states, serial codes, errors), keeps the sync's indexes, and
// the new kinds are accepted afterwards — while an unknown kind is still refused.
import Database from 'better-sqlite3';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { DB_FILE, OutboxRepo, migrate, type Store } from '../../src/index.js';
import { migrations } from '../../src/store/migrations/index.js';
import { migration0009 } from '../../src/store/migrations/0009-worker-lifecycle.js';
import { fixedClock, openTestStore, tempDir } from './helpers.js';

let cleanup: () => void = () => {};
let open: Store | null = null;
afterEach(() => {
  open?.close();
  open = null;
  cleanup();
});

const T0 = Date.UTC(2026, 5, 1, 1, 0);
const COLUMNS = 'id, kind, ref_id, partition_key, state, attempts, next_attempt_at, first_attempt_at, request_serial_code, last_error, parked_reason, created_at, sent_at';

describe('upgrade: the outbox takes the worker lifecycle', () => {
  it('keeps every outbox row and index, and accepts the new kinds only', () => {
    const t = tempDir();
    cleanup = t.cleanup;
    const db = new Database(join(t.dir, DB_FILE));
    migrate(db, migrations.filter((m) => m.version < migration0009.version), () => T0);
    const put = db.prepare(`INSERT INTO outbox (${COLUMNS}) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)`);
    const rows = [
      [3, 'attendance', 'e-1', 'worker:1', 'sent', 1, T0, T0, 'RSC1', null, null, T0 - 9, T0],
      [7, 'worker', '1', 'worker:1', 'inflight', 2, T0, T0 - 5, 'RSC2', 'timeout', null, T0 - 8, null],
      [8, 'attendance', 'e-2', 'worker:2', 'ambiguous', 1, T0 + 1500, T0, null, 'reset', null, T0 - 7, null],
      [9, 'attendance', 'e-3', 'worker:2', 'parked', 1, T0, T0, null, '−1', '人员不在花名册', T0 - 6, null],
      [12, 'attendance', 'e-4', 'worker:3', 'pending', 0, T0, null, null, null, null, T0 - 5, null],
    ];
    for (const r of rows) put.run(...r);
    db.close();

    const { store, migrationsRun } = openTestStore(t.dir, fixedClock(T0));
    open = store;
    expect(migrationsRun).toContain(migration0009.version);
    expect(store.db.prepare(`SELECT ${COLUMNS} FROM outbox ORDER BY id`).raw().all()).toEqual(rows);
    const indexes = store.db.prepare("SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'outbox' AND name NOT LIKE 'sqlite_%' ORDER BY name").pluck().all();
    expect(indexes).toEqual(['outbox_awaiting', 'outbox_due', 'outbox_open_partition', 'outbox_partition', 'outbox_state_id']);
    // The claim still finds the pending row (through the state/id index).
    expect(new OutboxRepo(store).claimable(T0 + 10, 10).map((i) => i.id)).toEqual([12]);

    const add = store.db.prepare("INSERT INTO outbox (kind, ref_id, partition_key, next_attempt_at, created_at) VALUES (?, ?, 'worker:1', ?, ?)");
    expect(() => add.run('worker_change', '1', T0, T0)).not.toThrow();
    expect(() => add.run('refusal', 'e-9', T0, T0)).not.toThrow();
    expect(() => add.run('gossip', 'x', T0, T0)).toThrow(/CHECK/);
  });
});
