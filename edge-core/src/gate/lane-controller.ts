// One turnstile lane: frames in, a durable decision out. Per frame: decode → analyse
// (detect, landmarks, quality, CNN liveness, embedding). Frames with a usable face fill a short
// liveness window; when it is full the controller decides once: temporal liveness fusion →
// 1:N search → gate policy → the attendance record is committed → only then the turnstile is
// opened and the name announced. Refusals are recorded too. After a decision the lane rests
// for `cooldownMs` so one person produces one record.
import type { Clock } from '../ports/clock.js';
import type { Announcer, Turnstile } from '../ports/devices.js';
import type { CommittedEvent, NewAttendanceEvent } from '../store/attendance-repo.js';
import sharp from 'sharp';
import { decodeImage, type RgbImage } from '../face/image.js';
import type { FaceAnalysis } from '../face/engine.js';
import type { SearchOptions, SearchResult } from '../face/gallery.js';
import { assessLiveness, type LivenessDecision, type LivenessFrame, type LivenessPolicy } from '../face/liveness.js';
import type { AttributeDetector } from '../face/attributes.js';
import type { FaceReason } from '../face/reasons.js';
import { evaluatePassage, type DetectorResult, type PassagePerson, type PriorPassage, type PassageResult } from '../rules/gate-policy.js';
import type { GatePolicy } from '../rules/gate-policy-schema.js';
import type { ConstructionCalendar } from '../rules/construction-calendar.js';
import { gateReason, type Reason } from '../rules/reasons.js';
import { openTurnstile, writeWithReserve } from './commit-then-open.js';
import type { Bilingual } from '../domain/bilingual.js';

export interface FaceAnalyzer {
  analyzeImage(img: RgbImage): Promise<FaceAnalysis>;
}
export interface IdentitySearch {
  search(query: Float32Array, opts: SearchOptions): Promise<SearchResult>;
}
export interface KnownPerson {
  person: PassagePerson;
  name: string;
  teamName: string | null;
}
/** Who a matched worker is, and their recent passages (for anti-passback and duplicates). */
export interface PeopleDirectory {
  lookup(workerId: number): KnownPerson | null;
  recentPassages(workerId: number, sinceMs: number): PriorPassage[];
}
export interface AttendanceRecorder {
  record(e: NewAttendanceEvent): CommittedEvent;
}

/** Lane-level refusal (not a policy rule): the turnstile of the lane is offline. */
const TURNSTILE_OFFLINE = gateReason('turnstile_offline');

export interface LaneControllerOptions {
  laneId: string;
  direction: 'in' | 'out';
  engine: FaceAnalyzer;
  gallery: IdentitySearch;
  people: PeopleDirectory;
  attendance: AttendanceRecorder;
  turnstile: Turnstile | null;
  announcer: Announcer | null;
  helmet?: AttributeDetector;
  mask?: AttributeDetector;
  clock: Clock;
  timeZone(): string;
  policy(): GatePolicy;
  calendar(): ConstructionCalendar;
  liveness: LivenessPolicy;
  /**
   * Decide as soon as this many frames already pass the liveness policy (0: always wait for
   * `liveness.minFrames`). A genuine worker whose head moves shows parallax in the first frames
   * and is let through then; a face that does not pass early keeps collecting up to the full
   * window, and is refused only on the full window.
   */
  earlyFrames?: number;
  match: SearchOptions;
  /** Rest after a decision (ms). */
  cooldownMs?: number;
  /** A window older than this without a decision starts again (ms). */
  windowMaxAgeMs?: number;
  onDecision?(d: GateDecision): void;
  /** The record could not be written (disk full, I/O): the passage was refused. */
  onRecordFailure?(d: GateDecision, err: unknown): void;
  /**
   * The disk is full: free the space held in reserve for this moment. True when space was
   * freed; the record is then tried once more before the passage is refused.
   */
  reclaimSpace?(): boolean;
  /** The record was committed but the turnstile did not open. */
  onOpenFailure?(d: GateDecision, failure: { code: string; message: Bilingual }): void;
}

export interface GateDecision {
  laneId: string;
  direction: 'in' | 'out';
  decision: 'pass' | 'refuse';
  /** Committed record id; null when the attempt was a suppressed duplicate. */
  eventId: string | null;
  at: number;
  worker: { id: number; name: string; teamName: string | null } | null;
  reasons: Reason[];
  reminders: Reason[];
  /** Face-level reasons behind a liveness refusal, naming the signal (e.g. 照片/屏幕翻拍). */
  livenessReasons: FaceReason[];
  liveness: LivenessDecision;
  scores: Record<string, number>;
  opened: boolean;
  duplicate: boolean;
}

export type FrameOutcome =
  | { state: 'busy' | 'cooldown' }
  | { state: 'rejected_frame'; reasons: FaceReason[] }
  | { state: 'collecting'; frames: number; needed: number; hints: FaceReason[] }
  | { state: 'decided'; decision: GateDecision };

interface WindowFrame extends LivenessFrame {
  /** The frame as received (JPEG from a kiosk), or null for a raw camera frame (encoded if chosen as the record's photo). */
  jpeg: Uint8Array | null;
  image: RgbImage | null;
  embedding: Float32Array;
  sharpness: number;
  helmet: DetectorResult;
  mask: DetectorResult;
}

function attribute(det: AttributeDetector | undefined, img: RgbImage, a: FaceAnalysis): DetectorResult {
  if (!det || !a.face) return 'unknown';
  const r = det.detect(img, { box: a.face.box, alignedToImage: a.face.alignedToImage, mask: a.face.mask ?? null });
  return r.present === null ? 'unknown' : r.present ? 'present' : 'absent';
}

/** The most frequent definite answer across the window (unknown when none). */
function vote(values: DetectorResult[]): DetectorResult {
  const present = values.filter((v) => v === 'present').length;
  const absent = values.filter((v) => v === 'absent').length;
  if (present === 0 && absent === 0) return 'unknown';
  return present >= absent ? 'present' : 'absent';
}

/** The record's photo: the frame's own JPEG, or the raw camera frame encoded once. */
async function framePhoto(f: WindowFrame): Promise<Buffer | null> {
  if (f.jpeg) return Buffer.from(f.jpeg);
  if (!f.image) return null;
  return sharp(f.image.data, { raw: { width: f.image.width, height: f.image.height, channels: 3 } }).jpeg({ quality: 85 }).toBuffer();
}

/** A refusal as spoken: the reason and what to do (未通过，… 请联系劳务员). */
export function spokenRefusal(reason: string): string {
  const r = reason.trim();
  if (r === '') return '请联系劳务员';
  return /请/.test(r) ? r : `${r}，请联系劳务员`;
}

export class LaneController {
  readonly #o: LaneControllerOptions;
  #window: WindowFrame[] = [];
  #busy = false;
  #restUntil = 0;

  constructor(options: LaneControllerOptions) {
    this.#o = options;
  }

  get laneId(): string {
    return this.#o.laneId;
  }

  reset(): void {
    this.#window = [];
  }

  /** True while the lane rests after a decision (frames are not analysed). */
  get resting(): boolean {
    return this.#o.clock.now() < this.#restUntil;
  }

  /** Processes one JPEG frame. Never throws for bad frames; concurrent frames are dropped. */
  async submit(jpeg: Uint8Array): Promise<FrameOutcome> {
    return this.#run(jpeg, null);
  }

  /** Processes one decoded frame from a camera the core owns (no JPEG decode on the way in). */
  async submitImage(image: RgbImage): Promise<FrameOutcome> {
    return this.#run(null, image);
  }

  async #run(jpeg: Uint8Array | null, raw: RgbImage | null): Promise<FrameOutcome> {
    const o = this.#o;
    const now = o.clock.now();
    if (now < this.#restUntil) return { state: 'cooldown' };
    if (this.#busy) return { state: 'busy' };
    this.#busy = true;
    try {
      let img: RgbImage;
      if (jpeg) {
        const decoded = await decodeImage(jpeg);
        if (!decoded.ok) return { state: 'rejected_frame', reasons: [decoded.reason] };
        img = decoded.image;
      } else if (raw) img = raw;
      else return { state: 'rejected_frame', reasons: [] };
      const a = await o.engine.analyzeImage(img);
      if (!a.ok || !a.face || !a.embedding) {
        if (a.facesFound === 0) this.#window = [];
        return { state: 'rejected_frame', reasons: a.reasons };
      }
      const maxAge = o.windowMaxAgeMs ?? 3000;
      this.#window = this.#window.filter((f) => now - f.t <= maxAge);
      this.#window.push({
        t: now,
        landmarks: a.face.landmarks,
        livenessCnn: a.face.livenessCnn,
        screenCue: a.face.screenCue,
        jpeg,
        image: jpeg ? null : img,
        embedding: a.embedding,
        sharpness: a.face.quality.sharpness,
        helmet: attribute(o.helmet, img, a),
        mask: attribute(o.mask, img, a),
      });
      let policy = o.liveness;
      if (this.#window.length < o.liveness.minFrames) {
        const early = o.earlyFrames ?? 0;
        const earlyPolicy = { ...o.liveness, minFrames: early };
        if (!(early > 0 && this.#window.length >= early && assessLiveness(this.#window, earlyPolicy).live)) {
          return { state: 'collecting', frames: this.#window.length, needed: o.liveness.minFrames, hints: a.notes };
        }
        policy = earlyPolicy;
      }
      const decision = await this.#decide(this.#window, policy);
      this.#window = [];
      this.#restUntil = o.clock.now() + (o.cooldownMs ?? 2000);
      return { state: 'decided', decision };
    } finally {
      this.#busy = false;
    }
  }

  async #decide(frames: WindowFrame[], policy: LivenessPolicy): Promise<GateDecision> {
    const o = this.#o;
    const at = o.clock.now();
    const liveness = assessLiveness(frames, policy);
    const best = frames.reduce((b, f) => (f.sharpness > b.sharpness ? f : b), frames[frames.length - 1] as WindowFrame);
    let match: SearchResult | null = null;
    let known: KnownPerson | null = null;
    if (liveness.live) {
      match = await o.gallery.search(best.embedding, o.match);
      if (match.decision === 'match' && match.best) known = o.people.lookup(match.best.workerId);
    }
    const history = known ? o.people.recentPassages(known.person.workerId, at - 24 * 3600_000) : [];
    const evaluated: PassageResult = evaluatePassage(
      {
        at,
        timeZone: o.timeZone(),
        laneId: o.laneId,
        direction: o.direction,
        credential: { kind: 'face', liveness: liveness.live ? 'pass' : 'fail', person: known?.person ?? null },
        detectors: { helmet: vote(frames.map((f) => f.helmet)), mask: vote(frames.map((f) => f.mask)) },
        calendar: o.calendar(),
        history,
      },
      o.policy(),
    );
    const scores: Record<string, number> = {};
    for (const s of liveness.signals) scores[`liveness.${s.name}`] = s.value;
    if (match?.best) scores.match = match.best.score;
    if (match?.second) scores.second = match.second.score;

    // A lane whose turnstile is known to be offline (unplugged, controller down) cannot let
    // anyone through: refuse before recording, so no pass is recorded (and synced as
    // attendance) for someone who stayed outside.
    const turnstileDown = evaluated.decision === 'pass' && o.turnstile !== null && o.turnstile.health().state === 'offline';
    const result: PassageResult = turnstileDown
      ? { ...evaluated, decision: 'refuse', reasons: [TURNSTILE_OFFLINE, ...evaluated.reasons], countsAsAttendance: false }
      : evaluated;
    const base = {
      laneId: o.laneId,
      direction: o.direction,
      decision: result.decision,
      at,
      worker: known ? { id: known.person.workerId, name: known.name, teamName: known.teamName } : null,
      reasons: result.reasons,
      reminders: result.reminders,
      livenessReasons: liveness.live ? [] : liveness.reasons,
      liveness,
      scores,
    };
    if (result.suppressRecord) {
      const d: GateDecision = { ...base, eventId: null, opened: false, duplicate: true };
      o.onDecision?.(d);
      return d;
    }
    // Durable first: the record (and its outbox row) is on disk before the gate moves. A record
    // that cannot be written (disk full, I/O error) refuses the passage: the gate never opens
    // for a passage it could not record.
    const event: NewAttendanceEvent = {
      laneId: o.laneId,
      workerId: known?.person.workerId ?? null,
      direction: o.direction,
      occurredAt: at,
      decision: result.decision,
      reasons: [...result.reasons.map((r) => r.code), ...base.livenessReasons.map((r) => r.code)],
      scores,
      photoJpeg: await framePhoto(best),
    };
    let committed: CommittedEvent;
    try {
      committed = writeWithReserve(() => o.attendance.record(event), o.reclaimSpace);
    } catch (err) {
      const refused: GateDecision = {
        ...base,
        decision: 'refuse',
        reasons: [gateReason('record_failed')],
        eventId: null,
        opened: false,
        duplicate: false,
      };
      o.onRecordFailure?.(refused, err);
      o.announcer?.announce({ template: 'refused', values: { reason: spokenRefusal(refused.reasons[0]?.zh ?? '') }, lane: o.laneId });
      o.onDecision?.(refused);
      return refused;
    }
    const d: GateDecision = { ...base, eventId: committed.id, opened: false, duplicate: false };
    if (result.decision === 'pass' && o.turnstile) {
      const opened = await openTurnstile(o.turnstile, o.laneId, o.direction);
      d.opened = opened.opened;
      if (!opened.opened) o.onOpenFailure?.(d, opened.failure);
    }
    if (o.announcer) {
      if (d.decision === 'pass' && d.worker) o.announcer.announce({ template: o.direction === 'in' ? 'welcome' : 'goodbye', values: { name: d.worker.name }, lane: o.laneId });
      else o.announcer.announce({ template: 'refused', values: { reason: spokenRefusal((d.livenessReasons[0]?.message.zh ?? d.reasons[0]?.zh) || '') }, lane: o.laneId });
    }
    o.onDecision?.(d);
    return d;
  }
}
