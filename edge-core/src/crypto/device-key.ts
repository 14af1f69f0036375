// The device key: one 32-byte secret in a 0600 file in the key directory (key-location.ts,
// never inside the data directory), optionally wrapped by a platform protector (DPAPI through
// the Electron shell's safeStorage). Three keys are derived from it with HKDF: AES-GCM for
// personal data, HMAC for lookup hashes, and the Ed25519 seed that signs the ledger (see
// docs/decisions/0013-ledger-key-apart-and-anchors.md for why they stay one secret).
import { chmodSync, existsSync, linkSync, readFileSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { hkdfSync, randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { FieldCipher } from './field-cipher.js';
import { createEventSigner, signingSeedFromDeviceKey, type EventSigner } from './signing-key.js';
import { DEVICE_KEY_FILE, DEVICE_PUBLIC_KEY_FILE, DeviceKeyError, ensureKeyDir, writeFileAtomic } from './key-location.js';

/** Wraps the raw key for storage (e.g. DPAPI). Identity when absent. */
export interface KeyProtector {
  readonly name: string;
  protect(raw: Buffer): Buffer;
  unprotect(stored: Buffer): Buffer;
}

/** A protector that answers asynchronously: the Electron shell's safeStorage, asked over IPC. */
export interface AsyncKeyProtector {
  readonly name: string;
  protect(raw: Buffer): Promise<Buffer>;
  unprotect(stored: Buffer): Promise<Buffer>;
}

export const plainFileProtector: KeyProtector = {
  name: 'file-0600',
  protect: (raw) => raw,
  unprotect: (stored) => stored,
};

export { DeviceKeyError };

const MAGIC = 'SGK1';

export function deviceKeyPath(keyDir: string): string {
  return join(keyDir, DEVICE_KEY_FILE);
}

export function devicePublicKeyPath(keyDir: string): string {
  return join(keyDir, DEVICE_PUBLIC_KEY_FILE);
}

export interface DeviceKeyOptions {
  keyDir: string;
  protector?: KeyProtector;
  /** Create a key when none exists. False when the database already holds encrypted data. */
  allowCreate: boolean;
}

export interface DeviceKeys {
  cipher: FieldCipher;
  signer: EventSigner;
  created: boolean;
  path: string;
}

function keyBody(raw: Buffer, protectorName: string): Buffer {
  return Buffer.concat([Buffer.from(`${MAGIC}:${protectorName}\n`, 'utf8'), raw]);
}

/** Creates the key file only if none exists (two processes starting at once agree on one key). */
function createKeyFile(path: string, body: Buffer): boolean {
  const tmp = `${path}.${process.pid}.${randomBytes(4).toString('hex')}.new`;
  writeFileSync(tmp, body, { mode: 0o600, flush: true });
  try {
    linkSync(tmp, path);
    if (process.platform !== 'win32') chmodSync(path, 0o600);
    return true;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw err;
  } finally {
    unlinkSync(tmp);
  }
}

interface StoredKey {
  storedWith: string;
  body: Buffer;
}

function readStored(path: string): StoredKey {
  if (process.platform !== 'win32' && (statSync(path).mode & 0o077) !== 0) chmodSync(path, 0o600);
  const file = readFileSync(path);
  const nl = file.indexOf(0x0a);
  const header = nl > 0 ? file.subarray(0, nl).toString('utf8') : '';
  if (!header.startsWith(`${MAGIC}:`)) throw new DeviceKeyError(`device key file ${path} is not a SiteGate key`, `restore ${path} from the key backup`);
  return { storedWith: header.slice(MAGIC.length + 1), body: file.subarray(nl + 1) };
}

function checkLength(raw: Buffer, path: string): Buffer {
  if (raw.length !== 32) throw new DeviceKeyError(`device key ${path} has a wrong length`, `restore ${path} from the key backup`);
  return raw;
}

function missing(path: string): DeviceKeyError {
  return new DeviceKeyError(
    `device key ${path} is missing while the database holds encrypted personal data`,
    `copy the key file from its backup to ${path} (mode 0600) and start again`,
  );
}

function otherProtector(path: string, storedWith: string, offered: string): DeviceKeyError {
  return new DeviceKeyError(
    `device key ${path} was protected with "${storedWith}", but this host offers "${offered}"`,
    'start the appliance on the host that created the key, or restore the key backup',
  );
}

function deriveKeys(raw: Buffer, keyDir: string, created: boolean): DeviceKeys {
  const enc = Buffer.from(hkdfSync('sha256', raw, Buffer.alloc(0), 'sitegate field encryption v1', 32));
  const mac = Buffer.from(hkdfSync('sha256', raw, Buffer.alloc(0), 'sitegate lookup hash v1', 32));
  const signer = createEventSigner(signingSeedFromDeviceKey(raw));
  writePublicKey(keyDir, signer.publicKey);
  return { cipher: new FieldCipher(enc, mac), signer, created, path: deviceKeyPath(keyDir) };
}

/** Keeps device.pub beside the key (readable: it is public), rewritten only when it differs. */
function writePublicKey(keyDir: string, publicKey: Buffer): void {
  const path = devicePublicKeyPath(keyDir);
  const text = `${publicKey.toString('hex')}\n`;
  try {
    if (existsSync(path) && readFileSync(path, 'utf8') === text) return;
    writeFileAtomic(path, text, 0o644);
  } catch {
    // a convenience for `verify`; the key itself loaded fine
  }
}

type ProtectorCall = { op: 'protect' | 'unprotect'; data: Buffer };

/**
 * The loading steps, written once for both kinds of protector: the generator yields each
 * protect/unprotect call and is resumed with its answer (synchronously or after an await).
 */
function* loadSteps(opts: { keyDir: string; allowCreate: boolean }, protectorName: string): Generator<ProtectorCall, DeviceKeys, Buffer> {
  const path = deviceKeyPath(opts.keyDir);
  if (!existsSync(path)) {
    if (!opts.allowCreate) throw missing(path);
    ensureKeyDir(opts.keyDir);
    const raw = randomBytes(32);
    const wrapped = yield { op: 'protect', data: raw };
    if (createKeyFile(path, keyBody(wrapped, protectorName))) return deriveKeys(raw, opts.keyDir, true);
    // another process created it a moment ago: use theirs
  }
  const stored = readStored(path);
  if (stored.storedWith === protectorName) return deriveKeys(checkLength(yield { op: 'unprotect', data: stored.body }, path), opts.keyDir, false);
  if (stored.storedWith !== plainFileProtector.name) throw otherProtector(path, stored.storedWith, protectorName);
  // A plain key on a host that now offers a protector: wrap it in place.
  const raw = checkLength(stored.body, path);
  writeFileAtomic(path, keyBody(yield { op: 'protect', data: raw }, protectorName), 0o600);
  return deriveKeys(raw, opts.keyDir, false);
}

/** Loads (or on first start creates) the device key; returns the field cipher and the event signer built from it. */
export function loadDeviceKey(opts: DeviceKeyOptions): DeviceKeys {
  const protector = opts.protector ?? plainFileProtector;
  const steps = loadSteps(opts, protector.name);
  let step = steps.next();
  while (!step.done) step = steps.next(step.value.op === 'protect' ? protector.protect(step.value.data) : protector.unprotect(step.value.data));
  return step.value;
}

/** loadDeviceKey with a protector that answers asynchronously (the shell's safeStorage). */
export async function loadDeviceKeyAsync(opts: Omit<DeviceKeyOptions, 'protector'> & { protector: AsyncKeyProtector }): Promise<DeviceKeys> {
  const { protector } = opts;
  const steps = loadSteps(opts, protector.name);
  let step = steps.next();
  while (!step.done) step = steps.next(step.value.op === 'protect' ? await protector.protect(step.value.data) : await protector.unprotect(step.value.data));
  return step.value;
}

/** The public key kept beside the device key, or null when there is none. */
export function readDevicePublicKey(keyDir: string): Buffer | null {
  const path = devicePublicKeyPath(keyDir);
  if (!existsSync(path)) return null;
  const key = Buffer.from(readFileSync(path, 'utf8').trim(), 'hex');
  return key.length === 32 ? key : null;
}

/** Copies the key file (as stored) next to a backup. */
export function exportKeyFile(keyDir: string): Buffer {
  return readFileSync(deviceKeyPath(keyDir));
}
