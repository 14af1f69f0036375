// The supervisor's daily receipt of the signed ledger (GET /api/ledger/receipt) and the heartbeat
// anchor the embedded platform keeps: both signed by the device, both usable by `verify`.
import { afterEach, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { DB_FILE, anchorSignatureValid, parseAnchor } from '../../edge-core/src/index.js';
import { api, login, startTestCore, type TestCore } from './helpers.js';
import { runVerify } from '../server/verify-command.js';

const cores: TestCore[] = [];
const dirs: string[] = [];
afterEach(async () => {
  for (const c of cores.splice(0)) await c.stop();
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

async function verifyWith(dataDir: string, receipt: string): Promise<{ status: number; report: { ok: boolean; firstBroken: { problem: string } | null } }> {
  const lines: string[] = [];
  const status = await runVerify({ target: dataDir, receipts: [receipt], allSignatures: false, json: true, out: (l) => lines.push(l) });
  return { status, report: JSON.parse(lines[lines.length - 1] as string) };
}

describe('ledger receipt: exported by a supervisor, checked by verify', () => {
  it('a supervisor gets a signed receipt of the current chain head (its own export audited inside it); a clerk cannot', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'sitegate-receipt-'));
    dirs.push(dataDir);
    const core = await startTestCore({}, dataDir);
    cores.push(core);
    const sup = await login(core, 'supervisor');
    const clerk = await login(core, 'clerk');
    expect((await api(core, 'GET', '/api/ledger/receipt', undefined, clerk)).status).toBe(403);
    expect((await api(core, 'GET', '/api/ledger/receipt')).status).toBe(401);
    expect((await api(core, 'GET', '/api/ledger/receipt?format=pdf', undefined, sup)).status).toBe(400);

    const r = await fetch(`${core.url}/api/ledger/receipt`, { headers: { authorization: `Bearer ${sup}` } });
    expect(r.status).toBe(200);
    expect(r.headers.get('content-disposition')).toMatch(/attachment; filename="sitegate-receipt-\d{4}-\d{2}-\d{2}-\d+\.json"/);
    const receipt = parseAnchor(await r.json(), 'receipt');
    expect(anchorSignatureValid(receipt)).toBe(true);
    expect(receipt).toMatchObject({ purpose: 'receipt', seq: core.services.store.ledger.head()?.seq, headHash: core.services.store.ledger.head()?.entryHash, fingerprint: core.services.store.ledger.signer.fingerprint });
    expect(core.services.audit.list({ action: 'ledger.receipt' })).toHaveLength(1);

    const text = await fetch(`${core.url}/api/ledger/receipt?format=text`, { headers: { authorization: `Bearer ${sup}` } });
    const page = await text.text();
    const head = core.services.store.ledger.head();
    expect(page).toContain(`--anchor ${head?.seq}:${head?.entryHash}`);
    expect(page).toContain(receipt.fingerprint);
    await core.stop();
    cores.length = 0;

    // Kept off the box, the receipt finds a cut-off tail; the untouched file matches it.
    const file = join(dataDir, '..', `${receipt.date}-${receipt.seq}.receipt.json`);
    dirs.push(file);
    writeFileSync(file, JSON.stringify(receipt));
    expect((await verifyWith(dataDir, file)).status).toBe(0);
    const db = new Database(join(dataDir, DB_FILE));
    db.exec('DROP TRIGGER ledger_no_delete; DROP TRIGGER audit_log_no_delete');
    // Cut from the receipt's own entry on (the text export after it added one more).
    for (const e of db.prepare('SELECT seq, ref FROM ledger WHERE seq >= ?').all(receipt.seq) as Array<{ seq: number; ref: string }>) {
      db.prepare('DELETE FROM audit_log WHERE id = ?').run(Number(e.ref));
      db.prepare('DELETE FROM ledger WHERE seq = ?').run(e.seq);
    }
    db.close();
    const cut = await verifyWith(dataDir, file);
    expect(cut.status).toBe(3);
    expect(cut.report.firstBroken?.problem).toBe('truncated');
  });

  it('the heartbeat carries a signed anchor of the chain head, and the embedded platform keeps it', async () => {
    const core = await startTestCore({ platform: { type: 'simulator' } });
    cores.push(core);
    const sim = core.sync.simulator;
    expect(sim).not.toBeNull();
    const sn = `sitegate-demo-${hostname()}`;
    // The first heartbeat goes out when sync starts; wait for its anchor (the outcome, not a time).
    for (let i = 0; i < 200 && (sim?.anchors(sn).count ?? 0) === 0; i++) await new Promise((r) => setTimeout(r, 50));
    const record = sim?.anchors(sn);
    expect(record?.count).toBeGreaterThanOrEqual(1);
    expect(record?.anchor).toMatchObject({ purpose: 'heartbeat', deviceSn: sn, publicKey: core.services.store.ledger.signer.publicKey.toString('hex') });
    expect(anchorSignatureValid(parseAnchor(record, 'platform record'))).toBe(true);
    expect(sim?.stats().anchorsRefused).toBe(0);
  });
});
