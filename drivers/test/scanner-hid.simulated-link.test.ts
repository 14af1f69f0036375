// The HID scanner driver against the scanner simulator. The USB link is simulated (no USB
// scanner and no uhid/hidraw on the build machines): the simulator presents node-hid's
// surface and delivers the real HID-POS / keyboard report bytes, which the driver decodes with
// its real codec. Covers a long multi-report code, keyboard mode, unplug and replug.
import { describe, expect, it } from 'vitest';
import { HidCodeScanner } from '../src/scanner/hid-scanner.js';
import { HidScannerSimulator } from '../src/simulators/hid-scanner-sim.js';
import type { ScannedCode } from '../../edge-core/src/ports/devices.js';
import { until } from './helpers.js';

async function rig(mode: 'hid_pos' | 'keyboard_wedge') {
  const sim = new HidScannerSimulator({ mode });
  const scanner = new HidCodeScanner({ deviceId: 'scanner-t', lane: 'lane-1', vendorId: sim.vendorId, productId: sim.productId, mode, rescanMs: 50, dedupeMs: 0 }, sim.backend);
  const codes: ScannedCode[] = [];
  scanner.onCode((c) => codes.push(c));
  await scanner.start();
  return { sim, scanner, codes };
}

describe('HID scanner over the simulated USB link', () => {
  it('reads a visitor code spanning two HID-POS reports, and a keyboard-mode scanner', async () => {
    const code = `SGV1-${'A2'.repeat(33)}`;
    const pos = await rig('hid_pos');
    expect(pos.scanner.health().state).toBe('ok');
    expect(pos.scanner.lane).toBe('lane-1');
    await pos.sim.scan(code);
    await until(() => pos.codes.length === 1, 5000);
    expect(pos.codes[0]).toMatchObject({ text: code, mode: 'hid_pos', deviceId: 'scanner-t' });
    expect(pos.sim.wire).toHaveLength(2);
    await pos.scanner.stop();

    const kb = await rig('keyboard_wedge');
    await kb.sim.scan('SGV1-ABC234');
    await until(() => kb.codes.length === 1, 5000);
    expect(kb.codes[0]?.text).toBe('SGV1-ABC234');
    await kb.scanner.stop();
  });

  it('reports offline when unplugged, and reads again after the replug', async () => {
    const { sim, scanner, codes } = await rig('hid_pos');
    sim.unplug();
    expect(scanner.health().state).toBe('offline');
    await expect(sim.scan('LOST')).rejects.toThrow(/not opened/);
    sim.replug();
    await until(() => scanner.health().state === 'ok' && sim.opened, 5000);
    await sim.scan('SGV1-AFTER');
    await until(() => codes.length === 1, 5000);
    expect(codes[0]?.text).toBe('SGV1-AFTER');
    await scanner.stop();
  });
});
