// The messages by which the core, run by the Electron shell as a utility process, has the shell
// wrap and unwrap the device key with safeStorage (DPAPI on Windows, the Keychain on macOS):
// safeStorage exists only in Electron's main process. The core asks; the shell answers.
export const KEY_IPC = 'sitegate-key';

export interface KeyIpcRequest {
  type: typeof KEY_IPC;
  id: number;
  op: 'protect' | 'unprotect';
  /** base64 */
  data: string;
}

export type KeyIpcReply = { type: typeof KEY_IPC; id: number; ok: true; data: string } | { type: typeof KEY_IPC; id: number; ok: false; error: string };

export function isKeyIpcRequest(m: unknown): m is KeyIpcRequest {
  const r = m as Partial<KeyIpcRequest> | null;
  return !!r && r.type === KEY_IPC && typeof r.id === 'number' && (r.op === 'protect' || r.op === 'unprotect') && typeof r.data === 'string';
}

export function isKeyIpcReply(m: unknown): m is KeyIpcReply {
  const r = m as Partial<KeyIpcReply> | null;
  return !!r && r.type === KEY_IPC && typeof r.id === 'number' && typeof r.ok === 'boolean';
}
