// The gate side of the core: loads the face engine (a model problem stops the gate but not
// enrollment or sync), builds the 1:N gallery from the store, and runs one LaneController
// per configured lane. Decisions are published as live events.
import { join } from 'node:path';
import {
  FaceTemplateRepo,
  GallerySnapshotRepo,
  loadGallery,
  saveGallerySnapshot,
  type Gallery,
  LaneController,
  LIVENESS_POLICIES,
  GATE_LIVENESS,
  HeuristicHelmetDetector,
  HeuristicMaskDetector,
  ModelMaskDetector,
  ID_PHOTO_QUALITY,
  StoreGateDirectory,
  loadFaceEngine,
  rules,
  type FaceEngine,
  type FrameOutcome,
  type GateDecision,
  type Announcer,
  type Turnstile,
  type Frame,
} from '../../edge-core/src/index.js';
import type { CoreServices } from './services.js';
import { storeFailure } from './store-failures.js';
import { REPO_ROOT } from './paths.js';
import { gateDecisionDto, passageEvent } from './decision-dto.js';

export const GATE_POLICY_KEY = 'gate.policy';
export { CALENDAR_KEY } from './calendar-service.js';

export interface GateDevices {
  turnstileForLane(laneId: string): Turnstile | undefined;
  announcer?: Announcer;
}

export class GateUnavailableError extends Error {
  constructor(
    readonly code: 'models_unavailable' | 'unknown_lane',
    message: string,
  ) {
    super(message);
    this.name = 'GateUnavailableError';
  }
}

export class GateService {
  readonly lanes = new Map<string, LaneController>();
  readonly #timers: NodeJS.Timeout[] = [];
  engine: FaceEngine | null = null;
  gallery: Gallery | null = null;
  templates: FaceTemplateRepo;
  snapshots: GallerySnapshotRepo;
  #snapshotFingerprint: string | null = null;
  unavailableReason: string | null = null;
  /** Frees the data disk's reserve when a record fails for a full disk (set by the core). */
  reclaimSpace: () => boolean = () => false;

  constructor(
    private readonly s: CoreServices,
    private readonly devices: GateDevices,
    private readonly modelsDir = join(REPO_ROOT, 'models', s.config.gate.faceModels === 'legacy-unclear' ? 'legacy' : ''),
  ) {
    this.templates = new FaceTemplateRepo(s.store);
    this.snapshots = new GallerySnapshotRepo(s.store);
  }

  policy(): rules.GatePolicy {
    const raw = this.s.settings.get<unknown>(GATE_POLICY_KEY, {});
    const parsed = rules.GatePolicySchema.safeParse(raw);
    if (parsed.success) return parsed.data;
    this.s.logger.error({ issues: parsed.error.issues.slice(0, 3) }, 'stored gate policy is invalid; using defaults');
    return rules.DEFAULT_GATE_POLICY;
  }

  /** The construction calendar with the marked days (CalendarService). */
  calendar(): rules.ConstructionCalendar {
    return this.s.calendar.current();
  }

  async start(): Promise<void> {
    const t0 = Date.now();
    this.s.health.set('face', { ok: false, detail: '正在加载人脸模型 Loading face models' });
    this.s.events.publish({ type: 'task.progress', task: 'models', done: 0, total: 1, at: this.s.clock.now() });
    const loaded = await loadFaceEngine({ modelsDir: this.modelsDir });
    if (loaded.state !== 'ready') {
      this.unavailableReason = loaded.error.message;
      this.s.health.set('face', { ok: false, detail: `${loaded.reason.message.zh} — ${loaded.error.message}` });
      this.s.logger.error({ err: loaded.error }, 'face models unavailable: the gate is stopped, enrollment and sync continue');
      return;
    }
    this.engine = loaded.engine;
    const modelId = this.engine.modelId;
    const galleryLoad = await loadGallery({ dim: this.engine.embeddingDim, modelId, templates: this.templates, snapshots: this.snapshots });
    const gallery = galleryLoad.gallery;
    this.gallery = gallery;
    this.#snapshotFingerprint = galleryLoad.source === 'snapshot' ? galleryLoad.fingerprint : null;
    if (galleryLoad.source !== 'snapshot') setImmediate(() => this.saveSnapshot());
    // Photos that arrive with the roster become templates shortly after (checked every minute).
    const templating = setInterval(() => void this.computeMissingTemplates(), 60_000);
    templating.unref();
    this.#timers.push(templating);
    void this.computeMissingTemplates();
    const policyName = this.s.config.gate.livenessPolicy;
    const liveness = LIVENESS_POLICIES[policyName] ?? GATE_LIVENESS;
    const testPolicy = policyName.startsWith('test-only:');
    const unclear = this.engine.unclearRoles;
    if (unclear.length > 0) {
      this.s.logger.warn({ set: this.engine.manifest.set, roles: unclear }, 'face models of unclear provenance are in use (legacy set): not for commercial use');
    }
    this.s.health.set(
      'face',
      testPolicy
        ? { ok: false, detail: `liveness policy ${policyName} is for tests only` }
        : unclear.length > 0
          ? { ok: false, detail: `人脸模型来源不明（旧模型集 ${this.engine.manifest.set ?? ''}），不可商用 — legacy face models of unclear provenance (${unclear.join(', ')}): not for commercial use` }
          : { ok: true },
    );
    const helmet = new HeuristicHelmetDetector();
    // The model set's mask model when it has one (the heuristic answers only where it gives none).
    const mask = this.engine.manifest.models.mask ? new ModelMaskDetector(new HeuristicMaskDetector()) : new HeuristicMaskDetector();
    for (const lane of this.s.config.lanes) {
      if (lane.direction === 'both') continue; // a bidirectional lane needs one camera per direction
      this.lanes.set(
        lane.id,
        new LaneController({
          laneId: lane.id,
          direction: lane.direction,
          engine: this.engine,
          gallery,
          people: new StoreGateDirectory(this.s.store),
          attendance: this.s.attendance,
          turnstile: this.devices.turnstileForLane(lane.id) ?? null,
          announcer: this.devices.announcer ?? null,
          helmet,
          mask,
          clock: this.s.clock,
          timeZone: () => this.s.attendance.siteTimeZone(),
          policy: () => this.policy(),
          calendar: () => this.calendar(),
          liveness,
          earlyFrames: this.s.config.gate.earlyFrames,
          cooldownMs: this.s.config.gate.cooldownMs,
          match: { threshold: this.engine.thresholds.match, margin: this.engine.thresholds.margin },
          onDecision: (d) => {
            if (d.eventId !== null && this.s.health.get('store.write')?.ok === false) {
              this.s.health.set('store.write', { ok: true });
              this.s.logger.info({ lane: d.laneId }, 'attendance records are written again');
            }
            this.#publish(d);
          },
          reclaimSpace: () => this.reclaimSpace(),
          onRecordFailure: (d, err) => {
            const why = storeFailure(err) ?? { code: undefined, zh: '考勤记录写入失败', en: `Attendance record not written: ${(err as Error).message}` };
            this.s.logger.fatal({ err, lane: d.laneId, code: why.code }, 'attendance record not written: passage refused');
            this.s.health.set('store.write', { ok: false, detail: `${why.zh}，暂停通行 — ${why.en}; passages refused` });
          },
          onOpenFailure: (d, f) => {
            this.s.logger.error({ lane: d.laneId, eventId: d.eventId, code: f.code }, 'turnstile did not open after a committed pass');
            try {
              this.s.store.tx(() => this.s.audit.append('system', 'gate.open_failed', `event:${d.eventId}`, { lane: d.laneId, code: f.code }));
            } catch (err) {
              // The pass is recorded; only its audit note is lost to a full disk (the log has it).
              this.s.logger.error({ err, eventId: d.eventId }, 'audit of the failed opening not written');
            }
          },
        }),
      );
    }
    this.s.events.publish({ type: 'task.progress', task: 'models', done: 1, total: 1, at: this.s.clock.now() });
    this.s.logger.info({ templates: gallery.size, source: galleryLoad.source, ms: Date.now() - t0, lanes: [...this.lanes.keys()] }, 'gate ready');
  }

  readonly #noFaceInPhoto = new Set<number>();
  #templating = false;

  /**
   * Workers who came with a photo but no template for this model (pulled from the platform's
   * roster, or enrolled under an older model) get one computed locally, and join the gallery.
   * Returns how many were added; photos without a usable face are remembered and skipped.
   */
  async computeMissingTemplates(limit = 50): Promise<number> {
    const engine = this.engine;
    const gallery = this.gallery;
    if (!engine || !gallery || this.#templating) return 0;
    this.#templating = true;
    try {
      const ids = (
        this.s.store.db
          .prepare(
            `SELECT w.id FROM workers w WHERE w.status = 'active' AND w.id_photo_enc IS NOT NULL
             AND NOT EXISTS (SELECT 1 FROM face_templates t WHERE t.worker_id = w.id AND t.model_id = ?) ORDER BY w.id LIMIT ?`,
          )
          .all(engine.modelId, limit + this.#noFaceInPhoto.size) as Array<{ id: number }>
      )
        .map((r) => r.id)
        .filter((id) => !this.#noFaceInPhoto.has(id))
        .slice(0, limit);
      let added = 0;
      for (const workerId of ids) {
        const photo = this.s.workers.idPhoto(workerId);
        const a = photo ? await engine.analyze(photo, { quality: ID_PHOTO_QUALITY }) : null;
        if (!a?.embedding) {
          this.#noFaceInPhoto.add(workerId);
          this.s.logger.warn({ workerId, reasons: a?.reasons.map((r) => r.code) ?? ['no_photo'] }, 'no usable face in the worker photo; enroll the face at the kiosk');
          continue;
        }
        const t = this.templates.add({ workerId, modelId: engine.modelId, kind: 'platform', vector: a.embedding });
        gallery.add([{ id: t.id, workerId, vector: a.embedding }]);
        added++;
      }
      if (added) this.s.logger.info({ added }, 'face templates computed from worker photos');
      return added;
    } catch (err) {
      // A full or failing disk refuses the new templates: tried again at the next round.
      this.s.logger.error({ err }, 'face templates from worker photos not saved; tried again in a minute');
      return 0;
    } finally {
      this.#templating = false;
    }
  }

  stop(): void {
    for (const t of this.#timers.splice(0)) clearInterval(t);
  }

  /** Stops the helper threads of the gallery scan and the off-thread liveness model. */
  async release(): Promise<void> {
    this.gallery?.close();
    await this.engine?.close();
  }

  /** Writes the gallery snapshot when the active templates changed since it was taken. */
  saveSnapshot(): void {
    if (!this.engine || !this.gallery) return;
    const modelId = this.engine.modelId;
    const fingerprint = this.snapshots.fingerprint(modelId);
    if (fingerprint === this.#snapshotFingerprint) return;
    try {
      saveGallerySnapshot({ gallery: this.gallery, modelId, snapshots: this.snapshots });
      this.#snapshotFingerprint = fingerprint;
    } catch (err) {
      this.s.logger.warn({ err }, 'gallery snapshot not written (the next start rebuilds it)');
    }
  }

  async submitFrame(laneId: string, jpeg: Uint8Array): Promise<FrameOutcome> {
    if (!this.engine) throw new GateUnavailableError('models_unavailable', this.unavailableReason ?? 'face engine not loaded');
    const lane = this.lanes.get(laneId);
    if (!lane) throw new GateUnavailableError('unknown_lane', `lane ${laneId} has no camera controller`);
    return lane.submit(jpeg);
  }

  hasLane(laneId: string): boolean {
    return this.lanes.has(laneId);
  }

  /** A frame from a camera the core owns (raw RGB, or JPEG). */
  async submitCameraFrame(laneId: string, frame: Frame): Promise<FrameOutcome> {
    if (!this.engine) throw new GateUnavailableError('models_unavailable', this.unavailableReason ?? 'face engine not loaded');
    const lane = this.lanes.get(laneId);
    if (!lane) throw new GateUnavailableError('unknown_lane', `lane ${laneId} has no camera controller`);
    return frame.format === 'rgb' ? lane.submitImage(frame.rgb) : lane.submit(frame.jpeg);
  }

  #publish(d: GateDecision): void {
    this.s.events.publish(passageEvent(d.laneId, gateDecisionDto(d), { photo: true }));
  }
}
