// The signed-in person and role. The bearer token lives in sessionStorage (this tab only, survives a
// reload, gone when the tab closes). Expiry is handled in two ways: a timer at expiresAt,
// and any API answer `auth.expired`; both sign out and say so on the login screen.
import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import type { SessionResponse } from '../../../shared/api-types.js';
import { configureHttp, ApiCallError } from '../api/http.js';
import { coreApi, type Role } from '../api/core.js';

const KEY = 'sitegate.session';
/** Per-person state dropped on an explicit sign-out (the next clerk must not see it), but
 * kept when a session merely expires (signing in again resumes the half-finished work). */
const DROP_ON_SIGN_OUT = ['sitegate.enroll.draft'];
const ORDER: Role[] = ['clerk', 'supervisor', 'admin'];

export function roleAllows(have: Role, need: Role): boolean {
  return ORDER.indexOf(have) >= ORDER.indexOf(need);
}

export type SessionNotice = 'expired' | 'signed_out' | null;
/** Whose PIN: an account number (named accounts), or a role that has exactly one account. */
export type LoginTarget = { account: number } | { role: Role };

interface SessionCtx {
  session: SessionResponse | null;
  notice: SessionNotice;
  login(target: LoginTarget, pin: string): Promise<void>;
  logout(): Promise<void>;
}

const Ctx = createContext<SessionCtx | null>(null);

function load(): SessionResponse | null {
  try {
    const raw = sessionStorage.getItem(KEY);
    if (!raw) return null;
    const s = JSON.parse(raw) as SessionResponse;
    return s.expiresAt > Date.now() ? s : null;
  } catch {
    return null;
  }
}

let current: SessionResponse | null = load();
let expireHandler: () => void = () => {};

// Wired at module load: children's effects run before the provider's, and their first
// requests must already carry the token.
configureHttp({
  token: () => current?.token ?? null,
  onAuthFailure: () => {
    if (current) expireHandler();
  },
});

export function SessionProvider({
  children,
  onChange,
}: {
  children: ReactNode;
  onChange?: (s: SessionResponse | null) => void;
}) {
  const [session, setSession] = useState<SessionResponse | null>(current);
  const [notice, setNotice] = useState<SessionNotice>(null);

  const apply = useCallback(
    (s: SessionResponse | null, why: SessionNotice) => {
      current = s;
      try {
        if (s) sessionStorage.setItem(KEY, JSON.stringify(s));
        else sessionStorage.removeItem(KEY);
      } catch {
        /* storage disabled: session lasts for this page */
      }
      setSession(s);
      setNotice(why);
      onChange?.(s);
    },
    [onChange],
  );

  useEffect(() => {
    expireHandler = () => apply(null, 'expired');
  }, [apply]);

  useEffect(() => {
    if (!session) return;
    const ms = session.expiresAt - Date.now();
    const t = setTimeout(() => apply(null, 'expired'), Math.max(0, Math.min(ms, 2_147_000_000)));
    return () => clearTimeout(t);
  }, [session, apply]);

  const login = useCallback(
    async (target: LoginTarget, pin: string) => {
      const s = await coreApi.login({ ...target, pin });
      apply(s, null);
    },
    [apply],
  );
  const logout = useCallback(async () => {
    try {
      await coreApi.logout();
    } catch (err) {
      if (!(err instanceof ApiCallError)) throw err;
    }
    try {
      for (const k of DROP_ON_SIGN_OUT) sessionStorage.removeItem(k);
    } catch {
      /* storage disabled */
    }
    apply(null, 'signed_out');
  }, [apply]);

  const value = useMemo(() => ({ session, notice, login, logout }), [session, notice, login, logout]);
  return <Ctx.Provider value={value}>{children}</Ctx.Provider>;
}

export function useSession(): SessionCtx {
  const v = useContext(Ctx);
  if (!v) throw new Error('useSession outside SessionProvider');
  return v;
}
