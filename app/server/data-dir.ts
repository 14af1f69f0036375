// The data directory at start: created readable by the SiteGate user only, files of older
// installs (0644, 0755) brought to 0600/0700, and unfinished files of a run that was killed
// (reserve.bin.partial, backups/*.partial) removed. It holds the database, its WAL, the device
// key, backups, logs, the reserve and gallery snapshots: personal data, never for other users.
import { chmodSync, lstatSync, mkdirSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';

/** Files a killed run can leave behind, by directory relative to the data directory. */
const UNFINISHED: Array<{ dir: string; test: (name: string) => boolean }> = [
  { dir: '.', test: (n) => n === 'reserve.bin.partial' },
  { dir: 'backups', test: (n) => n.endsWith('.db.partial') },
  { dir: 'cache', test: (n) => n.endsWith('.tmp') },
];

/**
 * What SiteGate keeps in its data directory (narrowed with everything below them). Only these:
 * a data directory set to a shared place (a home directory) must not have its other files changed.
 */
const OURS =
  /^(sitegate\.db(-wal|-shm)?|platform-simulator\.db(-wal|-shm)?|reserve\.bin|config\.ya?ml|keys|backups|logs|corrupt|cache)$/;

export interface PreparedDataDir {
  /** Unfinished files removed (absolute paths). */
  removed: string[];
  /** Files and directories whose mode was narrowed. */
  narrowed: number;
}

/** New files of this process: owner only (the core's entry points; throws nothing). */
export function privateUmask(): void {
  try {
    process.umask(0o077);
  } catch {
    // worker threads cannot set the umask; the explicit modes still apply
  }
}

export function prepareDataDir(dataDir: string): PreparedDataDir {
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const removed: string[] = [];
  for (const u of UNFINISHED) {
    const dir = join(dataDir, u.dir);
    for (const name of safeList(dir)) {
      if (!u.test(name)) continue;
      try {
        rmSync(join(dir, name), { force: true });
        removed.push(join(dir, name));
      } catch {
        // a read-only disk: left for a later start
      }
    }
  }
  let narrowed = 0;
  if (process.platform !== 'win32') {
    narrowed += narrowOne(dataDir);
    for (const name of safeList(dataDir)) if (OURS.test(name)) narrowed += narrow(join(dataDir, name), 0);
  }
  return { removed, narrowed };
}

function safeList(dir: string): string[] {
  try {
    return readdirSync(dir);
  } catch {
    return [];
  }
}

/** `path` and what is below it: directories 0700, files 0600 (symbolic links are left alone). */
function narrow(path: string, depth: number): number {
  let n = narrowOne(path);
  if (depth < 4 && isDir(path)) for (const name of safeList(path)) n += narrow(join(path, name), depth + 1);
  return n;
}

function isDir(path: string): boolean {
  try {
    return lstatSync(path).isDirectory();
  } catch {
    return false;
  }
}

function narrowOne(path: string): number {
  try {
    const st = lstatSync(path);
    if (st.isSymbolicLink()) return 0;
    const want = st.isDirectory() ? 0o700 : 0o600;
    if ((st.mode & 0o777 & ~want) === 0) return 0;
    chmodSync(path, st.mode & 0o777 & want);
    return 1;
  } catch {
    // gone, or not ours (another user's file): left as it is
    return 0;
  }
}
