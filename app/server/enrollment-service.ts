// The clerk's enrollment flow on the core side. A capture session collects live frames
// (quality per frame, temporal liveness over the window), the held ID-card read supplies the
// identity and photo, the 1:1 match compares them, and `save` stores everything in one
// transaction and adds the templates to the live gallery. Nothing here is kept on disk
// before `save`; sessions expire after 15 minutes.
import { randomUUID } from 'node:crypto';
import {
  EnrollmentRepo,
  assessLiveness,
  evaluateChallenge,
  eyeAspectRatio,
  issueChallenge,
  CHALLENGE_PROMPTS,
  GATE_LIVENESS,
  LIVENESS_POLICIES,
  type Challenge,
  type ChallengeObservation,
  type ChallengeProgress,
  type ChallengeStep,
  type FaceReason,
  type LivenessDecision,
  type LivenessFrame,
  type IdPhotoMatch,
  type WorkerInput,
  type CardIdentity,
  type IdType,
  type Role,
} from '../../edge-core/src/index.js';
import type { CoreServices } from './services.js';
import type { DevicesService } from './devices-service.js';
import type { GateService } from './gate-service.js';
import type { Bilingual } from '../shared/i18n/messages.js';

const SESSION_MS = 15 * 60_000;

interface CaptureFrame extends LivenessFrame {
  jpeg: Buffer;
  embedding: Float32Array;
  sharpness: number;
}

interface CaptureSession {
  id: string;
  createdAt: number;
  frames: CaptureFrame[];
  /** Passive liveness over the window (cnn, planar motion, blink). */
  passive: LivenessDecision | null;
  /** The decision shown and saved: passive and, when the policy asks for it, the challenge. */
  liveness: LivenessDecision | null;
  /** Active challenge of this session (null when the policy does not ask for one). */
  challenge: Challenge | null;
  observations: ChallengeObservation[];
  /** The 1:1 of this session: against the chip photo of a card read, or against the card's photographed portrait side. */
  match: (IdPhotoMatch & { readId: string | null; source: 'chip_photo' | 'card_image' }) | null;
  cardImages: { portrait?: Buffer; emblem?: Buffer };
}

export interface ChallengeJson {
  steps: { step: ChallengeStep; prompt: Bilingual; done: boolean }[];
  state: ChallengeProgress['state'];
  current: ChallengeStep | null;
  remainingMs: number;
}

export class EnrollmentError extends Error {
  constructor(
    readonly code:
      | 'session_not_found'
      | 'card_not_found'
      | 'no_live_face'
      | 'not_live'
      | 'models_unavailable'
      | 'no_id_photo'
      | 'id_mismatch'
      | 'id_match_required'
      | 'override_admin_only'
      | 'card_image_unreadable',
    readonly status: number,
    readonly messageText: Bilingual,
  ) {
    super(code);
    this.name = 'EnrollmentError';
  }
}

export interface FrameFeedback {
  accepted: boolean;
  reasons: FaceReason[];
  frames: number;
  needed: number;
  liveness: LivenessDecision | null;
  /** Progress of the prompted actions (null when the policy has no challenge). */
  challenge: ChallengeJson | null;
}

function challengeJson(c: Challenge, p: ChallengeProgress): ChallengeJson {
  return {
    steps: c.steps.map((step, i) => ({ step, prompt: CHALLENGE_PROMPTS[step], done: p.steps[i]?.done ?? false })),
    state: p.state,
    current: p.current,
    remainingMs: p.remainingMs,
  };
}

function idTypeOf(identity: CardIdentity): IdType {
  switch (identity.cardType) {
    case 'resident':
      return '01';
    case 'foreign_permanent_2017':
    case 'foreign_permanent_2023':
      return '14';
    case 'hmt_residence_permit':
      return '99';
  }
}

export function workerFromCard(identity: CardIdentity): Pick<WorkerInput, 'name' | 'idType' | 'idNumber' | 'sex' | 'nation' | 'birthDate' | 'address' | 'issuingAuthority' | 'validFrom' | 'validTo'> {
  return {
    name: identity.name || ('englishName' in identity ? identity.englishName : ''),
    idType: idTypeOf(identity),
    idNumber: identity.idNumber,
    sex: identity.sex === '1' ? 'M' : identity.sex === '2' ? 'F' : 'U',
    nation: 'nation' in identity ? identity.nation : 'nationality' in identity ? identity.nationality : null,
    birthDate: identity.birthDate,
    address: 'address' in identity ? identity.address : null,
    issuingAuthority: identity.issuingAuthority,
    validFrom: identity.validFrom,
    validTo: identity.validTo.kind === 'long_term' ? null : identity.validTo.date,
  };
}

/**
 * The session's decision: none yet while the passive window is incomplete or the challenge is
 * pending (unless passive liveness already refused); a failed challenge refuses; a passed one
 * adds a `challenge` signal to the passive decision.
 */
export function combineLiveness(policy: string, passive: LivenessDecision | null, challenge: ChallengeProgress | null): LivenessDecision | null {
  if (challenge?.state === 'failed') {
    const base = passive ?? { live: false, policy, signals: [], reasons: [] };
    const why = challenge.reason ? [challenge.reason] : [];
    return { ...base, live: false, reasons: [...base.reasons, ...why] };
  }
  if (!passive) return null;
  if (!challenge || !passive.live) return passive;
  return challenge.state === 'passed' ? passive : null;
}

export class EnrollmentService {
  readonly #sessions = new Map<string, CaptureSession>();
  readonly #saved = new Map<string, { workerId: number; at: number }>();
  readonly repo: EnrollmentRepo;

  constructor(
    private readonly s: CoreServices,
    private readonly devices: DevicesService,
    private readonly gate: GateService,
  ) {
    this.repo = new EnrollmentRepo(s.store);
  }

  #engine() {
    if (!this.gate.engine) throw new EnrollmentError('models_unavailable', 503, { zh: '人脸模型不可用', en: 'Face models unavailable' });
    return this.gate.engine;
  }

  #session(id: string): CaptureSession {
    const now = this.s.clock.now();
    for (const [k, v] of this.#sessions) if (now - v.createdAt > SESSION_MS) this.#sessions.delete(k);
    const sess = this.#sessions.get(id);
    if (!sess) throw new EnrollmentError('session_not_found', 404, { zh: '采集会话已过期，请重新采集', en: 'Capture session expired; capture again' });
    return sess;
  }

  /**
   * Opens a capture session. With the production liveness policy it carries a random challenge
   * (two prompted actions) picked now, so a recorded video cannot have been made for it.
   */
  openSession(random: () => number = Math.random): { sessionId: string; needed: number; challenge: ChallengeJson | null } {
    this.#engine();
    const id = randomUUID();
    const now = this.s.clock.now();
    const challenge = this.#liveness().enrollmentChallenge ? issueChallenge(now, random) : null;
    this.#sessions.set(id, { id, createdAt: now, frames: [], passive: null, liveness: null, challenge, observations: [], match: null, cardImages: {} });
    return { sessionId: id, needed: this.#liveness().minFrames, challenge: challenge ? challengeJson(challenge, evaluateChallenge(challenge, [], now)) : null };
  }

  #liveness() {
    return LIVENESS_POLICIES[this.s.config.gate.livenessPolicy] ?? GATE_LIVENESS;
  }

  async addFrame(sessionId: string, jpeg: Buffer): Promise<FrameFeedback> {
    const sess = this.#session(sessionId);
    const policy = this.#liveness();
    const a = await this.#engine().analyze(jpeg);
    const now = this.s.clock.now();
    // Every frame with a face counts for the challenge, also the turned ones quality refuses.
    if (a.face) sess.observations.push({ t: now, yaw: a.face.quality.pose.yaw, ear: eyeAspectRatio(a.face.landmarks) });
    const accepted = a.ok && !!a.face && !!a.embedding;
    if (accepted && a.face && a.embedding) {
      // Frames for the passive window and the templates: usable faces only.
      sess.frames.push({ t: now, landmarks: a.face.landmarks, livenessCnn: a.face.livenessCnn, screenCue: a.face.screenCue, jpeg, embedding: a.embedding, sharpness: a.face.quality.sharpness });
      if (sess.frames.length > 12) sess.frames.shift();
      if (sess.frames.length >= policy.minFrames) sess.passive = assessLiveness(sess.frames, policy);
    }
    const progress = sess.challenge ? evaluateChallenge(sess.challenge, sess.observations, now) : null;
    sess.liveness = combineLiveness(policy.name, sess.passive, progress);
    return {
      accepted,
      reasons: accepted ? [] : a.reasons,
      frames: sess.frames.length,
      needed: policy.minFrames,
      liveness: sess.liveness,
      challenge: sess.challenge && progress ? challengeJson(sess.challenge, progress) : null,
    };
  }

  #best(sess: CaptureSession): CaptureFrame {
    const best = sess.frames.reduce<CaptureFrame | null>((b, f) => (!b || f.sharpness > b.sharpness ? f : b), null);
    if (!best) throw new EnrollmentError('no_live_face', 409, { zh: '尚未采集到合格人脸', en: 'No usable face captured yet' });
    return best;
  }

  async matchCard(sessionId: string, readId: string): Promise<IdPhotoMatch> {
    const sess = this.#session(sessionId);
    const card = this.devices.card(readId);
    if (!card) throw new EnrollmentError('card_not_found', 404, { zh: '未找到身份证读卡记录，请重新放卡', en: 'Card read not found; place the card again' });
    const best = this.#best(sess);
    if (card.read.photo.kind !== 'decoded') {
      const m: IdPhotoMatch = { decision: 'unusable', threshold: this.#engine().thresholds.idPhoto, reasons: [] };
      if (sess.match?.decision !== 'match') sess.match = { ...m, readId, source: 'chip_photo' };
      return m;
    }
    const m = await this.#engine().matchIdPhoto(card.read.photo.bytes, best.embedding);
    sess.match = { ...m, readId, source: 'chip_photo' };
    const { idEmbedding: _e, ...visible } = m;
    return visible;
  }

  /**
   * The clerk photographs the card with the camera: the portrait side (人像面) is the 1:1's
   * reference where the chip photo cannot be decoded (no vendor decoder), the emblem side (国徽面)
   * is kept with it. Both are stored encrypted with the enrollment.
   */
  async addCardImage(sessionId: string, side: 'portrait' | 'emblem', jpeg: Buffer): Promise<IdPhotoMatch | { stored: true }> {
    const sess = this.#session(sessionId);
    if (jpeg.length < 4 || jpeg[0] !== 0xff || jpeg[1] !== 0xd8) {
      throw new EnrollmentError('card_image_unreadable', 400, { zh: '身份证照片无法读取，请重新拍摄', en: 'The card picture cannot be read; take it again' });
    }
    sess.cardImages[side] = jpeg;
    if (side === 'emblem') return { stored: true };
    const best = this.#best(sess);
    const m = await this.#engine().matchIdPhoto(jpeg, best.embedding);
    // A successful 1:1 against the chip photo is not replaced by a weaker reference.
    if (!(sess.match?.source === 'chip_photo' && sess.match.decision === 'match')) sess.match = { ...m, readId: null, source: 'card_image' };
    const { idEmbedding: _e, ...visible } = m;
    return visible;
  }

  /**
   * Saves the enrollment. `clientRequestId` makes a repeated save (double click, retry after
   * a lost answer) return the first result instead of creating a second worker.
   */
  save(args: {
    clientRequestId: string;
    sessionId: string;
    readId: string | null;
    manual: Pick<WorkerInput, 'name' | 'idType' | 'idNumber'> & Partial<WorkerInput> | null;
    assignment: Omit<WorkerInput, 'name' | 'idType' | 'idNumber'>;
    /** Who saves, as the audit names them (`clerk#2 李四`). */
    clerk: string;
    /** The signed-in role of who saves: only an admin may override a missing 1:1. */
    role: Role;
    /** Save without a 1:1 result (admins only, with a written reason; audited). */
    override?: { reason: string } | null;
  }): { workerId: number; repeated: boolean; flags: string[] } {
    const prior = this.#saved.get(args.clientRequestId);
    if (prior) return { workerId: prior.workerId, repeated: true, flags: [] };
    const engine = this.#engine();
    const sess = this.#session(args.sessionId);
    if (!sess.liveness?.live) {
      throw new EnrollmentError('not_live', 409, { zh: '活体检测未通过，请重新采集', en: 'Liveness check not passed; capture again' });
    }
    const best = this.#best(sess);
    const flags: string[] = [];
    let identity: ReturnType<typeof workerFromCard>;
    let idPhoto: Buffer | null = null;
    if (args.readId) {
      const card = this.devices.card(args.readId);
      if (!card) throw new EnrollmentError('card_not_found', 404, { zh: '未找到身份证读卡记录，请重新放卡', en: 'Card read not found; place the card again' });
      identity = workerFromCard(card.read.identity);
      if (card.read.photo.kind === 'decoded') idPhoto = Buffer.from(card.read.photo.bytes);
      else flags.push('no_id_photo');
    } else if (args.manual) {
      identity = { ...args.manual };
      flags.push('manual_entry', 'no_id_photo');
    } else {
      throw new EnrollmentError('card_not_found', 400, { zh: '请先读取身份证或手工录入', en: 'Read the ID card or enter it manually first' });
    }
    const match = sess.match && (sess.match.source === 'card_image' || sess.match.readId === args.readId) ? sess.match : null;
    // A mismatch is never saved (a borrowed card); the clerk captures again or sends the person away.
    if (match?.decision === 'no_match') {
      throw new EnrollmentError('id_mismatch', 409, { zh: '现场人脸与身份证照片不一致', en: 'The live face does not match the ID-card photo' });
    }
    // No 1:1 result of this session: refused, unless an admin takes it on with a written reason.
    if (match?.decision !== 'match') {
      if (!args.override) {
        throw new EnrollmentError('id_match_required', 409, {
          zh: '未完成人证比对，不能保存：请读取身份证照片或拍摄身份证人像面后比对；特殊情况由管理员填写理由后保存',
          en: 'No face-vs-ID-card comparison: read the card photo or photograph the card’s portrait side and compare; in a special case an admin saves it with a written reason',
        });
      }
      if (args.role !== 'admin') {
        throw new EnrollmentError('override_admin_only', 403, { zh: '只有管理员可以跳过人证比对', en: 'Only an admin may save without the face-vs-card comparison' });
      }
      flags.push('id_match_overridden');
    }
    const templates: Array<{ kind: 'enroll' | 'id_photo'; vector: Float32Array; quality: number | null }> = sess.frames
      .slice()
      .sort((a, b) => b.sharpness - a.sharpness)
      .slice(0, 3)
      .map((f) => ({ kind: 'enroll', vector: f.embedding, quality: f.sharpness }));
    if (match?.idEmbedding) templates.push({ kind: 'id_photo', vector: match.idEmbedding, quality: null });
    const { worker, templateIds } = this.repo.save(
      {
        worker: { ...args.assignment, ...identity, source: 'local', idPhoto, manualEntry: flags.includes('manual_entry') },
        modelId: engine.modelId,
        templates,
        idMatchScore: match?.score ?? null,
        liveness: { policy: sess.liveness.policy, signals: sess.liveness.signals },
        photoJpeg: best.jpeg,
        flags,
        cardImages: sess.cardImages,
        idMatchSource: match?.decision === 'match' ? match.source : null,
        ...(match?.decision !== 'match' && args.override ? { override: { actor: args.clerk, reason: args.override.reason } } : {}),
      },
      args.clerk,
    );
    this.gate.gallery?.add(templates.map((t, i) => ({ id: templateIds[i] as number, workerId: worker.id, vector: t.vector })));
    this.#saved.set(args.clientRequestId, { workerId: worker.id, at: this.s.clock.now() });
    this.s.events.publish({ type: 'worker.saved', workerId: worker.id, at: this.s.clock.now() });
    this.#sessions.delete(args.sessionId);
    if (args.readId) this.devices.release(args.readId);
    return { workerId: worker.id, repeated: false, flags };
  }

  /**
   * Face re-capture of an enrolled worker (worker screen): the session must be live; when the
   * worker has an ID-card photo the new face is compared 1:1 with it and a mismatch is refused.
   * The worker's live-capture templates are replaced, in the store and in the live gallery.
   */
  async recapture(workerId: number, sessionId: string, actor: string): Promise<{ templates: number; idMatchScore: number | null }> {
    const engine = this.#engine();
    const sess = this.#session(sessionId);
    if (!sess.liveness?.live) {
      throw new EnrollmentError('not_live', 409, { zh: '活体检测未通过，请重新采集', en: 'Liveness check not passed; capture again' });
    }
    const best = this.#best(sess);
    const idPhoto = this.s.workers.idPhoto(workerId);
    let score: number | null = null;
    if (idPhoto) {
      const m = await engine.matchIdPhoto(idPhoto, best.embedding);
      if (m.decision === 'no_match') {
        throw new EnrollmentError('id_mismatch', 409, { zh: '现场人脸与身份证照片不一致', en: 'The live face does not match the ID-card photo' });
      }
      score = m.score ?? null;
    }
    const templates = sess.frames
      .slice()
      .sort((a, b) => b.sharpness - a.sharpness)
      .slice(0, 3)
      .map((f) => ({ kind: 'enroll' as const, vector: f.embedding, quality: f.sharpness }));
    const { removed, added } = this.repo.replaceFace(
      { workerId, modelId: engine.modelId, templates, idMatchScore: score, liveness: { policy: sess.liveness.policy, signals: sess.liveness.signals }, photoJpeg: best.jpeg, flags: idPhoto ? ['recapture'] : ['recapture', 'no_id_photo'] },
      actor,
    );
    for (const id of removed) this.gate.gallery?.removeTemplate(id);
    if (this.s.workers.get(workerId)?.status === 'active') {
      this.gate.gallery?.add(templates.map((t, i) => ({ id: added[i] as number, workerId, vector: t.vector })));
    }
    this.#sessions.delete(sessionId);
    this.s.events.publish({ type: 'worker.saved', workerId, at: this.s.clock.now() });
    return { templates: added.length, idMatchScore: score };
  }
}
