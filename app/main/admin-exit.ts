// Leaving kiosk mode needs an admin's PIN, checked by the core (POST /api/session, the same
// lockout rules as any login): the PIN of the signed-in admin's account when the screen says
// which, else of the one admin account (older screens). The session it creates is revoked at once: the shell only
// wanted the yes/no. Pure apart from the injected fetch.
export type ExitCheck = { ok: true } | { ok: false; code: string };

export async function verifyAdminPin(
  coreUrl: string,
  pin: string,
  fetchImpl: typeof fetch = fetch,
  account?: number,
): Promise<ExitCheck> {
  if (!/^\d{1,32}$/.test(pin)) return { ok: false, code: 'auth.wrong_pin' };
  if (account !== undefined && !(Number.isInteger(account) && account > 0)) return { ok: false, code: 'auth.no_account' };
  const base = coreUrl.replace(/\/+$/, '');
  let res: Response;
  try {
    res = await fetchImpl(`${base}/api/session`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(account !== undefined ? { account, pin } : { role: 'admin', pin }),
    });
  } catch {
    return { ok: false, code: 'network.unreachable' };
  }
  const body = (await res.json().catch(() => null)) as {
    token?: string;
    role?: string;
    error?: { code?: string };
  } | null;
  if (res.status !== 200 || !body?.token) return { ok: false, code: body?.error?.code ?? `http.${res.status}` };
  // Whoever signed in (an admin, or the clerk whose account number was given), the session
  // made for the check ends at once.
  await fetchImpl(`${base}/api/session`, {
    method: 'DELETE',
    headers: { authorization: `Bearer ${body.token}` },
  }).catch(() => undefined);
  return body.role === 'admin' ? { ok: true } : { ok: false, code: 'auth.forbidden' };
}
