// Where the core finds its device key, and loading it through the Electron shell's
// safeStorage when the shell asks for that (`--key-protector=shell`).
import {
  DB_FILE,
  databaseNeedsExistingKey,
  defaultKeyDir,
  loadDeviceKeyAsync,
  prepareKeyDir,
  type DeviceKeys,
} from '../../edge-core/src/index.js';
import { resolve } from 'node:path';
import { electronParentPort, shellKeyProtector } from './shell-key-protector.js';

/** `--key-dir`, else $SITEGATE_KEY_DIR, else the platform's place (edge-core key-location.ts). */
export function resolveKeyDir(given: string | undefined): string {
  return given ? resolve(given) : defaultKeyDir();
}

export async function loadShellKeys(kind: string, dataDir: string, keyDir: string): Promise<DeviceKeys> {
  if (kind !== 'shell') throw new Error(`--key-protector ${kind}: the only protector is "shell" (the Electron shell's safeStorage)`);
  const port = electronParentPort();
  if (!port) throw new Error('--key-protector shell: this core was not started by the SiteGate shell (no parent port)');
  prepareKeyDir(dataDir, keyDir);
  let needsExisting = true;
  try {
    needsExisting = databaseNeedsExistingKey(dataDir, DB_FILE);
  } catch {
    // an unreadable database: never make a new key for it (the store's recovery decides what to do)
  }
  return loadDeviceKeyAsync({ keyDir, protector: shellKeyProtector(port), allowCreate: !needsExisting });
}
