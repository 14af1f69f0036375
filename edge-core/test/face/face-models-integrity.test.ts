import { afterEach, describe, expect, it } from 'vitest';
import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync, unlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createFaceEngine, loadFaceEngine } from '../../src/face/engine.js';
import { ModelIntegrityError, describeSource, readManifest, sha256Hex, unclearRoles } from '../../src/face/manifest.js';
import { MODELS_DIR } from './helpers.js';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

/** A models directory whose files link to the committed ones, so a test can break one. */
function linkedModelsDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'sitegate-models-'));
  dirs.push(dir);
  copyFileSync(join(MODELS_DIR, 'manifest.json'), join(dir, 'manifest.json'));
  const manifest = JSON.parse(readFileSync(join(MODELS_DIR, 'manifest.json'), 'utf8')) as { models: Record<string, { file: string }> };
  for (const m of Object.values(manifest.models)) symlinkSync(join(MODELS_DIR, m.file), join(dir, m.file));
  return dir;
}

describe('model files are verified against the manifest', () => {
  it('every committed model matches its manifest hash and size, and names its source package and licence', async () => {
    const m = await readManifest(MODELS_DIR);
    for (const [role, e] of Object.entries(m.models)) {
      if (!e) continue;
      const bytes = readFileSync(join(MODELS_DIR, e.file));
      expect(sha256Hex(bytes), role).toBe(e.sha256);
      expect(bytes.length, role).toBe(e.bytes);
      expect(describeSource(e), role).toMatch(/^\S+@\S+:\S/);
      expect(e.licence.length, role).toBeGreaterThan(0);
      if (e.provenance === 'unclear') expect(e.provenanceNote, role).toBeTruthy();
    }
  });

  it('a missing model file gives status unavailable with a typed error naming the file', async () => {
    const dir = linkedModelsDir();
    unlinkSync(join(dir, 'dlib-resnet-128.onnx'));
    const status = await loadFaceEngine({ modelsDir: dir });
    expect(status.state).toBe('unavailable');
    if (status.state !== 'unavailable') return;
    expect(status.error).toBeInstanceOf(ModelIntegrityError);
    expect(status.error.problems).toEqual([{ role: 'embedder', file: 'dlib-resnet-128.onnx', kind: 'missing' }]);
    expect(status.reason.code).toBe('engine.models_unavailable');
    expect(status.reason.message.zh).toMatch(/闸机停止/);
    await expect(createFaceEngine({ modelsDir: dir })).rejects.toThrow(ModelIntegrityError);
  });

  it('an altered model file is refused with expected and actual hashes; every problem is listed', async () => {
    const dir = linkedModelsDir();
    unlinkSync(join(dir, 'minifasnet-v1se-4.0-80.onnx'));
    const bytes = readFileSync(join(MODELS_DIR, 'minifasnet-v1se-4.0-80.onnx'));
    bytes[bytes.length - 10] = (bytes[bytes.length - 10] as number) ^ 0xff;
    writeFileSync(join(dir, 'minifasnet-v1se-4.0-80.onnx'), bytes);
    unlinkSync(join(dir, 'facemesh-468.onnx'));
    const status = await loadFaceEngine({ modelsDir: dir });
    expect(status.state).toBe('unavailable');
    if (status.state !== 'unavailable') return;
    const kinds = status.error.problems.map((p) => `${p.role}:${p.kind}`).sort();
    expect(kinds).toEqual(['landmarks:missing', 'livenessAux:sha256_mismatch']);
    const mismatch = status.error.problems.find((p) => p.kind === 'sha256_mismatch');
    expect(mismatch && 'actual' in mismatch && mismatch.actual).toBe(sha256Hex(bytes));
    expect(status.error.message).toMatch(/minifasnet-v1se-4\.0-80\.onnx/);
  });

  it('a missing or malformed manifest is a typed error too', async () => {
    const empty = mkdtempSync(join(tmpdir(), 'sitegate-models-'));
    dirs.push(empty);
    const s1 = await loadFaceEngine({ modelsDir: empty });
    expect(s1.state === 'unavailable' && s1.error.problems[0]?.kind).toBe('missing');
    writeFileSync(join(empty, 'manifest.json'), '{"schemaVersion": 1, "models": {}}');
    const s2 = await loadFaceEngine({ modelsDir: empty });
    expect(s2.state === 'unavailable' && s2.error.problems[0]?.kind).toBe('invalid_manifest');
  });

  it('loads to ready with the committed models', async () => {
    const status = await loadFaceEngine({ modelsDir: MODELS_DIR });
    expect(status.state).toBe('ready');
    expect(status.state === 'ready' && status.modelId).toMatch(/^dlib-resnet-128/);
    if (status.state === 'ready') await status.engine.close();
  });

  it('the default set has no model of unclear provenance, and says for each where it came from and where its licence is stated', async () => {
    const m = await readManifest(MODELS_DIR);
    expect(unclearRoles(m)).toEqual([]);
    for (const [role, e] of Object.entries(m.models)) {
      if (!e) continue;
      expect(e.licence, role).not.toMatch(/unclear|unknown|GPL|non-commercial/i);
      expect(e.licenceStatedIn, role).toBeTruthy();
      // A file exported by our own tool names that tool and the hash of the file it was made from.
      if (e.exportedBy) {
        expect(existsSync(join(MODELS_DIR, '..', e.exportedBy)), role).toBe(true);
        expect(e.source.sha256, role).toMatch(/^[0-9a-f]{64}$/);
      } else if ('repository' in e.source) {
        // Shipped as the source's own bytes.
        expect(e.source.sha256, role).toBe(e.sha256);
      }
    }
  });

  it('the legacy set (opt-in) still loads, and names its roles of unclear provenance', async () => {
    const status = await loadFaceEngine({ modelsDir: join(MODELS_DIR, 'legacy') });
    expect(status.state).toBe('ready');
    if (status.state !== 'ready') return;
    expect(status.engine.manifest.set).toBe('legacy-unclear');
    expect(status.engine.unclearRoles).toEqual(['landmarks', 'embedder', 'liveness', 'eyeState']);
    await status.engine.close();
  });
});
