// Strong light, back light and dusk (issue 12 item 6) on a real photo through the real models:
// the face's own levels are stretched before landmarks, quality and embedding, so a dim or
// back-lit face is no longer refused as "blurred" (a gamma alone kept its low contrast), and its
// template stays close to the well-lit one. The photo is the public-domain astronaut fixture;
// the lighting variants are the evaluation tool's (models/tools/lighting.ts).
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { createFaceEngine, dot, type FaceEngine } from '../../edge-core/src/index.js';
import { relight } from '../tools/lighting.js';

const here = dirname(fileURLToPath(import.meta.url));
const PHOTO = readFileSync(join(here, '../../edge-core/test/face/fixtures/astronaut.jpg'));
let engine: FaceEngine;
beforeAll(async () => {
  engine = await createFaceEngine({ modelsDir: join(here, '..') });
});

describe('face exposure under bad light (real models)', () => {
  it.each(['dim', 'backlit'] as const)('a %s face passes the gate quality and matches the well-lit one', async (lighting) => {
    const lit = await engine.analyze(PHOTO);
    expect(lit.ok).toBe(true);
    const bad = await engine.analyze(await relight(PHOTO, lighting));
    expect(bad.reasons.map((r) => r.code)).toEqual([]);
    expect(bad.image?.faceGain ?? 0).toBeGreaterThan(1);
    expect(dot(lit.embedding!, bad.embedding!)).toBeGreaterThan(engine.thresholds.match);
  });
});
