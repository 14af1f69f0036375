// The model manifest (models/manifest.json): which ONNX file fills each role of the pipeline,
// where it came from, how to feed it and how to read its output. Files are verified by
// SHA-256 before use; a missing or altered file is a typed error, never a silent fallback.
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';

const inputSpec = z.object({
  name: z.string(),
  layout: z.enum(['NCHW', 'NHWC']),
  width: z.number().int().positive(),
  height: z.number().int().positive(),
  channels: z.union([z.literal(1), z.literal(3)]),
  /** Channel order for 3 channels; 'grey' for 1. */
  colour: z.enum(['rgb', 'bgr', 'grey']),
  /** value = (pixel - mean) * scale */
  mean: z.number(),
  scale: z.number(),
});

/**
 * Where the weights came from: an npm/Debian package (name@version, path inside it) or a public
 * repository (owner/name@commit, path). `sha256` is the source file's own hash when the model
 * file was exported from it (not the same bytes).
 */
const source = z.union([
  z.object({ package: z.string().min(1), version: z.string().min(1), path: z.string().min(1), sha256: z.string().regex(/^[0-9a-f]{64}$/).optional() }),
  z.object({ repository: z.string().regex(/^[^/\s]+\/[^/\s]+$/), commit: z.string().regex(/^[0-9a-f]{40}$/), path: z.string().min(1), sha256: z.string().regex(/^[0-9a-f]{64}$/).optional() }),
]);

const modelEntry = z.object({
  file: z.string(),
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
  bytes: z.number().int().positive(),
  source,
  origin: z.string(),
  licence: z.string(),
  /** Where the licence is stated (file in the source, or the package's licence field). */
  licenceStatedIn: z.string().optional(),
  /** Our build tool that produced the file from the source, when it is not the source's own bytes. */
  exportedBy: z.string().optional(),
  provenance: z.enum(['clear', 'unclear']),
  provenanceNote: z.string().optional(),
  input: inputSpec,
  /** Decoder name known to the pipeline plus decoder-specific fields. */
  output: z.object({ decoder: z.string() }).catchall(z.unknown()),
  thresholds: z.record(z.string(), z.number()).default({}),
});

export const manifestSchema = z.object({
  schemaVersion: z.literal(1),
  /** Name of the model set, shown in logs (e.g. "default-2026-12", "legacy-faceplugin"). */
  set: z.string().optional(),
  models: z.object({
    detector: modelEntry,
    landmarks: modelEntry,
    embedder: modelEntry,
    liveness: modelEntry,
    /** A second anti-spoof model at another crop scale; its "live" probability is averaged with liveness'. */
    livenessAux: modelEntry.optional(),
    /** Face mask classifier/detector over a head crop (decoder 'aizoo-mask-ssd'). */
    mask: modelEntry.optional(),
    eyeState: modelEntry.optional(),
  }),
});

export type ModelManifest = z.infer<typeof manifestSchema>;
export type ModelEntry = z.infer<typeof modelEntry>;
export type InputSpec = z.infer<typeof inputSpec>;
export type ModelRole = keyof ModelManifest['models'];

/** Roles whose model has unclear provenance (a legacy set); empty for a set that can be shipped. */
export function unclearRoles(manifest: ModelManifest): string[] {
  return Object.entries(manifest.models)
    .filter(([, e]) => e !== undefined && e.provenance === 'unclear')
    .map(([role]) => role);
}

/** "package@version:path" or "owner/name@commit:path" for logs and reports. */
export function describeSource(entry: ModelEntry): string {
  const s = entry.source;
  return 'package' in s ? `${s.package}@${s.version}:${s.path}` : `${s.repository}@${s.commit.slice(0, 12)}:${s.path}`;
}

export type ModelProblem =
  | { role: string; file: string; kind: 'missing' }
  | { role: string; file: string; kind: 'sha256_mismatch'; expected: string; actual: string }
  | { role: string; file: string; kind: 'invalid_manifest'; detail: string };

/** Thrown by loading when the models cannot be trusted; the gate stops, other services continue. */
export class ModelIntegrityError extends Error {
  override name = 'ModelIntegrityError';
  readonly problems: readonly ModelProblem[];
  constructor(problems: readonly ModelProblem[]) {
    super(
      `face models unavailable: ${problems
        .map((p) => `${p.role} (${p.file}): ${p.kind}${p.kind === 'invalid_manifest' ? ` ${p.detail}` : ''}`)
        .join('; ')}`,
    );
    this.problems = problems;
  }
}

export async function readManifest(modelsDir: string): Promise<ModelManifest> {
  const file = join(modelsDir, 'manifest.json');
  let raw: string;
  try {
    raw = await readFile(file, 'utf8');
  } catch {
    throw new ModelIntegrityError([{ role: 'manifest', file, kind: 'missing' }]);
  }
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch (e) {
    throw new ModelIntegrityError([{ role: 'manifest', file, kind: 'invalid_manifest', detail: String(e) }]);
  }
  const parsed = manifestSchema.safeParse(json);
  if (!parsed.success) {
    throw new ModelIntegrityError([{ role: 'manifest', file, kind: 'invalid_manifest', detail: parsed.error.message }]);
  }
  return parsed.data;
}

export function sha256Hex(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/**
 * Reads every model file named by the manifest and checks its SHA-256. Returns the bytes by
 * role; throws ModelIntegrityError listing every problem found (not just the first).
 */
export async function loadVerifiedModels(
  modelsDir: string,
  manifest: ModelManifest,
): Promise<Map<ModelRole, Uint8Array>> {
  const out = new Map<ModelRole, Uint8Array>();
  const problems: ModelProblem[] = [];
  for (const [role, entry] of Object.entries(manifest.models) as [ModelRole, ModelEntry | undefined][]) {
    if (!entry) continue;
    let bytes: Uint8Array;
    try {
      bytes = await readFile(join(modelsDir, entry.file));
    } catch {
      problems.push({ role, file: entry.file, kind: 'missing' });
      continue;
    }
    const actual = sha256Hex(bytes);
    if (actual !== entry.sha256) {
      problems.push({ role, file: entry.file, kind: 'sha256_mismatch', expected: entry.sha256, actual });
      continue;
    }
    out.set(role, bytes);
  }
  if (problems.length > 0) throw new ModelIntegrityError(problems);
  return out;
}

/** A threshold from the manifest, or a clear error naming the missing key. */
export function threshold(entry: ModelEntry, key: string): number {
  const v = entry.thresholds[key];
  if (v === undefined) throw new ModelIntegrityError([{ role: entry.file, file: entry.file, kind: 'invalid_manifest', detail: `missing threshold '${key}'` }]);
  return v;
}
