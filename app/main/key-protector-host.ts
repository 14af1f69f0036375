// The shell's side of the key IPC (app/shared/key-protector-ipc.ts): wraps and unwraps the
// core's device key with safeStorage. Electron-free, so it is tested with a stand-in; main.ts
// passes the real safeStorage.
import { KEY_IPC, isKeyIpcRequest, type KeyIpcReply } from '../shared/key-protector-ipc.js';

/** What the answer needs of Electron's safeStorage (its asynchronous API). */
export interface StringSealer {
  encryptStringAsync(plain: string): Promise<Buffer>;
  decryptStringAsync(sealed: Buffer): Promise<{ result: string }>;
}

/** The reply to one message from the core, or null when the message is not a key request. */
export async function answerKeyRequest(message: unknown, sealer: StringSealer): Promise<KeyIpcReply | null> {
  if (!isKeyIpcRequest(message)) return null;
  try {
    const input = Buffer.from(message.data, 'base64');
    // safeStorage seals strings: the raw key travels as base64 text inside the seal.
    const data =
      message.op === 'protect'
        ? (await sealer.encryptStringAsync(input.toString('base64'))).toString('base64')
        : (await sealer.decryptStringAsync(input)).result;
    return { type: KEY_IPC, id: message.id, ok: true, data };
  } catch (err) {
    return { type: KEY_IPC, id: message.id, ok: false, error: (err as Error).message };
  }
}
