// Where the device key lives: never in the data directory. Whoever can edit the database must
// not also find the key that signs it (issue 14). The key directory is, in this order:
//   1. given explicitly (`--key-dir`, StoreOptions.keyDir — the tests use temp directories),
//   2. $SITEGATE_KEY_DIR,
//   3. the platform's place for it: /etc/sitegate/keys when running as root on Linux (the
//      appliance), else the user's configuration directory (~/.config/sitegate/keys), and
//      %LOCALAPPDATA%\SiteGate\keys on Windows, where the Electron shell also wraps the key
//      with DPAPI (safeStorage).
// The directory is created 0700 and the key file 0600. Installations written before this
// version kept the key in DATA-DIR/keys/; it is moved out at the first start (moveLegacyKey).
import { chmodSync, closeSync, existsSync, fsyncSync, mkdirSync, openSync, readFileSync, realpathSync, rmdirSync, readdirSync, renameSync, unlinkSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join, relative, resolve, isAbsolute } from 'node:path';

export const KEY_DIR_ENV = 'SITEGATE_KEY_DIR';
export const DEVICE_KEY_FILE = 'device.key';
/** The public half, beside the key: lets `verify` work where the key itself is wrapped (DPAPI). */
export const DEVICE_PUBLIC_KEY_FILE = 'device.pub';

/** The device key cannot be found, placed or read; `fix` says what the site's IT person does. */
export class DeviceKeyError extends Error {
  constructor(
    message: string,
    readonly fix: string,
  ) {
    super(`${message} — ${fix}`);
    this.name = 'DeviceKeyError';
  }
}

export interface KeyDirHost {
  env: Record<string, string | undefined>;
  platform: NodeJS.Platform;
  uid: number | null;
  home: string;
}

const thisHost = (): KeyDirHost => ({ env: process.env, platform: process.platform, uid: process.getuid?.() ?? null, home: homedir() });

/** The key directory when none is given explicitly (see the top of this file). */
export function defaultKeyDir(host: KeyDirHost = thisHost()): string {
  const fromEnv = host.env[KEY_DIR_ENV];
  if (fromEnv) return resolve(fromEnv);
  if (host.platform === 'win32') return join(host.env.LOCALAPPDATA ?? join(host.home, 'AppData', 'Local'), 'SiteGate', 'keys');
  if (host.platform === 'darwin') return join(host.home, 'Library', 'Application Support', 'SiteGate Keys');
  if (host.uid === 0) return '/etc/sitegate/keys';
  return join(host.env.XDG_CONFIG_HOME ?? join(host.home, '.config'), 'sitegate', 'keys');
}

/** Where versions before 0.3 kept the key: inside the data directory. */
export function legacyKeyDir(dataDir: string): string {
  return join(dataDir, 'keys');
}

function canonical(path: string): string {
  // Resolve symlinks of the longest existing ancestor, so /tmp vs /private/tmp and the like compare equal.
  let head = resolve(path);
  const tail: string[] = [];
  while (!existsSync(head) && dirname(head) !== head) {
    tail.unshift(head.slice(dirname(head).length).replace(/^[\\/]/, ''));
    head = dirname(head);
  }
  return join(existsSync(head) ? realpathSync(head) : head, ...tail);
}

/** True when `inner` is `outer` or below it. */
export function isInside(inner: string, outer: string): boolean {
  const rel = relative(canonical(outer), canonical(inner));
  return rel === '' || (!rel.startsWith('..') && !isAbsolute(rel));
}

export function assertKeyDirOutsideData(keyDir: string, dataDir: string): void {
  if (isInside(keyDir, dataDir)) {
    throw new DeviceKeyError(
      `the key directory ${keyDir} is inside the data directory ${dataDir}`,
      `keep the device key apart from the data: unset ${KEY_DIR_ENV} or point it (or --key-dir) outside the data directory`,
    );
  }
}

/**
 * Creates the key directory with mode 0700. An existing one is tightened to 0700 on POSIX only
 * when it holds nothing but SiteGate's key files: a directory given by mistake (/etc, /tmp)
 * keeps its mode.
 */
export function ensureKeyDir(keyDir: string): void {
  try {
    mkdirSync(keyDir, { recursive: true, mode: 0o700 });
    if (process.platform !== 'win32' && readdirSync(keyDir).every((f) => f.startsWith('device.'))) chmodSync(keyDir, 0o700);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code ?? '';
    throw new DeviceKeyError(
      `cannot create the key directory ${keyDir} (${code || (err as Error).message})`,
      code === 'EACCES' || code === 'EPERM'
        ? `run SiteGate as the user that owns the key (root on the appliance), or set ${KEY_DIR_ENV} to a directory it may write, outside the data directory`
        : 'check the path and the disk',
    );
  }
}

function fsyncPath(path: string): void {
  try {
    const fd = openSync(path, 'r');
    try {
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
  } catch {
    // directories cannot be opened for fsync on Windows; the rename is still atomic there
  }
}

/** Writes a file atomically (temp file, fsync, rename) with the given mode. */
export function writeFileAtomic(path: string, body: Buffer | string, mode: number): void {
  const tmp = `${path}.${process.pid}.tmp`;
  writeFileSync(tmp, body, { mode });
  fsyncPath(tmp);
  renameSync(tmp, path);
  if (process.platform !== 'win32') chmodSync(path, mode);
  fsyncPath(dirname(path));
}

/**
 * Moves a key kept inside the data directory (versions before 0.3) to the key directory.
 * The copy is written and synced before the old file is removed; a second, different key at
 * the destination stops the start instead of choosing one.
 */
export function moveLegacyKey(dataDir: string, keyDir: string): { from: string; to: string } | null {
  const oldDir = legacyKeyDir(dataDir);
  const from = join(oldDir, DEVICE_KEY_FILE);
  if (!existsSync(from) || isInside(oldDir, keyDir)) return null;
  const to = join(keyDir, DEVICE_KEY_FILE);
  const body = readFileSync(from);
  if (existsSync(to)) {
    if (!readFileSync(to).equals(body)) {
      throw new DeviceKeyError(
        `two different device keys: ${from} (left by an older version) and ${to}`,
        'keep the one made with this database: move the other away and start again',
      );
    }
  } else {
    ensureKeyDir(keyDir);
    writeFileAtomic(to, body, 0o600);
    if (!readFileSync(to).equals(body)) throw new DeviceKeyError(`the key copied to ${to} does not read back equal`, 'check the disk; the old key was left in place');
  }
  unlinkSync(from);
  for (const f of [DEVICE_PUBLIC_KEY_FILE]) if (existsSync(join(oldDir, f))) unlinkSync(join(oldDir, f));
  if (readdirSync(oldDir).length === 0) rmdirSync(oldDir);
  return { from, to };
}
