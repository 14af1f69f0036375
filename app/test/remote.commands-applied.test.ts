// Remote commands from the platform (simulator) are carried out and audited with their result,
// and the result reaches the platform with the next heartbeat: parameters checked against the
// configuration schema and applied live or at the next restart (kept in remote-config.json and
// merged at the next start), the gate policy changed live, unsafe entries refused; restart and
// update refused in plain words where no supervisor or shell can carry them out; a command
// delivered twice is carried out once.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseConfig } from '../server/config.js';
import { withRemoteOverlay } from '../server/boot.js';
import { startTestCore, type TestCore } from './helpers.js';

let core: TestCore;
beforeAll(async () => {
  core = await startTestCore({ platform: { type: 'simulator' } });
});
afterAll(async () => {
  await core?.stop();
});

const sim = () => {
  const s = core.sync.simulator;
  if (!s) throw new Error('no simulator');
  return s;
};

/** Queues a command, lets one heartbeat deliver it and the next one acknowledge it. */
async function run(type: 'set_param' | 'restart' | 'update', params: Record<string, unknown> = {}) {
  const id = sim().sendCommand('*', type, params);
  // One beat delivers it (or the periodic one did), the next one carries the acknowledgement.
  for (let i = 0; i < 5 && !sim().stats().acks.some((a) => a.commandId === id); i++) await core.sync.beatNow();
  const ack = sim().stats().acks.find((a) => a.commandId === id);
  expect(ack, `ack of ${id}`).toBeDefined();
  const audit = core.services.audit.list({ action: `remote.${type}` }).find((e) => e.target === id);
  expect(audit?.actor).toBe('platform');
  return { id, ack: ack as { ok: boolean; message: string }, audit: audit?.details as { result: { ok: boolean; message: string } } };
}

describe('remote commands are applied, audited and acknowledged', () => {
  it('applies the log level and retention live and the rest at the next restart, validated by the configuration schema', async () => {
    const r = await run('set_param', { changes: { 'log.level': 'debug', 'retention.passPhotoDays': 30, 'gate.cooldownMs': 1500 } });
    expect(r.ack.ok).toBe(true);
    expect(r.ack.message).toBe('applied now: log.level, retention.passPhotoDays; applies after a restart: gate.cooldownMs');
    expect(r.audit.result).toEqual({ ok: true, message: r.ack.message });
    expect(core.services.logger.level).toBe('debug');
    expect(core.services.config.retention.passPhotoDays).toBe(30);
    expect(core.services.config.gate.cooldownMs).toBe(2000); // not yet: at the next start
    const overlay = JSON.parse(readFileSync(join(core.dataDir, 'remote-config.json'), 'utf8'));
    expect(overlay).toEqual({ log: { level: 'debug' }, retention: { passPhotoDays: 30 }, gate: { cooldownMs: 1500 } });
    // The next start merges the overlay over the configuration.
    const next = withRemoteOverlay(parseConfig({ demo: true, platform: { type: 'off' } }), core.dataDir);
    expect(next.gate.cooldownMs).toBe(1500);
    expect(next.retention.passPhotoDays).toBe(30);
  });

  it('refuses values the schema refuses and entries the platform may not change, changing nothing', async () => {
    const before = readFileSync(join(core.dataDir, 'remote-config.json'), 'utf8');
    const bad = await run('set_param', { changes: { 'log.level': 'loud', 'retention.refusalPhotoDays': 0 } });
    expect(bad.ack.ok).toBe(false);
    expect(bad.ack.message).toMatch(/^refused: log\.level: .*; retention\.refusalPhotoDays: /);
    const unsafe = await run('set_param', { path: 'server.host', value: '0.0.0.0' });
    expect(unsafe.ack).toMatchObject({ ok: false, message: 'refused: server.host: not changeable remotely' });
    expect((await run('set_param', { changes: { 'platform.timeoutMs': 5000 } })).ack.message).toContain('not a remote one here');
    expect((await run('set_param', {})).ack.ok).toBe(false);
    expect(readFileSync(join(core.dataDir, 'remote-config.json'), 'utf8')).toBe(before);
    expect(core.services.logger.level).toBe('debug');
  });

  it('changes the gate policy live, audited with its diff', async () => {
    const r = await run('set_param', { target: 'policy', policy: { helmet: { action: 'remind' }, duplicateScan: { windowSeconds: 20 } } });
    expect(r.ack).toMatchObject({ ok: true, message: 'gate policy applied now: 2 change(s)' });
    expect(core.gate.policy().helmet.action).toBe('remind');
    const change = core.services.audit.list({ action: 'policy.change' })[0];
    expect(change).toMatchObject({ actor: 'platform', details: { changes: [{ path: 'duplicateScan.windowSeconds', before: 30, after: 20 }, { path: 'helmet.action', before: 'refuse', after: 'remind' }] } });
    expect((await run('set_param', { target: 'policy', policy: { helmet: { action: 'maybe' } } })).ack.ok).toBe(false);
    expect(core.gate.policy().helmet.action).toBe('remind');
  });

  it('says why a restart or an update cannot be carried out here, and carries out a repeated command once', async () => {
    const restart = await run('restart');
    expect(restart.ack).toMatchObject({ ok: false, message: expect.stringContaining('not running under a supervisor') });
    expect((await run('update', { url: 'ftp://updates.example/' })).ack.message).toMatch(/^refused: url/);
    const update = await run('update', { url: 'https://updates.example.invalid/sitegate/' });
    expect(update.ack).toMatchObject({ ok: false, message: expect.stringContaining('without the Electron shell') });

    // The platform sends the same command again (its acknowledgement was lost): not carried out twice.
    let restarts = 0;
    core.remote.restartHandler = () => restarts++;
    const first = await core.remote.handle({ commandId: 'CMD-DUP', type: 'restart', params: {} });
    const second = await core.remote.handle({ commandId: 'CMD-DUP', type: 'restart', params: {} });
    expect(first.ok).toBe(true);
    expect(second.message).toMatch(/^already carried out/);
    await new Promise((r) => setTimeout(r, 600));
    expect(restarts).toBe(1);
    expect(core.services.audit.list({ action: 'remote.restart' }).filter((e) => e.target === 'CMD-DUP')).toHaveLength(1);
    core.remote.restartHandler = null;
    expect(existsSync(join(core.dataDir, 'remote-config.json'))).toBe(true);
  });
});
