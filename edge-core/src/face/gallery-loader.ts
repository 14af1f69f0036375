// Builds the searchable gallery at start: from the encrypted snapshot when it matches the
// active templates, else from the template rows (and a fresh snapshot is written for the next
// start). The snapshot format is a small header and the typed arrays back to back.
import { Gallery, type GallerySnapshot } from './gallery.js';
import type { FaceTemplateRepo } from '../store/face-template-repo.js';
import type { GallerySnapshotRepo } from '../store/gallery-snapshot-repo.js';

const MAGIC = 0x53475331; // 'SGS1'

export function encodeSnapshot(s: GallerySnapshot): Buffer {
  const header = Buffer.alloc(12);
  header.writeUInt32LE(MAGIC, 0);
  header.writeUInt32LE(s.dim, 4);
  header.writeUInt32LE(s.count, 8);
  const parts = [s.templateIds, s.rows, s.scales, s.workerIds, s.cols].map((a) => Buffer.from(a.buffer, a.byteOffset, a.byteLength));
  return Buffer.concat([header, ...parts]);
}

export function decodeSnapshot(b: Buffer): GallerySnapshot | null {
  if (b.length < 12 || b.readUInt32LE(0) !== MAGIC) return null;
  const dim = b.readUInt32LE(4), n = b.readUInt32LE(8);
  const sizes = [n * 8, n * dim * 4, n * 4, n * 4, n * dim];
  if (b.length !== 12 + sizes.reduce((a, x) => a + x, 0)) return null;
  // One copy into a fresh ArrayBuffer (aligned whatever the Buffer's offset), then views on it.
  const body = new Uint8Array(b.length - 12);
  body.set(b.subarray(12));
  const buf = body.buffer;
  let off = 0;
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
    workerIds: new Int32Array(buf, at(n * 4), n),
    // Its own buffer: the int8 matrix goes to onnxruntime as a tensor, which wants offset 0.
    cols: new Int8Array(body.subarray(at(n * dim), off)),
  };
}

export interface LoadedGallery {
  gallery: Gallery;
  source: 'snapshot' | 'rows';
  fingerprint: string;
}

export async function loadGallery(args: { dim: number; modelId: string; templates: FaceTemplateRepo; snapshots: GallerySnapshotRepo }): Promise<LoadedGallery> {
  const fingerprint = args.snapshots.fingerprint(args.modelId);
  let snap: GallerySnapshot | null = null;
  try {
    const bytes = args.snapshots.load(args.modelId, fingerprint);
    snap = bytes ? decodeSnapshot(bytes) : null;
  } catch {
    snap = null; // an unreadable snapshot is only a cache: rebuild from the rows
  }
  if (snap && snap.dim === args.dim) {
    const gallery = await Gallery.create(args.dim, 16);
    gallery.restore(snap, { adopt: true });
    return { gallery, source: 'snapshot', fingerprint };
  }
  const gallery = await Gallery.create(args.dim, 1024);
  gallery.add(args.templates.iterateActive(args.modelId));
  return { gallery, source: 'rows', fingerprint };
}

/** Writes a snapshot of the gallery as it matches the store now. */
export function saveGallerySnapshot(args: { gallery: Gallery; modelId: string; snapshots: GallerySnapshotRepo }): void {
  args.snapshots.save(args.modelId, args.snapshots.fingerprint(args.modelId), encodeSnapshot(args.gallery.snapshot()));
}
