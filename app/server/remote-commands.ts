// Remote management (远程管理, device standard 一.13): the commands the platform delivers with the
// heartbeat are carried out, not only recorded. Each is audited with its result
// (`remote.set_param|restart|update`, actor 'platform') and acknowledged with the next heartbeat;
// outcomes wait in the database, so the acknowledgement of a restart is sent by the restarted
// core, and a command delivered twice is not carried out twice.
//  - set_param: configuration entries from an allow-list, validated with the configuration
//    schema, applied live where the core can (log level, retention) and otherwise at the next
//    restart (remote-params.ts; kept in remote-config.json); or `target: 'policy'` — the gate
//    policy, validated by its schema and applied live, audited with its diff.
//  - restart: only under a supervisor that starts the core again (`npm start`'s service
//    supervisor or the Electron shell): the core closes and exits with RESTART_EXIT_CODE.
//  - update: handed to the Electron shell (electron-updater, generic provider); its result
//    comes back as `remote.update.result`. Without the shell there is no updater: refused.
import { z } from 'zod';
import { rules } from '../../edge-core/src/index.js';
import type { CommandAck, CommandOutcome, RemoteCommand } from '../../sync/src/index.js';
import type { CoreServices } from './services.js';
import { GATE_POLICY_KEY } from './gate-service.js';
import { getPath, mergeOverlay, planParamChange, readChanges, readOverlay, writeOverlay, type Overlay } from './remote-params.js';

/** Exit code by which the core asks its supervisor to start it again at once (EX_TEMPFAIL). */
export const RESTART_EXIT_CODE = 75;
/** Set by a supervisor in the core's environment. */
export const SUPERVISED_ENV = 'SITEGATE_SUPERVISED';
const ACKS_KEY = 'remote.pendingAcks';
const DONE_KEY = 'remote.doneCommands';
const KEEP_DONE = 200;

/** The Electron utility-process port, when the core runs under the shell (typed here: electron's types are the shell's). */
interface ShellPort {
  postMessage(message: unknown): void;
  on(event: 'message', listener: (e: { data: unknown }) => void): unknown;
}
export function shellPort(): ShellPort | null {
  return (process as unknown as { parentPort?: ShellPort }).parentPort ?? null;
}

const updateParams = z.strictObject({
  /** electron-updater generic-provider URL (a site server or the platform). */
  url: z.url({ protocol: /^https?$/ }),
  channel: z.string().regex(/^[a-z]+$/).optional(),
  version: z.string().max(40).optional(),
});

export class RemoteCommandService {
  /** Set by the entry point when a supervisor will start the core again; null: restart refused. */
  restartHandler: (() => void) | null = null;
  readonly #shell: ShellPort | null;

  constructor(
    private readonly s: CoreServices,
    private readonly dataDir: string,
    shell: ShellPort | null = shellPort(),
  ) {
    this.#shell = shell;
    this.#shell?.on('message', (e) => this.#fromShell(e.data));
  }

  get dataDirectory(): string {
    return this.dataDir;
  }

  /** Durable store of the outcomes not yet acknowledged to the platform (heartbeat `ackStore`). */
  readonly ackStore = {
    load: (): CommandAck[] => this.s.settings.get<CommandAck[]>(ACKS_KEY, []),
    save: (acks: CommandAck[]): void => this.s.settings.set(ACKS_KEY, acks),
  };

  async handle(cmd: RemoteCommand): Promise<CommandOutcome> {
    const done = this.s.settings.get<Array<{ commandId: string } & CommandOutcome>>(DONE_KEY, []);
    const seen = done.find((d) => d.commandId === cmd.commandId);
    if (seen) return { ok: seen.ok, message: `already carried out: ${seen.message}` };
    let outcome: CommandOutcome & { applied?: unknown };
    try {
      outcome = cmd.type === 'set_param' ? this.#setParam(cmd.params) : cmd.type === 'restart' ? this.#restart() : this.#update(cmd);
    } catch (err) {
      outcome = { ok: false, message: `failed: ${(err as Error).message}` };
    }
    const { applied, ...result } = outcome;
    this.s.store.tx(() => {
      this.s.audit.append('platform', `remote.${cmd.type}`, cmd.commandId, { params: cmd.params, result, ...(applied !== undefined ? { applied } : {}) });
      this.s.settings.set(DONE_KEY, [...done, { commandId: cmd.commandId, ...result }].slice(-KEEP_DONE));
    });
    this.s.logger.info({ command: cmd.type, commandId: cmd.commandId, ok: result.ok, message: result.message }, 'remote command');
    if (cmd.type === 'restart' && result.ok) setTimeout(() => this.restartHandler?.(), 300).unref();
    return result;
  }

  /** An admin's restart from Settings: the same path as the platform's. */
  restartByAdmin(actor: string): CommandOutcome {
    const r = this.#restart();
    // A refused restart changes nothing (and is answered 409); a carried-out one is audited.
    if (!r.ok) return r;
    this.s.store.tx(() => this.s.audit.append(actor, 'admin.restart', null, { result: r }));
    setTimeout(() => this.restartHandler?.(), 300).unref();
    return r;
  }

  #setParam(params: Record<string, unknown>): CommandOutcome & { applied?: unknown } {
    if (params.target === 'policy') return this.#setPolicy(params.policy);
    const changes = readChanges(params);
    if (typeof changes === 'string') return { ok: false, message: changes };
    const overlay: Overlay = readOverlay(this.dataDir);
    const plan = planParamChange(this.s.config, overlay, changes);
    if (!plan.ok) return { ok: false, message: `refused: ${plan.errors.join('; ')}` };
    writeOverlay(this.dataDir, plan.overlay);
    for (const { path, value } of plan.live) this.#applyLive(path, value);
    const parts = [
      plan.live.length ? `applied now: ${plan.live.map((c) => c.path).join(', ')}` : '',
      plan.restart.length ? `applies after a restart: ${plan.restart.map((c) => c.path).join(', ')}` : '',
    ].filter(Boolean);
    return { ok: true, message: parts.join('; '), applied: { live: plan.live, restart: plan.restart } };
  }

  #applyLive(path: string, value: unknown): void {
    if (path === 'log.level') this.s.logger.level = String(value);
    // The running configuration object is the one the jobs read (retention reads it each run).
    const keys = path.split('.');
    const parent = getPath(this.s.config, keys.slice(0, -1).join('.')) as Record<string, unknown> | undefined;
    if (parent) parent[keys[keys.length - 1] as string] = value;
  }

  #setPolicy(input: unknown): CommandOutcome & { applied?: unknown } {
    if (typeof input !== 'object' || input === null || Array.isArray(input)) return { ok: false, message: 'set_param with target policy needs { policy: { … } }' };
    const before = rules.GatePolicySchema.safeParse(this.s.settings.get<unknown>(GATE_POLICY_KEY, {}));
    const current = before.success ? before.data : rules.DEFAULT_GATE_POLICY;
    const next = rules.GatePolicySchema.safeParse(mergeOverlay(current, input as Overlay));
    if (!next.success) return { ok: false, message: `refused: ${next.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}` };
    const change = rules.describePolicyChange(current, next.data);
    this.s.store.tx(() => {
      this.s.settings.set(GATE_POLICY_KEY, next.data);
      this.s.audit.append('platform', change.audit.action, 'gate.policy', change.audit.details);
    });
    return { ok: true, message: `gate policy applied now: ${change.changes.length} change(s)`, applied: { policy: change.changes } };
  }

  #restart(): CommandOutcome {
    if (!this.restartHandler) return { ok: false, message: 'not running under a supervisor (npm start or the SiteGate shell): restart it by hand' };
    return { ok: true, message: 'restarting: the supervisor starts the core again' };
  }

  #update(cmd: RemoteCommand): CommandOutcome {
    const p = updateParams.safeParse(cmd.params);
    if (!p.success) return { ok: false, message: `refused: ${p.error.issues.map((i) => `${i.path.join('.') || 'params'}: ${i.message}`).join('; ')}` };
    if (!this.#shell) return { ok: false, message: 'no updater here: the core runs without the Electron shell; install the new package by hand' };
    this.#shell.postMessage({ type: 'update-check', commandId: cmd.commandId, ...p.data });
    return { ok: true, message: 'update check handed to the shell (electron-updater); its result follows in the audit log' };
  }

  #fromShell(data: unknown): void {
    const m = data as { type?: unknown; commandId?: unknown; ok?: unknown; message?: unknown; version?: unknown } | null;
    if (m?.type !== 'update-result' || typeof m.commandId !== 'string') return;
    const result = { ok: m.ok === true, message: String(m.message ?? ''), ...(typeof m.version === 'string' ? { version: m.version } : {}) };
    this.s.store.tx(() => this.s.audit.append('shell', 'remote.update.result', m.commandId as string, result));
  }
}
