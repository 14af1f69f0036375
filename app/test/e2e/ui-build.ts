// Builds the UI (vite) before a browser test when app/ui/dist is missing or older than any
// UI source. A lock directory keeps parallel test files from building at the same time.
import { existsSync, mkdirSync, readdirSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { REPO_ROOT } from '../../server/core.js';

const UI = join(REPO_ROOT, 'app', 'ui');
const SHARED = join(REPO_ROOT, 'app', 'shared');
const LOCK = join(tmpdir(), 'sitegate-ui-build.lock');

function newestMtime(dir: string): number {
  let newest = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    if (e.name === 'dist' || e.name === 'node_modules') continue;
    const p = join(dir, e.name);
    newest = Math.max(newest, e.isDirectory() ? newestMtime(p) : statSync(p).mtimeMs);
  }
  return newest;
}

export function uiIsStale(): boolean {
  const built = join(UI, 'dist', 'index.html');
  if (!existsSync(built)) return true;
  return Math.max(newestMtime(UI), newestMtime(SHARED)) > statSync(built).mtimeMs;
}

async function acquire(): Promise<void> {
  for (let i = 0; i < 600; i++) {
    try {
      mkdirSync(LOCK);
      return;
    } catch {
      // A lock older than 3 minutes is left over from a killed run.
      if (existsSync(LOCK) && Date.now() - statSync(LOCK).mtimeMs > 180_000)
        rmSync(LOCK, { recursive: true, force: true });
      await new Promise((r) => setTimeout(r, 200));
    }
  }
  throw new Error('timed out waiting for the UI build lock');
}

export async function ensureUiBuilt(): Promise<void> {
  if (!uiIsStale()) return;
  await acquire();
  try {
    if (!uiIsStale()) return;
    const { build } = await import('vite');
    await build({ configFile: join(UI, 'vite.config.ts'), logLevel: 'error' });
  } finally {
    rmSync(LOCK, { recursive: true, force: true });
  }
}
