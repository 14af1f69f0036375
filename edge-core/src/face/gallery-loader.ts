// Builds the searchable gallery at start: from the encrypted snapshot when it matches the
// active templates; from an older snapshot brought up to date (templates are never changed in
// place, only added and deleted, so removing the ids no longer active and adding the missing
// rows gives exactly the gallery a rebuild would) when templates changed since it was taken —
// after a crash or a power cut; else from the template rows. The caller writes a fresh
// snapshot after the last two. The snapshot format is a small header and the typed arrays
// back to back; the int8 codes are copied into the search kernel's memory, the other arrays
// are used in place.
import { Gallery, type GallerySnapshot } from './gallery.js';
import type { FaceTemplateRepo } from '../store/face-template-repo.js';
import type { GallerySnapshotRepo } from '../store/gallery-snapshot-repo.js';

// 'SGS2': row-major int8 codes and per-template quantisation errors (SGS1 held column-major
// codes for onnxruntime; such a file no longer decodes and the gallery is rebuilt from rows).
const MAGIC = 0x53475332;
const HEADER = 16; // magic, dim, count, reserved: keeps the Float64 ids 8-byte aligned

function sizes(n: number, dim: number): number[] {
  // templateIds, rows, scales, errors, workerIds, codes
  return [n * 8, n * dim * 4, n * 4, n * 4, n * 4, n * dim];
}

export function encodeSnapshot(s: GallerySnapshot): Buffer {
  const header = Buffer.alloc(HEADER);
  header.writeUInt32LE(MAGIC, 0);
  header.writeUInt32LE(s.dim, 4);
  header.writeUInt32LE(s.count, 8);
  const parts = [s.templateIds, s.rows, s.scales, s.errors, s.workerIds, s.codes].map((a) => Buffer.from(a.buffer, a.byteOffset, a.byteLength));
  return Buffer.concat([header, ...parts]);
}

export function decodeSnapshot(b: Buffer): GallerySnapshot | null {
  if (b.length < HEADER || b.readUInt32LE(0) !== MAGIC) return null;
  const dim = b.readUInt32LE(4), n = b.readUInt32LE(8);
  const parts = sizes(n, dim);
  if (b.length !== HEADER + parts.reduce((a, x) => a + x, 0)) return null;
  // Views straight on the decrypted bytes when they are 8-byte aligned and own their buffer
  // (the usual case: a large Buffer is not pooled); otherwise one aligned copy first.
  let buf: ArrayBuffer, base: number;
  if (b.byteOffset % 8 === 0 && b.buffer instanceof ArrayBuffer && b.byteLength >= 4096) {
    buf = b.buffer;
    base = b.byteOffset + HEADER;
  } else {
    const body = new Uint8Array(b.length - HEADER);
    body.set(b.subarray(HEADER));
    buf = body.buffer;
    base = 0;
  }
  let off = base;
  const at = (len: number) => {
    const start = off;
    off += len;
    return start;
  };
  return {
    dim,
    count: n,
    templateIds: new Float64Array(buf, at(n * 8), n),
    rows: new Float32Array(buf, at(n * dim * 4), n * dim),
    scales: new Float32Array(buf, at(n * 4), n),
    errors: new Float32Array(buf, at(n * 4), n),
    workerIds: new Int32Array(buf, at(n * 4), n),
    codes: new Int8Array(buf, at(n * dim), n * dim),
  };
}

export interface LoadedGallery {
  gallery: Gallery;
  source: 'snapshot' | 'snapshot_delta' | 'rows';
  fingerprint: string;
  /** For 'snapshot_delta': templates added to and removed from the older snapshot. */
  delta?: { added: number; removed: number };
}

export async function loadGallery(args: { dim: number; modelId: string; templates: FaceTemplateRepo; snapshots: GallerySnapshotRepo }): Promise<LoadedGallery> {
  const fingerprint = args.snapshots.fingerprint(args.modelId);
  let found: { fingerprint: string; snap: GallerySnapshot | null } | null;
  try {
    const f = args.snapshots.load(args.modelId);
    found = f && { fingerprint: f.fingerprint, snap: decodeSnapshot(f.bytes) };
  } catch {
    found = null; // an unreadable snapshot is only a cache: rebuild from the rows
  }
  if (found?.snap && found.snap.dim === args.dim) {
    const gallery = await Gallery.create(args.dim, 16);
    gallery.restore(found.snap, { adopt: true });
    if (found.fingerprint === fingerprint) return { gallery, source: 'snapshot', fingerprint };
    const active = new Set(args.templates.activeIds(args.modelId));
    let removed = 0;
    for (const id of found.snap.templateIds) if (!active.has(id) && gallery.removeTemplate(id)) removed++;
    const missing = [...active].filter((id) => !gallery.has(id));
    gallery.add(args.templates.iterateByIds(args.modelId, missing));
    return { gallery, source: 'snapshot_delta', fingerprint, delta: { added: missing.length, removed } };
  }
  const gallery = await Gallery.create(args.dim, 1024);
  gallery.add(args.templates.iterateActive(args.modelId));
  return { gallery, source: 'rows', fingerprint };
}

/** Writes a snapshot of the gallery as it matches the store now. */
export function saveGallerySnapshot(args: { gallery: Gallery; modelId: string; snapshots: GallerySnapshotRepo }): void {
  args.snapshots.save(args.modelId, args.snapshots.fingerprint(args.modelId), encodeSnapshot(args.gallery.snapshot()));
}
