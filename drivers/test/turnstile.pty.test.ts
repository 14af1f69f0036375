// The real turnstile drivers (Modbus relay, Wiegand converter, LCUS relay) against their
// simulators over socat pty pairs, including the fail-safe refusals and hot-plug.
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { DeviceHealth } from '../../edge-core/src/ports/devices.js';
import { DeviceError } from '../src/errors.js';
import { startPtyPair, type PtyPair } from '../src/simulators/pty-pair.js';
import { LcusRelaySimulator, ModbusRelaySimulator, WiegandConverterSimulator } from '../src/simulators/relay-sims.js';
import { LcusTurnstile } from '../src/turnstile/lcus-turnstile.js';
import { ModbusRelayTurnstile, type ModbusTurnstileConfig } from '../src/turnstile/modbus-turnstile.js';
import { WiegandTurnstile, type WiegandTurnstileConfig } from '../src/turnstile/wiegand-turnstile.js';
import { nextEvent, scratchDir, until } from './helpers.js';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.reverse()) await c();
  cleanups.length = 0;
});

async function pair(name: string): Promise<{ dir: string; state: { pair: PtyPair } }> {
  const dir = scratchDir(name);
  const state = { pair: await startPtyPair(join(dir, 'dev'), join(dir, 'sim')) };
  cleanups.push(() => state.pair.stop());
  return { dir, state };
}

async function refusal(p: Promise<unknown>): Promise<DeviceError> {
  try {
    await p;
  } catch (err) {
    if (err instanceof DeviceError) return err;
    throw new Error(`expected a DeviceError, got ${String(err)}`);
  }
  throw new Error('expected open() to be refused, but it reported opened');
}

async function modbusRig(cfg: Partial<ModbusTurnstileConfig> = {}) {
  const { dir, state } = await pair('modbus');
  const sim = new ModbusRelaySimulator({ path: state.pair.simulatorPath, unit: 1 });
  await sim.start();
  const gate = new ModbusRelayTurnstile({
    type: 'modbus_relay',
    path: state.pair.devicePath,
    lanes: { 'lane-1': { in: 0, out: 1 } },
    pulseMs: 150,
    probeMs: 500,
    ...cfg,
  });
  await gate.start();
  cleanups.push(async () => {
    await gate.close();
    await sim.close();
  });
  return { dir, state, sim, gate };
}

async function wiegandRig(name: string, cfg: Omit<WiegandTurnstileConfig, 'type' | 'path'>) {
  const { state } = await pair(name);
  const sim = new WiegandConverterSimulator({ path: state.pair.simulatorPath });
  await sim.start();
  const gate = new WiegandTurnstile({ type: 'wiegand_converter', path: state.pair.devicePath, ...cfg });
  await gate.start();
  cleanups.push(async () => {
    await gate.close();
    await sim.close();
  });
  return { state, sim, gate };
}

describe('Modbus RTU relay turnstile', () => {
  it('opens the mapped coil per lane and direction, confirms by read-back and ends the pulse', async () => {
    const { sim, gate } = await modbusRig();
    const r = await gate.open({ lane: 'lane-1', direction: 'in' });
    expect(r.confirmed).toBe(true);
    expect(sim.coils[0]).toBe(true);
    await until(() => sim.history.length >= 2);
    expect(sim.history.map((h) => [h.coil, h.on])).toEqual([
      [0, true],
      [0, false],
    ]);
    await gate.open({ lane: 'lane-1', direction: 'out' });
    expect(sim.coils[1]).toBe(true);
    expect(sim.coils[0]).toBe(false);
  });

  it('refuses an unknown lane', async () => {
    const { gate } = await modbusRig();
    expect((await refusal(gate.open({ lane: 'lane-9', direction: 'in' }))).code).toBe('unknown_lane');
  });

  it('refuses with the exception name when the board answers with an exception', async () => {
    const { sim, gate } = await modbusRig();
    sim.writeException = 0x04;
    const e = await refusal(gate.open({ lane: 'lane-1', direction: 'in' }));
    expect(e.code).toBe('controller_exception');
    expect(e.reason.zh).toContain('从站设备故障');
  });

  it('takes a late reply to an earlier, timed-out request for what it is, not for the echo of the open command', async () => {
    const { sim, gate } = await modbusRig({ probeMs: 0 });
    sim.lateReadReplyBeforeNextWrite = true;
    const r = await gate.open({ lane: 'lane-1', direction: 'in' });
    expect(r.confirmed).toBe(true);
    expect(sim.history.some((h) => h.coil === 0 && h.on)).toBe(true);
  });

  it('refuses when the relay does not switch (read-back shows it off)', async () => {
    const { sim, gate } = await modbusRig();
    sim.stuck = true;
    expect((await refusal(gate.open({ lane: 'lane-1', direction: 'in' }))).code).toBe('not_confirmed');
  });

  it('refuses with controller_timeout and reports offline when the board stays silent', async () => {
    const { sim, gate } = await modbusRig();
    sim.silent = true;
    const e = await refusal(gate.open({ lane: 'lane-1', direction: 'in' }));
    expect(e.code).toBe('controller_timeout');
    expect(gate.health().state).toBe('offline');
    sim.silent = false;
    await nextEvent<DeviceHealth>((l) => gate.onHealth(l), (h) => h.state === 'ok', 3000);
  });

  it('fail-safe: refuses while unplugged, reports offline, and recovers after replug', async () => {
    const { dir, state, gate } = await modbusRig();
    const offline = nextEvent<DeviceHealth>((l) => gate.onHealth(l), (h) => h.state === 'offline', 2000);
    await state.pair.stop();
    await offline;
    const e = await refusal(gate.open({ lane: 'lane-1', direction: 'in' }));
    expect(e.code).toBe('controller_offline');
    expect(e.reason.zh).toContain('未开闸');

    const back = nextEvent<DeviceHealth>((l) => gate.onHealth(l), (h) => h.state === 'ok', 3000);
    state.pair = await startPtyPair(join(dir, 'dev'), join(dir, 'sim'));
    await back;
    const r = await gate.open({ lane: 'lane-1', direction: 'in' });
    expect(r.confirmed).toBe(true);
  });
});

describe('Wiegand converter turnstile', () => {
  it('sends the lane number as Wiegand 26 and the converter decodes it', async () => {
    const { sim, gate } = await wiegandRig('wg', { format: 26, facility: 12, lanes: { 'lane-1': { in: 1001, out: 1002 } } });
    const r = await gate.open({ lane: 'lane-1', direction: 'out' });
    expect(r.confirmed).toBe(true);
    expect(sim.received.map(({ format, facility, card }) => ({ format, facility, card }))).toEqual([{ format: 26, facility: 12, card: 1002 }]);
    await gate.open({ lane: 'lane-1', direction: 'in', cardNumber: 4242 });
    expect(sim.received[1]?.card).toBe(4242);
  });

  it('sends Wiegand 34, refuses when the converter does not acknowledge, and when it is gone', async () => {
    const { state, sim, gate } = await wiegandRig('wg34', { format: 34, facility: 40000, lanes: { 'lane-1': { in: 1, out: 2 } } });
    await gate.open({ lane: 'lane-1', direction: 'in' });
    expect(sim.received[0]).toMatchObject({ format: 34, facility: 40000, card: 1 });
    sim.silent = true;
    expect((await refusal(gate.open({ lane: 'lane-1', direction: 'in' }))).code).toBe('confirm_timeout');
    const off = nextEvent<DeviceHealth>((l) => gate.onHealth(l), (h) => h.state === 'offline', 2000);
    await state.pair.stop();
    await off;
    expect((await refusal(gate.open({ lane: 'lane-1', direction: 'in' }))).code).toBe('controller_offline');
  });
});

describe('Wiegand converter turnstile, late answers', () => {
  const rig = () =>
    wiegandRig('wg-late', { format: 26, facility: 7, lanes: { 'lane-1': { in: 11, out: 12 } }, ackTimeoutMs: 150, lateAnswerGraceMs: 2_000 });

  it('does not take a late ACK of a timed-out frame as the next frame\'s acknowledgement', async () => {
    const { sim, gate } = await rig();
    sim.answerDelayMs = 600;
    expect((await refusal(gate.open({ lane: 'lane-1', direction: 'in' }))).code).toBe('confirm_timeout');
    // The converter now breaks: the next frame gets no answer of its own, only the first one's
    // late ACK is still on its way.
    sim.silent = true;
    expect((await refusal(gate.open({ lane: 'lane-1', direction: 'out' }))).code).toBe('confirm_timeout');
    expect(gate.lateAnswers).toBe(1);
  });

  it('waits for the owed answer, then confirms the next frame by its own ACK', async () => {
    const { sim, gate } = await rig();
    sim.answerDelayMs = 400;
    await refusal(gate.open({ lane: 'lane-1', direction: 'in' }));
    sim.answerDelayMs = 0;
    const r = await gate.open({ lane: 'lane-1', direction: 'out' });
    expect(r.confirmed).toBe(true);
    expect(gate.lateAnswers).toBe(1);
    expect(sim.received.map((e) => e.card)).toEqual([11, 12]);
  });

  it('gives up on an answer that never comes after the grace, and opens again', async () => {
    const { sim, gate } = await rig();
    sim.silent = true;
    await refusal(gate.open({ lane: 'lane-1', direction: 'in' }));
    sim.silent = false;
    const started = Date.now();
    const r = await gate.open({ lane: 'lane-1', direction: 'in' });
    expect(r.confirmed).toBe(true);
    expect(Date.now() - started).toBeGreaterThanOrEqual(1_500); // held back for the grace
    expect(gate.lateAnswers).toBe(0);
  });
});

describe('LCUS USB relay turnstile', () => {
  it('switches the lane channel on, off after the pulse, and confirms via status when asked', async () => {
    const { state } = await pair('lcus');
    const sim = new LcusRelaySimulator({ path: state.pair.simulatorPath, channels: 2 });
    await sim.start();
    const gate = new LcusTurnstile({ type: 'lcus_relay', path: state.pair.devicePath, lanes: { 'lane-1': { in: 1, out: 2 } }, pulseMs: 100 });
    await gate.start();
    cleanups.push(async () => {
      await gate.close();
      await sim.close();
    });
    const r = await gate.open({ lane: 'lane-1', direction: 'in' });
    expect(r.confirmed).toBe(false); // plain LCUS boards cannot confirm
    await until(() => sim.history.length >= 2);
    expect(sim.history.map((h) => [h.channel, h.on])).toEqual([
      [1, true],
      [1, false],
    ]);
    const confirming = new LcusTurnstile({
      type: 'lcus_relay',
      path: state.pair.devicePath,
      lanes: { 'lane-1': { in: 1, out: 2 } },
      confirmByStatus: true,
    });
    await gate.close();
    await confirming.start();
    cleanups.push(() => confirming.close());
    const c = await confirming.open({ lane: 'lane-1', direction: 'out' });
    expect(c.confirmed).toBe(true);
    expect(sim.channels[1]).toBe(true);
  });
});
