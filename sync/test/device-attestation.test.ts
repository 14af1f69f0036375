// Device attestation: each attendance item is signed with the appliance's Ed25519 key and the
// platform simulator verifies it on receipt against the key the device registered.
import { afterEach, describe, expect, it } from 'vitest';
import { randomBytes } from 'node:crypto';
import { createEventSigner } from '../../edge-core/src/index.js';
import { createPlatformClient } from '../src/platform/client.js';
import type { DeviceAttestor } from '../src/platform/attestation.js';
import { fakeResidentId } from './support/fake-ids.js';
import { startSimFixture, type SimFixture } from './support/sim-setup.js';

let f: SimFixture | null = null;
afterEach(async () => {
  await f?.close();
  f = null;
});

function attestor(deviceSn = 'GATE-TEST-1'): DeviceAttestor {
  const s = createEventSigner(randomBytes(32));
  return { deviceSn, publicKey: s.publicKey, sign: (m) => s.sign(m) };
}

const at = Date.UTC(2026, 2, 1, 1, 0, 0);
const item = (n: number, eventId: string) => ({ idType: '01', idNumber: fakeResidentId(n), occurredAt: at + n * 1000, direction: 'in' as const, eventId });

describe('device signatures on attendance, verified by the platform simulator', () => {
  it('accepts items signed by the registered device key', async () => {
    const dev = attestor();
    f = await startSimFixture({ requireDeviceSignatures: true }, { attestor: dev });
    f.sim.registerDeviceKey(dev.deviceSn, dev.publicKey);
    const serial = await f.client.addAttendance(f.teamSysNo, [item(0, 'ev-0'), item(1, 'ev-1')]);
    expect((await f.client.asyncResult(serial, 2)).status).toBe('succeeded');
    expect(f.sim.stats().signaturesVerified).toBe(2);
    expect(f.sim.stats().signaturesRejected).toBe(0);
  });

  it('refuses an item whose content was changed after signing, and one signed by another key', async () => {
    const dev = attestor();
    f = await startSimFixture({}, { attestor: dev });
    f.sim.registerDeviceKey(dev.deviceSn, dev.publicKey);
    // Sign one statement, then send the item with a different time (as a man in the middle would).
    const data = await f.client.attendanceData(f.teamSysNo, [item(2, 'ev-2')]);
    const list = data.dataList as Array<Record<string, unknown>>;
    (list[0] as Record<string, unknown>).date = '2026-03-01 08:00:00';
    const impostor = attestor(dev.deviceSn);
    const other = createPlatformClient({ ...f.clientConfig, attestor: impostor });
    const forged = await other.attendanceData(f.teamSysNo, [item(3, 'ev-3')]);
    const serial = await f.client.call('WorkerAttendance.Add', { ...data, dataList: [...list, ...(forged.dataList as unknown[])] });
    const r = await f.client.asyncResult(String((serial as { requestSerialCode: string }).requestSerialCode), 2);
    other.close();
    expect(r.failures.map((x) => x.index).sort()).toEqual([0, 1]);
    expect(r.failures.every((x) => /设备签名无效/.test(x.reason))).toBe(true);
    expect(f.sim.stats().signaturesRejected).toBe(2);
  });

  it('an unregistered device gets a retry-later failure; a second key for the same device is refused', async () => {
    const dev = attestor();
    f = await startSimFixture({}, { attestor: dev });
    const serial = await f.client.addAttendance(f.teamSysNo, [item(4, 'ev-4')]);
    const r = await f.client.asyncResult(serial, 1);
    expect(r.failures[0]?.reason).toMatch(/稍后重试/);
    f.sim.registerDeviceKey(dev.deviceSn, dev.publicKey);
    expect(() => f?.sim.registerDeviceKey(dev.deviceSn, attestor().publicKey)).toThrow(/不一致/);
  });

  it('with signatures required, an unsigned item is refused', async () => {
    f = await startSimFixture({ requireDeviceSignatures: true });
    const serial = await f.client.addAttendance(f.teamSysNo, [item(0, 'ev-x')]);
    const r = await f.client.asyncResult(serial, 1);
    expect(r.failures[0]?.reason).toMatch(/缺少设备签名/);
  });
});
