// The core's side of the key IPC (app/shared/key-protector-ipc.ts): when the Electron shell
// runs the core (`--key-protector=shell`), the device key file is sealed by the shell's
// safeStorage — DPAPI on Windows — and the core asks the shell to seal or open it.
import type { AsyncKeyProtector } from '../../edge-core/src/index.js';
import { KEY_IPC, isKeyIpcReply, type KeyIpcReply, type KeyIpcRequest } from '../shared/key-protector-ipc.js';

/** Electron's `process.parentPort` in a utility process (or any port with the same shape). */
export interface ParentPortLike {
  on(event: 'message', listener: (e: { data: unknown }) => void): unknown;
  postMessage(message: unknown): void;
}

/** The protector's name in the key file's header: a key sealed by it opens only through the shell. */
export const SHELL_PROTECTOR_NAME = 'electron-safe-storage';

export function shellKeyProtector(port: ParentPortLike, timeoutMs = 20_000): AsyncKeyProtector {
  let next = 1;
  const waiting = new Map<number, (r: KeyIpcReply) => void>();
  port.on('message', (e) => {
    if (isKeyIpcReply(e.data)) waiting.get(e.data.id)?.(e.data);
  });
  const ask = (op: KeyIpcRequest['op'], data: Buffer): Promise<Buffer> =>
    new Promise((resolve, reject) => {
      const id = next++;
      const timer = setTimeout(() => {
        waiting.delete(id);
        reject(new Error(`the shell did not answer the key ${op} request within ${timeoutMs} ms`));
      }, timeoutMs);
      waiting.set(id, (r) => {
        clearTimeout(timer);
        waiting.delete(id);
        if (r.ok) resolve(Buffer.from(r.data, 'base64'));
        else reject(new Error(`the shell could not ${op} the device key: ${r.error}`));
      });
      port.postMessage({ type: KEY_IPC, id, op, data: data.toString('base64') } satisfies KeyIpcRequest);
    });
  return { name: SHELL_PROTECTOR_NAME, protect: (raw) => ask('protect', raw), unprotect: (sealed) => ask('unprotect', sealed) };
}

/** Electron's parentPort when this process is an Electron utility process, else null. */
export function electronParentPort(): ParentPortLike | null {
  // `parentPort` is added to `process` by Electron's utility process; Node's types do not know it.
  const port = (process as NodeJS.Process & { parentPort?: ParentPortLike }).parentPort;
  return port ?? null;
}
