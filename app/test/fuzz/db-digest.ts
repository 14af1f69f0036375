// A digest of the business state in the core's SQLite database, to prove that a refused
// request (4xx) changed nothing. Every table is included (found from sqlite_master, so a table
// added later is covered without touching this file) except for the rows and columns below,
// which a refusal legitimately writes.
import { createHash } from 'node:crypto';
import type Database from 'better-sqlite3';

/**
 * Audit actions that record a refused login itself. The PIN lockout (issue 8 item 2, the
 * foundation's RolePins) must audit every failed, locked and rate-limited attempt (coalesced
 * per source and minute since issue 14 item 5, so a row may be written by a later request or a
 * timer, always by refusals of this kind); these rows are append-only (a trigger refuses UPDATE/DELETE), so they can only ever be added, and
 * only by the refusal they describe.
 */
export const REFUSAL_AUDIT_ACTIONS = ['login.failed', 'login.locked', 'login.rate_limited', 'login.no_account', 'login.disabled'] as const;

interface Exclusion {
  /** Columns left out of the digest. */
  columns?: string[];
  /** SQL condition selecting the rows left out. */
  rowsWhere?: string;
}

const refusalActions = REFUSAL_AUDIT_ACTIONS.map((a) => `'${a}'`).join(',');

const EXCLUSIONS: Record<string, Exclusion> = {
  // The audit rows of refused logins (see REFUSAL_AUDIT_ACTIONS).
  audit_log: { rowsWhere: `action IN (${refusalActions})` },
  // Each audit row gets its signed, hash-chained ledger entry in the same transaction (issue 8
  // item 1), so the entry of a refused-login audit row is part of that same refusal record.
  ledger: { rowsWhere: `kind = 'audit' AND ref IN (SELECT CAST(id AS TEXT) FROM audit_log WHERE action IN (${refusalActions}))` },
  // The kiosk's lockout counters: a wrong PIN must count against the account and may lock it;
  // the PIN hash and everything else about the account stay in the digest.
  accounts: { columns: ['failed_attempts', 'locked_until'] },
};

export interface DbDigest {
  /** sha256 over every included row of every table. */
  hash: string;
  /** Included rows per table, to say where a difference is. */
  counts: Record<string, number>;
  /** sha256 per table. */
  tables: Record<string, string>;
}

/** Digests the database; the per-table statements are prepared once per schema version. */
export class DbDigester {
  #schemaVersion = -1;
  #tables: Array<{ name: string; select: Database.Statement }> = [];

  constructor(private readonly db: Database.Database) {}

  digest(): DbDigest {
    const version = this.db.pragma('schema_version', { simple: true }) as number;
    if (version !== this.#schemaVersion) this.#prepare(version);
    const all = createHash('sha256');
    const counts: Record<string, number> = {};
    const perTable: Record<string, string> = {};
    for (const t of this.#tables) {
      const h = createHash('sha256');
      const rows = t.select.all() as unknown[][];
      for (const row of rows) {
        for (const v of row) h.update(encodeValue(v));
        h.update('\n');
      }
      const digest = h.digest('hex');
      counts[t.name] = rows.length;
      perTable[t.name] = digest;
      all.update(`${t.name}:${rows.length}:${digest};`);
    }
    return { hash: all.digest('hex'), counts, tables: perTable };
  }

  #prepare(version: number): void {
    const tables = this.db
      .prepare("SELECT name, sql FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name")
      .all() as Array<{ name: string; sql: string | null }>;
    this.#tables = tables.map((t) => {
      const ex = EXCLUSIONS[t.name] ?? {};
      const cols = (this.db.prepare(`PRAGMA table_info("${t.name}")`).all() as Array<{ name: string }>)
        .map((c) => c.name)
        .filter((c) => !ex.columns?.includes(c));
      const withoutRowid = /WITHOUT\s+ROWID/i.test(t.sql ?? '');
      const order = withoutRowid ? cols.map((_c, i) => String(i + 1)).join(', ') : 'rowid';
      const sql = `SELECT ${cols.map((c) => `"${c}"`).join(', ')} FROM "${t.name}"${ex.rowsWhere ? ` WHERE NOT (${ex.rowsWhere})` : ''} ORDER BY ${order}`;
      return { name: t.name, select: this.db.prepare(sql).raw() };
    });
    this.#schemaVersion = version;
  }
}

export function dbDigest(db: Database.Database): DbDigest {
  return new DbDigester(db).digest();
}

function encodeValue(v: unknown): string | Buffer {
  if (v === null || v === undefined) return '\u0000N|';
  if (Buffer.isBuffer(v)) return Buffer.concat([Buffer.from(`\u0000B${v.length}|`), v]);
  const s = String(v);
  return `\u0000${typeof v === 'string' ? 'S' : 'V'}${s.length}|${s}`;
}

/** The tables whose digest differs, with their row counts before and after. */
export function describeDifference(before: DbDigest, after: DbDigest): string {
  const names = new Set([...Object.keys(before.tables), ...Object.keys(after.tables)]);
  return [...names]
    .filter((n) => before.tables[n] !== after.tables[n])
    .map((n) => `${n} (rows ${before.counts[n] ?? 'absent'} -> ${after.counts[n] ?? 'absent'})`)
    .join(', ');
}

/**
 * A cheap marker that moves whenever anything is written: this connection's total_changes()
 * (every row inserted, updated or deleted through the core's own connection) and data_version
 * (commits by any other connection to the same file).
 */
export function writeMarker(db: Database.Database): string {
  const changes = (db.prepare('SELECT total_changes() AS n').get() as { n: number }).n;
  const version = db.pragma('data_version', { simple: true }) as number;
  return `${changes}/${version}`;
}
