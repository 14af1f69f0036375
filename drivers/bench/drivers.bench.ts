// Driver benchmarks against the simulators over socat pty pairs.
//  drivers.idcard_read.ms            card placed → parsed identity (reader simulator paced at
//                                    115200 baud, 300 ms polling); value = p95
//  drivers.decision_to_wire.p95_ms   open() call → last byte of the open command written
//                                    (Wiegand converter and Modbus relay, pooled)
import { join } from 'node:path';
import type { BenchContext, BenchResult, BenchSuite } from '../../build/bench/harness.js';
import { distribution, elapsedMs } from '../../build/bench/harness.js';
import type { CardRead } from '../../edge-core/src/ports/devices.js';
import { SerialIdCardReader } from '../src/idcard/idcard-reader.js';
import { IdCardReaderSimulator } from '../src/simulators/idcard-reader-sim.js';
import { startPtyPair } from '../src/simulators/pty-pair.js';
import { ModbusRelaySimulator, WiegandConverterSimulator } from '../src/simulators/relay-sims.js';
import { ModbusRelayTurnstile } from '../src/turnstile/modbus-turnstile.js';
import { WiegandTurnstile } from '../src/turnstile/wiegand-turnstile.js';

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

async function idcardRead(ctx: BenchContext): Promise<BenchResult> {
  const pair = await startPtyPair(join(ctx.tmpDir, 'reader.dev'), join(ctx.tmpDir, 'reader.sim'));
  const sim = new IdCardReaderSimulator({ path: pair.simulatorPath, baudRate: 115200, paceToBaud: true });
  await sim.start();
  const reader = new SerialIdCardReader({ path: pair.devicePath, baudRate: 115200, pollMs: 300 });
  const samples: number[] = [];
  try {
    await reader.start();
    const n = ctx.quick ? 5 : 20;
    const cards = ['resident', 'hmt', 'foreign-2017', 'foreign-2023'];
    for (let i = 0; i < n; i++) {
      // de-phase the placement against the polling cycle
      await sleep(Math.random() * 300);
      const got = new Promise<CardRead>((resolve) => {
        const off = reader.onCard((r) => {
          off();
          resolve(r);
        });
      });
      const t0 = process.hrtime.bigint();
      sim.place(cards[i % cards.length]!);
      await got;
      samples.push(elapsedMs(t0));
      const removed = new Promise<void>((resolve) => {
        const off = reader.onCardRemoved(() => {
          off();
          resolve();
        });
      });
      sim.remove();
      await removed;
    }
  } finally {
    await reader.stop();
    await sim.close();
    await pair.stop();
  }
  const r = distribution('drivers.idcard_read.ms', 'ms', samples, 'p95', '<= 500');
  r.note = 'p95; simulator paces the 1,295-byte reply to 115200 baud; includes up to 300 ms polling wait';
  return r;
}

async function decisionToWire(ctx: BenchContext): Promise<BenchResult[]> {
  const n = ctx.quick ? 40 : 300;
  const wg = await startPtyPair(join(ctx.tmpDir, 'wg.dev'), join(ctx.tmpDir, 'wg.sim'));
  const mb = await startPtyPair(join(ctx.tmpDir, 'mb.dev'), join(ctx.tmpDir, 'mb.sim'));
  const wgSim = new WiegandConverterSimulator({ path: wg.simulatorPath });
  const mbSim = new ModbusRelaySimulator({ path: mb.simulatorPath, unit: 1 });
  await Promise.all([wgSim.start(), mbSim.start()]);
  const wiegand = new WiegandTurnstile({ type: 'wiegand_converter', path: wg.devicePath, format: 26, facility: 1, lanes: { l: { in: 1, out: 2 } } });
  const modbus = new ModbusRelayTurnstile({ type: 'modbus_relay', path: mb.devicePath, lanes: { l: { in: 0, out: 1 } }, pulseMs: 50, probeMs: 0 });
  const wgSamples: number[] = [];
  const mbSamples: number[] = [];
  try {
    await Promise.all([wiegand.start(), modbus.start()]);
    for (let i = 0; i < n; i++) {
      let t0 = process.hrtime.bigint();
      let r = await wiegand.open({ lane: 'l', direction: i % 2 === 0 ? 'in' : 'out' });
      wgSamples.push(Number(r.wireNs - t0) / 1e6);
      t0 = process.hrtime.bigint();
      r = await modbus.open({ lane: 'l', direction: i % 2 === 0 ? 'in' : 'out' });
      mbSamples.push(Number(r.wireNs - t0) / 1e6);
    }
  } finally {
    await wiegand.close();
    await modbus.close();
    await wgSim.close();
    await mbSim.close();
    await wg.stop();
    await mb.stop();
  }
  const pooled = distribution('drivers.decision_to_wire.p95_ms', 'ms', [...wgSamples, ...mbSamples], 'p95', '<= 20');
  pooled.note = 'open() → drain of the open command on a pty (no UART wire time); Wiegand and Modbus pooled';
  return [
    pooled,
    distribution('drivers.decision_to_wire.wiegand.p95_ms', 'ms', wgSamples, 'p95', '<= 20'),
    distribution('drivers.decision_to_wire.modbus.p95_ms', 'ms', mbSamples, 'p95', '<= 20'),
  ];
}

const suite: BenchSuite = {
  prefix: 'drivers.',
  async run(ctx) {
    const results: BenchResult[] = [];
    ctx.log('drivers: ID card read against the simulator');
    results.push(await idcardRead(ctx));
    ctx.log('drivers: decision to wire (Wiegand, Modbus)');
    results.push(...(await decisionToWire(ctx)));
    return results;
  },
};

export default suite;
