// The kiosk token of a lane display on the gate PC itself: asked from the core without a PIN
// (POST /api/kiosk/session answers this machine's own page only) and used for the live event
// stream when nobody is signed in. Kept in memory until shortly before it expires, or until the
// core ends it (close 4401). On another PC the core refuses it: that display signs in instead.
import type { Reply } from '../../../shared/api-types.js';
import { request } from './http.js';

const RENEW_BEFORE_MS = 5 * 60_000;
let cached: { token: string; expiresAt: number } | null = null;
let pending: Promise<string | null> | null = null;

/** The kiosk token, asking the core for one when there is none; null when the core refuses. */
export function kioskToken(): Promise<string | null> {
  if (cached && cached.expiresAt - RENEW_BEFORE_MS > Date.now()) return Promise.resolve(cached.token);
  pending ??= request<Reply<'POST /api/kiosk/session'>>('POST', '/api/kiosk/session', { anonymous: true })
    .then(
      (s) => {
        cached = s;
        return s.token;
      },
      () => null,
    )
    .finally(() => {
      pending = null;
    });
  return pending;
}

/** Drops the kiosk token (the core ended its session). */
export function forgetKioskToken(token?: string): void {
  if (!token || cached?.token === token) cached = null;
}
