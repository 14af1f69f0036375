// The device key lives outside the database file: a 0600 file in the key directory,
// optionally wrapped by a platform protector (Electron safeStorage, DPAPI, keychain).
// Two sub-keys are derived with HKDF: one for AES-GCM, one for lookup hashes.
import { chmodSync, existsSync, mkdirSync, readFileSync, statSync, writeFileSync, renameSync } from 'node:fs';
import { hkdfSync, randomBytes } from 'node:crypto';
import { dirname, join } from 'node:path';
import { FieldCipher } from './field-cipher.js';
import { createEventSigner, signingSeedFromDeviceKey, type EventSigner } from './signing-key.js';

/** Wraps the raw key for storage (e.g. Electron safeStorage). Identity when absent. */
export interface KeyProtector {
  readonly name: string;
  protect(raw: Buffer): Buffer;
  unprotect(stored: Buffer): Buffer;
}

export const plainFileProtector: KeyProtector = {
  name: 'file-0600',
  protect: (raw) => raw,
  unprotect: (stored) => stored,
};

export class DeviceKeyError extends Error {
  constructor(
    message: string,
    readonly fix: string,
  ) {
    super(`${message} — ${fix}`);
    this.name = 'DeviceKeyError';
  }
}

const MAGIC = 'SGK1';

export function deviceKeyPath(keyDir: string): string {
  return join(keyDir, 'device.key');
}

function writeKeyFile(path: string, raw: Buffer, protector: KeyProtector): void {
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  const body = Buffer.concat([Buffer.from(`${MAGIC}:${protector.name}\n`, 'utf8'), protector.protect(raw)]);
  const tmp = `${path}.tmp`;
  writeFileSync(tmp, body, { mode: 0o600 });
  renameSync(tmp, path);
  chmodSync(path, 0o600);
}

function readKeyFile(path: string, protector: KeyProtector): Buffer {
  const body = readFileSync(path);
  const nl = body.indexOf(0x0a);
  const header = nl > 0 ? body.subarray(0, nl).toString('utf8') : '';
  if (!header.startsWith(`${MAGIC}:`)) {
    throw new DeviceKeyError(`device key file ${path} is not a SiteGate key`, 'restore keys/device.key from the backup');
  }
  const storedWith = header.slice(MAGIC.length + 1);
  if (storedWith !== protector.name) {
    throw new DeviceKeyError(
      `device key ${path} was protected with "${storedWith}", but this host offers "${protector.name}"`,
      'start the appliance on the host that created the key, or restore the key backup',
    );
  }
  const raw = protector.unprotect(body.subarray(nl + 1));
  if (raw.length !== 32) throw new DeviceKeyError(`device key ${path} has a wrong length`, 'restore keys/device.key from the backup');
  return raw;
}

export interface DeviceKeyOptions {
  keyDir: string;
  protector?: KeyProtector;
  /** Create a key when none exists. False when the database already holds encrypted data. */
  allowCreate: boolean;
}

/** Loads (or on first start creates) the device key; returns the field cipher and the event signer built from it. */
export function loadDeviceKey(opts: DeviceKeyOptions): { cipher: FieldCipher; signer: EventSigner; created: boolean; path: string } {
  const protector = opts.protector ?? plainFileProtector;
  const path = deviceKeyPath(opts.keyDir);
  let created = false;
  let raw: Buffer;
  if (existsSync(path)) {
    if (process.platform !== 'win32' && (statSync(path).mode & 0o077) !== 0) chmodSync(path, 0o600);
    raw = readKeyFile(path, protector);
  } else {
    if (!opts.allowCreate) {
      throw new DeviceKeyError(
        `device key ${path} is missing while the database holds encrypted personal data`,
        'copy the key file from the backup (sitegate backup writes it beside the database copy) into that path and start again',
      );
    }
    raw = randomBytes(32);
    writeKeyFile(path, raw, protector);
    created = true;
  }
  const enc = Buffer.from(hkdfSync('sha256', raw, Buffer.alloc(0), 'sitegate field encryption v1', 32));
  const mac = Buffer.from(hkdfSync('sha256', raw, Buffer.alloc(0), 'sitegate lookup hash v1', 32));
  return { cipher: new FieldCipher(enc, mac), signer: createEventSigner(signingSeedFromDeviceKey(raw)), created, path };
}

/** Copies the key file (as stored) next to a backup. */
export function exportKeyFile(keyDir: string): Buffer {
  return readFileSync(deviceKeyPath(keyDir));
}
