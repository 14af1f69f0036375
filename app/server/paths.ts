import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Root of the checkout (or of the unpacked app), two levels above app/server. */
export const REPO_ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
