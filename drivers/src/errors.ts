// Typed errors of the drivers. Codecs return `CodecError` values (never throw); transports and
// device drivers reject with `DeviceError`, which carries a stable code and a zh/en message.
import type { DeviceFailure, Bilingual } from '../../edge-core/src/ports/devices.js';

export interface CodecError {
  ok: false;
  /** Stable code, e.g. 'bad_checksum', 'truncated', 'bad_preamble'. */
  code: string;
  message: Bilingual;
}

export type CodecResult<T> = { ok: true; value: T } | CodecError;

export function ok<T>(value: T): { ok: true; value: T } {
  return { ok: true, value };
}

export function codecError(code: string, zh: string, en: string): CodecError {
  return { ok: false, code, message: { zh, en } };
}

export class DeviceError extends Error {
  readonly code: string;
  readonly reason: Bilingual;
  constructor(code: string, message: Bilingual, options?: { cause?: unknown }) {
    super(`${code}: ${message.en}`, options);
    this.name = 'DeviceError';
    this.code = code;
    this.reason = message;
  }
  /** DeviceFailure's `message` as zh/en (Error.message stays the English string). */
  get failure(): DeviceFailure {
    return { code: this.code, message: this.reason };
  }
}

export function deviceError(code: string, zh: string, en: string, cause?: unknown): DeviceError {
  return new DeviceError(code, { zh, en }, cause === undefined ? undefined : { cause });
}
