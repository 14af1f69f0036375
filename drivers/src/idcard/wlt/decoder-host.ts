// The WLT decoder process: loads the vendor library once and decodes on request (IPC). Started
// by LibraryWltDecoder; a crash of the library ends this process only, and the core says so.
import { DecodeError, bindVendorDecoder } from './vendor-call.js';
import type { LibraryDecoderConfig } from './decoder-config.js';

export type HostRequest = { id: number; wlt: Uint8Array };
export type HostReply = { id: number; ok: true; bmp: Uint8Array } | { id: number; ok: false; code: string; message: string };
export type HostReady = { ready: true } | { ready: false; code: string; message: string };

const cfg = JSON.parse(process.env['SITEGATE_WLT_DECODER'] ?? 'null') as LibraryDecoderConfig | null;
const send = (m: HostReply | HostReady): void => {
  process.send?.(m);
};

let call: ((wlt: Uint8Array) => Uint8Array) | null = null;
try {
  if (!cfg) throw new DecodeError('library_load_failed', 'no decoder configuration given');
  call = bindVendorDecoder(cfg);
  send({ ready: true });
} catch (err) {
  const e = err instanceof DecodeError ? err : new DecodeError('library_load_failed', String(err));
  send({ ready: false, code: e.code, message: e.message });
}

process.on('message', (m: HostRequest) => {
  if (!call) return;
  try {
    send({ id: m.id, ok: true, bmp: call(new Uint8Array(m.wlt)) });
  } catch (err) {
    const e = err instanceof DecodeError ? err : new DecodeError('decode_failed', (err as Error).message);
    send({ id: m.id, ok: false, code: e.code, message: e.message });
  }
});
// The core went away (its IPC channel closed): so does this process.
process.on('disconnect', () => process.exit(0));
