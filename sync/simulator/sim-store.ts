// The simulator's own SQLite store: what a platform would hold for one or more projects.
// Attendance is stored as received (no de-duplication: the real platform has none, and the
// chaos test must see any duplicate the appliance sends).
// No ID number or photo is written in clear (the demo's simulator file sits in the appliance's
// data directory, WAL included): each is sealed with AES-256-GCM, and lookups go by a keyed
// hash. The methods take and return plain values, as the platform's API does.
import { randomBytes } from 'node:crypto';
import Database from 'better-sqlite3';
import { FieldCipher } from '../../edge-core/src/index.js';

/** Seals personal fields at rest (edge-core's FieldCipher fits). */
export interface SimSealer {
  encrypt(plain: Buffer, column: string): Buffer;
  decrypt(sealed: Buffer, column: string): Buffer;
  lookupHash(value: string, purpose: string): string;
}

const ID_HASH = 'sim.id_card_number';
const WORKER_ID = 'sim.workers.id_card_number';
const WORKER_PHOTO = 'sim.workers.head_image';
const ATTENDANCE_ID = 'sim.attendance.id_card_number';
const ENTRY_EXIT_ID = 'sim.entry_exit.id_card_number';
const REFUSAL_ID = 'sim.refusals.id_card_number';

/** A refused passage (no helmet) as the platform holds it: one per person, time and direction. */
export interface SimRefusalRow {
  id: number;
  projectCode: string;
  idCardType: string;
  idCardNumber: string;
  date: string;
  direction: string;
  deviceSn: string;
  refuseType: string;
  refuseReason: string;
  /** Bytes of the face photo sent, 0 when none. */
  imageBytes: number;
  requestSerialCode: string;
  createdAt: number;
}

/** A departure (type '0', 退场) or re-entry (type '1', 进场) as the platform holds it. */
export interface SimEntryExitRow {
  id: number;
  projectCode: string;
  teamSysNo: string;
  idCardNumber: string;
  date: string;
  type: string;
  requestSerialCode: string;
  createdAt: number;
}

export interface SimAttendanceRow {
  id: number;
  projectCode: string;
  teamSysNo: string;
  idCardNumber: string;
  date: string;
  direction: string;
  imageBytes: number;
  requestSerialCode: string;
  createdAt: number;
  /** '001' face, '002' make-up (补卡). */
  attendType?: string;
  /** Of a make-up: who confirmed it and the authority's document reference. */
  makeupConfirmedBy?: string | null;
  makeupDocumentNo?: string | null;
}

export interface SimWorkerRow {
  id: number;
  projectCode: string;
  idCardType: string;
  idCardNumber: string;
  workerName: string;
  teamSysNo: string;
  workType: string;
  corpCode: string;
  corpName: string;
  isTeamLeader: number;
  hasContract: number;
  hasInsurance: number;
  headImage: string | null;
  updatedAt: number;
  /** '10' management, '20' worker (default '20'). */
  workRole?: string;
  /** A manager's post code. */
  managePost?: string | null;
  issueCardDate?: string | null;
  /** Size of the card picture received (the picture itself is not kept). */
  issueCardPicBytes?: number | null;
  /** 退场 date (yyyy-MM-dd) when the worker has left the project; null while on site. */
  exitDate?: string | null;
  /** On the platform's blacklist (黑名单). */
  blacklisted?: number;
  /** End of the labour contract (yyyy-MM-dd), when the platform holds it. */
  contractEnd?: string | null;
}

/** A status change recorded on the platform (by a device's upload or by an administrator). */
export interface SimWorkerState {
  exitDate?: string | null;
  blacklisted?: boolean;
  contractEnd?: string | null;
}

export interface SimAsyncRow {
  serial: string;
  method: string;
  status: '0' | '10' | '20';
  result: string;
  failList: Array<{ index: number; reason: string }>;
  readyAt: number;
  itemCount: number;
}

/** Schema version 2: sealed ID numbers and photos (version 0/1 held them in clear); 3: worker status columns. */
const SCHEMA_VERSION = 3;
/** Columns added after version 2 (ALTER TABLE on an older file). */
const WORKER_STATUS_COLUMNS: Array<[string, string]> = [
  ['exit_date', 'TEXT'],
  ['blacklisted', 'INTEGER NOT NULL DEFAULT 0'],
  ['contract_end', 'TEXT'],
];
const SCHEMA = `
CREATE TABLE IF NOT EXISTS teams (
  team_sys_no TEXT PRIMARY KEY, project_code TEXT NOT NULL, team_name TEXT NOT NULL,
  corp_code TEXT NOT NULL, corp_name TEXT NOT NULL, created_at INTEGER NOT NULL,
  UNIQUE (project_code, team_name));
CREATE TABLE IF NOT EXISTS workers (
  id INTEGER PRIMARY KEY, project_code TEXT NOT NULL, id_card_type TEXT NOT NULL, id_hash TEXT NOT NULL, id_sealed BLOB NOT NULL,
  worker_name TEXT NOT NULL, team_sys_no TEXT NOT NULL, work_type TEXT NOT NULL, corp_code TEXT NOT NULL,
  corp_name TEXT NOT NULL, is_team_leader INTEGER NOT NULL, has_contract INTEGER NOT NULL DEFAULT 0, has_insurance INTEGER NOT NULL DEFAULT 0, head_image_sealed BLOB, updated_at INTEGER NOT NULL,
  exit_date TEXT, blacklisted INTEGER NOT NULL DEFAULT 0, contract_end TEXT,
  UNIQUE (project_code, id_hash));
CREATE TABLE IF NOT EXISTS attendance (
  id INTEGER PRIMARY KEY, project_code TEXT NOT NULL, team_sys_no TEXT NOT NULL, id_hash TEXT NOT NULL, id_sealed BLOB NOT NULL,
  date TEXT NOT NULL, direction TEXT NOT NULL, image_bytes INTEGER NOT NULL, request_serial_code TEXT NOT NULL,
  created_at INTEGER NOT NULL);
CREATE INDEX IF NOT EXISTS attendance_person_day ON attendance(project_code, id_hash, date);
CREATE TABLE IF NOT EXISTS async_requests (
  serial TEXT PRIMARY KEY, method TEXT NOT NULL, status TEXT NOT NULL, result TEXT NOT NULL,
  fail_list_json TEXT NOT NULL, ready_at INTEGER NOT NULL, item_count INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS entry_exit (
  id INTEGER PRIMARY KEY, project_code TEXT NOT NULL, team_sys_no TEXT NOT NULL, id_hash TEXT NOT NULL, id_sealed BLOB NOT NULL,
  date TEXT NOT NULL, type TEXT NOT NULL, request_serial_code TEXT NOT NULL, created_at INTEGER NOT NULL);
CREATE INDEX IF NOT EXISTS entry_exit_person ON entry_exit(project_code, id_hash, id);
CREATE TABLE IF NOT EXISTS refusals (
  id INTEGER PRIMARY KEY, project_code TEXT NOT NULL, id_card_type TEXT NOT NULL, id_hash TEXT NOT NULL, id_sealed BLOB NOT NULL,
  date TEXT NOT NULL, direction TEXT NOT NULL, device_sn TEXT NOT NULL, refuse_type TEXT NOT NULL, refuse_reason TEXT NOT NULL,
  image_bytes INTEGER NOT NULL, request_serial_code TEXT NOT NULL, created_at INTEGER NOT NULL,
  UNIQUE (project_code, id_hash, date, direction));
`;

/**
 * Worker columns added after schema version 2 (a file of an earlier run gets them on open):
 * whether the worker is on the project now (0 after a departure), the management post, and
 * the ID card's issue date and picture.
 */
const WORKER_COLUMNS_ADDED: ReadonlyArray<[string, string]> = [
  ['present', 'INTEGER NOT NULL DEFAULT 1'],
  ['manage_post', 'TEXT'],
  ['issue_card_date', 'TEXT'],
  ['issue_card_pic_bytes', 'INTEGER'],
  ['work_role', "TEXT NOT NULL DEFAULT '20'"],
];

/** Attendance columns added after schema version 2. */
const ATTENDANCE_COLUMNS_ADDED: ReadonlyArray<[string, string]> = [
  ['attend_type', "TEXT NOT NULL DEFAULT '001'"],
  ['makeup_confirmed_by', 'TEXT'],
  ['makeup_document_no', 'TEXT'],
];

interface SealedWorkerRow extends Omit<SimWorkerRow, 'idCardNumber' | 'headImage'> {
  idSealed: Buffer;
  headImageSealed: Buffer | null;
}

interface SealedAttendanceRow extends Omit<SimAttendanceRow, 'idCardNumber'> {
  idSealed: Buffer;
}

export class SimStore {
  readonly db: Database.Database;
  readonly #seal: SimSealer;

  /**
   * `sealer` keeps the sealed fields readable across restarts (the demo passes the appliance's
   * field cipher); without one, a key lives in memory only, for throw-away stores.
   */
  constructor(path: string, sealer?: SimSealer) {
    this.#seal = sealer ?? new FieldCipher(randomBytes(32), randomBytes(32));
    this.db = new Database(path);
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('synchronous = NORMAL');
    this.#migrateClearText();
    this.db.exec(SCHEMA);
    this.#addStatusColumns();
    for (const [table, added] of [['workers', WORKER_COLUMNS_ADDED], ['attendance', ATTENDANCE_COLUMNS_ADDED]] as const) {
      const have = new Set((this.db.prepare(`SELECT name FROM pragma_table_info('${table}')`).all() as Array<{ name: string }>).map((c) => c.name));
      for (const [name, type] of added) if (!have.has(name)) this.db.exec(`ALTER TABLE ${table} ADD COLUMN ${name} ${type}`);
    }
    this.db.pragma(`user_version = ${SCHEMA_VERSION}`);
    // A file sealed under another key would fail on its first read: say so at once.
    const check = this.#seal.lookupHash('sitegate-simulator-key-check', 'sim.key_check');
    const stored = this.db.prepare("SELECT value FROM meta WHERE key = 'key_check'").get() as { value: string } | undefined;
    if (stored && stored.value !== check) {
      this.db.close();
      throw new Error(`${path}: the platform simulator's data was sealed with another key; start it with the same key (--key-file) or a new database file`);
    }
    if (!stored) this.db.prepare("INSERT INTO meta (key, value) VALUES ('key_check', ?)").run(check);
  }

  #idHash(id: string): string {
    return this.#seal.lookupHash(id, ID_HASH);
  }

  #sealText(v: string, column: string): Buffer {
    return this.#seal.encrypt(Buffer.from(v, 'utf8'), column);
  }

  #open(v: Buffer, column: string): string {
    return this.#seal.decrypt(v, column).toString('utf8');
  }

  /**
   * A store written by an earlier version holds ID numbers and photos in clear: seal them into
   * the new tables, drop the old ones, and rewrite the file (VACUUM, WAL truncated) so no clear
   * copy stays in free pages or the WAL.
   */
  #migrateClearText(): void {
    const version = this.db.pragma('user_version', { simple: true }) as number;
    const cols = (this.db.prepare("SELECT name FROM pragma_table_info('workers')").all() as Array<{ name: string }>).map((c) => c.name);
    if (version >= SCHEMA_VERSION || !cols.includes('id_card_number')) return;
    this.db.transaction(() => {
      this.db.exec('ALTER TABLE workers RENAME TO workers_clear; ALTER TABLE attendance RENAME TO attendance_clear; DROP INDEX IF EXISTS attendance_person_day;');
      this.db.exec(SCHEMA);
      const workers = this.db.prepare('SELECT * FROM workers_clear ORDER BY id').all() as Array<Record<string, unknown>>;
      const insW = this.db.prepare(
        `INSERT INTO workers (id, project_code, id_card_type, id_hash, id_sealed, worker_name, team_sys_no, work_type, corp_code, corp_name, is_team_leader, has_contract, has_insurance, head_image_sealed, updated_at)
         VALUES (@id, @project_code, @id_card_type, @idHash, @idSealed, @worker_name, @team_sys_no, @work_type, @corp_code, @corp_name, @is_team_leader, @has_contract, @has_insurance, @photo, @updated_at)`,
      );
      for (const w of workers) {
        const id = String(w.id_card_number);
        const head = typeof w.head_image === 'string' ? w.head_image : null;
        const { id_card_number: _id, head_image: _head, ...rest } = w;
        insW.run({ ...rest, has_contract: w.has_contract ?? 0, has_insurance: w.has_insurance ?? 0, idHash: this.#idHash(id), idSealed: this.#sealText(id, WORKER_ID), photo: head === null ? null : this.#sealText(head, WORKER_PHOTO) });
      }
      const insA = this.db.prepare(
        `INSERT INTO attendance (id, project_code, team_sys_no, id_hash, id_sealed, date, direction, image_bytes, request_serial_code, created_at)
         VALUES (@id, @project_code, @team_sys_no, @idHash, @idSealed, @date, @direction, @image_bytes, @request_serial_code, @created_at)`,
      );
      for (const a of this.db.prepare('SELECT * FROM attendance_clear ORDER BY id').all() as Array<Record<string, unknown>>) {
        const id = String(a.id_card_number);
        const { id_card_number: _id, ...rest } = a;
        insA.run({ ...rest, idHash: this.#idHash(id), idSealed: this.#sealText(id, ATTENDANCE_ID) });
      }
      this.db.exec('DROP TABLE workers_clear; DROP TABLE attendance_clear;');
    })();
    this.db.exec('VACUUM');
    this.db.pragma('wal_checkpoint(TRUNCATE)');
  }

  #addStatusColumns(): void {
    const cols = new Set((this.db.prepare("SELECT name FROM pragma_table_info('workers')").all() as Array<{ name: string }>).map((c) => c.name));
    for (const [name, type] of WORKER_STATUS_COLUMNS) if (!cols.has(name)) this.db.exec(`ALTER TABLE workers ADD COLUMN ${name} ${type}`);
    this.db.exec('CREATE INDEX IF NOT EXISTS workers_changed ON workers(project_code, updated_at, id)');
  }

  tx<T>(fn: () => T): T {
    return this.db.transaction(fn).immediate();
  }

  teamExists(projectCode: string, teamSysNo: string): boolean {
    return this.db.prepare('SELECT 1 FROM teams WHERE project_code = ? AND team_sys_no = ?').get(projectCode, teamSysNo) !== undefined;
  }

  addTeam(t: { teamSysNo: string; projectCode: string; teamName: string; corpCode: string; corpName: string; now: number }): boolean {
    const r = this.db
      .prepare('INSERT OR IGNORE INTO teams (team_sys_no, project_code, team_name, corp_code, corp_name, created_at) VALUES (?,?,?,?,?,?)')
      .run(t.teamSysNo, t.projectCode, t.teamName, t.corpCode, t.corpName, t.now);
    return r.changes === 1;
  }

  teams(projectCode: string, teamName: string | null, offset: number, limit: number): { rows: Array<Record<string, unknown>>; total: number } {
    const where = 'project_code = @p AND (@n IS NULL OR team_name = @n)';
    const rows = this.db
      .prepare(`SELECT team_sys_no AS teamSysNo, team_name AS teamName, corp_code AS corpCode, corp_name AS corpName FROM teams WHERE ${where} ORDER BY created_at, team_sys_no LIMIT @l OFFSET @o`)
      .all({ p: projectCode, n: teamName, l: limit, o: offset }) as Array<Record<string, unknown>>;
    const total = (this.db.prepare(`SELECT COUNT(*) AS n FROM teams WHERE ${where}`).get({ p: projectCode, n: teamName }) as { n: number }).n;
    return { rows, total };
  }

  workerExists(projectCode: string, idCardNumber: string): boolean {
    return this.db.prepare('SELECT 1 FROM workers WHERE project_code = ? AND id_hash = ?').get(projectCode, this.#idHash(idCardNumber)) !== undefined;
  }

  /** 'present' on the project, 'departed' (退场), or 'unknown' (never registered on it). */
  workerPresence(projectCode: string, idCardNumber: string): 'present' | 'departed' | 'unknown' {
    const r = this.db.prepare('SELECT present FROM workers WHERE project_code = ? AND id_hash = ?').get(projectCode, this.#idHash(idCardNumber)) as { present: number } | undefined;
    return r === undefined ? 'unknown' : r.present === 1 ? 'present' : 'departed';
  }

  /** Records a departure or re-entry and applies it to the roster. */
  addEntryExit(rows: ReadonlyArray<Omit<SimEntryExitRow, 'id'>>): void {
    const ins = this.db.prepare(
      `INSERT INTO entry_exit (project_code, team_sys_no, id_hash, id_sealed, date, type, request_serial_code, created_at)
       VALUES (@projectCode, @teamSysNo, @idHash, @idSealed, @date, @type, @requestSerialCode, @createdAt)`,
    );
    // One state of a departure on the roster: present = 0 and its 退场 date (what the roster's
    // change query reports), cleared by a re-entry.
    const apply = this.db.prepare('UPDATE workers SET present = ?, exit_date = ?, updated_at = ? WHERE project_code = ? AND id_hash = ?');
    for (const { idCardNumber, ...r } of rows) {
      const idHash = this.#idHash(idCardNumber);
      ins.run({ ...r, idHash, idSealed: this.#sealText(idCardNumber, ENTRY_EXIT_ID) });
      const entered = r.type === '1';
      apply.run(entered ? 1 : 0, entered ? null : r.date.slice(0, 10), r.createdAt, r.projectCode, idHash);
    }
  }

  entryExitFor(projectCode: string, idCardNumber: string | null, offset: number, limit: number): { rows: SimEntryExitRow[]; total: number } {
    const where = 'project_code = @p AND (@h IS NULL OR id_hash = @h)';
    const args = { p: projectCode, h: idCardNumber === null ? null : this.#idHash(idCardNumber) };
    const rows = this.db
      .prepare(
        `SELECT id, project_code AS projectCode, team_sys_no AS teamSysNo, id_sealed AS idSealed, date, type,
           request_serial_code AS requestSerialCode, created_at AS createdAt FROM entry_exit WHERE ${where} ORDER BY id LIMIT @l OFFSET @o`,
      )
      .all({ ...args, l: limit, o: offset }) as Array<Omit<SimEntryExitRow, 'idCardNumber'> & { idSealed: Buffer }>;
    const total = (this.db.prepare(`SELECT COUNT(*) AS n FROM entry_exit WHERE ${where}`).get(args) as { n: number }).n;
    return { rows: rows.map(({ idSealed, ...r }) => ({ ...r, idCardNumber: this.#open(idSealed, ENTRY_EXIT_ID) })), total };
  }

  /** Stores refusals; one already held for the same person, time and direction is kept (repeat-safe). Returns how many were new. */
  addRefusals(rows: ReadonlyArray<Omit<SimRefusalRow, 'id'>>): number {
    const ins = this.db.prepare(
      `INSERT OR IGNORE INTO refusals (project_code, id_card_type, id_hash, id_sealed, date, direction, device_sn, refuse_type, refuse_reason, image_bytes, request_serial_code, created_at)
       VALUES (@projectCode, @idCardType, @idHash, @idSealed, @date, @direction, @deviceSn, @refuseType, @refuseReason, @imageBytes, @requestSerialCode, @createdAt)`,
    );
    let n = 0;
    for (const { idCardNumber, ...r } of rows) n += ins.run({ ...r, idHash: this.#idHash(idCardNumber), idSealed: this.#sealText(idCardNumber, REFUSAL_ID) }).changes;
    return n;
  }

  /** A project's refusals in arrival order (ID numbers opened). */
  refusals(projectCode: string): SimRefusalRow[] {
    const rows = this.db
      .prepare(
        `SELECT id, project_code AS projectCode, id_card_type AS idCardType, id_sealed AS idSealed, date, direction, device_sn AS deviceSn,
           refuse_type AS refuseType, refuse_reason AS refuseReason, image_bytes AS imageBytes, request_serial_code AS requestSerialCode,
           created_at AS createdAt FROM refusals WHERE project_code = ? ORDER BY id`,
      )
      .all(projectCode) as Array<Omit<SimRefusalRow, 'idCardNumber'> & { idSealed: Buffer }>;
    return rows.map(({ idSealed, ...r }) => ({ ...r, idCardNumber: this.#open(idSealed, REFUSAL_ID) }));
  }

  /** Removes a worker from a project's roster (as a platform administrator would). */
  removeWorker(projectCode: string, idCardNumber: string): boolean {
    return this.db.prepare('DELETE FROM workers WHERE project_code = ? AND id_hash = ?').run(projectCode, this.#idHash(idCardNumber)).changes > 0;
  }

  upsertWorker(w: Omit<SimWorkerRow, 'id' | 'exitDate' | 'blacklisted' | 'contractEnd'>): void {
    const { idCardNumber, headImage, workRole, managePost, issueCardDate, issueCardPicBytes, ...rest } = w;
    this.db
      .prepare(
        `INSERT INTO workers (project_code, id_card_type, id_hash, id_sealed, worker_name, team_sys_no, work_type, corp_code, corp_name, is_team_leader, has_contract, has_insurance, head_image_sealed, updated_at,
           work_role, manage_post, issue_card_date, issue_card_pic_bytes)
         VALUES (@projectCode, @idCardType, @idHash, @idSealed, @workerName, @teamSysNo, @workType, @corpCode, @corpName, @isTeamLeader, @hasContract, @hasInsurance, @headImageSealed, @updatedAt,
           @workRole, @managePost, @issueCardDate, @issueCardPicBytes)
         ON CONFLICT (project_code, id_hash) DO UPDATE SET worker_name = excluded.worker_name, team_sys_no = excluded.team_sys_no,
           work_role = excluded.work_role, manage_post = excluded.manage_post,
           issue_card_date = COALESCE(excluded.issue_card_date, issue_card_date), issue_card_pic_bytes = COALESCE(excluded.issue_card_pic_bytes, issue_card_pic_bytes),
           work_type = excluded.work_type, corp_code = excluded.corp_code, corp_name = excluded.corp_name,
           is_team_leader = excluded.is_team_leader, has_contract = excluded.has_contract, has_insurance = excluded.has_insurance,
           head_image_sealed = COALESCE(excluded.head_image_sealed, head_image_sealed), updated_at = excluded.updated_at`,
      )
      .run({
        ...rest,
        idHash: this.#idHash(idCardNumber),
        idSealed: this.#sealText(idCardNumber, WORKER_ID),
        headImageSealed: headImage === null ? null : this.#sealText(headImage, WORKER_PHOTO),
        workRole: workRole ?? '20',
        managePost: managePost ?? null,
        issueCardDate: issueCardDate ?? null,
        issueCardPicBytes: issueCardPicBytes ?? null,
      });
  }

  /**
   * Records a status change of a worker on the roster (退场 / re-entry, blacklist, contract
   * end) and stamps the row as changed; false when the worker is not on the project's roster.
   */
  setWorkerState(projectCode: string, idCardNumber: string, state: SimWorkerState, now: number): boolean {
    const r = this.db
      .prepare(
        `UPDATE workers SET exit_date = CASE WHEN @setExit THEN @exitDate ELSE exit_date END,
           present = CASE WHEN @setExit THEN (@exitDate IS NULL) ELSE present END,
           blacklisted = COALESCE(@blacklisted, blacklisted),
           contract_end = CASE WHEN @setContractEnd THEN @contractEnd ELSE contract_end END,
           has_contract = CASE WHEN @setContractEnd AND @contractEnd IS NOT NULL THEN 1 ELSE has_contract END,
           updated_at = @now
         WHERE project_code = @p AND id_hash = @h`,
      )
      .run({
        p: projectCode,
        h: this.#idHash(idCardNumber),
        setExit: state.exitDate !== undefined ? 1 : 0,
        exitDate: state.exitDate ?? null,
        blacklisted: state.blacklisted === undefined ? null : state.blacklisted ? 1 : 0,
        setContractEnd: state.contractEnd !== undefined ? 1 : 0,
        contractEnd: state.contractEnd ?? null,
        now,
      });
    return r.changes > 0;
  }

  /**
   * A page of the roster: by id, or with `changedSince` (ms) only the rows changed at or after
   * it, oldest change first (a row changed while a reader pages moves to the end).
   */
  workers(projectCode: string, offset: number, limit: number, changedSince: number | null = null): { rows: SimWorkerRow[]; total: number } {
    const where = 'project_code = @p AND (@since IS NULL OR updated_at >= @since)';
    const order = changedSince === null ? 'id' : 'updated_at, id';
    const sealed = this.db
      .prepare(
        `SELECT id, project_code AS projectCode, id_card_type AS idCardType, id_sealed AS idSealed, worker_name AS workerName,
           team_sys_no AS teamSysNo, work_type AS workType, corp_code AS corpCode, corp_name AS corpName, is_team_leader AS isTeamLeader, has_contract AS hasContract, has_insurance AS hasInsurance,
           head_image_sealed AS headImageSealed, updated_at AS updatedAt, exit_date AS exitDate, blacklisted, contract_end AS contractEnd,
           work_role AS workRole, manage_post AS managePost, issue_card_date AS issueCardDate, issue_card_pic_bytes AS issueCardPicBytes
         FROM workers WHERE ${where} ORDER BY ${order} LIMIT @l OFFSET @o`,
      )
      .all({ p: projectCode, since: changedSince, l: limit, o: offset }) as SealedWorkerRow[];
    const rows = sealed.map(({ idSealed, headImageSealed, ...w }) => ({
      ...w,
      idCardNumber: this.#open(idSealed, WORKER_ID),
      headImage: headImageSealed === null ? null : this.#open(headImageSealed, WORKER_PHOTO),
    }));
    const total = (this.db.prepare(`SELECT COUNT(*) AS n FROM workers WHERE ${where}`).get({ p: projectCode, since: changedSince }) as { n: number }).n;
    return { rows, total };
  }

  insertAttendance(rows: ReadonlyArray<Omit<SimAttendanceRow, 'id'>>): void {
    const ins = this.db.prepare(
      `INSERT INTO attendance (project_code, team_sys_no, id_hash, id_sealed, date, direction, image_bytes, request_serial_code, created_at,
         attend_type, makeup_confirmed_by, makeup_document_no)
       VALUES (@projectCode, @teamSysNo, @idHash, @idSealed, @date, @direction, @imageBytes, @requestSerialCode, @createdAt,
         @attendType, @makeupConfirmedBy, @makeupDocumentNo)`,
    );
    for (const { idCardNumber, attendType, makeupConfirmedBy, makeupDocumentNo, ...r } of rows) {
      ins.run({ ...r, attendType: attendType ?? '001', makeupConfirmedBy: makeupConfirmedBy ?? null, makeupDocumentNo: makeupDocumentNo ?? null, idHash: this.#idHash(idCardNumber), idSealed: this.#sealText(idCardNumber, ATTENDANCE_ID) });
    }
  }

  static readonly #ATTENDANCE_COLUMNS = `id, project_code AS projectCode, team_sys_no AS teamSysNo, id_sealed AS idSealed, date, direction,
    image_bytes AS imageBytes, request_serial_code AS requestSerialCode, created_at AS createdAt, attend_type AS attendType,
    makeup_confirmed_by AS makeupConfirmedBy, makeup_document_no AS makeupDocumentNo`;

  #openAttendance(rows: SealedAttendanceRow[]): SimAttendanceRow[] {
    return rows.map(({ idSealed, ...r }) => ({ ...r, idCardNumber: this.#open(idSealed, ATTENDANCE_ID) }));
  }

  attendanceFor(projectCode: string, idCardNumber: string, day: string, offset: number, limit: number): { rows: SimAttendanceRow[]; total: number } {
    const where = `project_code = ? AND id_hash = ? AND date >= ? AND date < ?`;
    const args = [projectCode, this.#idHash(idCardNumber), `${day} `, `${day}~`];
    const rows = this.db.prepare(`SELECT ${SimStore.#ATTENDANCE_COLUMNS} FROM attendance WHERE ${where} ORDER BY id LIMIT ? OFFSET ?`).all(...args, limit, offset) as SealedAttendanceRow[];
    const total = (this.db.prepare(`SELECT COUNT(*) AS n FROM attendance WHERE ${where}`).get(...args) as { n: number }).n;
    return { rows: this.#openAttendance(rows), total };
  }

  allAttendance(): SimAttendanceRow[] {
    return this.#openAttendance(this.db.prepare(`SELECT ${SimStore.#ATTENDANCE_COLUMNS} FROM attendance ORDER BY id`).all() as SealedAttendanceRow[]);
  }

  attendanceCount(): number {
    return (this.db.prepare('SELECT COUNT(*) AS n FROM attendance').get() as { n: number }).n;
  }

  putAsync(a: SimAsyncRow): void {
    this.db
      .prepare('INSERT INTO async_requests (serial, method, status, result, fail_list_json, ready_at, item_count) VALUES (?,?,?,?,?,?,?)')
      .run(a.serial, a.method, a.status, a.result, JSON.stringify(a.failList), a.readyAt, a.itemCount);
  }

  getAsync(serial: string): SimAsyncRow | null {
    const r = this.db.prepare('SELECT * FROM async_requests WHERE serial = ?').get(serial) as
      | { serial: string; method: string; status: SimAsyncRow['status']; result: string; fail_list_json: string; ready_at: number; item_count: number }
      | undefined;
    if (!r) return null;
    return {
      serial: r.serial,
      method: r.method,
      status: r.status,
      result: r.result,
      failList: JSON.parse(r.fail_list_json) as SimAsyncRow['failList'],
      readyAt: r.ready_at,
      itemCount: r.item_count,
    };
  }

  close(): void {
    this.db.close();
  }
}
