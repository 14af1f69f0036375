// Vitest global set-up: removes the run's shared test key directory (vitest.config.ts) at the end.
import { rmSync } from 'node:fs';
import { tmpdir } from 'node:os';

export default function setup(): () => void {
  return () => {
    const dir = process.env.SITEGATE_KEY_DIR;
    if (dir && dir.startsWith(tmpdir()) && dir.includes('sitegate-test-keys-')) rmSync(dir, { recursive: true, force: true });
  };
}
