// The device key sealed by the Electron shell's safeStorage (DPAPI on Windows), asked for by the
// core over its parent port. Electron cannot run here: the shell side runs with a stand-in for
// safeStorage (AES-GCM under a key only it holds) and the port is a real MessageChannel.
import { afterEach, describe, expect, it } from 'vitest';
import { MessageChannel } from 'node:worker_threads';
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadDeviceKey, loadDeviceKeyAsync } from '../../../edge-core/src/index.js';
import { answerKeyRequest, type StringSealer } from '../../main/key-protector-host.js';
import { SHELL_PROTECTOR_NAME, shellKeyProtector, type ParentPortLike } from '../../server/shell-key-protector.js';

const dirs: string[] = [];
const channels: MessageChannel[] = [];
afterEach(() => {
  for (const c of channels.splice(0)) {
    c.port1.close();
    c.port2.close();
  }
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function standInSafeStorage(): StringSealer & { calls: number } {
  const k = randomBytes(32);
  const s = {
    calls: 0,
    async encryptStringAsync(plain: string) {
      s.calls++;
      const iv = randomBytes(12);
      const c = createCipheriv('aes-256-gcm', k, iv);
      const body = Buffer.concat([c.update(plain, 'utf8'), c.final()]);
      return Buffer.concat([iv, c.getAuthTag(), body]);
    },
    async decryptStringAsync(sealed: Buffer) {
      s.calls++;
      const d = createDecipheriv('aes-256-gcm', k, sealed.subarray(0, 12));
      d.setAuthTag(sealed.subarray(12, 28));
      return { result: Buffer.concat([d.update(sealed.subarray(28)), d.final()]).toString('utf8') };
    },
  };
  return s;
}

/** Core and shell joined by a real MessageChannel; the core's end shaped like Electron's parentPort. */
function wire(sealer: StringSealer): ParentPortLike {
  const ch = new MessageChannel();
  channels.push(ch);
  ch.port2.on('message', (m: unknown) => void answerKeyRequest(m, sealer).then((r) => r && ch.port2.postMessage(r)));
  return { on: (_e, listener) => ch.port1.on('message', (data: unknown) => listener({ data })), postMessage: (m) => ch.port1.postMessage(m) };
}

describe('shell: the device key sealed with safeStorage over the core parent port (stand-in for safeStorage)', () => {
  it('creates a sealed key, opens it again through the shell, and a plain key is sealed in place', async () => {
    const keyDir = join(mkdtempSync(join(tmpdir(), 'sitegate-shellkey-')), 'keys');
    dirs.push(join(keyDir, '..'));
    const sealer = standInSafeStorage();
    const protector = shellKeyProtector(wire(sealer));
    const made = await loadDeviceKeyAsync({ keyDir, protector, allowCreate: true });
    expect(made.created).toBe(true);
    const file = readFileSync(join(keyDir, 'device.key'));
    expect(file.subarray(0, file.indexOf(0x0a)).toString()).toBe(`SGK1:${SHELL_PROTECTOR_NAME}`);
    const again = await loadDeviceKeyAsync({ keyDir, protector, allowCreate: false });
    expect(again.signer.fingerprint).toBe(made.signer.fingerprint);
    expect(sealer.calls).toBe(2);
    // Verify does not need the seal: the public key is beside it.
    expect(readFileSync(join(keyDir, 'device.pub'), 'utf8').trim()).toBe(made.signer.publicKey.toString('hex'));
    // Without the shell the sealed key cannot be opened.
    expect(() => loadDeviceKey({ keyDir, allowCreate: false })).toThrow(/protected with "electron-safe-storage"/);

    const plainDir = join(keyDir, '..', 'plain');
    const plain = loadDeviceKey({ keyDir: plainDir, allowCreate: true });
    const sealed = await loadDeviceKeyAsync({ keyDir: plainDir, protector, allowCreate: false });
    expect(sealed.signer.fingerprint).toBe(plain.signer.fingerprint);
    expect(readFileSync(join(plainDir, 'device.key')).subarray(0, 5 + SHELL_PROTECTOR_NAME.length).toString()).toBe(`SGK1:${SHELL_PROTECTOR_NAME}`);
  });

  it('a shell that cannot seal says so, and one that never answers times out with a clear error', async () => {
    const failing: StringSealer = {
      encryptStringAsync: async () => {
        throw new Error('encryption is not available');
      },
      decryptStringAsync: async () => ({ result: '' }),
    };
    await expect(shellKeyProtector(wire(failing)).protect(randomBytes(32))).rejects.toThrow(/could not protect the device key: encryption is not available/);
    const silent = new MessageChannel();
    channels.push(silent);
    const port: ParentPortLike = { on: (_e, l) => silent.port1.on('message', (data: unknown) => l({ data })), postMessage: (m) => silent.port1.postMessage(m) };
    await expect(shellKeyProtector(port, 200).unprotect(randomBytes(40))).rejects.toThrow(/did not answer the key unprotect request/);
  });
});
