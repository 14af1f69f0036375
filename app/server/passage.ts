// Records a passage decision durably, then (and only then) publishes it. The turnstile
// command is issued by the lane controller after this returns.
import type { CoreServices } from './services.js';
import type { Decision, Direction, CommittedEvent } from '../../edge-core/src/index.js';

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
  s.events.publish({
    type: 'passage',
    laneId: p.laneId,
    eventId: committed.id,
    decision: p.decision,
    direction: p.direction,
    workerId: w ? w.id : null,
    workerName: w ? w.name : null,
    teamName: w ? w.teamName : null,
    reasons: p.reasons,
    at: committed.occurredAt,
  });
  return committed;
}
