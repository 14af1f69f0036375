import { afterEach, describe, expect, it } from 'vitest';
import Database from 'better-sqlite3';
import { join } from 'node:path';
import {
  AttendanceRepo,
  AuditLog,
  DB_FILE,
  OutboxRepo,
  WorkersRepo,
  applyRetention,
  importPublicKey,
  verifyLedger,
  type Store,
} from '../../src/index.js';
import { fakeIdNumber, fixedClock, openTestStore, tempDir } from './helpers.js';

const DAY = 86_400_000;
let cleanup: () => void = () => undefined;
afterEach(() => cleanup());

function worker(store: Store, n: number, employerId: number, teamId: number): number {
  return new WorkersRepo(store).create(
    { name: `测试${n}`, idType: '01', idNumber: fakeIdNumber(n), tradeCode: '010', role: 'worker', employerId, teamId, address: '测试地址 999 号', phone: '19900000000' },
    'test',
  ).id;
}

describe('retention removes photos and personal data of synced records after the configured period', () => {
  it('old synced pass photos and old refusal photos go; unsynced and recent ones stay; the signed ledger still verifies', () => {
    const t = tempDir();
    cleanup = t.cleanup;
    const clock = fixedClock();
    const { store } = openTestStore(t.dir, clock);
    const workers = new WorkersRepo(store);
    const emp = workers.createEmployer({ name: '测试劳务', creditCode: '91999999MA0RETENT1', corpType: 'labour' }, 'test');
    const team = workers.createTeam({ employerId: emp.id, name: '测试班组' }, 'test');
    const w = worker(store, 1, emp.id, team.id);
    const repo = new AttendanceRepo(store);
    const outbox = new OutboxRepo(store);
    const photo = Buffer.from('JPEG-PHOTO');
    const oldSynced = repo.record({ laneId: 'l1', workerId: w, direction: 'in', decision: 'pass', photoJpeg: photo });
    const oldUnsynced = repo.record({ laneId: 'l1', workerId: w, direction: 'out', decision: 'pass', photoJpeg: photo });
    const oldRefusal = repo.record({ laneId: 'l1', workerId: null, direction: 'in', decision: 'refuse', photoJpeg: photo });
    // The first pass reached the platform (what the outbox worker records on delivery).
    const items = outbox.claimable(clock.now() + 1, 100).filter((i) => i.refId === oldSynced.id);
    expect(items).toHaveLength(1);
    outbox.markSent(items.map((i) => i.id), clock.now());
    clock.advance(100 * DAY);
    const recentRefusal = repo.record({ laneId: 'l1', workerId: null, direction: 'in', decision: 'refuse', photoJpeg: photo });

    const r = applyRetention(store, { passPhotoDays: 90, refusalPhotoDays: 30, departedWorkerDays: 180 });
    expect(r).toMatchObject({ passPhotos: 1, refusalPhotos: 1, workersErased: 0 });
    expect(repo.photo(oldSynced.id)).toBeNull();
    expect(repo.photo(oldRefusal.id)).toBeNull();
    expect(repo.photo(oldUnsynced.id)).toEqual(photo);
    expect(repo.photo(recentRefusal.id)).toEqual(photo);
    expect(new AuditLog(store).list({ action: 'retention.purge' })[0]?.details).toMatchObject({ passPhotos: 1, refusalPhotos: 1 });
    // A second run finds nothing more and writes no audit entry.
    expect(applyRetention(store, { passPhotoDays: 90, refusalPhotoDays: 30, departedWorkerDays: 180 })).toMatchObject({ passPhotos: 0, refusalPhotos: 0 });
    expect(new AuditLog(store).list({ action: 'retention.purge' })).toHaveLength(1);

    const key = store.ledger.signer.publicKey;
    store.close();
    const db = new Database(join(t.dir, DB_FILE), { readonly: true });
    const report = verifyLedger(db, { publicKey: importPublicKey(key), signatureEvery: 1 });
    db.close();
    expect(report.firstBroken).toBeNull();
    expect(report.photosRemovedByRetention).toBe(2);
  });

  it('a worker who left long ago loses photos, templates, address and phone; name and attendance stay; active workers are untouched', () => {
    const t = tempDir();
    cleanup = t.cleanup;
    const clock = fixedClock();
    const { store } = openTestStore(t.dir, clock);
    const workers = new WorkersRepo(store);
    const emp = workers.createEmployer({ name: '测试劳务', creditCode: '91999999MA0RETENT2', corpType: 'labour' }, 'test');
    const team = workers.createTeam({ employerId: emp.id, name: '测试班组' }, 'test');
    const left = worker(store, 2, emp.id, team.id);
    const stays = worker(store, 3, emp.id, team.id);
    const outbox = new OutboxRepo(store);
    const pending = outbox.claimable(clock.now() + 1, 100);
    outbox.markSent(pending.map((i) => i.id), clock.now());
    for (const id of [left, stays]) {
      store.db
        .prepare("INSERT INTO face_templates (worker_id, model_id, kind, vector_enc, created_at) VALUES (?, 'm', 'enroll', x'00', 0)")
        .run(id);
    }
    new AttendanceRepo(store).record({ laneId: 'l1', workerId: left, direction: 'in', decision: 'refuse' });
    workers.setStatus(left, 'inactive', 'clerk', '退场 / left the project');
    clock.advance(181 * DAY);
    // The departure (退场) is queued for the platform: nothing is erased before it is delivered.
    const policy = { passPhotoDays: 90, refusalPhotoDays: 30, departedWorkerDays: 180 };
    expect(applyRetention(store, policy).workersErased).toBe(0);
    const departure = outbox.claimable(clock.now() + 1, 100).filter((i) => i.partitionKey === `worker:${left}`);
    expect(departure.length).toBeGreaterThan(0);
    outbox.markSent(departure.map((i) => i.id), clock.now());
    const r = applyRetention(store, policy);
    expect(r).toMatchObject({ workersErased: 1, templates: 1 });
    const row = (id: number) =>
      store.db.prepare('SELECT name, address_enc, phone_enc, id_number_enc FROM workers WHERE id = ?').get(id) as {
        name: string;
        address_enc: Buffer | null;
        phone_enc: Buffer | null;
        id_number_enc: Buffer | null;
      };
    expect(row(left)).toMatchObject({ name: '测试2', address_enc: null, phone_enc: null });
    expect(row(left).id_number_enc).not.toBeNull();
    expect(row(stays).address_enc).not.toBeNull();
    const count = (id: number) => (store.db.prepare('SELECT COUNT(*) AS n FROM face_templates WHERE worker_id = ?').get(id) as { n: number }).n;
    expect(count(left)).toBe(0);
    expect(count(stays)).toBe(1);
    expect(new AttendanceRepo(store).list({ workerId: left })).toHaveLength(1);
    store.close();
  });
});
