// Visitors (访客码) on the core: passes issued and revoked by clerks (VisitorRepo), and one
// VisitorLane per configured lane, fed by the QR scanner configured for that lane (HID-POS
// through node-hid, or its simulator in the demo). Decisions are published as passage events
// (the gate screens and the dashboard show them) and each pass's state is derived for screens.
import { VisitorLane, VisitorRepo, rules, type VisitorDecision, type VisitorPassRecord } from '../../edge-core/src/index.js';
import type { VisitorPassView } from '../shared/api-types.js';
import type { CoreServices } from './services.js';
import type { DevicesService } from './devices-service.js';
import type { GateService } from './gate-service.js';
import { storeFailure } from './store-failures.js';

/** zh/en of a recorded reason code (the one catalog: gate policy codes and the lane's own). */
export function reasonText(code: string): { code: string; zh: string; en: string } {
  const t = rules.reasonText(code);
  return { code, zh: t.zh, en: t.en };
}

export function passState(p: VisitorPassRecord, now: number): VisitorPassView['state'] {
  if (p.revokedAt !== null) return 'revoked';
  if (now >= p.validTo) return 'expired';
  if (p.maxEntries !== null && p.entriesUsed >= p.maxEntries) return 'used_up';
  if (now < p.validFrom) return 'not_yet_valid';
  return 'active';
}

export class VisitorService {
  readonly repo: VisitorRepo;
  readonly lanes = new Map<string, VisitorLane>();
  readonly #unsubscribe: Array<() => void> = [];

  constructor(
    private readonly s: CoreServices,
    private readonly devices: DevicesService,
    private readonly gate: GateService,
  ) {
    this.repo = new VisitorRepo(s.store);
  }

  view(p: VisitorPassRecord): VisitorPassView {
    return { ...p, state: passState(p, this.s.clock.now()), code: this.repo.codeFor(p) };
  }

  /** Builds the lanes and routes each scanner's codes to its lane. */
  start(): void {
    for (const lane of this.s.config.lanes) {
      if (lane.direction === 'both') continue;
      this.lanes.set(
        lane.id,
        new VisitorLane({
          laneId: lane.id,
          direction: lane.direction,
          passes: this.repo,
          turnstile: this.devices.devices?.turnstileForLane(lane.id) ?? null,
          announcer: this.devices.devices?.announcer ?? null,
          clock: this.s.clock,
          timeZone: () => this.s.attendance.siteTimeZone(),
          policy: () => this.gate.policy(),
          calendar: () => this.s.calendar.current(),
          reclaimSpace: () => this.gate.reclaimSpace(),
          onDecision: (d) => this.#publish(d),
          onRecordFailure: (d, err) => {
            const why = storeFailure(err);
            this.s.logger.fatal({ err, lane: d.laneId, code: why?.code }, 'visitor passage not written: passage refused');
            this.s.health.set('store.write', { ok: false, detail: `${why?.zh ?? '通行记录写入失败'}，暂停通行 — ${why?.en ?? 'record not written'}; passages refused` });
          },
          onOpenFailure: (d, f) => {
            this.s.logger.error({ lane: d.laneId, eventId: d.eventId, code: f.code }, 'turnstile did not open after a committed visitor pass');
            this.s.store.tx(() => this.s.audit.append('system', 'gate.open_failed', `visitor-passage:${d.eventId}`, { lane: d.laneId, code: f.code }));
          },
        }),
      );
    }
    for (const { lane, scanner } of this.devices.devices?.codeScanners ?? []) {
      this.#unsubscribe.push(
        scanner.onCode((code) => {
          const target = lane ? this.lanes.get(lane) : undefined;
          if (!target) {
            this.s.logger.warn({ device: code.deviceId, lane }, 'a code was scanned on a scanner without a lane (set devices.codeScanners[].lane)');
            return;
          }
          void target.handleCode(code.text);
        }),
      );
    }
  }

  /** A code typed by a keyboard-wedge scanner into the lane's screen, or sent by a test. */
  async handleCode(laneId: string, code: string): Promise<VisitorDecision | null> {
    const lane = this.lanes.get(laneId);
    return lane ? lane.handleCode(code) : null;
  }

  #publish(d: VisitorDecision): void {
    if (d.eventId !== null && this.s.health.get('store.write')?.ok === false) this.s.health.set('store.write', { ok: true });
    this.s.logger.info({ lane: d.laneId, decision: d.decision, pass: d.passId, codeProblem: d.codeProblem, reasons: d.reasons.map((r) => r.code), opened: d.opened }, 'visitor scan');
    this.s.events.publish({
      type: 'passage',
      laneId: d.laneId,
      eventId: d.eventId ?? '',
      decision: d.decision,
      direction: d.direction,
      workerId: null,
      workerName: d.visitorName ? `访客 ${d.visitorName}` : null,
      teamName: d.host ? `访客 · ${d.host}` : null,
      reasons: d.reasons.map((r) => r.code),
      reasonTexts: d.reasons.map((r) => ({ zh: r.zh, en: r.en })),
      opened: d.opened,
      duplicate: d.duplicate,
      visitorPassId: d.passId,
      at: d.at,
    });
  }

  stop(): void {
    for (const u of this.#unsubscribe.splice(0)) u();
  }
}
