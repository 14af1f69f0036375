// The one mapper from a gate decision to what the screens get: the DTO of the HTTP reply
// (a lane frame's `decided` outcome) and the live `passage` event made from that same DTO.
// Every passage the core publishes — a face at a lane, a visitor's QR pass, a demo passage,
// a make-up record — goes through it, so the reply and the stream cannot drift apart.
import type { GateDecision, VisitorDecision } from '../../edge-core/src/index.js';
import { rules } from '../../edge-core/src/index.js';
import type { GateDecisionDto } from '../shared/api/gate.js';
import type { PassageEvent } from '../shared/api/live.js';

type ReasonLike = { code: string; zh: string; en: string };
const reasonDto = (r: ReasonLike) => ({ code: r.code, zh: r.zh, en: r.en });

/** A make-up record's own label (not a refusal reason, so not in the gate's catalog). */
const MAKEUP = { zh: '补卡记录', en: 'Make-up record' };

/** zh/en of a recorded reason code: the one reason catalog (unknown codes read as 未知原因). */
export function reasonText(code: string): ReasonLike {
  const t = code === 'makeup' ? MAKEUP : rules.reasonText(code);
  return { code, zh: t.zh, en: t.en };
}

/** A face decision at a lane → the DTO (liveness reasons first, naming the signal). */
export function gateDecisionDto(d: GateDecision): GateDecisionDto {
  return {
    eventId: d.eventId,
    decision: d.decision,
    direction: d.direction,
    worker: d.worker ? { id: d.worker.id, name: d.worker.name, teamName: d.worker.teamName } : null,
    opened: d.opened,
    duplicate: d.duplicate,
    reasons: [...d.livenessReasons.map((r) => ({ code: r.code, zh: r.message.zh, en: r.message.en })), ...d.reasons.map(reasonDto)],
    reminders: d.reminders.map(reasonDto),
    liveness: d.liveness.signals.map((s) => ({ name: s.name, value: s.value, limit: s.limit, verdict: s.verdict, enforced: s.enforced })),
    at: d.at,
  };
}

/** A passage not decided on a face (demo, make-up): the DTO from the record's facts. */
export function recordedDecisionDto(p: {
  eventId: string | null;
  decision: GateDecisionDto['decision'];
  direction: GateDecisionDto['direction'];
  worker: GateDecisionDto['worker'];
  reasons: readonly string[];
  duplicate?: boolean;
  at: number;
}): GateDecisionDto {
  return {
    eventId: p.eventId,
    decision: p.decision,
    direction: p.direction,
    worker: p.worker,
    opened: false,
    duplicate: p.duplicate ?? false,
    reasons: p.reasons.map(reasonText),
    reminders: [],
    liveness: [],
    at: p.at,
  };
}

/** A visitor's QR pass at a lane: the visitor in the worker's place, the host as the team. */
export function visitorDecisionDto(d: VisitorDecision): GateDecisionDto {
  return {
    eventId: d.eventId,
    decision: d.decision,
    direction: d.direction,
    worker: null,
    opened: d.opened,
    duplicate: d.duplicate,
    reasons: d.reasons.map(reasonDto),
    reminders: d.reminders.map(reasonDto),
    liveness: [],
    at: d.at,
  };
}

/** The live `passage` event of a decision's DTO. */
export function passageEvent(
  laneId: string,
  dto: GateDecisionDto,
  extra: { photo?: boolean; visitor?: { passId: string | null; name: string | null; host: string | null } } = {},
): PassageEvent {
  return {
    type: 'passage',
    laneId,
    eventId: dto.eventId ?? '',
    decision: dto.decision,
    direction: dto.direction,
    workerId: dto.worker?.id ?? null,
    workerName: extra.visitor ? (extra.visitor.name ? `访客 ${extra.visitor.name}` : null) : (dto.worker?.name ?? null),
    teamName: extra.visitor ? (extra.visitor.host ? `访客 · ${extra.visitor.host}` : null) : (dto.worker?.teamName ?? null),
    photoUrl: extra.photo && dto.eventId ? `/api/attendance/${dto.eventId}/photo` : null,
    reasons: dto.reasons.map((r) => r.code),
    reasonTexts: dto.reasons.map((r) => ({ zh: r.zh, en: r.en })),
    opened: dto.opened,
    duplicate: dto.duplicate,
    visitorPassId: extra.visitor ? extra.visitor.passId : null,
    at: dto.at,
  };
}
