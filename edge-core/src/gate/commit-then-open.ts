// The two steps every lane takes after its decision, shared by the face lane and the visitor
// lane: write the record (once more after releasing the disk reserve when the disk is full),
// and only then open the turnstile, turning a failed open into a plain-words failure.
import type { Turnstile } from '../ports/devices.js';
import { StoreError } from '../store/errors.js';
import { isBilingual, type Bilingual } from '../domain/bilingual.js';

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
    // A driver's DeviceError keeps Error.message as an English string and carries its zh/en text
    // as `failure.message` (the DeviceFailure) and `reason`; a plain DeviceFailure as `message`.
    const f = (typeof err === 'object' && err !== null ? err : {}) as { code?: unknown; message?: unknown; reason?: unknown; failure?: { message?: unknown } };
    const message = [f.failure?.message, f.reason, f.message].find(isBilingual) ?? { zh: '闸机未能打开，请重试', en: 'The turnstile did not open; try again' };
    return { opened: false, failure: { code: typeof f.code === 'string' ? f.code : 'open_failed', message } };
  }
}
