// Face templates (face_templates): embeddings stored encrypted in vector_enc with the field
// cipher (column name 'face_templates.vector' as associated data), several per worker, kept
// per embedding model id so a model change never mixes incompatible vectors.
// Vector encoding inside the ciphertext: float32 little-endian, dim * 4 bytes.
import type Database from 'better-sqlite3';
import type { FieldCipher } from '../crypto/field-cipher.js';

export const FACE_VECTOR_COLUMN = 'face_templates.vector';

export type TemplateKind = 'enroll' | 'id_photo' | 'adaptive' | 'platform';

export interface StoredTemplate {
  id: number;
  workerId: number;
  modelId: string;
  kind: TemplateKind;
  vector: Float32Array;
  quality: number | null;
  createdAt: number;
}

export interface NewTemplate {
  workerId: number;
  modelId: string;
  kind: TemplateKind;
  vector: Float32Array;
  quality?: number | null;
}

/** What the repository needs of the Store (its `db` and `cipher`); a Store satisfies it. */
export interface TemplateStoreLike {
  readonly db: Database.Database;
  readonly cipher: FieldCipher;
}

const LITTLE_ENDIAN = new Uint8Array(Uint16Array.of(1).buffer)[0] === 1;

export function encodeVector(v: Float32Array): Buffer {
  if (LITTLE_ENDIAN) return Buffer.from(v.buffer.slice(v.byteOffset, v.byteOffset + v.length * 4));
  const b = Buffer.alloc(v.length * 4);
  for (let i = 0; i < v.length; i++) b.writeFloatLE(v[i] as number, i * 4);
  return b;
}

export function decodeVector(b: Buffer): Float32Array {
  const n = Math.floor(b.length / 4);
  if (LITTLE_ENDIAN) return new Float32Array(b.buffer.slice(b.byteOffset, b.byteOffset + n * 4));
  const v = new Float32Array(n);
  for (let i = 0; i < n; i++) v[i] = b.readFloatLE(i * 4);
  return v;
}

interface Row {
  id: number;
  worker_id: number;
  model_id: string;
  kind: TemplateKind;
  vector_enc: Buffer;
  quality: number | null;
  created_at: number;
}

export class FaceTemplateRepo {
  readonly #db: Database.Database;
  readonly #cipher: FieldCipher;
  readonly #now: () => number;

  constructor(store: TemplateStoreLike, now: () => number = Date.now) {
    this.#db = store.db;
    this.#cipher = store.cipher;
    this.#now = now;
  }

  add(t: NewTemplate): StoredTemplate {
    const createdAt = this.#now();
    const enc = this.#cipher.encrypt(encodeVector(t.vector), FACE_VECTOR_COLUMN);
    const info = this.#db
      .prepare('INSERT INTO face_templates (worker_id, model_id, kind, vector_enc, quality, created_at) VALUES (?, ?, ?, ?, ?, ?)')
      .run(t.workerId, t.modelId, t.kind, enc, t.quality ?? null, createdAt);
    return { id: Number(info.lastInsertRowid), workerId: t.workerId, modelId: t.modelId, kind: t.kind, vector: t.vector, quality: t.quality ?? null, createdAt };
  }

  remove(id: number): boolean {
    return this.#db.prepare('DELETE FROM face_templates WHERE id = ?').run(id).changes > 0;
  }

  removeForWorker(workerId: number, modelId?: string): number {
    const r = modelId === undefined
      ? this.#db.prepare('DELETE FROM face_templates WHERE worker_id = ?').run(workerId)
      : this.#db.prepare('DELETE FROM face_templates WHERE worker_id = ? AND model_id = ?').run(workerId, modelId);
    return r.changes;
  }

  /**
   * Keeps at most `keep` templates of one kind for a worker (newest kept), for guarded adaptive
   * updates; returns the ids removed.
   */
  pruneKind(workerId: number, modelId: string, kind: TemplateKind, keep: number): number[] {
    const ids = this.#db
      .prepare('SELECT id FROM face_templates WHERE worker_id = ? AND model_id = ? AND kind = ? ORDER BY created_at DESC, id DESC')
      .all(workerId, modelId, kind) as { id: number }[];
    const drop = ids.slice(keep).map((r) => r.id);
    const del = this.#db.prepare('DELETE FROM face_templates WHERE id = ?');
    for (const id of drop) del.run(id);
    return drop;
  }

  forWorker(workerId: number, modelId: string): StoredTemplate[] {
    const rows = this.#db
      .prepare('SELECT * FROM face_templates WHERE worker_id = ? AND model_id = ? ORDER BY id')
      .all(workerId, modelId) as Row[];
    return rows.map((r) => this.#toTemplate(r));
  }

  count(modelId: string): number {
    return (this.#db.prepare('SELECT COUNT(*) AS n FROM face_templates WHERE model_id = ?').get(modelId) as { n: number }).n;
  }

  /**
   * Streams every template of a model for active workers, decrypting as it goes, for loading
   * the 1:N gallery at start. Templates of inactive or blacklisted workers are not returned.
   */
  *iterateActive(modelId: string): Generator<StoredTemplate> {
    const stmt = this.#db.prepare(
      `SELECT t.* FROM face_templates t JOIN workers w ON w.id = t.worker_id
       WHERE t.model_id = ? AND w.status = 'active' ORDER BY t.id`,
    );
    for (const r of stmt.iterate(modelId) as Iterable<Row>) yield this.#toTemplate(r);
  }

  /** Ids of the templates iterateActive would return, without decrypting anything. */
  activeIds(modelId: string): number[] {
    return this.#db
      .prepare(`SELECT t.id FROM face_templates t JOIN workers w ON w.id = t.worker_id WHERE t.model_id = ? AND w.status = 'active'`)
      .pluck()
      .all(modelId) as number[];
  }

  /** The given templates of a model, decrypted (ids that do not exist are skipped). */
  *iterateByIds(modelId: string, ids: readonly number[]): Generator<StoredTemplate> {
    const stmt = this.#db.prepare('SELECT * FROM face_templates WHERE model_id = ? AND id IN (SELECT value FROM json_each(?)) ORDER BY id');
    for (let i = 0; i < ids.length; i += 500) {
      for (const r of stmt.iterate(modelId, JSON.stringify(ids.slice(i, i + 500))) as Iterable<Row>) yield this.#toTemplate(r);
    }
  }

  #toTemplate(r: Row): StoredTemplate {
    return {
      id: r.id,
      workerId: r.worker_id,
      modelId: r.model_id,
      kind: r.kind,
      vector: decodeVector(this.#cipher.decrypt(r.vector_enc, FACE_VECTOR_COLUMN)),
      quality: r.quality,
      createdAt: r.created_at,
    };
  }
}
