import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
export const MODELS_DIR = join(here, '../../../models');
export const FIXTURES = join(here, 'fixtures');

export function fixture(name: string): Buffer {
  return readFileSync(join(FIXTURES, name));
}

export function cosine(a: Float32Array, b: Float32Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += (a[i] as number) * (b[i] as number);
  return s;
}
