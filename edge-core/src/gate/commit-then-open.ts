// The two steps every lane takes after its decision, shared by the face lane and the visitor
// lane: write the record (once more after releasing the disk reserve when the disk is full),
// and only then open the turnstile, turning a failed open into a plain-words failure.
import type { Turnstile } from '../ports/devices.js';
import { StoreError } from '../store/errors.js';
import type { Bilingual } from '../domain/bilingual.js';

/** Writes; on a full disk with space in reserve, releases it and writes again (the failed transaction was rolled back). */
export function writeWithReserve<T>(write: () => T, reclaimSpace?: () => boolean): T {
  try {
    return write();
  } catch (err) {
    if (!(err instanceof StoreError && err.code === 'disk_full' && reclaimSpace?.() === true)) throw err;
    return write();
  }
}

export type OpenOutcome = { opened: true } | { opened: false; failure: { code: string; message: Bilingual } };

/** Opens the lane's turnstile; never throws. */
export async function openTurnstile(turnstile: Turnstile, lane: string, direction: 'in' | 'out'): Promise<OpenOutcome> {
  try {
    await turnstile.open({ lane, direction });
    return { opened: true };
  } catch (err) {
    const f = err as { code?: string; message?: unknown };
    const message = typeof f.message === 'object' && f.message !== null ? (f.message as Bilingual) : { zh: '闸机未能打开，请重试', en: 'The turnstile did not open; try again' };
    return { opened: false, failure: { code: f.code ?? 'open_failed', message } };
  }
}
