// Append-only audit log (the table refuses UPDATE and DELETE by trigger). Details must not
// carry personal data in clear: callers pass masked values.
import type { Store } from './store.js';
import { auditPayloadHash, type AuditLedgerRow } from './ledger-codec.js';
import type { AuditEntry } from '../domain/records.js';
export type { AuditEntry } from '../domain/records.js';

export class AuditLog {
  readonly #insert;
  constructor(private readonly store: Store) {
    this.#insert = store.db.prepare(
      'INSERT INTO audit_log (at, actor, action, target, details_json) VALUES (?, ?, ?, ?, ?)',
    );
  }

  /** Appends an entry; call inside the same transaction as the change it records. */
  append(actor: string, action: string, target: string | null = null, details: Record<string, unknown> = {}): number {
    return appendAudit(this.store, this.#insert, actor, action, target, details);
  }

  list(opts: { limit?: number; beforeId?: number; action?: string } = {}): AuditEntry[] {
    const rows = this.store.db
      .prepare(
        `SELECT id, at, actor, action, target, details_json FROM audit_log
         WHERE (? IS NULL OR id < ?) AND (? IS NULL OR action = ?)
         ORDER BY id DESC LIMIT ?`,
      )
      .all(opts.beforeId ?? null, opts.beforeId ?? null, opts.action ?? null, opts.action ?? null, opts.limit ?? 100) as AuditLedgerRow[];
    return rows.map((r) => ({ id: r.id, at: r.at, actor: r.actor, action: r.action, target: r.target, details: JSON.parse(r.details_json) }));
  }
}

/** Inserts an audit row and its ledger entry atomically (a savepoint when already in a transaction). */
export function appendAudit(
  store: Store,
  insert: { run(...params: unknown[]): { lastInsertRowid: number | bigint } },
  actor: string,
  action: string,
  target: string | null,
  details: Record<string, unknown>,
): number {
  const at = store.clock.now();
  const detailsJson = JSON.stringify(details);
  return store.db.transaction(() => {
    const id = Number(insert.run(at, actor, action, target, detailsJson).lastInsertRowid);
    store.ledger.append('audit', String(id), auditPayloadHash({ id, at, actor, action, target, details_json: detailsJson }));
    return id;
  })();
}
