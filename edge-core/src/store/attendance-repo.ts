// Attendance events. `record` commits the event (synchronous=FULL on the connection, one
// IMMEDIATE transaction) together with its outbox row before it returns: only then may the
// caller open the turnstile.
import type { Store } from './store.js';
import { parseStoredCodes } from '../rules/reasons.js';
import { OutboxRepo } from './outbox-repo.js';
import { uuidv7 } from '../util/uuidv7.js';
import { localDate } from '../time/site-time.js';
import { WORKER_IDENTITY_COLUMNS, attendancePayloadHash, sha256, workerIdentityHash, type WorkerIdentityRow } from './ledger-codec.js';
import type { Direction, Decision, MakeupConfirmation, AttendanceEvent } from '../domain/records.js';
export type { Direction, Decision, MakeupConfirmation, AttendanceEvent } from '../domain/records.js';

export interface NewAttendanceEvent {
  laneId: string;
  workerId: number | null;
  direction: Direction;
  /** UTC ms; defaults to the store clock (which the sync layer may correct for skew). */
  occurredAt?: number;
  decision: Decision;
  reasons?: string[];
  scores?: Record<string, number>;
  photoJpeg?: Buffer | null;
  makeup?: MakeupConfirmation;
}

/**
 * Which refused passages of identified workers are uploaded to the platform (Jiangxi device
 * standard 5: no helmet — 禁止该人员通行，并将记录上传给业务平台; decision 0012). Null: none.
 */
export interface RefusalUploadPolicy {
  /** A refusal carrying any of these reason codes is uploaded (default ['helmet_missing']). */
  reasons: readonly string[];
  /** At most one upload per worker within this many ms (the person still at the camera). */
  minIntervalMs: number;
}

export const DEFAULT_REFUSAL_UPLOAD: RefusalUploadPolicy = { reasons: ['helmet_missing'], minIntervalMs: 60_000 };

export interface CommittedEvent {
  id: string;
  seq: number;
  occurredAt: number;
  localDate: string;
  timeZone: string;
}

interface EventRow {
  seq: number;
  id: string;
  lane_id: string;
  worker_id: number | null;
  worker_name: string | null;
  direction: Direction;
  occurred_at: number;
  time_zone: string;
  local_date: string;
  decision: Decision;
  reasons_json: string;
  scores_json: string;
  has_photo: number;
  is_makeup: number;
  makeup_confirmed_by: string | null;
  makeup_document_no: string | null;
  makeup_reason: string | null;
  makeup_confirmed_at: number | null;
}

const EVENT_COLUMNS = `e.seq, e.id, e.lane_id, e.worker_id, w.name AS worker_name, e.direction, e.occurred_at, e.time_zone,
  e.local_date, e.decision, e.reasons_json, e.scores_json, e.photo_enc IS NOT NULL AS has_photo, e.is_makeup,
  e.makeup_confirmed_by, e.makeup_document_no, e.makeup_reason, e.makeup_confirmed_at`;
const EVENT_FROM = 'attendance_events e LEFT JOIN workers w ON w.id = e.worker_id';

function toEvent(r: EventRow): AttendanceEvent {
  return {
    id: r.id,
    seq: r.seq,
    laneId: r.lane_id,
    workerId: r.worker_id,
    workerName: r.worker_name,
    direction: r.direction,
    occurredAt: r.occurred_at,
    timeZone: r.time_zone,
    localDate: r.local_date,
    decision: r.decision,
    reasons: parseStoredCodes(r.reasons_json),
    scores: JSON.parse(r.scores_json) as Record<string, number>,
    hasPhoto: r.has_photo === 1,
    makeup:
      r.is_makeup === 1
        ? {
            confirmedBy: r.makeup_confirmed_by ?? '',
            documentNo: r.makeup_document_no ?? '',
            reason: r.makeup_reason ?? '',
            confirmedAt: r.makeup_confirmed_at ?? 0,
          }
        : null,
  };
}

export class AttendanceRepo {
  readonly #insertEvent;
  readonly #getTz;
  readonly #identity;
  readonly #outbox: OutboxRepo;
  #refusalUpload: RefusalUploadPolicy | null;

  constructor(
    private readonly store: Store,
    opts: { refusalUpload?: RefusalUploadPolicy | null } = {},
  ) {
    this.#outbox = new OutboxRepo(store);
    this.#refusalUpload = opts.refusalUpload ?? null;
    const db = store.db;
    this.#insertEvent = db.prepare(`INSERT INTO attendance_events
      (id, lane_id, worker_id, direction, occurred_at, time_zone, local_date, decision, reasons_json, scores_json,
       photo_enc, photo_sha256, is_makeup, makeup_confirmed_by, makeup_document_no, makeup_reason, makeup_confirmed_at, created_at,
       worker_identity)
      VALUES (@id, @lane, @worker, @direction, @at, @tz, @date, @decision, @reasons, @scores,
       @photo, @photoHash, @isMakeup, @mBy, @mDoc, @mReason, @mAt, @created, @identity)`);
    this.#getTz = db.prepare('SELECT time_zone FROM project WHERE id = 1');
    this.#identity = db.prepare(`SELECT ${WORKER_IDENTITY_COLUMNS} FROM workers WHERE id = ?`);
  }

  /** Changes which refusals are uploaded (null: none) for the records that follow. */
  setRefusalUpload(policy: RefusalUploadPolicy | null): void {
    this.#refusalUpload = policy;
  }

  siteTimeZone(): string {
    const row = this.#getTz.get() as { time_zone: string } | undefined;
    return row?.time_zone ?? 'Asia/Shanghai';
  }

  /** Durably records one passage attempt. Returns after the commit reached the disk. */
  record(e: NewAttendanceEvent, tz: string = this.siteTimeZone()): CommittedEvent {
    const now = this.store.clock.now();
    const at = e.occurredAt ?? now;
    const id = uuidv7(at);
    const date = localDate(at, tz);
    const photo = e.photoJpeg ? this.store.cipher.encrypt(e.photoJpeg, 'attendance_events.photo') : null;
    const row = {
      id,
      lane_id: e.laneId,
      worker_id: e.workerId,
      direction: e.direction,
      occurred_at: at,
      time_zone: tz,
      local_date: date,
      decision: e.decision,
      reasons_json: JSON.stringify(e.reasons ?? []),
      scores_json: JSON.stringify(e.scores ?? {}),
      photo_sha256: photo ? sha256(photo) : null,
      is_makeup: e.makeup ? 1 : 0,
      makeup_confirmed_by: e.makeup?.confirmedBy ?? null,
      makeup_document_no: e.makeup?.documentNo ?? null,
      makeup_reason: e.makeup?.reason ?? null,
      makeup_confirmed_at: e.makeup?.confirmedAt ?? null,
      created_at: now,
      worker_identity: null as Buffer | null,
    };
    const seq = this.store.tx(() => {
      // The event binds who the worker is now (their signed identity, ledger-facts.ts).
      const who = e.workerId === null ? undefined : (this.#identity.get(e.workerId) as WorkerIdentityRow | undefined);
      row.worker_identity = who ? workerIdentityHash(who) : null;
      const r = this.#insertEvent.run({
        id,
        lane: row.lane_id,
        worker: row.worker_id,
        direction: row.direction,
        at,
        tz,
        date,
        decision: row.decision,
        reasons: row.reasons_json,
        scores: row.scores_json,
        photo,
        photoHash: row.photo_sha256,
        isMakeup: row.is_makeup,
        mBy: row.makeup_confirmed_by,
        mDoc: row.makeup_document_no,
        mReason: row.makeup_reason,
        mAt: row.makeup_confirmed_at,
        created: now,
        identity: row.worker_identity,
      });
      this.store.ledger.append('attendance', id, attendancePayloadHash(row));
      // Only passes of known people are attendance for the platform; of their refusals, those
      // the platform must hear of (no helmet) are queued as kind 'refusal', rate-limited per worker.
      if (e.decision === 'pass' && e.workerId !== null) {
        this.#outbox.queueAttendance(id, e.workerId, now);
      } else if (e.decision === 'refuse' && e.workerId !== null && this.#refusalUpload) {
        const wanted = this.#refusalUpload.reasons;
        if ((e.reasons ?? []).some((r) => wanted.includes(r))) this.#outbox.queueRefusal(id, e.workerId, at, this.#refusalUpload.minIntervalMs, now);
      }
      return Number(r.lastInsertRowid);
    });
    return { id, seq, occurredAt: at, localDate: date, timeZone: tz };
  }

  get(id: string): AttendanceEvent | null {
    const row = this.store.db.prepare(`SELECT ${EVENT_COLUMNS} FROM ${EVENT_FROM} WHERE e.id = ?`).get(id) as EventRow | undefined;
    return row ? toEvent(row) : null;
  }

  photo(id: string): Buffer | null {
    const row = this.store.db.prepare('SELECT photo_enc FROM attendance_events WHERE id = ?').get(id) as
      | { photo_enc: Buffer | null }
      | undefined;
    return row?.photo_enc ? this.store.cipher.decrypt(row.photo_enc, 'attendance_events.photo') : null;
  }

  list(opts: { localDate?: string; workerId?: number; laneId?: string; limit?: number; beforeSeq?: number } = {}): AttendanceEvent[] {
    const rows = this.store.db
      .prepare(
        `SELECT ${EVENT_COLUMNS} FROM ${EVENT_FROM}
         WHERE (@date IS NULL OR e.local_date = @date) AND (@worker IS NULL OR e.worker_id = @worker)
           AND (@lane IS NULL OR e.lane_id = @lane) AND (@before IS NULL OR e.seq < @before)
         ORDER BY e.seq DESC LIMIT @limit`,
      )
      .all({
        date: opts.localDate ?? null,
        worker: opts.workerId ?? null,
        lane: opts.laneId ?? null,
        before: opts.beforeSeq ?? null,
        limit: opts.limit ?? 100,
      }) as EventRow[];
    return rows.map(toEvent);
  }

  /** Events of a worker in a UTC range, oldest first (for day computation and policies). */
  forWorkerBetween(workerId: number, fromMs: number, toMs: number): AttendanceEvent[] {
    const rows = this.store.db
      .prepare(
        `SELECT ${EVENT_COLUMNS} FROM ${EVENT_FROM}
         WHERE e.worker_id = ? AND e.occurred_at >= ? AND e.occurred_at < ? ORDER BY e.occurred_at, e.seq`,
      )
      .all(workerId, fromMs, toMs) as EventRow[];
    return rows.map(toEvent);
  }

  count(): number {
    return (this.store.db.prepare('SELECT COUNT(*) AS n FROM attendance_events').get() as { n: number }).n;
  }
}
