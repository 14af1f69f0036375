// The platform simulator keeps no ID number or photo in clear on disk (issue 14.9: the demo's
// simulator file, WAL included, sits in the appliance's data directory). Its database, WAL and
// shared-memory files are searched byte for byte while it runs; a file written in clear by an
// earlier version is sealed on open and rewritten; the same sealer reads it after a restart.
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { FieldCipher } from '../../edge-core/src/index.js';
import { createPlatformClient } from '../src/platform/client.js';
import { DEFAULT_SIM_APP, startPlatformSimulator } from '../simulator/server.js';
import { SimStore } from '../simulator/sim-store.js';
import { fakeName, fakeResidentId } from './support/fake-ids.js';
import { PROJECT } from './support/sim-setup.js';

const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

function tempDir(): string {
  const d = mkdtempSync(join(tmpdir(), 'sitegate-sim-at-rest-'));
  dirs.push(d);
  return d;
}

/** Every clear needle found in the database file and its WAL / shared-memory files. */
function clearTextIn(dbPath: string, needles: string[]): string[] {
  const files = [dbPath, `${dbPath}-wal`, `${dbPath}-shm`].filter((f) => existsSync(f));
  const bytes = Buffer.concat(files.map((f) => readFileSync(f)));
  expect(bytes.length).toBeGreaterThan(0);
  return needles.filter((n) => bytes.includes(Buffer.from(n, 'utf8')));
}

const PHOTO = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.from('sitegate-test-photo-marker-7f3a'), Buffer.from([0xff, 0xd9])]).toString('base64');
const at = Date.UTC(2026, 3, 1, 1, 0, 0);

describe('sync: the platform simulator at rest', () => {
  it('holds no clear ID number or photo in its file, WAL or shared memory while it runs', async () => {
    const dir = tempDir();
    const dbPath = join(dir, 'platform-simulator.db');
    const sealer = new FieldCipher(randomBytes(32), randomBytes(32));
    const sim = await startPlatformSimulator({ dbPath, sealer, asyncDelayMs: 0 });
    const client = createPlatformClient({ endpoint: sim.url, appid: DEFAULT_SIM_APP.appid, appsecret: DEFAULT_SIM_APP.appsecret, projectCode: PROJECT });
    const ids = Array.from({ length: 6 }, (_, i) => fakeResidentId(700 + i));
    try {
      const teamSysNo = sim.seedTeam({ teamName: '测试班组', corpCode: '91999999MA00000000', corpName: '测试劳务公司' });
      sim.seedWorker({ idCardNumber: ids[0] as string, workerName: fakeName(700), teamSysNo, headImage: PHOTO });
      // The rest arrive as a device would send them: ProjectWorker.Add, then attendance.
      await client.addWorkers(
        ids.slice(1).map((id, i) => ({ corpCode: '91999999MA00000000', corpName: '测试劳务公司', teamSysNo, name: fakeName(701 + i), isTeamLeader: false, idType: '01', idNumber: id, tradeCode: '010', role: 'worker' as const, hasContract: true, hasInsurance: true })),
      );
      await client.addAttendance(teamSysNo, ids.map((id, i) => ({ idType: '01', idNumber: id, occurredAt: at + i * 1000, direction: 'in' as const })));
      // Still readable through the API, in clear, as a platform answers.
      const roster = await client.queryWorkers(0, 50);
      expect(roster.rows.map((r) => r.idNumber).sort()).toEqual([...ids].sort());
      expect(roster.rows.find((r) => r.idNumber === ids[0])?.headImageJpeg?.toString('base64')).toBe(PHOTO);
      const day = await client.queryAttendance({ date: '2026-04-01', idNumber: ids[2] as string });
      expect(day.rows).toHaveLength(1);
      expect(sim.store.allAttendance().map((r) => r.idCardNumber).sort()).toEqual([...ids].sort());

      expect(existsSync(`${dbPath}-wal`)).toBe(true);
      expect(clearTextIn(dbPath, [...ids, PHOTO, 'sitegate-test-photo-marker-7f3a'])).toEqual([]);
    } finally {
      client.close();
      await sim.close();
    }
    // After a restart with the same sealer the platform still knows its roster.
    const again = new SimStore(dbPath, sealer);
    try {
      expect(again.workerExists(PROJECT, ids[3] as string)).toBe(true);
      expect(again.attendanceFor(PROJECT, ids[3] as string, '2026-04-01', 0, 10).total).toBe(1);
    } finally {
      again.close();
    }
    // Under another key it refuses to open, in plain words, rather than fail on the first read.
    expect(() => new SimStore(dbPath, new FieldCipher(randomBytes(32), randomBytes(32)))).toThrow(/sealed with another key/);
  });

  it('seals a file an earlier version wrote in clear, and leaves no clear copy in it', () => {
    const dir = tempDir();
    const dbPath = join(dir, 'platform-simulator.db');
    const ids = [fakeResidentId(801), fakeResidentId(802)];
    const old = new Database(dbPath);
    old.pragma('journal_mode = WAL');
    old.exec(`
      CREATE TABLE teams (team_sys_no TEXT PRIMARY KEY, project_code TEXT NOT NULL, team_name TEXT NOT NULL, corp_code TEXT NOT NULL, corp_name TEXT NOT NULL, created_at INTEGER NOT NULL, UNIQUE (project_code, team_name));
      CREATE TABLE workers (id INTEGER PRIMARY KEY, project_code TEXT NOT NULL, id_card_type TEXT NOT NULL, id_card_number TEXT NOT NULL, worker_name TEXT NOT NULL, team_sys_no TEXT NOT NULL, work_type TEXT NOT NULL, corp_code TEXT NOT NULL, corp_name TEXT NOT NULL, is_team_leader INTEGER NOT NULL, has_contract INTEGER NOT NULL DEFAULT 0, has_insurance INTEGER NOT NULL DEFAULT 0, head_image TEXT, updated_at INTEGER NOT NULL, UNIQUE (project_code, id_card_number));
      CREATE TABLE attendance (id INTEGER PRIMARY KEY, project_code TEXT NOT NULL, team_sys_no TEXT NOT NULL, id_card_number TEXT NOT NULL, date TEXT NOT NULL, direction TEXT NOT NULL, image_bytes INTEGER NOT NULL, request_serial_code TEXT NOT NULL, created_at INTEGER NOT NULL);
      CREATE INDEX attendance_person_day ON attendance(project_code, id_card_number, date);
      CREATE TABLE async_requests (serial TEXT PRIMARY KEY, method TEXT NOT NULL, status TEXT NOT NULL, result TEXT NOT NULL, fail_list_json TEXT NOT NULL, ready_at INTEGER NOT NULL, item_count INTEGER NOT NULL);
    `);
    const w = old.prepare(
      "INSERT INTO workers (project_code, id_card_type, id_card_number, worker_name, team_sys_no, work_type, corp_code, corp_name, is_team_leader, head_image, updated_at) VALUES (?, '01', ?, ?, 'T1', '010', 'C', 'N', 0, ?, 0)",
    );
    ids.forEach((id, i) => w.run(PROJECT, id, fakeName(801 + i), i === 0 ? PHOTO : null));
    old.prepare("INSERT INTO attendance (project_code, team_sys_no, id_card_number, date, direction, image_bytes, request_serial_code, created_at) VALUES (?, 'T1', ?, '2026-04-01 09:00:00', '01', 0, 'S1', 0)").run(PROJECT, ids[1]);
    old.close();
    expect(clearTextIn(dbPath, ids)).toEqual(ids); // the old format really was clear

    const sealer = new FieldCipher(randomBytes(32), randomBytes(32));
    const store = new SimStore(dbPath, sealer);
    try {
      const roster = store.workers(PROJECT, 0, 10);
      expect(roster.rows.map((r) => r.idCardNumber)).toEqual(ids);
      expect(roster.rows[0]?.headImage).toBe(PHOTO);
      expect(store.attendanceFor(PROJECT, ids[1] as string, '2026-04-01', 0, 10).rows.map((r) => r.idCardNumber)).toEqual([ids[1]]);
      expect(clearTextIn(dbPath, [...ids, PHOTO])).toEqual([]);
    } finally {
      store.close();
    }
  });
});
