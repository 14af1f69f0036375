// Issue 15 item 3, named accounts. Upgrading a store written with shared role PINs (every
// migration before named accounts) turns each role PIN into an account of that role named
// "…（原共用）", with the same PIN and the same kiosk lock, audited once in the signed log: nobody
// is locked out by the upgrade. And the account rules the schema itself keeps: never deleted,
// a role is fixed, names unique whatever their case, the last enabled admin stays enabled.
import { describe, expect, it, afterEach } from 'vitest';
import Database from 'better-sqlite3';
import { join } from 'node:path';
import { AccountError, AccountsRepo, DB_FILE, PinSignIn, hashPin, importPublicKey, migrate, verifyLedger, type Store } from '../../src/index.js';
import { migrations } from '../../src/store/migrations/index.js';
import { migration0008 } from '../../src/store/migrations/0008-named-accounts.js';
import { fixedClock, openTestStore, tempDir } from './helpers.js';

let cleanup: () => void = () => {};
let open: Store | null = null;
afterEach(() => {
  open?.close();
  open = null;
  cleanup();
});

const T0 = Date.UTC(2026, 5, 1, 1, 0);

/** A data directory as the previous version left it: shared role PINs, the clerk's locked at the kiosk. */
function writeSharedPinsStore(dir: string): void {
  const db = new Database(join(dir, DB_FILE));
  migrate(
    db,
    migrations.filter((m) => m.version < migration0008.version),
    () => T0,
  );
  const put = db.prepare('INSERT INTO role_pins (role, pin_hash, failed_attempts, locked_until, updated_at) VALUES (?, ?, ?, ?, ?)');
  put.run('admin', hashPin('924680'), 0, 0, T0 - 5000);
  put.run('supervisor', hashPin('813579'), 2, 0, T0 - 4000);
  put.run('clerk', hashPin('702468'), 5, T0 + 60_000, T0 - 3000);
  db.close();
}

function freshStore(): { store: Store; clock: ReturnType<typeof fixedClock> } {
  const t = tempDir();
  cleanup = t.cleanup;
  const clock = fixedClock(T0);
  const { store } = openTestStore(t.dir, clock);
  open = store;
  return { store, clock };
}

describe('upgrade: shared role PINs become accounts', () => {
  it('each role PIN becomes an account of its role, same PIN, same kiosk lock, audited once, role_pins gone', () => {
    const t = tempDir();
    cleanup = t.cleanup;
    writeSharedPinsStore(t.dir);
    const clock = fixedClock(T0);
    const { store, migrationsRun } = openTestStore(t.dir, clock);
    open = store;
    expect(migrationsRun).toContain(migration0008.version);

    const accounts = new AccountsRepo(store).list();
    expect(accounts.map((a) => [a.id, a.name, a.role, a.enabled, a.shared])).toEqual([
      [1, '管理员（原共用）', 'admin', true, true],
      [2, '主管（原共用）', 'supervisor', true, true],
      [3, '劳务员（原共用）', 'clerk', true, true],
    ]);
    expect(store.db.prepare("SELECT name FROM sqlite_master WHERE name = 'role_pins'").get()).toBeUndefined();

    // The same PINs sign in, by account number and by the older role request.
    const pins = new PinSignIn(store);
    expect(pins.login({ account: 1 }, '924680')).toMatchObject({ ok: true, account: { id: 1, role: 'admin' } });
    expect(pins.login({ role: 'supervisor' }, '813579')).toMatchObject({ ok: true, account: { id: 2 } });
    // The clerk's kiosk lock carried over: still locked, until it runs out.
    expect(pins.login({ account: 3 }, '702468')).toEqual({ ok: false, reason: 'locked', lockedUntil: T0 + 60_000 });
    clock.advance(61_000);
    expect(pins.login({ account: 3 }, '702468')).toMatchObject({ ok: true });
    pins.close();

    // The creation of each is in the signed audit log, once.
    const rows = store.db.prepare("SELECT actor, target, details_json FROM audit_log WHERE action = 'account.upgrade' ORDER BY id").all() as Array<{ actor: string; target: string; details_json: string }>;
    expect(rows.map((r) => [r.actor, r.target, JSON.parse(r.details_json).name])).toEqual([
      ['system', 'account:1', '管理员（原共用）'],
      ['system', 'account:2', '主管（原共用）'],
      ['system', 'account:3', '劳务员（原共用）'],
    ]);
    expect(verifyLedger(store.db, { publicKey: importPublicKey(store.ledger.signer.publicKey), signatureEvery: 1 }).ok).toBe(true);
    store.close();
    open = null;
    const again = openTestStore(t.dir, clock);
    open = again.store;
    expect(again.store.db.prepare("SELECT COUNT(*) AS n FROM audit_log WHERE action = 'account.upgrade'").get()).toEqual({ n: 3 });
  });

  it('renaming a former shared account makes it a named one, audited with the name before and after', () => {
    const t = tempDir();
    cleanup = t.cleanup;
    writeSharedPinsStore(t.dir);
    const { store } = openTestStore(t.dir, fixedClock(T0));
    open = store;
    const repo = new AccountsRepo(store);
    const renamed = repo.rename(1, '测试管理员甲', 'admin#1 管理员（原共用）');
    expect(renamed).toMatchObject({ id: 1, name: '测试管理员甲', shared: false });
    const row = store.db.prepare("SELECT actor, target, details_json FROM audit_log WHERE action = 'account.rename'").get() as { actor: string; target: string; details_json: string };
    expect(row).toMatchObject({ actor: 'admin#1 管理员（原共用）', target: 'account:1' });
    expect(JSON.parse(row.details_json)).toEqual({ before: '管理员（原共用）', after: '测试管理员甲', role: 'admin' });
  });
});

describe('account rules', () => {
  it('the last enabled admin cannot be disabled: refused by the repository, and by the schema', () => {
    const { store } = freshStore();
    const repo = new AccountsRepo(store);
    const [admin] = repo.create([{ name: '测试管理员', role: 'admin', pin: '924680' }], 'setup');
    expect(() => repo.setEnabled(admin!.id, false, 'setup')).toThrowError(expect.objectContaining({ code: 'account.last_admin' }) as Error);
    expect(() => store.db.prepare('UPDATE accounts SET enabled = 0 WHERE id = ?').run(admin!.id)).toThrow(/last enabled admin/);
    // With a second admin, either may go, but not both.
    const [second] = repo.create([{ name: '测试管理员乙', role: 'admin', pin: '924681' }], 'admin#1 测试管理员');
    expect(repo.setEnabled(admin!.id, false, `admin#${second!.id} 测试管理员乙`).enabled).toBe(false);
    expect(() => repo.setEnabled(second!.id, false, `admin#${second!.id} 测试管理员乙`)).toThrow(AccountError);
    expect(repo.enabledOfRole('admin').map((a) => a.id)).toEqual([second!.id]);
  });

  it('accounts are never deleted, keep their role, and names are unique whatever their case', () => {
    const { store } = freshStore();
    const repo = new AccountsRepo(store);
    const [a] = repo.create([{ name: 'Test Clerk', role: 'clerk', pin: '702468' }], 'setup');
    expect(() => store.db.prepare('DELETE FROM accounts WHERE id = ?').run(a!.id)).toThrow(/disable instead/);
    expect(() => store.db.prepare("UPDATE accounts SET role = 'admin' WHERE id = ?").run(a!.id)).toThrow(/keeps its role/);
    expect(() => repo.create([{ name: 'test clerk', role: 'supervisor', pin: '813579' }], 'setup')).toThrowError(expect.objectContaining({ code: 'account.name_taken' }) as Error);
    // All or none: a batch with one bad PIN creates nothing.
    expect(() => repo.create([{ name: '测试甲', role: 'clerk', pin: '702469' }, { name: '测试乙', role: 'clerk', pin: '111111' }], 'setup')).toThrowError(expect.objectContaining({ code: 'pin.weak' }) as Error);
    expect(repo.list().map((x) => x.name)).toEqual(['Test Clerk']);
  });

  it('a new PIN ends the lock of every source and counts afresh; the audit names who set it', () => {
    const { store } = freshStore();
    const repo = new AccountsRepo(store);
    const pins = new PinSignIn(store);
    const [admin, clerk] = repo.create(
      [
        { name: '测试管理员', role: 'admin', pin: '924680' },
        { name: '测试劳务员', role: 'clerk', pin: '702468' },
      ],
      'setup',
    );
    for (let i = 0; i < 5; i++) pins.login({ account: clerk!.id }, '111111', '192.0.2.7');
    for (let i = 0; i < 5; i++) pins.login({ account: clerk!.id }, '111111');
    expect(pins.login({ account: clerk!.id }, '702468', '192.0.2.7')).toMatchObject({ reason: 'locked' });
    expect(pins.login({ account: clerk!.id }, '702468')).toMatchObject({ reason: 'locked' });
    repo.setPin(clerk!.id, '702479', `admin#${admin!.id} 测试管理员`);
    expect(pins.login({ account: clerk!.id }, '702479', '192.0.2.7')).toMatchObject({ ok: true });
    expect(pins.login({ account: clerk!.id }, '702479')).toMatchObject({ ok: true });
    expect(store.db.prepare("SELECT actor FROM audit_log WHERE action = 'account.pin_reset'").get()).toEqual({ actor: `admin#${admin!.id} 测试管理员` });
    pins.close();
  });
});
