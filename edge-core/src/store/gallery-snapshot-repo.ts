// Encrypted gallery snapshots, one file per model beside the database (a cache: losing it
// only costs a slower start). The fingerprint summarises the set of active templates of a
// model (count, max id, two sums of ids); a snapshot that no longer matches is brought up to
// date by the loader.
import { closeSync, existsSync, fstatSync, mkdirSync, openSync, readSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { createHash } from 'node:crypto';
import type { Store } from './store.js';

const COLUMN = 'gallery_snapshot';

export class GallerySnapshotRepo {
  readonly dir: string;
  constructor(
    private readonly store: Store,
    dir?: string,
  ) {
    this.dir = dir ?? join(dirname(store.path), 'cache');
  }

  fingerprint(modelId: string): string {
    const r = this.store.db
      .prepare(
        `SELECT COUNT(*) AS n, COALESCE(MAX(t.id), 0) AS mx, COALESCE(SUM(t.id), 0) AS s1, COALESCE(SUM((t.id * 7919) % 1000003), 0) AS s2
         FROM face_templates t JOIN workers w ON w.id = t.worker_id WHERE t.model_id = ? AND w.status = 'active'`,
      )
      .get(modelId) as { n: number; mx: number; s1: number; s2: number };
    return `${r.n}:${r.mx}:${r.s1}:${r.s2}`;
  }

  #file(modelId: string): string {
    return join(this.dir, `gallery-${createHash('sha256').update(modelId).digest('hex').slice(0, 16)}.snap`);
  }

  /**
   * The model's snapshot, decrypted, with the fingerprint it was taken at (authenticated: it is
   * the ciphertext's associated data), or null when there is none. Deciphered straight from
   * the file in chunks (~130 MB at 50k identities).
   */
  load(modelId: string): { fingerprint: string; bytes: Buffer } | null {
    const file = this.#file(modelId);
    if (!existsSync(file)) return null;
    const fd = openSync(file, 'r');
    try {
      const size = fstatSync(fd).size;
      const head = Buffer.alloc(Math.min(size, 256));
      readSync(fd, head, 0, head.length, 0);
      const nl = head.indexOf(0x0a);
      if (nl < 0) return null;
      const fingerprint = head.subarray(0, nl).toString('utf8');
      return { fingerprint, bytes: this.store.cipher.decryptFileRange(fd, nl + 1, size, `${COLUMN}:${modelId}:${fingerprint}`) };
    } finally {
      closeSync(fd);
    }
  }

  save(modelId: string, fingerprint: string, bytes: Buffer): void {
    mkdirSync(this.dir, { recursive: true, mode: 0o700 });
    const file = this.#file(modelId);
    const tmp = `${file}.tmp`;
    // The fingerprint is bound into the ciphertext (associated data), so a header edited by
    // hand cannot make a stale snapshot pass as current.
    writeFileSync(tmp, Buffer.concat([Buffer.from(`${fingerprint}\n`), this.store.cipher.encrypt(bytes, `${COLUMN}:${modelId}:${fingerprint}`)]), { mode: 0o600 });
    renameSync(tmp, file);
  }
}
