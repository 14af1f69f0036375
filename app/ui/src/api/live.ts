// The live event stream (WebSocket /api/events) with automatic reconnection. The state is
// visible to every screen: 'open', 'connecting' (first try) or 'reconnecting' (after a loss,
// with the attempt number and the time of the next try).
import type { LiveEvent } from '../../../shared/api-types.js';
import { reconnectDelayMs } from '../lib/backoff.js';

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
  readonly #events = new Set<EventListener>();
  readonly #states = new Set<StateListener>();

  constructor(
    private readonly url: () => string,
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
    let ws: WebSocket;
    try {
      ws = new WebSocket(this.url());
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
    ws.onclose = () => {
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

export function eventsUrl(token: string | null): string {
  const scheme = location.protocol === 'https:' ? 'wss' : 'ws';
  const q = token ? `?token=${encodeURIComponent(token)}` : '';
  return `${scheme}://${location.host}/api/events${q}`;
}
