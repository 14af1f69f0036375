import { describe, expect, it, afterEach } from 'vitest';
import { readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { AttendanceRepo, WorkersRepo, SettingsRepo, DuplicateWorkerError, DB_FILE, StoreError, DeviceKeyError } from '../../src/index.js';
import { fakeIdNumber, openTestStore, tempDir } from './helpers.js';

let cleanup: () => void = () => {};
afterEach(() => cleanup());

const ID = fakeIdNumber(17);
const BANK = '6222000000000000017';

function enrollOne(dir: string) {
  const { store } = openTestStore(dir);
  const workers = new WorkersRepo(store);
  const employer = workers.createEmployer({ name: '测试劳务公司', creditCode: '91999999MA00000001', corpType: 'labour' }, 'clerk');
  const team = workers.createTeam({ employerId: employer.id, name: '钢筋一班' }, 'clerk');
  const w = workers.create(
    {
      name: '测试甲',
      idType: '01',
      idNumber: ID,
      address: '测试省测试市测试路1号',
      idPhoto: Buffer.from('ID-PHOTO-MARKER-BYTES'),
      phone: '13800000017',
      tradeCode: '020',
      role: 'worker',
      employerId: employer.id,
      teamId: team.id,
      bankCard: BANK,
    },
    'clerk',
  );
  new AttendanceRepo(store).record({ laneId: 'l1', workerId: w.id, direction: 'in', decision: 'pass', photoJpeg: Buffer.from('LIVE-PHOTO-MARKER') });
  new SettingsRepo(store).setSecret('platform.appsecret', 'APPSECRET-MARKER-123');
  return { store, workers, worker: w };
}

describe('store: personal data encrypted at rest', () => {
  it('no ID number, bank card, phone, address, photo or secret appears in the database files', () => {
    const t = tempDir();
    cleanup = t.cleanup;
    const { store } = enrollOne(t.dir);
    store.close();
    const bytes = readFileSync(join(t.dir, DB_FILE));
    for (const secret of [ID, BANK, '13800000017', '测试路1号', 'ID-PHOTO-MARKER', 'LIVE-PHOTO-MARKER', 'APPSECRET-MARKER']) {
      expect(bytes.includes(Buffer.from(secret, 'utf8')), secret).toBe(false);
    }
    // the masked form is kept for screens
    expect(bytes.includes(Buffer.from(`${ID.slice(0, 4)}`))).toBe(true);
  });

  it('decrypts for the owner, finds by keyed hash, and refuses a duplicate ID number', () => {
    const t = tempDir();
    cleanup = t.cleanup;
    const { store, workers, worker } = enrollOne(t.dir);
    const rec = workers.get(worker.id);
    expect(rec?.idNumber).toBe(ID);
    expect(rec?.bankCard).toBe(BANK);
    expect(rec?.idNumberMasked).toBe(`${ID.slice(0, 4)}**********${ID.slice(-4)}`);
    expect(workers.findIdByIdNumber(ID.toLowerCase())).toBe(worker.id);
    expect(workers.list({ q: ID })[0]?.id).toBe(worker.id);
    expect(() => workers.create({ name: 'x', idType: '01', idNumber: ID, tradeCode: '010', role: 'worker' }, 'clerk')).toThrow(DuplicateWorkerError);
    expect(new SettingsRepo(store).getSecret('platform.appsecret')).toBe('APPSECRET-MARKER-123');
    store.close();
  });

  it('a missing device key stops the start with the fix, and the data is untouched', () => {
    const t = tempDir();
    cleanup = t.cleanup;
    enrollOne(t.dir).store.close();
    const keyPath = join(t.keyDir, 'device.key');
    const key = readFileSync(keyPath);
    unlinkSync(keyPath);
    expect(() => openTestStore(t.dir)).toThrow(DeviceKeyError);
    expect(() => openTestStore(t.dir)).toThrow(/copy the key file from its backup/);
    writeFileSync(keyPath, key, { mode: 0o600 });
    const { store } = openTestStore(t.dir);
    expect(new WorkersRepo(store).findIdByIdNumber(ID)).not.toBeNull();
    store.close();
  });

  it('a key from another appliance is detected before anything is written', () => {
    const a = tempDir();
    const b = tempDir();
    cleanup = () => {
      a.cleanup();
      b.cleanup();
    };
    enrollOne(a.dir).store.close();
    openTestStore(b.dir).store.close();
    writeFileSync(join(a.keyDir, 'device.key'), readFileSync(join(b.keyDir, 'device.key')), { mode: 0o600 });
    let err: unknown;
    try {
      openTestStore(a.dir);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(StoreError);
    expect((err as StoreError).code).toBe('key_mismatch');
  });

  it('the audit log refuses updates and deletes, and records the enrollment without the clear ID number', () => {
    const t = tempDir();
    cleanup = t.cleanup;
    const { store, workers } = enrollOne(t.dir);
    const entries = workers.audit.list();
    const create = entries.find((e) => e.action === 'worker.create');
    expect(create?.details.idNumber).toBe(`${ID.slice(0, 4)}**********${ID.slice(-4)}`);
    expect(JSON.stringify(entries)).not.toContain(ID);
    expect(() => store.db.prepare("UPDATE audit_log SET actor = 'x'").run()).toThrow(/append-only/);
    expect(() => store.db.prepare('DELETE FROM audit_log').run()).toThrow(/append-only/);
    store.close();
  });
});
