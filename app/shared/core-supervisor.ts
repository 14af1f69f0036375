// Keeps the core service running: starts it, restarts it after a crash with exponential
// back-off (backoff.ts), stops it on quit. The process itself is behind `spawn` so the same
// logic drives Electron's utilityProcess in the shell (app/main/main.ts), node's child_process
// in `npm start`'s supervisor (app/server/supervisor.main.ts) and in tests. Shared by both
// hosts, so neither imports the other (docs/decisions/0014-layers-enforced.md).
import { CrashBackoff, DEFAULT_BACKOFF, type BackoffOptions } from './backoff.js';

/** Exit code by which the core asks its supervisor to start it again at once (EX_TEMPFAIL). */
export const RESTART_EXIT_CODE = 75;
/** Set by a supervisor in the core's environment. */
export const SUPERVISED_ENV = 'SITEGATE_SUPERVISED';

export interface CoreChild {
  readonly pid: number | undefined;
  onExit(cb: (code: number | null) => void): void;
  kill(): void;
}

export type SupervisorState =
  | { kind: 'starting'; attempt: number }
  | { kind: 'running'; pid: number | undefined }
  | { kind: 'waiting'; exitCode: number | null; delayMs: number; consecutive: number; crashLoop: boolean }
  /** The core asked to be restarted (exit code in `restartCodes`, e.g. a remote restart): started again at once. */
  | { kind: 'restarting'; exitCode: number }
  /** The core ended on purpose (exit code in `stopCodes`): not restarted. */
  | { kind: 'ended'; exitCode: number }
  | { kind: 'stopped' };

export interface SupervisorTimers {
  now(): number;
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

const realTimers: SupervisorTimers = {
  now: () => Date.now(),
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (h) => clearTimeout(h as ReturnType<typeof setTimeout>),
};

export class CoreSupervisor {
  readonly #backoff: CrashBackoff;
  readonly #timers: SupervisorTimers;
  #child: CoreChild | null = null;
  #timer: unknown = null;
  #stopping = false;
  #starts = 0;
  #exitWaiters: Array<() => void> = [];
  readonly #restartCodes: ReadonlySet<number>;
  readonly #stopCodes: ReadonlySet<number>;

  constructor(
    private readonly spawn: () => CoreChild,
    private readonly onState: (s: SupervisorState) => void = () => {},
    opts: { backoff?: BackoffOptions; timers?: SupervisorTimers; restartCodes?: readonly number[]; stopCodes?: readonly number[] } = {},
  ) {
    this.#backoff = new CrashBackoff(opts.backoff ?? DEFAULT_BACKOFF);
    this.#timers = opts.timers ?? realTimers;
    this.#restartCodes = new Set(opts.restartCodes ?? []);
    this.#stopCodes = new Set(opts.stopCodes ?? []);
  }

  get starts(): number {
    return this.#starts;
  }

  get running(): boolean {
    return this.#child !== null;
  }

  start(): void {
    this.#stopping = false;
    this.#launch();
  }

  #launch(): void {
    this.#timer = null;
    if (this.#stopping) return;
    this.#starts += 1;
    this.onState({ kind: 'starting', attempt: this.#starts });
    let child: CoreChild;
    try {
      child = this.spawn();
    } catch {
      this.#exited(null);
      return;
    }
    this.#child = child;
    this.#backoff.started(this.#timers.now());
    child.onExit((code) => {
      if (this.#child !== child) return;
      this.#child = null;
      this.#exited(code);
    });
    this.onState({ kind: 'running', pid: child.pid });
  }

  #exited(code: number | null): void {
    const waiters = this.#exitWaiters;
    this.#exitWaiters = [];
    waiters.forEach((w) => w());
    if (this.#stopping) {
      this.onState({ kind: 'stopped' });
      return;
    }
    if (code !== null && this.#stopCodes.has(code)) {
      this.#stopping = true;
      this.onState({ kind: 'ended', exitCode: code });
      return;
    }
    if (code !== null && this.#restartCodes.has(code)) {
      // A requested restart is not a crash: no back-off, the crash count is left alone.
      this.onState({ kind: 'restarting', exitCode: code });
      this.#timer = this.#timers.setTimeout(() => this.#launch(), 0);
      return;
    }
    const r = this.#backoff.crashed(this.#timers.now());
    this.onState({
      kind: 'waiting',
      exitCode: code,
      delayMs: r.delayMs,
      consecutive: r.consecutive,
      crashLoop: r.crashLoop,
    });
    this.#timer = this.#timers.setTimeout(() => this.#launch(), r.delayMs);
  }

  /** Restart now (e.g. the admin pressed "restart core"), skipping the back-off wait. */
  restartNow(): void {
    if (this.#timer !== null) {
      this.#timers.clearTimeout(this.#timer);
      this.#launch();
    } else this.#child?.kill();
  }

  /** Stops the core and does not restart it. Resolves when it has exited. */
  async stop(): Promise<void> {
    this.#stopping = true;
    if (this.#timer !== null) {
      this.#timers.clearTimeout(this.#timer);
      this.#timer = null;
    }
    const child = this.#child;
    if (!child) {
      this.onState({ kind: 'stopped' });
      return;
    }
    const exited = new Promise<void>((resolve) => this.#exitWaiters.push(resolve));
    child.kill();
    await exited;
  }
}
