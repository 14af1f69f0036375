// Saves an enrollment in one transaction: the worker, their face templates (live captures
// and the ID-card photo), the enrollment record (clerk, 1:1 score, liveness, flags) and the
// outbox row that pushes the worker to the platform. Either all of it is stored or nothing.
import type { Store } from './store.js';
import { WorkersRepo, type WorkerInput, type WorkerRecord } from './workers-repo.js';
import { FaceTemplateRepo, type TemplateKind } from './face-template-repo.js';
import { AuditLog } from './audit-log.js';

export interface EnrollmentTemplate {
  kind: TemplateKind;
  vector: Float32Array;
  quality?: number | null;
}

export interface NewEnrollment {
  worker: WorkerInput;
  modelId: string;
  templates: EnrollmentTemplate[];
  idMatchScore: number | null;
  liveness: Record<string, unknown>;
  /** Best live capture, kept encrypted as the enrollment photo (headImage for the platform). */
  photoJpeg: Buffer | null;
  /** e.g. 'manual_entry', 'no_id_photo', 'id_match_overridden' */
  flags: string[];
  /** The card's sides as photographed by the clerk (人像面 with the photo, 国徽面), stored encrypted. */
  cardImages?: { portrait?: Buffer; emblem?: Buffer };
  /** Where the 1:1 face-vs-card result came from; null when an admin overrode its absence. */
  idMatchSource?: 'chip_photo' | 'card_image' | null;
  /** An admin let the enrollment through without a 1:1 result: who and why (audited). */
  override?: { actor: string; reason: string };
}

export class EnrollmentRepo {
  readonly #workers: WorkersRepo;
  readonly #templates: FaceTemplateRepo;
  readonly #audit: AuditLog;
  constructor(private readonly store: Store) {
    this.#workers = new WorkersRepo(store);
    this.#templates = new FaceTemplateRepo(store, () => store.clock.now());
    this.#audit = new AuditLog(store);
  }

  save(e: NewEnrollment, clerk: string): { worker: WorkerRecord; templateIds: number[] } {
    return this.store.tx(() => {
      const worker = this.#workers.create({ ...e.worker, manualEntry: e.worker.manualEntry ?? e.flags.includes('manual_entry') }, clerk);
      const templateIds = e.templates.map(
        (t) => this.#templates.add({ workerId: worker.id, modelId: e.modelId, kind: t.kind, vector: t.vector, quality: t.quality ?? null }).id,
      );
      this.store.db
        .prepare(
          `INSERT INTO enrollments (worker_id, captured_at, clerk, id_match_score, liveness_json, photo_enc, flags_json, card_portrait_enc, card_emblem_enc, id_match_source)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        )
        .run(
          worker.id,
          this.store.clock.now(),
          clerk,
          e.idMatchScore,
          JSON.stringify(e.liveness),
          e.photoJpeg ? this.store.cipher.encrypt(e.photoJpeg, 'enrollments.photo') : null,
          JSON.stringify(e.flags),
          e.cardImages?.portrait ? this.store.cipher.encrypt(e.cardImages.portrait, 'enrollments.card_portrait') : null,
          e.cardImages?.emblem ? this.store.cipher.encrypt(e.cardImages.emblem, 'enrollments.card_emblem') : null,
          e.idMatchSource ?? null,
        );
      if (e.override) this.#audit.append(e.override.actor, 'enrollment.id_match_override', `worker:${worker.id}`, { reason: e.override.reason });
      this.#audit.append(clerk, 'enrollment.save', `worker:${worker.id}`, { templates: templateIds.length, idMatchScore: e.idMatchScore, flags: e.flags });
      return { worker, templateIds };
    });
  }

  /** The card images of a worker's newest enrollment (decrypted). */
  cardImages(workerId: number): { portrait: Buffer | null; emblem: Buffer | null } {
    const row = this.store.db.prepare('SELECT card_portrait_enc AS p, card_emblem_enc AS e FROM enrollments WHERE worker_id = ? ORDER BY id DESC LIMIT 1').get(workerId) as
      | { p: Buffer | null; e: Buffer | null }
      | undefined;
    return {
      portrait: row?.p ? this.store.cipher.decrypt(row.p, 'enrollments.card_portrait') : null,
      emblem: row?.e ? this.store.cipher.decrypt(row.e, 'enrollments.card_emblem') : null,
    };
  }

  /** The newest enrollment photo of a worker (decrypted), for the platform's headImage. */
  photo(workerId: number): Buffer | null {
    const row = this.store.db.prepare('SELECT photo_enc FROM enrollments WHERE worker_id = ? AND photo_enc IS NOT NULL ORDER BY id DESC LIMIT 1').get(workerId) as
      | { photo_enc: Buffer }
      | undefined;
    return row ? this.store.cipher.decrypt(row.photo_enc, 'enrollments.photo') : null;
  }
}
