// Named sync checkpoints (e.g. the roster download position) in `sync_cursors`.
import type { Store } from './store.js';
import type { SyncCursorPort } from '../ports/platform.js';

export class SyncCursorRepo implements SyncCursorPort {
  readonly #get;
  readonly #set;
  readonly #del;

  constructor(store: Store) {
    this.#get = store.db.prepare('SELECT value FROM sync_cursors WHERE name = ?');
    this.#set = store.db.prepare(
      `INSERT INTO sync_cursors (name, value, updated_at) VALUES (?, ?, ?)
       ON CONFLICT (name) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at`,
    );
    this.#del = store.db.prepare('DELETE FROM sync_cursors WHERE name = ?');
  }

  get(name: string): string | null {
    const row = this.#get.get(name) as { value: string } | undefined;
    return row?.value ?? null;
  }

  set(name: string, value: string, now: number): void {
    this.#set.run(name, value, now);
  }

  delete(name: string): void {
    this.#del.run(name);
  }
}
