import { afterEach, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Store } from '../../src/store/store.js';
import { openStore } from '../../src/store/store-open.js';
import { FaceTemplateRepo, FACE_VECTOR_COLUMN } from '../../src/store/face-template-repo.js';
import { Gallery } from '../../src/face/gallery.js';

const MODEL = 'mobilefacenet-512.onnx@87aacdfe5751';
let cleanups: Array<() => void> = [];
afterEach(() => {
  for (const c of cleanups) c();
  cleanups = [];
});

function open(): Store {
  const dir = mkdtempSync(join(tmpdir(), 'sitegate-face-'));
  const { store } = openStore({ dataDir: dir, clock: { now: () => Date.UTC(2026, 10, 24) } });
  cleanups.push(() => {
    store.db.close();
    rmSync(dir, { recursive: true, force: true });
  });
  return store;
}

/** Inserts a synthetic worker row (name 测试N, region code 999999: obviously fake). */
function addWorker(store: Store, n: number, status: 'active' | 'inactive' = 'active'): number {
  const idNo = `999999199001010${String(n).padStart(2, '0')}X`;
  const info = store.db
    .prepare(
      `INSERT INTO workers (name, id_type, id_number_enc, id_number_hash, id_number_masked, trade_code, role, status, created_at, updated_at)
       VALUES (?, '01', ?, ?, ?, '100', 'worker', ?, 0, 0)`,
    )
    .run(`测试${n}`, store.cipher.encryptText(idNo, 'workers.id_number'), store.cipher.lookupHash(idNo, 'id_number'), '9999**********X', status);
  return Number(info.lastInsertRowid);
}

function vec(seed: number): Float32Array {
  const v = new Float32Array(512);
  let s = (seed * 2654435761) >>> 0;
  for (let i = 0; i < 512; i++) {
    s = (s * 1664525 + 1013904223) >>> 0;
    v[i] = s / 2 ** 32 - 0.5;
  }
  return v;
}

describe('face template repository (real SQLite file, encrypted vectors)', () => {
  it('stores vectors encrypted with the column name and reads them back bit-exact', () => {
    const store = open();
    const repo = new FaceTemplateRepo(store);
    const w = addWorker(store, 1);
    const t = repo.add({ workerId: w, modelId: MODEL, kind: 'enroll', vector: vec(1), quality: 0.9 });
    const raw = store.db.prepare('SELECT vector_enc FROM face_templates WHERE id = ?').get(t.id) as { vector_enc: Buffer };
    // The plaintext float bytes do not appear in the stored blob.
    expect(raw.vector_enc.includes(Buffer.from(vec(1).buffer).subarray(0, 16))).toBe(false);
    expect(store.cipher.decrypt(raw.vector_enc, FACE_VECTOR_COLUMN).length).toBe(2048);
    expect(() => store.cipher.decrypt(raw.vector_enc, 'workers.id_photo')).toThrow();
    const back = repo.forWorker(w, MODEL);
    expect(back).toHaveLength(1);
    expect(Array.from(back[0]?.vector ?? [])).toEqual(Array.from(vec(1)));
    expect(back[0]).toMatchObject({ kind: 'enroll', quality: 0.9, modelId: MODEL });
    expect(repo.forWorker(w, 'other-model')).toHaveLength(0);
  });

  it('keeps several templates per worker, prunes adaptive ones to the newest N and removes per worker', () => {
    const store = open();
    let now = 1000;
    const repo = new FaceTemplateRepo(store, () => now++);
    const w = addWorker(store, 2);
    repo.add({ workerId: w, modelId: MODEL, kind: 'enroll', vector: vec(1) });
    repo.add({ workerId: w, modelId: MODEL, kind: 'id_photo', vector: vec(2) });
    const adaptive = [3, 4, 5, 6].map((s) => repo.add({ workerId: w, modelId: MODEL, kind: 'adaptive', vector: vec(s) }));
    const dropped = repo.pruneKind(w, MODEL, 'adaptive', 2);
    expect(dropped.sort()).toEqual([adaptive[0]?.id, adaptive[1]?.id].sort());
    expect(repo.forWorker(w, MODEL).map((t) => t.kind)).toEqual(['enroll', 'id_photo', 'adaptive', 'adaptive']);
    expect(repo.count(MODEL)).toBe(4);
    expect(repo.removeForWorker(w, MODEL)).toBe(4);
    expect(repo.count(MODEL)).toBe(0);
  });

  it('loads only active workers into the gallery, which then finds them', async () => {
    const store = open();
    const repo = new FaceTemplateRepo(store);
    const active = addWorker(store, 3);
    const inactive = addWorker(store, 4, 'inactive');
    repo.add({ workerId: active, modelId: MODEL, kind: 'enroll', vector: vec(10) });
    repo.add({ workerId: inactive, modelId: MODEL, kind: 'enroll', vector: vec(11) });
    const g = await Gallery.create(512);
    g.add(repo.iterateActive(MODEL));
    expect(g.size).toBe(1);
    expect((await g.search(vec(10), { threshold: 0.9, margin: 0.05 })).best?.workerId).toBe(active);
    expect((await g.search(vec(11), { threshold: 0.9, margin: 0.05 })).decision).toBe('no_match');
  });
});
