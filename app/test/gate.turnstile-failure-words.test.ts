// A turnstile that does not open tells the gate why in its own words: the driver's DeviceError
// keeps Error.message as an English string and carries the zh/en text as failure.message, which
// openTurnstile passes on (it used to find only the English string and fall back to a generic
// text). A real LCUS relay driver whose serial port was never opened, so no device is needed.
import { describe, expect, it } from 'vitest';
import { createTurnstile } from '../../drivers/src/index.js';
import { openTurnstile } from '../../edge-core/src/gate/commit-then-open.js';

describe('openTurnstile: the driver words of a failed opening', () => {
  it('passes on the controller-offline code and its zh/en text', async () => {
    const turnstile = createTurnstile({ type: 'lcus_relay', path: '/dev/sitegate-no-such-port', lanes: { 'lane-1': { in: 1, out: 2 } } });
    try {
      const r = await openTurnstile(turnstile, 'lane-1', 'in');
      expect(r.opened).toBe(false);
      if (r.opened) return;
      expect(r.failure.code).toBe('controller_offline');
      expect(r.failure.message.zh).toContain('闸机控制器未连接');
      expect(r.failure.message.en).toContain('Turnstile controller not connected');
    } finally {
      await turnstile.close();
    }
  });

  it('falls back to a plain text when what was thrown carries none', async () => {
    const r = await openTurnstile({ ...createTurnstile({ type: 'lcus_relay', path: '/dev/sitegate-no-such-port', lanes: {} }), open: () => Promise.reject(new Error('boom')) }, 'lane-1', 'in');
    expect(r).toEqual({ opened: false, failure: { code: 'open_failed', message: { zh: '闸机未能打开，请重试', en: 'The turnstile did not open; try again' } } });
  });
});
