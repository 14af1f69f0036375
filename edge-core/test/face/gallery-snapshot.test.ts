// The gallery snapshot: a restart restores the same search results without re-reading every
// template, and any change to the active templates makes the snapshot stale.
import { describe, expect, it, afterAll } from 'vitest';
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openStore, FaceTemplateRepo, GallerySnapshotRepo, WorkersRepo, loadGallery, saveGallerySnapshot, decodeSnapshot, encodeSnapshot } from '../../src/index.js';

const dir = mkdtempSync(join(tmpdir(), 'sg-gsnap-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const DIM = 64;

function unit(seed: number): Float32Array {
  const v = new Float32Array(DIM);
  let x = seed;
  for (let i = 0; i < DIM; i++) {
    x = (x * 1103515245 + 12345) % 2147483648;
    v[i] = x / 2147483648 - 0.5;
  }
  return v;
}

describe('gallery snapshot', () => {
  it('restores identical search results, and goes stale when templates or workers change', async () => {
    const { store } = openStore({ dataDir: dir, clock: { now: () => Date.now() } });
    const workers = new WorkersRepo(store);
    const templates = new FaceTemplateRepo(store);
    const snapshots = new GallerySnapshotRepo(store);
    const ids: number[] = [];
    for (let i = 0; i < 40; i++) {
      const w = workers.create({ name: `测试${i}`, idType: '01', idNumber: `10999919900101${String(i).padStart(4, '0')}`, tradeCode: '010', role: 'worker' }, 'test');
      ids.push(w.id);
      templates.add({ workerId: w.id, modelId: 'm', kind: 'enroll', vector: unit(i + 1) });
    }
    const first = await loadGallery({ dim: DIM, modelId: 'm', templates, snapshots });
    expect(first.source).toBe('rows');
    saveGallerySnapshot({ gallery: first.gallery, modelId: 'm', snapshots });

    const second = await loadGallery({ dim: DIM, modelId: 'm', templates, snapshots });
    expect(second.source).toBe('snapshot');
    expect(second.gallery.size).toBe(40);
    for (const probe of [3, 17, 39]) {
      const a = await first.gallery.search(unit(probe + 1), { threshold: 0.5, margin: 0.05 });
      const b = await second.gallery.search(unit(probe + 1), { threshold: 0.5, margin: 0.05 });
      expect(b).toEqual(a);
      expect(b.best?.workerId).toBe(ids[probe]);
    }
    // the restored gallery keeps working live
    second.gallery.removeWorker(ids[3] as number);
    expect((await second.gallery.search(unit(4), { threshold: 0.5, margin: 0.05 })).decision).toBe('no_match');

    // A worker leaves and a template is added after the snapshot was taken (a crash before
    // the next snapshot): the old snapshot is brought up to date, and it searches exactly
    // like a gallery rebuilt from the rows.
    const rebuilt = async () => loadGallery({ dim: DIM, modelId: 'm', templates, snapshots: new GallerySnapshotRepo(store, join(dir, `empty-${Math.random()}`)) });
    workers.setStatus(ids[5] as number, 'inactive', 'test', 'left the site');
    const afterLeave = await loadGallery({ dim: DIM, modelId: 'm', templates, snapshots });
    expect(afterLeave).toMatchObject({ source: 'snapshot_delta', delta: { added: 0, removed: 1 } });
    saveGallerySnapshot({ gallery: afterLeave.gallery, modelId: 'm', snapshots });
    templates.add({ workerId: ids[6] as number, modelId: 'm', kind: 'adaptive', vector: unit(99) });
    const stale = await loadGallery({ dim: DIM, modelId: 'm', templates, snapshots });
    expect(stale).toMatchObject({ source: 'snapshot_delta', delta: { added: 1, removed: 0 } });
    expect(stale.gallery.size).toBe(40); // 40 - 1 inactive + 1 new
    const fromRows = await rebuilt();
    expect(fromRows.source).toBe('rows');
    for (const seed of [1, 6, 7, 18, 40, 99]) {
      expect(await stale.gallery.search(unit(seed), { threshold: 0.5, margin: 0.05 })).toEqual(await fromRows.gallery.search(unit(seed), { threshold: 0.5, margin: 0.05 }));
    }
    expect((await stale.gallery.search(unit(99), { threshold: 0.5, margin: 0.05 })).best?.workerId).toBe(ids[6]);
    expect((await stale.gallery.search(unit(6), { threshold: 0.5, margin: 0.05 })).best?.workerId).not.toBe(ids[5]);

    // A snapshot damaged on disk is refused by its authentication tag: rebuilt from the rows.
    saveGallerySnapshot({ gallery: stale.gallery, modelId: 'm', snapshots });
    expect((await loadGallery({ dim: DIM, modelId: 'm', templates, snapshots })).source).toBe('snapshot');
    const file = readdirSync(snapshots.dir).map((f) => join(snapshots.dir, f)).find((f) => f.endsWith('.snap')) as string;
    const bytes = readFileSync(file);
    bytes[bytes.length - 100] = (bytes[bytes.length - 100] as number) ^ 0x40;
    writeFileSync(file, bytes);
    const repaired = await loadGallery({ dim: DIM, modelId: 'm', templates, snapshots });
    expect(repaired.source).toBe('rows'); // neither as current nor as an older snapshot
    expect((await repaired.gallery.search(unit(18), { threshold: 0.5, margin: 0.05 })).best?.workerId).toBe(ids[17]);
    store.close();
  });

  it('a truncated or foreign snapshot is refused, not misread', () => {
    const snap = { dim: 4, count: 1, rows: new Float32Array([1, 0, 0, 0]), codes: new Int8Array([127, 0, 0, 0]), scales: new Float32Array([1 / 127]), errors: new Float32Array([0]), workerIds: new Int32Array([7]), templateIds: new Float64Array([9]) };
    const bytes = encodeSnapshot(snap);
    expect(decodeSnapshot(bytes)?.workerIds[0]).toBe(7);
    expect(decodeSnapshot(bytes.subarray(0, bytes.length - 1))).toBeNull();
    expect(decodeSnapshot(Buffer.from('not a snapshot at all'))).toBeNull();
  });
});
