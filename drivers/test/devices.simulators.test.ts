// The factory API composed from the config that startSimulators() returns (the demo mode).
import { describe, expect, it } from 'vitest';
import type { CardRead } from '../../edge-core/src/ports/devices.js';
import { createDevices, startSimulators } from '../src/index.js';
import { nextEvent, until } from './helpers.js';

describe('createDevices over startSimulators', () => {
  it('reads a card and opens one lane on each kind of controller', async () => {
    const sims = await startSimulators({ paceToBaud: false });
    const devices = createDevices(sims.config);
    try {
      await devices.start();
      const read = nextEvent<CardRead>((l) => devices.idCardReader!.onCard(l));
      sims.idCardReader.place('resident');
      expect((await read).identity.name).toBe('测试辛');

      const modbus = await devices.turnstileForLane('lane-1')!.open({ lane: 'lane-1', direction: 'in' });
      expect(modbus.confirmed).toBe(true);
      await devices.turnstileForLane('lane-2')!.open({ lane: 'lane-2', direction: 'in' });
      expect(sims.wiegandConverter.received[0]?.card).toBe(1001);
      await devices.turnstileForLane('lane-3')!.open({ lane: 'lane-3', direction: 'out' });
      await until(() => sims.lcusRelay.history.length > 0);
      expect(sims.lcusRelay.history[0]).toMatchObject({ channel: 2, on: true });
      expect(devices.turnstileForLane('lane-9')).toBeUndefined();
    } finally {
      await devices.stop();
      await sims.stop();
    }
  });

  it('rejects a config that maps one lane to two controllers', () => {
    expect(() =>
      createDevices({
        turnstiles: [
          { type: 'lcus_relay', path: '/dev/null', lanes: { a: { in: 1, out: 2 } } },
          { type: 'lcus_relay', path: '/dev/null', lanes: { a: { in: 1, out: 2 } } },
        ],
      }),
    ).toThrow(/two turnstile controllers/);
    expect(() => createDevices({ turnstiles: [{ type: 'modbus_relay', path: '', lanes: {} }] })).toThrow();
  });
});
