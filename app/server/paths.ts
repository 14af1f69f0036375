import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * Root of the application files: the first folder above this module that holds
 * `models/manifest.json` — the checkout when run from sources (tsx) or from `dist/` in a
 * checkout, and `dist/` itself in the packaged app, where models and the UI are copied beside
 * the compiled code.
 */
function findRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 6; i++) {
    if (existsSync(join(dir, 'models', 'manifest.json'))) return dir;
    dir = dirname(dir);
  }
  return join(dirname(fileURLToPath(import.meta.url)), '..', '..');
}

export const REPO_ROOT = findRoot();
