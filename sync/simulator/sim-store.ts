// The simulator's own SQLite store: what a platform would hold for one or more projects.
// Attendance is stored as received (no de-duplication: the real platform has none, and the
// chaos test must see any duplicate the appliance sends).
import Database from 'better-sqlite3';

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

const SCHEMA = `
CREATE TABLE IF NOT EXISTS teams (
  team_sys_no TEXT PRIMARY KEY, project_code TEXT NOT NULL, team_name TEXT NOT NULL,
  corp_code TEXT NOT NULL, corp_name TEXT NOT NULL, created_at INTEGER NOT NULL,
  UNIQUE (project_code, team_name));
CREATE TABLE IF NOT EXISTS workers (
  id INTEGER PRIMARY KEY, project_code TEXT NOT NULL, id_card_type TEXT NOT NULL, id_card_number TEXT NOT NULL,
  worker_name TEXT NOT NULL, team_sys_no TEXT NOT NULL, work_type TEXT NOT NULL, corp_code TEXT NOT NULL,
  corp_name TEXT NOT NULL, is_team_leader INTEGER NOT NULL, has_contract INTEGER NOT NULL DEFAULT 0, has_insurance INTEGER NOT NULL DEFAULT 0, head_image TEXT, updated_at INTEGER NOT NULL,
  UNIQUE (project_code, id_card_number));
CREATE TABLE IF NOT EXISTS attendance (
  id INTEGER PRIMARY KEY, project_code TEXT NOT NULL, team_sys_no TEXT NOT NULL, id_card_number TEXT NOT NULL,
  date TEXT NOT NULL, direction TEXT NOT NULL, image_bytes INTEGER NOT NULL, request_serial_code TEXT NOT NULL,
  created_at INTEGER NOT NULL);
CREATE INDEX IF NOT EXISTS attendance_person_day ON attendance(project_code, id_card_number, date);
CREATE TABLE IF NOT EXISTS async_requests (
  serial TEXT PRIMARY KEY, method TEXT NOT NULL, status TEXT NOT NULL, result TEXT NOT NULL,
  fail_list_json TEXT NOT NULL, ready_at INTEGER NOT NULL, item_count INTEGER NOT NULL);
`;

export class SimStore {
  readonly db: Database.Database;
  constructor(path: string) {
    this.db = new Database(path);
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('synchronous = NORMAL');
    this.db.exec(SCHEMA);
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
    return this.db.prepare('SELECT 1 FROM workers WHERE project_code = ? AND id_card_number = ?').get(projectCode, idCardNumber) !== undefined;
  }

  upsertWorker(w: Omit<SimWorkerRow, 'id'>): void {
    this.db
      .prepare(
        `INSERT INTO workers (project_code, id_card_type, id_card_number, worker_name, team_sys_no, work_type, corp_code, corp_name, is_team_leader, has_contract, has_insurance, head_image, updated_at)
         VALUES (@projectCode, @idCardType, @idCardNumber, @workerName, @teamSysNo, @workType, @corpCode, @corpName, @isTeamLeader, @hasContract, @hasInsurance, @headImage, @updatedAt)
         ON CONFLICT (project_code, id_card_number) DO UPDATE SET worker_name = excluded.worker_name, team_sys_no = excluded.team_sys_no,
           work_type = excluded.work_type, corp_code = excluded.corp_code, corp_name = excluded.corp_name,
           is_team_leader = excluded.is_team_leader, has_contract = excluded.has_contract, has_insurance = excluded.has_insurance, head_image = COALESCE(excluded.head_image, head_image), updated_at = excluded.updated_at`,
      )
      .run(w);
  }

  workers(projectCode: string, offset: number, limit: number): { rows: SimWorkerRow[]; total: number } {
    const rows = this.db
      .prepare(
        `SELECT id, project_code AS projectCode, id_card_type AS idCardType, id_card_number AS idCardNumber, worker_name AS workerName,
           team_sys_no AS teamSysNo, work_type AS workType, corp_code AS corpCode, corp_name AS corpName, is_team_leader AS isTeamLeader, has_contract AS hasContract, has_insurance AS hasInsurance,
           head_image AS headImage, updated_at AS updatedAt
         FROM workers WHERE project_code = ? ORDER BY id LIMIT ? OFFSET ?`,
      )
      .all(projectCode, limit, offset) as SimWorkerRow[];
    const total = (this.db.prepare('SELECT COUNT(*) AS n FROM workers WHERE project_code = ?').get(projectCode) as { n: number }).n;
    return { rows, total };
  }

  insertAttendance(rows: ReadonlyArray<Omit<SimAttendanceRow, 'id'>>): void {
    const ins = this.db.prepare(
      `INSERT INTO attendance (project_code, team_sys_no, id_card_number, date, direction, image_bytes, request_serial_code, created_at)
       VALUES (@projectCode, @teamSysNo, @idCardNumber, @date, @direction, @imageBytes, @requestSerialCode, @createdAt)`,
    );
    for (const r of rows) ins.run(r);
  }

  attendanceFor(projectCode: string, idCardNumber: string, day: string, offset: number, limit: number): { rows: SimAttendanceRow[]; total: number } {
    const where = `project_code = ? AND id_card_number = ? AND date >= ? AND date < ?`;
    const args = [projectCode, idCardNumber, `${day} `, `${day}~`];
    const rows = this.db
      .prepare(
        `SELECT id, project_code AS projectCode, team_sys_no AS teamSysNo, id_card_number AS idCardNumber, date, direction,
           image_bytes AS imageBytes, request_serial_code AS requestSerialCode, created_at AS createdAt
         FROM attendance WHERE ${where} ORDER BY id LIMIT ? OFFSET ?`,
      )
      .all(...args, limit, offset) as SimAttendanceRow[];
    const total = (this.db.prepare(`SELECT COUNT(*) AS n FROM attendance WHERE ${where}`).get(...args) as { n: number }).n;
    return { rows, total };
  }

  allAttendance(): SimAttendanceRow[] {
    return this.db
      .prepare(
        `SELECT id, project_code AS projectCode, team_sys_no AS teamSysNo, id_card_number AS idCardNumber, date, direction,
           image_bytes AS imageBytes, request_serial_code AS requestSerialCode, created_at AS createdAt FROM attendance ORDER BY id`,
      )
      .all() as SimAttendanceRow[];
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
