// Records a passage decision durably, then (and only then) publishes it. The turnstile
// command is issued by the lane controller after this returns.
import type { CoreServices } from './services.js';
import type { Decision, Direction, CommittedEvent } from '../../edge-core/src/index.js';
import { passageEvent, recordedDecisionDto } from './decision-dto.js';

export interface PassageInput {
  laneId: string;
  workerId: number | null;
  direction: Direction;
  decision: Decision;
  reasons: string[];
  scores?: Record<string, number>;
  photoJpeg?: Buffer | null;
}

export function recordPassage(s: CoreServices, p: PassageInput): CommittedEvent {
  const committed = s.attendance.record({
    laneId: p.laneId,
    workerId: p.workerId,
    direction: p.direction,
    decision: p.decision,
    reasons: p.reasons,
    scores: p.scores ?? {},
    photoJpeg: p.photoJpeg ?? null,
  });
  const w = p.workerId ? s.workers.get(p.workerId) : null;
  const dto = recordedDecisionDto({ eventId: committed.id, decision: p.decision, direction: p.direction, worker: w ? { id: w.id, name: w.name, teamName: w.teamName } : null, reasons: p.reasons, at: committed.occurredAt });
  s.events.publish(passageEvent(p.laneId, dto, { photo: Boolean(p.photoJpeg) }));
  return committed;
}

/**
 * A demo passage: refused with the given reasons (an unknown face: `not_enrolled`), passed with
 * none. A lone `duplicate_scan` plays a repeat scan as the lane does: announced and shown,
 * nothing recorded (then the id is empty and the sequence 0).
 */
export function recordDemoPassage(
  s: CoreServices,
  p: { laneId: string; workerId: number | null; direction: Direction; reasons?: string[] },
): { id: string; seq: number; occurredAt: number } {
  const w = p.workerId !== null ? s.workers.get(p.workerId) : null;
  const reasons = p.workerId ? (p.reasons ?? []) : ['not_enrolled'];
  if (w && reasons.length === 1 && reasons[0] === 'duplicate_scan') {
    const at = s.clock.now();
    const dto = recordedDecisionDto({ eventId: null, decision: 'refuse', direction: p.direction, worker: { id: w.id, name: w.name, teamName: w.teamName }, reasons, duplicate: true, at });
    s.events.publish(passageEvent(p.laneId, dto));
    return { id: '', seq: 0, occurredAt: at };
  }
  return recordPassage(s, { laneId: p.laneId, workerId: p.workerId, direction: p.direction, decision: reasons.length === 0 ? 'pass' : 'refuse', reasons });
}
