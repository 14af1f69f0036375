// Reader faults reach the clerk and the dashboard: the simulated reader damages its read
// replies (bad checksum) every time; the core publishes card.error with action replace_card
// (the card step shows 请重新放置身份证) and /health shows the reader degraded with the cause;
// the card is not read again while it stays; placed again, it is read and health is clean.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LiveEvent } from '../shared/api-types.js';
import { api, login, startTestCore, type TestCore } from './helpers.js';

let core: TestCore;
beforeAll(async () => {
  core = await startTestCore({ devices: { simulate: true } });
});
afterAll(async () => core?.stop());

async function waitFor(what: string, cond: () => boolean, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!cond()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('ID-card reader faults in the core', () => {
  it('damaged reads: card.error replace_card, reader degraded in /health, no re-read; placed again, read and healthy', async () => {
    const sim = core.devices.simulators?.idCardReader;
    expect(sim).toBeDefined();
    const events: LiveEvent[] = [];
    const off = core.services.events.subscribe((e: LiveEvent) => events.push(e));
    try {
      const clerk = await login(core, 'clerk');
      sim?.injectFault('bad_checksum', { times: 3 });
      await api(core, 'POST', '/api/demo/card', { key: 'resident' }, clerk);
      await waitFor('card.error', () => events.some((e) => e.type === 'card.error'));
      const err = events.find((e) => e.type === 'card.error');
      expect(err).toMatchObject({ type: 'card.error', code: 'read_bad_checksum', action: 'replace_card' });
      if (err?.type === 'card.error') expect(err.message.zh).toContain('请重新放置身份证');
      const health = (await api(core, 'GET', '/health')).json;
      const reader = Object.entries(health.components as Record<string, { ok: boolean; detail?: string }>).find(([k]) => k === 'device:reader-1');
      expect(reader?.[1].ok).toBe(false);
      expect(reader?.[1].detail).toContain('请重新放置身份证');
      expect(events.some((e) => e.type === 'device.health' && e.kind === 'idcard_reader' && e.state === 'degraded')).toBe(true);
      // Left on the reader: no new read attempt.
      const reads = (): number => sim?.received.filter((c) => c === 'readTextPhoto').length ?? 0;
      const before = reads();
      await new Promise((r) => setTimeout(r, 1500));
      expect(reads()).toBe(before);
      // Taken off and placed again: read.
      await api(core, 'POST', '/api/demo/card', { key: null }, clerk);
      await waitFor('card.removed', () => events.some((e) => e.type === 'card.removed'));
      await api(core, 'POST', '/api/demo/card', { key: 'resident' }, clerk);
      await waitFor('card.read', () => events.some((e) => e.type === 'card.read'));
      const after = (await api(core, 'GET', '/health')).json;
      expect(Object.entries(after.components as Record<string, { ok: boolean }>).find(([k]) => k === 'device:reader-1')?.[1].ok).toBe(true);
    } finally {
      off();
    }
  }, 60_000);
});
