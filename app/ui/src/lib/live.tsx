// React side of the live stream: one LiveConnection per page, its state for the banner, and
// a hook to receive events.
import { createContext, useContext, useEffect, useRef, useState, type ReactNode } from 'react';
import type { LiveEvent } from '../../../shared/api-types.js';
import { LiveConnection, eventsUrl, type LiveAuth, type LiveState } from '../api/live.js';
import { currentToken, reportSessionEnded } from '../api/http.js';
import { forgetKioskToken, kioskToken } from '../api/kiosk.js';
import { useSession } from './session.js';

/** The signed-in user's session when there is one, else this gate PC's kiosk token. */
const liveAuth: LiveAuth = {
  token: async () => currentToken() ?? (await kioskToken()),
  rejected: (token) => {
    if (token === currentToken()) reportSessionEnded();
    else forgetKioskToken(token);
  },
};

interface LiveCtx {
  conn: LiveConnection;
  state: LiveState;
  /** Increments after each reconnect: screens reload what they may have missed. */
  epoch: number;
}

const Ctx = createContext<LiveCtx | null>(null);

export function LiveProvider({ children, connection }: { children: ReactNode; connection?: LiveConnection }) {
  const [epoch, setEpoch] = useState(0);
  const [conn] = useState(
    () =>
      connection ??
      new LiveConnection(
        () => eventsUrl(),
        liveAuth,
        () => setEpoch((n) => n + 1),
      ),
  );
  // A sign-in or sign-out changes the stream's session: reconnect with the new one.
  const token = useSession().session?.token ?? null;
  const first = useRef(true);
  useEffect(() => {
    if (first.current) {
      first.current = false;
      return;
    }
    conn.restart();
  }, [token, conn]);
  const [state, setState] = useState<LiveState>(conn.state);
  useEffect(() => {
    const off = conn.onState(setState);
    conn.start();
    return () => {
      off();
      conn.stop();
    };
  }, [conn]);
  return <Ctx.Provider value={{ conn, state, epoch }}>{children}</Ctx.Provider>;
}

export function useLive(): LiveCtx {
  const v = useContext(Ctx);
  if (!v) throw new Error('useLive outside LiveProvider');
  return v;
}

export function useLiveEvents(fn: (e: LiveEvent) => void): void {
  const { conn } = useLive();
  const ref = useRef(fn);
  ref.current = fn;
  useEffect(() => conn.onEvent((e) => ref.current(e)), [conn]);
}
