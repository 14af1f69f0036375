// face.rss_50k in a process of its own, as the gate holds it: the face engine's sessions, the
// gallery brought up from the store's encrypted snapshot (the usual start), and frames analysed
// and searched. The parent benchmark builds the store; its own RSS also carries the rebuild
// and the stale-snapshot paths it measures before, which the gate never runs together.
//   node --import tsx face-rss.child.ts DATA_DIR MODELS_DIR FRAME.jpg FRAMES
import { readFileSync } from 'node:fs';
import { createFaceEngine } from '../src/face/engine.js';
import { loadGallery } from '../src/face/gallery-loader.js';
import { GallerySnapshotRepo } from '../src/store/gallery-snapshot-repo.js';
import { openStore } from '../src/store/store-open.js';
import { FaceTemplateRepo } from '../src/store/face-template-repo.js';

const [dataDir, modelsDir, framePath, framesArg] = process.argv.slice(2);
if (!dataDir || !modelsDir || !framePath) throw new Error('usage: face-rss.child.ts DATA_DIR MODELS_DIR FRAME.jpg [FRAMES]');
const mb = (): number => Math.round(process.memoryUsage().rss / (1024 * 1024));
const at: Record<string, number> = { start: mb() };
const engine = await createFaceEngine({ modelsDir, threads: 1 });
at['engine'] = mb();
const { store } = openStore({ dataDir, clock: { now: () => Date.now() } });
const loaded = await loadGallery({ dim: engine.embeddingDim, modelId: engine.modelId, templates: new FaceTemplateRepo(store), snapshots: new GallerySnapshotRepo(store) });
at['gallery_loaded'] = mb();
const jpeg = readFileSync(framePath);
const opts = { threshold: engine.thresholds.match, margin: engine.thresholds.margin };
let found = 0;
for (let i = 0; i < Number(framesArg ?? 40); i++) {
  const a = await engine.analyze(jpeg);
  if (a.embedding && (await loaded.gallery.search(a.embedding, opts)).decision === 'match') found++;
}
at['measured'] = mb();
process.stdout.write(JSON.stringify({ rss: at['measured'], at, gallery: loaded.gallery.size, source: loaded.source, found }) + '\n');
loaded.gallery.close();
store.close();
process.exit(0);
