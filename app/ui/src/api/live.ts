// The live event stream (WebSocket /api/events) with automatic reconnection. The state is
// visible to every screen: 'open', 'connecting' (first try) or 'reconnecting' (after a loss,
// with the attempt number and the time of the next try).
//
// The stream needs a session: the signed-in user's, or on the kiosk PC the lane display's kiosk
// token (kiosk.ts). The token travels in the WebSocket subprotocol (`sitegate.auth.<token>`
// next to `sitegate.v1`): browsers cannot set headers on a WebSocket, and a token in the URL
// would end up in logs. Close code 4401 means the session ended (sign-out, new PIN, expiry).
import type { LiveEvent } from '../../../shared/api-types.js';
import { reconnectDelayMs } from '../lib/backoff.js';

export const EVENTS_PROTOCOL = 'sitegate.v1';
const AUTH_PROTOCOL_PREFIX = 'sitegate.auth.';
/** The core closes the stream with this code when its session is missing or ended. */
export const CLOSE_AUTH = 4401;

export interface LiveAuth {
  /** The token for the next connection; null when there is none yet (tried again later). */
  token(): Promise<string | null>;
  /** The core refused or ended the stream for this token's session: forget it. */
  rejected(token: string): void;
}

/** The subprotocols that carry the session to the core. */
export function eventsProtocols(token: string): string[] {
  return [EVENTS_PROTOCOL, `${AUTH_PROTOCOL_PREFIX}${token}`];
}

export type LiveState =
  | { kind: 'connecting' }
  | { kind: 'open'; since: number }
  | { kind: 'reconnecting'; attempt: number; nextAt: number; lostAt: number };

type EventListener = (e: LiveEvent) => void;
type StateListener = (s: LiveState) => void;

export class LiveConnection {
  #ws: WebSocket | null = null;
  #state: LiveState = { kind: 'connecting' };
  #attempt = 0;
  #lostAt = 0;
  #timer: ReturnType<typeof setTimeout> | null = null;
  #stopped = false;
  /** Counts connection attempts, so a token that arrives after a stop or restart is dropped. */
  #generation = 0;
  readonly #events = new Set<EventListener>();
  readonly #states = new Set<StateListener>();

  constructor(
    private readonly url: () => string,
    private readonly auth: LiveAuth,
    /** Called after every (re)connect, so screens reload what they may have missed. */
    private readonly onReconnected: () => void = () => {},
  ) {}

  get state(): LiveState {
    return this.#state;
  }

  start(): void {
    this.#stopped = false;
    this.#connect();
  }

  stop(): void {
    this.#stopped = true;
    if (this.#timer) clearTimeout(this.#timer);
    this.#ws?.close();
    this.#ws = null;
  }

  /** Drops the socket and reconnects now, e.g. after login (new token). */
  restart(): void {
    this.stop();
    this.#attempt = 0;
    this.start();
  }

  onEvent(fn: EventListener): () => void {
    this.#events.add(fn);
    return () => this.#events.delete(fn);
  }

  onState(fn: StateListener): () => void {
    this.#states.add(fn);
    return () => this.#states.delete(fn);
  }

  #set(s: LiveState): void {
    this.#state = s;
    for (const fn of this.#states) fn(s);
  }

  #connect(): void {
    if (this.#stopped) return;
    const generation = ++this.#generation;
    this.auth.token().then(
      (token) => {
        if (this.#stopped || generation !== this.#generation) return;
        if (token === null) this.#scheduleRetry();
        else this.#open(token);
      },
      () => {
        if (!this.#stopped && generation === this.#generation) this.#scheduleRetry();
      },
    );
  }

  #open(token: string): void {
    let ws: WebSocket;
    try {
      ws = new WebSocket(this.url(), eventsProtocols(token));
    } catch {
      this.#scheduleRetry();
      return;
    }
    this.#ws = ws;
    ws.onopen = () => {
      const wasLost = this.#attempt > 0;
      this.#attempt = 0;
      this.#set({ kind: 'open', since: Date.now() });
      if (wasLost) this.onReconnected();
    };
    ws.onmessage = (m) => {
      let e: LiveEvent;
      try {
        e = JSON.parse(String(m.data)) as LiveEvent;
      } catch {
        return;
      }
      for (const fn of this.#events) fn(e);
    };
    ws.onclose = (c) => {
      if (c.code === CLOSE_AUTH) this.auth.rejected(token);
      if (this.#ws !== ws) return;
      this.#ws = null;
      this.#scheduleRetry();
    };
    ws.onerror = () => ws.close();
  }

  #scheduleRetry(): void {
    if (this.#stopped) return;
    if (this.#attempt === 0) this.#lostAt = Date.now();
    this.#attempt += 1;
    const delay = reconnectDelayMs(this.#attempt);
    this.#set({
      kind: 'reconnecting',
      attempt: this.#attempt,
      nextAt: Date.now() + delay,
      lostAt: this.#lostAt,
    });
    this.#timer = setTimeout(() => this.#connect(), delay);
  }
}

export function eventsUrl(): string {
  const scheme = location.protocol === 'https:' ? 'wss' : 'ws';
  return `${scheme}://${location.host}/api/events`;
}
