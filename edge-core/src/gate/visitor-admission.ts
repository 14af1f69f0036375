// A lane's visitor admission (访客码): a code from the lane's QR scanner → the signed pass is
// checked (shape, HMAC, known pass, unaltered validity) → the gate policy decides (validity
// window, revocation, entries, lanes, escort; duplicate scans) → the visitor passage is
// committed → only then the turnstile opens and the result is announced. A forged, expired or
// revoked code is refused and recorded; a record that cannot be written refuses the passage.
// Codes are handled one at a time per lane, in arrival order.
import type { Clock } from '../ports/clock.js';
import type { Announcer, Turnstile } from '../ports/devices.js';
import { evaluatePassage, type EscortPassage, type PassageResult, type PriorPassage } from '../rules/gate-policy.js';
import type { GatePolicy } from '../rules/gate-policy-schema.js';
import type { ConstructionCalendar } from '../rules/construction-calendar.js';
import { gateReason, type Reason } from '../rules/reasons.js';
import { openTurnstile, writeWithReserve } from './commit-then-open.js';
import { VisitorRepo, type NewVisitorPassage, type VisitorPassRecord } from '../store/visitor-repo.js';
import type { Bilingual } from '../domain/bilingual.js';

/** What the admission needs of the store (VisitorRepo has it). */
export interface VisitorPassDirectory {
  resolveCode(text: string): { pass: VisitorPassRecord } | { problem: 'format' | 'signature' | 'unknown' | 'mismatch' };
  history(passId: string, sinceMs: number): PriorPassage[];
  escorts(laneId: string, sinceMs: number): EscortPassage[];
  recordPassage(e: NewVisitorPassage, tz: string): { id: string };
}

export interface VisitorLaneOptions {
  laneId: string;
  direction: 'in' | 'out';
  passes: VisitorPassDirectory;
  turnstile: Turnstile | null;
  announcer: Announcer | null;
  clock: Clock;
  timeZone(): string;
  policy(): GatePolicy;
  calendar(): ConstructionCalendar;
  onDecision?(d: VisitorDecision): void;
  reclaimSpace?(): boolean;
  onRecordFailure?(d: VisitorDecision, err: unknown): void;
  onOpenFailure?(d: VisitorDecision, failure: { code: string; message: Bilingual }): void;
}

export interface VisitorDecision {
  laneId: string;
  direction: 'in' | 'out';
  decision: 'pass' | 'refuse';
  passId: string | null;
  visitorName: string | null;
  host: string | null;
  /** Why the code was not accepted as a pass ('format', 'signature', 'unknown', 'mismatch'), else null. */
  codeProblem: string | null;
  reasons: Reason[];
  reminders: Reason[];
  /** The committed visitor passage; null for a suppressed duplicate or a failed record. */
  eventId: string | null;
  opened: boolean;
  duplicate: boolean;
  at: number;
}

const TURNSTILE_OFFLINE = gateReason('turnstile_offline');
const RECORD_FAILED = gateReason('record_failed');

export class VisitorLane {
  readonly #o: VisitorLaneOptions;
  #queue: Promise<unknown> = Promise.resolve();

  constructor(options: VisitorLaneOptions) {
    this.#o = options;
  }

  get laneId(): string {
    return this.#o.laneId;
  }

  /** Handles one scanned code (queued behind the lane's earlier codes). Never rejects. */
  handleCode(text: string): Promise<VisitorDecision> {
    const next = this.#queue.then(() => this.#decide(text));
    this.#queue = next.catch(() => undefined);
    return next;
  }

  async #decide(text: string): Promise<VisitorDecision> {
    const o = this.#o;
    const at = o.clock.now();
    const resolved = o.passes.resolveCode(text);
    const pass = 'pass' in resolved ? resolved.pass : null;
    const history = pass ? o.passes.history(pass.id, at - 24 * 3600_000) : [];
    const policy = o.policy();
    const evaluated: PassageResult = evaluatePassage(
      {
        at,
        timeZone: o.timeZone(),
        laneId: o.laneId,
        direction: o.direction,
        credential: {
          kind: 'visitor_pass',
          pass: pass ? VisitorRepo.policyPass(pass) : null,
          escorts: pass ? o.passes.escorts(o.laneId, at - policy.visitors.escortWindowSeconds * 1000) : [],
        },
        calendar: o.calendar(),
        history,
      },
      policy,
    );
    const turnstileDown = evaluated.decision === 'pass' && o.turnstile !== null && o.turnstile.health().state === 'offline';
    const result = turnstileDown ? { ...evaluated, decision: 'refuse' as const, reasons: [TURNSTILE_OFFLINE, ...evaluated.reasons] } : evaluated;
    const base = {
      laneId: o.laneId,
      direction: o.direction,
      decision: result.decision,
      passId: pass?.id ?? null,
      visitorName: pass?.name ?? null,
      host: pass?.host ?? null,
      codeProblem: 'problem' in resolved ? resolved.problem : null,
      reasons: result.reasons,
      reminders: result.reminders,
      at,
    };
    if (result.suppressRecord) {
      const d: VisitorDecision = { ...base, eventId: null, opened: false, duplicate: true };
      o.onDecision?.(d);
      return d;
    }
    // Durable first: the passage is on disk before the turnstile moves.
    const row: NewVisitorPassage = {
      passId: pass?.id ?? null,
      laneId: o.laneId,
      direction: o.direction,
      decision: result.decision,
      reasons: result.reasons.map((r) => r.code),
      occurredAt: at,
    };
    let eventId: string;
    try {
      eventId = writeWithReserve(() => o.passes.recordPassage(row, o.timeZone()).id, o.reclaimSpace);
    } catch (err) {
      const refused: VisitorDecision = { ...base, decision: 'refuse', reasons: [RECORD_FAILED], eventId: null, opened: false, duplicate: false };
      o.onRecordFailure?.(refused, err);
      o.announcer?.announce({ template: 'refused', values: { reason: RECORD_FAILED.zh }, lane: o.laneId });
      o.onDecision?.(refused);
      return refused;
    }
    const d: VisitorDecision = { ...base, eventId, opened: false, duplicate: false };
    if (d.decision === 'pass' && o.turnstile) {
      const opened = await openTurnstile(o.turnstile, o.laneId, o.direction);
      d.opened = opened.opened;
      if (!opened.opened) o.onOpenFailure?.(d, opened.failure);
    }
    if (o.announcer) {
      if (d.decision === 'pass') o.announcer.announce({ template: o.direction === 'in' ? 'welcome' : 'goodbye', values: { name: `访客${d.visitorName ?? ''}` }, lane: o.laneId });
      else o.announcer.announce({ template: 'refused', values: { reason: d.reasons[0]?.zh ?? gateReason('visitor_pass_invalid').zh }, lane: o.laneId });
    }
    o.onDecision?.(d);
    return d;
  }
}
