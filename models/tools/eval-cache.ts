// Per-image analysis results of the evaluation tool, optionally kept in a JSON file between runs
// (`--cache FILE`): the same image, model set and quality policy are analysed once, however many
// modes (pairs, ID photo, 1:N) are run over it. Entries are keyed by the model id, the quality
// policy and the image's SHA-256, so a changed image or another model set is analysed again.
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';

export interface ImageAnalysis {
  /** Absent when the image has no usable face. */
  embedding?: Float32Array;
  /** Face box in the analysed frame (which may be a downscaled copy of the file). */
  box?: { x: number; y: number; w: number; h: number };
  /** Size of the analysed frame, to map the box back onto the file's own pixels. */
  frame?: { width: number; height: number };
  livenessCnn?: number;
  reasons: string[];
}

interface Stored {
  e?: string;
  box?: ImageAnalysis['box'];
  frame?: ImageAnalysis['frame'];
  live?: number;
  reasons: string[];
}

export class AnalysisCache {
  readonly #entries = new Map<string, Stored>();
  #dirty = 0;

  constructor(private readonly file: string | undefined) {
    if (file && existsSync(file)) {
      const json = JSON.parse(readFileSync(file, 'utf8')) as Record<string, Stored>;
      for (const [k, v] of Object.entries(json)) this.#entries.set(k, v);
    }
  }

  static key(scope: string, bytes: Uint8Array): string {
    return `${scope}|${createHash('sha256').update(bytes).digest('hex')}`;
  }

  get(key: string): ImageAnalysis | undefined {
    const s = this.#entries.get(key);
    if (!s) return undefined;
    const a: ImageAnalysis = { reasons: s.reasons };
    if (s.e) {
      const b = Buffer.from(s.e, 'base64');
      a.embedding = new Float32Array(b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength));
    }
    if (s.box) a.box = s.box;
    if (s.frame) a.frame = s.frame;
    if (s.live !== undefined) a.livenessCnn = s.live;
    return a;
  }

  set(key: string, a: ImageAnalysis): void {
    const s: Stored = { reasons: a.reasons };
    if (a.embedding) s.e = Buffer.from(a.embedding.buffer, a.embedding.byteOffset, a.embedding.byteLength).toString('base64');
    if (a.box) s.box = a.box;
    if (a.frame) s.frame = a.frame;
    if (a.livenessCnn !== undefined) s.live = a.livenessCnn;
    this.#entries.set(key, s);
    if (++this.#dirty >= 500) this.save();
  }

  /** Writes the file (atomically); a no-op without a file. */
  save(): void {
    if (!this.file || this.#dirty === 0) return;
    const tmp = `${this.file}.tmp`;
    writeFileSync(tmp, JSON.stringify(Object.fromEntries(this.#entries)));
    renameSync(tmp, this.file);
    this.#dirty = 0;
  }
}
