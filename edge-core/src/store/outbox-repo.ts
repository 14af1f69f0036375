// SQL over the transactional outbox for the platform sync worker. Rows are queued here (queue*)
// by the repos that write the records (attendance, workers), inside their own transaction;
// this file moves them through pending → inflight → sent, or to ambiguous / parked.
import type BetterSqlite3 from 'better-sqlite3';
import type { Store } from './store.js';

type Statement = BetterSqlite3.Statement<unknown[]>;
import { decodeOutboxError, encodeOutboxError, outboxError, type OutboxError } from '../domain/outbox-errors.js';
import { AuditLog } from './audit-log.js';
import { localDate } from '../time/site-time.js';
import type { ManagementRole } from '../domain/personnel.js';
import type {
  AttendanceForPlatform,
  OutboxCounts,
  OutboxItem,
  OutboxKind,
  OutboxState,
  OutboxStorePort,
  RefusalForPlatform,
  WorkerChangeAction,
  WorkerChangeForPlatform,
  WorkerForPlatform,
} from '../ports/platform.js';

interface OutboxRow {
  id: number;
  kind: OutboxKind;
  ref_id: string;
  partition_key: string;
  state: OutboxState;
  attempts: number;
  next_attempt_at: number;
  first_attempt_at: number | null;
  request_serial_code: string | null;
  last_error: string | null;
  parked_reason: string | null;
  created_at: number;
  sent_at: number | null;
}

const OPEN = `('pending','inflight','ambiguous')`;

function toItem(r: OutboxRow): OutboxItem {
  return {
    id: r.id,
    kind: r.kind,
    refId: r.ref_id,
    partitionKey: r.partition_key,
    state: r.state,
    attempts: r.attempts,
    nextAttemptAt: r.next_attempt_at,
    firstAttemptAt: r.first_attempt_at,
    requestSerialCode: r.request_serial_code,
    lastError: decodeOutboxError(r.last_error),
    parkedReason: r.parked_reason,
    createdAt: r.created_at,
    sentAt: r.sent_at,
  };
}

/** `?,?,?` for an IN list. */
function marks(n: number): string {
  return Array.from({ length: n }, () => '?').join(',');
}

export class OutboxRepo implements OutboxStorePort {
  readonly #statements = new Map<string, Statement>();
  /** Whether migration 0003's (state, id) index exists: it decides the claim query's shape. */
  readonly #hasStateIdIndex: boolean;
  /**
   * Every pending row has an id above this (a scan start, so delivered rows at the front are not
   * read again on every claim). Lowered whenever rows return to pending; reset every few
   * seconds in case another OutboxRepo instance (e.g. the supervisor's requeue) changed rows.
   */
  #lowWater = 0;
  #lowWaterSetAt = 0;

  #lower(ids: readonly number[] | 'all'): void {
    if (ids === 'all') this.#lowWater = 0;
    else for (const id of ids) if (id - 1 < this.#lowWater) this.#lowWater = id - 1;
  }

  constructor(private readonly store: Store) {
    this.#hasStateIdIndex =
      store.db
        .prepare("SELECT 1 FROM sqlite_master WHERE type = 'index' AND name = 'outbox_state_id'")
        .get() !== undefined;
  }

  /** Prepared statements are cached: the worker runs the same few queries many times a second. */
  #stmt(sql: string): Statement {
    let st = this.#statements.get(sql);
    if (!st) {
      st = this.store.db.prepare(sql);
      this.#statements.set(sql, st);
    }
    return st;
  }

  #run(sql: string, ...args: unknown[]): number {
    return this.#stmt(sql).run(...args).changes;
  }

  /** Updates by id list in one transaction (chunked below SQLite's variable limit). */
  #byIds(ids: readonly number[], sqlWithIn: (m: string) => string, head: unknown[] = []): void {
    if (ids.length === 0) return;
    this.store.tx(() => {
      for (let i = 0; i < ids.length; i += 500) {
        const chunk = ids.slice(i, i + 500);
        this.#run(sqlWithIn(marks(chunk.length)), ...head, ...chunk);
      }
    });
  }

  /** One pending outbox row (the only INSERT into the outbox). */
  #queue(kind: OutboxKind, refId: string, partitionKey: string, now: number): void {
    this.#run(
      `INSERT INTO outbox (kind, ref_id, partition_key, state, next_attempt_at, created_at) VALUES (?, ?, ?, 'pending', ?, ?)`,
      kind,
      refId,
      partitionKey,
      now,
      now,
    );
  }

  /** Queues a locally created worker (ProjectWorker.Add); call inside the creating transaction. */
  queueWorker(workerId: number, now: number): void {
    this.#queue('worker', String(workerId), `worker:${workerId}`, now);
  }

  /**
   * Records a change of a worker (edit, departure, re-entry) and queues it behind the worker's
   * earlier items; call inside the transaction that makes the change. Returns the change id.
   */
  queueWorkerChange(workerId: number, action: WorkerChangeAction, actor: string, now: number): number {
    const tz = (this.#stmt('SELECT time_zone FROM project WHERE id = 1').get() as { time_zone: string } | undefined)?.time_zone ?? 'Asia/Shanghai';
    const r = this.#stmt(
      `INSERT INTO worker_changes (worker_id, action, occurred_at, local_date, actor, created_at) VALUES (?, ?, ?, ?, ?, ?)`,
    ).run(workerId, action, now, localDate(now, tz), actor, now);
    const changeId = Number(r.lastInsertRowid);
    this.#queue('worker_change', String(changeId), `worker:${workerId}`, now);
    return changeId;
  }

  /** Queues a pass of a known worker as attendance; call inside the transaction that records it. */
  queueAttendance(eventId: string, workerId: number, now: number): void {
    this.#queue('attendance', eventId, `worker:${workerId}`, now);
  }

  /**
   * Queues a refused passage for the platform (kind 'refusal', behind the worker's earlier
   * items); call inside the transaction that records it. Rate-limited per worker: nothing is
   * queued when the worker's last queued refusal happened less than `minIntervalMs` before
   * (one person standing at the camera without a helmet is one upload, not one per decision).
   * Returns whether a row was queued.
   */
  queueRefusal(eventId: string, workerId: number, occurredAt: number, minIntervalMs: number, now: number): boolean {
    const partition = `worker:${workerId}`;
    // The partition index walks this worker's items from the newest back to their last refusal.
    const last = this.#stmt(
      `SELECT e.occurred_at AS at FROM outbox o JOIN attendance_events e ON e.id = o.ref_id
       WHERE o.partition_key = ? AND o.kind = 'refusal' ORDER BY o.id DESC LIMIT 1`,
    ).get(partition) as { at: number } | undefined;
    if (last && Math.abs(occurredAt - last.at) < minIntervalMs) return false;
    this.#queue('refusal', eventId, partition, now);
    return true;
  }

  claimable(now: number, limit: number): OutboxItem[] {
    // A partition (a worker's records) sends nothing while one of its items is in flight,
    // unresolved or waiting for its retry time, so its records reach the platform in order;
    // a parked (refused) item never holds the others back.
    const blocked = new Set(
      (
        this.#stmt(
          `SELECT DISTINCT partition_key AS k FROM outbox
             WHERE state IN ('inflight','ambiguous') OR (state = 'pending' AND next_attempt_at > ?)`,
        ).all(now) as Array<{ k: string }>
      ).map((r) => r.k),
    );
    // With the (state, id) index the pending rows are read in id order directly; without it the
    // `+` operators keep SQLite on the primary key (id order) instead of sorting every pending row.
    const page = this.#stmt(
      this.#hasStateIdIndex
        ? `SELECT * FROM outbox WHERE state = 'pending' AND id > ? ORDER BY id LIMIT ?`
        : `SELECT * FROM outbox WHERE +state = 'pending' AND id > ? ORDER BY id LIMIT ?`,
    );
    const out: OutboxItem[] = [];
    if (Date.now() - this.#lowWaterSetAt > 5000) this.#lowWater = 0;
    let after = this.#lowWater;
    // Bounded scan: at most 8 pages per call; the rest is found on the next call.
    for (let pages = 0; pages < 8 && out.length < limit; pages++) {
      // Not-due rows are not filtered here: their partitions are in `blocked`.
      const rows = page.all(after, 500) as OutboxRow[];
      if (pages === 0 && rows[0] && after === this.#lowWater) {
        if (this.#lowWater === 0) this.#lowWaterSetAt = Date.now();
        this.#lowWater = rows[0].id - 1;
      }
      for (const r of rows) {
        if (r.next_attempt_at <= now && !blocked.has(r.partition_key)) out.push(toItem(r));
        if (out.length >= limit) break;
      }
      if (rows.length < 500) break;
      after = rows[rows.length - 1]?.id ?? after;
    }
    return out;
  }

  awaitingResult(limit: number): OutboxItem[] {
    const rows = this.#stmt(
      `SELECT * FROM outbox WHERE state = 'inflight' AND request_serial_code IS NOT NULL ORDER BY id LIMIT ?`,
    ).all(limit) as OutboxRow[];
    return rows.map(toItem);
  }

  sentEntryExitOf(workerId: number): Array<{ date: string; action: 'exit' | 'entry' }> {
    return this.#stmt(
      `SELECT c.local_date AS date, c.action FROM outbox o JOIN worker_changes c ON c.id = o.ref_id
       WHERE o.kind = 'worker_change' AND o.state = 'sent' AND c.worker_id = ? AND c.action IN ('exit','entry')`,
    ).all(workerId) as Array<{ date: string; action: 'exit' | 'entry' }>;
  }

  sentAttendanceOf(workerId: number, fromMs: number, toMs: number): Array<{ occurredAt: number; direction: 'in' | 'out' }> {
    return this.#stmt(
      `SELECT e.occurred_at AS occurredAt, e.direction FROM outbox o JOIN attendance_events e ON e.id = o.ref_id
       WHERE o.kind = 'attendance' AND o.state = 'sent' AND e.worker_id = ? AND e.occurred_at >= ? AND e.occurred_at < ?`,
    ).all(workerId, fromMs, toMs) as Array<{ occurredAt: number; direction: 'in' | 'out' }>;
  }

  ambiguous(limit: number): OutboxItem[] {
    const rows = this.#stmt(`SELECT * FROM outbox WHERE state = 'ambiguous' ORDER BY id LIMIT ?`).all(
      limit,
    ) as OutboxRow[];
    return rows.map(toItem);
  }

  markInflight(ids: readonly number[], now: number): void {
    this.#byIds(
      ids,
      (
        m,
      ) => `UPDATE outbox SET state = 'inflight', attempts = attempts + 1, first_attempt_at = COALESCE(first_attempt_at, ?),
        request_serial_code = NULL WHERE id IN (${m})`,
      [now],
    );
  }

  setSerial(ids: readonly number[], serial: string): void {
    this.#byIds(
      ids,
      (m) => `UPDATE outbox SET request_serial_code = ? WHERE state = 'inflight' AND id IN (${m})`,
      [serial],
    );
  }

  markSent(ids: readonly number[], now: number): void {
    this.#byIds(
      ids,
      (m) => `UPDATE outbox SET state = 'sent', sent_at = ?, last_error = NULL WHERE id IN (${m})`,
      [now],
    );
  }

  markAmbiguous(ids: readonly number[], error: OutboxError, resolveAt: number): void {
    this.#byIds(
      ids,
      (m) =>
        `UPDATE outbox SET state = 'ambiguous', request_serial_code = NULL, last_error = ?, next_attempt_at = ? WHERE id IN (${m})`,
      [encodeOutboxError(error), resolveAt],
    );
  }

  reschedule(
    ids: readonly number[],
    nextAttemptAt: number,
    error: OutboxError,
    opts: { countAttempt?: boolean } = {},
  ): void {
    if (ids.length === 0) return;
    this.#lower(ids);
    this.store.tx(() => {
      for (let i = 0; i < ids.length; i += 500) {
        const chunk = ids.slice(i, i + 500);
        this.#run(
          `UPDATE outbox SET state = 'pending', next_attempt_at = ?, last_error = ?, request_serial_code = NULL,
             attempts = attempts - CASE WHEN ? THEN 1 ELSE 0 END
           WHERE id IN (${marks(chunk.length)})`,
          nextAttemptAt,
          encodeOutboxError(error),
          opts.countAttempt === false ? 1 : 0,
          ...chunk,
        );
        // Later items of the same partitions wait as well, so order is kept.
        this.#run(
          `UPDATE outbox SET next_attempt_at = MAX(next_attempt_at, ?)
           WHERE state = 'pending' AND partition_key IN (SELECT partition_key FROM outbox WHERE id IN (${marks(chunk.length)}))`,
          nextAttemptAt,
          ...chunk,
        );
      }
    });
  }

  park(ids: readonly number[], reason: string, now: number): void {
    this.#byIds(
      ids,
      (
        m,
      ) => `UPDATE outbox SET state = 'parked', parked_reason = ?, last_error = ?, request_serial_code = NULL,
        sent_at = NULL, next_attempt_at = ? WHERE id IN (${m})`,
      [reason, encodeOutboxError(outboxError('parked')), now],
    );
  }

  requeueParked(ids: readonly number[] | 'all', now: number): number {
    this.#lower(ids);
    if (ids === 'all') {
      return this.store.tx(() =>
        this.#run(
          `UPDATE outbox SET state = 'pending', parked_reason = NULL, attempts = 0, first_attempt_at = NULL, next_attempt_at = ?
           WHERE state = 'parked'`,
          now,
        ),
      );
    }
    let n = 0;
    this.store.tx(() => {
      for (let i = 0; i < ids.length; i += 500) {
        const chunk = ids.slice(i, i + 500);
        n += this.#run(
          `UPDATE outbox SET state = 'pending', parked_reason = NULL, attempts = 0, first_attempt_at = NULL, next_attempt_at = ?
           WHERE state = 'parked' AND id IN (${marks(chunk.length)})`,
          now,
          ...chunk,
        );
      }
    });
    return n;
  }

  recoverAfterCrash(resolveAt: number): number {
    return this.store.tx(() =>
      this.#run(
        `UPDATE outbox SET state = 'ambiguous', last_error = COALESCE(last_error, ?), next_attempt_at = ?
         WHERE state = 'inflight' AND request_serial_code IS NULL`,
        encodeOutboxError(outboxError('interrupted')),
        resolveAt,
      ),
    );
  }

  counts(): OutboxCounts {
    const rows = this.#stmt('SELECT state, COUNT(*) AS n FROM outbox GROUP BY state').all() as Array<{
      state: OutboxState;
      n: number;
    }>;
    const c: OutboxCounts = {
      pending: 0,
      inflight: 0,
      ambiguous: 0,
      sent: 0,
      parked: 0,
      oldestPendingAt: null,
    };
    for (const r of rows) c[r.state] = r.n;
    const oldest = this.#stmt(`SELECT MIN(created_at) AS t FROM outbox WHERE state IN ${OPEN}`).get() as {
      t: number | null;
    };
    c.oldestPendingAt = oldest.t;
    return c;
  }

  hasUndelivered(): boolean {
    const row = this.#stmt(`SELECT EXISTS (SELECT 1 FROM outbox WHERE state IN ${OPEN}) AS x`).get() as {
      x: number;
    };
    return row.x === 1;
  }

  parked(limit: number): OutboxItem[] {
    const rows = this.store.db
      .prepare(`SELECT * FROM outbox WHERE state = 'parked' ORDER BY id DESC LIMIT ?`)
      .all(limit) as OutboxRow[];
    return rows.map(toItem);
  }

  teamsWithoutPlatformNumber(): Array<{
    teamId: number;
    teamName: string;
    corpCode: string;
    corpName: string;
  }> {
    return this.store.db
      .prepare(
        `SELECT t.id AS teamId, t.name AS teamName, e.credit_code AS corpCode, e.name AS corpName
         FROM teams t JOIN employers e ON e.id = t.employer_id WHERE t.platform_team_sys_no IS NULL ORDER BY t.id`,
      )
      .all() as Array<{ teamId: number; teamName: string; corpCode: string; corpName: string }>;
  }

  setTeamPlatformNumber(teamId: number, teamSysNo: string): void {
    this.store.tx(() => {
      this.#run('UPDATE teams SET platform_team_sys_no = ? WHERE id = ?', teamSysNo, teamId);
      new AuditLog(this.store).append('platform', 'team.platform_number', `team:${teamId}`, { teamSysNo });
    });
  }

  releaseWaitingForTeam(now: number): number {
    return this.store.tx(() =>
      this.#run(
        // Rows of this version hold JSON; rows of older ones the words 'waiting_for_team: …'.
        `UPDATE outbox SET next_attempt_at = ? WHERE state = 'pending'
           AND (CASE WHEN json_valid(last_error) THEN json_extract(last_error, '$.code') END = 'waiting_for_team'
                OR last_error LIKE 'waiting_for_team%')`,
        now,
      ),
    );
  }

  attendanceForPlatform(items: readonly OutboxItem[]): AttendanceForPlatform[] {
    const ids = items.filter((i) => i.kind === 'attendance').map((i) => i.id);
    if (ids.length === 0) return [];
    const c = this.store.cipher;
    const rows = this.#stmt(
      `SELECT o.id AS outbox_id, e.id AS event_id, e.worker_id, w.name, w.id_type, w.id_number_enc, e.occurred_at, e.time_zone,
           e.direction, e.photo_enc, e.is_makeup, e.makeup_confirmed_by, e.makeup_document_no, e.makeup_reason,
           e.makeup_confirmed_at, t.platform_team_sys_no, p.code AS project_code, p.lng, p.lat
         FROM outbox o
         JOIN attendance_events e ON e.id = o.ref_id
         JOIN workers w ON w.id = e.worker_id
         LEFT JOIN teams t ON t.id = w.team_id
         LEFT JOIN project p ON p.id = 1
         WHERE o.id IN (${marks(ids.length)}) ORDER BY o.id`,
    ).all(...ids) as Array<{
      outbox_id: number;
      event_id: string;
      worker_id: number;
      name: string;
      id_type: string;
      id_number_enc: Buffer;
      occurred_at: number;
      time_zone: string;
      direction: 'in' | 'out';
      photo_enc: Buffer | null;
      is_makeup: number;
      makeup_confirmed_by: string | null;
      makeup_document_no: string | null;
      makeup_reason: string | null;
      makeup_confirmed_at: number | null;
      platform_team_sys_no: string | null;
      project_code: string | null;
      lng: number | null;
      lat: number | null;
    }>;
    return rows.map((r) => ({
      isMakeup: r.is_makeup === 1,
      makeup:
        r.is_makeup === 1
          ? { confirmedBy: r.makeup_confirmed_by ?? '', documentNo: r.makeup_document_no ?? '', reason: r.makeup_reason ?? '', confirmedAt: r.makeup_confirmed_at ?? 0 }
          : null,
      outboxId: r.outbox_id,
      eventId: r.event_id,
      workerId: r.worker_id,
      workerName: r.name,
      idType: r.id_type,
      idNumber: c.decryptText(r.id_number_enc, 'workers.id_number'),
      occurredAt: r.occurred_at,
      timeZone: r.time_zone,
      direction: r.direction,
      photoJpeg: r.photo_enc ? c.decrypt(r.photo_enc, 'attendance_events.photo') : null,
      teamSysNo: r.platform_team_sys_no,
      projectCode: r.project_code ?? '',
      lng: r.lng,
      lat: r.lat,
    }));
  }

  workersForPlatform(items: readonly OutboxItem[]): WorkerForPlatform[] {
    const byRef = new Map(items.filter((i) => i.kind === 'worker').map((i) => [Number(i.refId), i.id]));
    return this.#workerRows([...byRef.keys()]).map((w) => ({ ...w, outboxId: byRef.get(w.workerId) ?? 0 }));
  }

  workerChangesForPlatform(items: readonly OutboxItem[]): WorkerChangeForPlatform[] {
    const byChange = new Map(items.filter((i) => i.kind === 'worker_change').map((i) => [Number(i.refId), i.id]));
    if (byChange.size === 0) return [];
    const ids = [...byChange.keys()];
    const changes = this.store.db
      .prepare(`SELECT id, worker_id AS workerId, action, local_date AS date FROM worker_changes WHERE id IN (${marks(ids.length)})`)
      .all(...ids) as Array<{ id: number; workerId: number; action: WorkerChangeAction; date: string }>;
    const workers = new Map(this.#workerRows([...new Set(changes.map((c) => c.workerId))]).map((w) => [w.workerId, w]));
    const out: WorkerChangeForPlatform[] = [];
    for (const c of changes) {
      const w = workers.get(c.workerId);
      if (w) out.push({ ...w, outboxId: byChange.get(c.id) ?? 0, changeId: c.id, action: c.action, date: c.date });
    }
    return out.sort((a, b) => a.outboxId - b.outboxId);
  }

  refusalsForPlatform(items: readonly OutboxItem[]): RefusalForPlatform[] {
    const ids = items.filter((i) => i.kind === 'refusal').map((i) => i.id);
    if (ids.length === 0) return [];
    const c = this.store.cipher;
    const rows = this.#stmt(
      `SELECT o.id AS outbox_id, e.id AS event_id, e.worker_id, w.id_type, w.id_number_enc, e.occurred_at, e.direction,
           e.reasons_json, e.photo_enc, e.lane_id, p.code AS project_code
         FROM outbox o
         JOIN attendance_events e ON e.id = o.ref_id
         JOIN workers w ON w.id = e.worker_id
         LEFT JOIN project p ON p.id = 1
         WHERE o.id IN (${marks(ids.length)}) ORDER BY o.id`,
    ).all(...ids) as Array<{
      outbox_id: number;
      event_id: string;
      worker_id: number;
      id_type: string;
      id_number_enc: Buffer;
      occurred_at: number;
      direction: 'in' | 'out';
      reasons_json: string;
      photo_enc: Buffer | null;
      lane_id: string;
      project_code: string | null;
    }>;
    return rows.map((r) => ({
      outboxId: r.outbox_id,
      eventId: r.event_id,
      workerId: r.worker_id,
      idType: r.id_type,
      idNumber: c.decryptText(r.id_number_enc, 'workers.id_number'),
      occurredAt: r.occurred_at,
      direction: r.direction,
      reasons: JSON.parse(r.reasons_json) as string[],
      photoJpeg: r.photo_enc ? c.decrypt(r.photo_enc, 'attendance_events.photo') : null,
      laneId: r.lane_id,
      projectCode: r.project_code ?? '',
    }));
  }

  /** Workers as the platform wants them (decrypted in memory only), outboxId still 0. */
  #workerRows(ids: readonly number[]): WorkerForPlatform[] {
    if (ids.length === 0) return [];
    const c = this.store.cipher;
    const rows = this.store.db
      .prepare(
        `SELECT w.*, t.platform_team_sys_no, t.name AS team_name, e.credit_code, e.name AS employer_name, p.code AS project_code,
           (SELECT en.photo_enc FROM enrollments en WHERE en.worker_id = w.id AND en.photo_enc IS NOT NULL ORDER BY en.id DESC LIMIT 1) AS enroll_photo_enc,
           (SELECT en.card_portrait_enc FROM enrollments en WHERE en.worker_id = w.id AND en.card_portrait_enc IS NOT NULL ORDER BY en.id DESC LIMIT 1) AS card_portrait_enc
         FROM workers w
         LEFT JOIN teams t ON t.id = w.team_id
         LEFT JOIN employers e ON e.id = w.employer_id
         LEFT JOIN project p ON p.id = 1
         WHERE w.id IN (${marks(ids.length)}) ORDER BY w.id`,
      )
      .all(...ids) as Array<Record<string, unknown>>;
    const s = (v: unknown): string | null => (typeof v === 'string' ? v : null);
    const dec = (v: unknown, col: string): string | null =>
      v instanceof Uint8Array ? c.decryptText(v, col) : null;
    return rows.map((r) => {
      const workerId = Number(r.id);
      const enrollPhoto =
        r.enroll_photo_enc instanceof Uint8Array ? c.decrypt(r.enroll_photo_enc, 'enrollments.photo') : null;
      const idPhoto =
        r.id_photo_enc instanceof Uint8Array ? c.decrypt(r.id_photo_enc, 'workers.id_photo') : null;
      return {
        outboxId: 0,
        workerId,
        name: String(r.name),
        idType: String(r.id_type),
        idNumber: dec(r.id_number_enc, 'workers.id_number') ?? '',
        tradeCode: String(r.trade_code),
        role: r.role === 'manager' ? 'manager' : 'worker',
        managementRole: r.role === 'manager' && typeof r.management_role === 'string' ? (r.management_role as ManagementRole) : null,
        isTeamLeader: r.is_team_leader === 1,
        corpCode: s(r.credit_code),
        corpName: s(r.employer_name),
        teamSysNo: s(r.platform_team_sys_no),
        teamName: s(r.team_name),
        nation: s(r.nation),
        address: dec(r.address_enc, 'workers.address'),
        phone: dec(r.phone_enc, 'workers.phone'),
        bankCard: dec(r.bank_card_enc, 'workers.bank_card'),
        bankCode: s(r.bank_code),
        hasContract: r.has_contract === 1,
        hasInsurance: r.has_insurance === 1,
        issuingAuthority: s(r.issuing_authority),
        validFrom: s(r.valid_from),
        validTo: s(r.valid_to),
        headImageJpeg: enrollPhoto ?? idPhoto,
        cardPortraitJpeg: r.card_portrait_enc instanceof Uint8Array ? c.decrypt(r.card_portrait_enc, 'enrollments.card_portrait') : null,
        projectCode: s(r.project_code) ?? '',
      };
    });
  }
}
