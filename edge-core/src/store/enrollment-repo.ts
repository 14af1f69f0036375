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
  /** e.g. 'manual_entry', 'no_id_photo', 'id_photo_mismatch_confirmed' */
  flags: string[];
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
          `INSERT INTO enrollments (worker_id, captured_at, clerk, id_match_score, liveness_json, photo_enc, flags_json)
           VALUES (?, ?, ?, ?, ?, ?, ?)`,
        )
        .run(
          worker.id,
          this.store.clock.now(),
          clerk,
          e.idMatchScore,
          JSON.stringify(e.liveness),
          e.photoJpeg ? this.store.cipher.encrypt(e.photoJpeg, 'enrollments.photo') : null,
          JSON.stringify(e.flags),
        );
      this.#audit.append(clerk, 'enrollment.save', `worker:${worker.id}`, { templates: templateIds.length, idMatchScore: e.idMatchScore, flags: e.flags });
      return { worker, templateIds };
    });
  }

  /**
   * A new live capture for an enrolled worker (the worker screen's face re-capture): the
   * worker's live-capture templates of this model are replaced by the new ones, and a new
   * enrollment record (photo, 1:1 score, liveness, flags) is added, in one transaction.
   * Returns the ids of the templates removed and added, for the live gallery.
   */
  replaceFace(
    e: { workerId: number; modelId: string; templates: EnrollmentTemplate[]; idMatchScore: number | null; liveness: Record<string, unknown>; photoJpeg: Buffer | null; flags: string[] },
    actor: string,
  ): { removed: number[]; added: number[] } {
    return this.store.tx(() => {
      const removed = this.#templates.pruneKind(e.workerId, e.modelId, 'enroll', 0);
      const added = e.templates.map(
        (t) => this.#templates.add({ workerId: e.workerId, modelId: e.modelId, kind: t.kind, vector: t.vector, quality: t.quality ?? null }).id,
      );
      this.store.db
        .prepare(
          `INSERT INTO enrollments (worker_id, captured_at, clerk, id_match_score, liveness_json, photo_enc, flags_json)
           VALUES (?, ?, ?, ?, ?, ?, ?)`,
        )
        .run(
          e.workerId,
          this.store.clock.now(),
          actor,
          e.idMatchScore,
          JSON.stringify(e.liveness),
          e.photoJpeg ? this.store.cipher.encrypt(e.photoJpeg, 'enrollments.photo') : null,
          JSON.stringify(e.flags),
        );
      this.#audit.append(actor, 'worker.face', `worker:${e.workerId}`, { templates: added.length, replaced: removed.length, idMatchScore: e.idMatchScore, flags: e.flags });
      return { removed, added };
    });
  }

  /** The newest enrollment photo of a worker (decrypted), for the platform's headImage. */
  photo(workerId: number): Buffer | null {
    const row = this.store.db.prepare('SELECT photo_enc FROM enrollments WHERE worker_id = ? AND photo_enc IS NOT NULL ORDER BY id DESC LIMIT 1').get(workerId) as
      | { photo_enc: Buffer }
      | undefined;
    return row ? this.store.cipher.decrypt(row.photo_enc, 'enrollments.photo') : null;
  }
}
