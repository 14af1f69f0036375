// Writes the core makes at start (the project and lanes from the configuration, the demo
// data) that a full, read-only or failing disk refuses: the core starts anyway — the gate
// then refuses passages it cannot record (`record_failed`), `/health` says why — and each
// refused write is tried again after every disk check until it succeeds, without a restart.
import type { Logger } from 'pino';
import { storeFailure } from './store-failures.js';
import type { HealthRegistry } from './services.js';

export class DeferredWrites {
  readonly #pending = new Map<string, () => void>();

  constructor(
    private readonly health: HealthRegistry,
    private readonly logger: Logger,
  ) {}

  /** Runs `write` now; a store write failure defers it (other errors are thrown). True when written. */
  run(what: string, write: () => void): boolean {
    try {
      write();
      return true;
    } catch (err) {
      const f = storeFailure(err);
      if (!f || f.code === 'corrupt') throw err;
      this.#pending.set(what, write);
      this.logger.error(
        { err, what, code: f.code },
        'start-up write refused by the data disk: started anyway, tried again when there is room',
      );
      this.health.set('store.write', { ok: false, detail: `${f.zh}，暂停通行 — ${f.en}; passages refused` });
      return false;
    }
  }

  get pending(): string[] {
    return [...this.#pending.keys()];
  }

  /** Tries every deferred write again (after a disk check). */
  retry(): void {
    if (this.#pending.size === 0) return;
    for (const [what, write] of this.#pending) {
      try {
        write();
      } catch {
        return; // still no room: the rest waits too
      }
      this.#pending.delete(what);
      this.logger.info({ what }, 'start-up write done now that the data disk has room');
    }
    if (this.#pending.size === 0 && this.health.get('store.write')?.ok === false)
      this.health.set('store.write', { ok: true });
  }
}
