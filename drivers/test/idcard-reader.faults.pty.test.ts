// Reader faults in words: damaged replies (bad checksum, truncated, garbage) and missing
// replies from the reader simulator over a socat pty, through the real driver.
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { CardRead, DeviceFailure, DeviceHealth } from '../../edge-core/src/ports/devices.js';
import { SerialIdCardReader, type IdCardReaderConfig } from '../src/idcard/idcard-reader.js';
import { IdCardReaderSimulator, type ReplyFault } from '../src/simulators/idcard-reader-sim.js';
import { startPtyPair } from '../src/simulators/pty-pair.js';
import { nextEvent, scratchDir, sleep } from './helpers.js';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.reverse()) await c();
  cleanups.length = 0;
});

async function rig(cfg: Partial<IdCardReaderConfig> = {}) {
  const dir = scratchDir('idcard-faults');
  const pair = await startPtyPair(join(dir, 'reader'), join(dir, 'sim'));
  const simulator = new IdCardReaderSimulator({ path: pair.simulatorPath, paceToBaud: false });
  await simulator.start();
  const reader = new SerialIdCardReader({ path: pair.devicePath, readTimeoutMs: 1500, ...cfg });
  cleanups.push(async () => {
    await reader.stop();
    await simulator.close();
    await pair.stop();
  });
  const reads: CardRead[] = [];
  const errors: DeviceFailure[] = [];
  reader.onCard((r) => reads.push(r));
  reader.onReadError((e) => errors.push(e));
  await reader.start();
  return { simulator, reader, reads, errors };
}

const reads = (sim: IdCardReaderSimulator): number => sim.received.filter((c) => c === 'readTextPhoto').length;

describe('ID-card reader faults over a pty', () => {
  it.each<[ReplyFault, string, string]>([
    ['bad_checksum', 'read_bad_checksum', '校验和错误'],
    ['truncated', 'read_truncated', '数据不完整'],
    ['garbage', 'read_garbage', '数据无法识别'],
    ['silent', 'read_reply_timeout', '读卡器无应答'],
  ])('a read whose reply is %s every time: three tries, then 请重新放置身份证, health degraded while the card lies there, no re-read until it comes back', async (fault, code, detail) => {
    const { simulator, reader, reads: got, errors } = await rig();
    simulator.injectFault(fault, { times: 3 });
    const failed = nextEvent<DeviceFailure>((l) => reader.onReadError(l), undefined, 15_000);
    simulator.place('resident');
    const e = await failed;
    expect(e.code).toBe(code);
    expect(e.action).toBe('replace_card');
    expect(e.message.zh).toContain('请重新放置身份证');
    expect(e.message.zh).toContain(detail);
    expect(e.message.en).toContain('place the ID card on the reader again');
    expect(reads(simulator)).toBe(3);
    expect(reader.health().state).toBe('degraded');
    expect(reader.health().reason?.zh).toContain('请重新放置身份证');

    // The card stays on the reader: it is not read again (no storm), whatever the polls find.
    await sleep(1500);
    expect(reads(simulator)).toBe(3);
    expect(errors).toHaveLength(1);
    expect(got).toHaveLength(0);

    // Taken off: the failed read no longer shows; placed again: read at once.
    const removed = nextEvent<void>((l) => reader.onCardRemoved(l));
    simulator.remove();
    await removed;
    expect(reader.health().state).toBe('ok');
    const card = nextEvent<CardRead>((l) => reader.onCard(l), undefined, 5000);
    simulator.place('resident');
    expect((await card).identity.name).toBe('测试辛');
    expect(reader.health().state).toBe('ok');
  });

  it('a card whose read failed, swapped for another within one poll: the other card is read and the failed read leaves health', async () => {
    const { simulator, reader, errors } = await rig();
    simulator.injectFault('bad_checksum', { times: 3 });
    const failed = nextEvent<DeviceFailure>((l) => reader.onReadError(l), undefined, 15_000);
    simulator.place('resident');
    expect((await failed).code).toBe('read_bad_checksum');
    expect(reader.health().state).toBe('degraded');
    const removed = nextEvent<void>((l) => reader.onCardRemoved(l));
    const card = nextEvent<CardRead>((l) => reader.onCard(l), undefined, 5000);
    simulator.place('hmt'); // no empty poll in between: only select's serial number tells the cards apart
    await removed;
    expect((await card).identity.cardType).toBe('hmt_residence_permit');
    expect(reads(simulator)).toBe(4);
    expect(errors).toHaveLength(1);
    expect(reader.health().state).toBe('ok');
  });

  it('a damaged reply followed by a good one is read on the retry, without an error', async () => {
    const { simulator, reader, errors } = await rig();
    simulator.injectFault('bad_checksum', { times: 1 });
    simulator.injectFault('truncated', { times: 1 });
    const card = nextEvent<CardRead>((l) => reader.onCard(l), undefined, 10_000);
    simulator.place('foreign-2023');
    expect((await card).identity.cardType).toBe('foreign_permanent_2023');
    expect(reads(simulator)).toBe(3);
    expect(errors).toHaveLength(0);
    expect(reader.health().state).toBe('ok');
  });

  it('a truncated reply is judged after the line falls silent, not after the whole read timeout', async () => {
    const { simulator, reader } = await rig({ readTimeoutMs: 20_000, readAttempts: 1, frameGapMs: 200 });
    simulator.injectFault('truncated');
    const failed = nextEvent<DeviceFailure>((l) => reader.onReadError(l), undefined, 10_000);
    simulator.place('resident');
    // With a 20 s read timeout, an error within 10 s can only come from the silence after the frame's start.
    expect((await failed).code).toBe('read_truncated');
  });

  it('a line that damages every reply shows in health even with no card on the reader', async () => {
    const { simulator, reader } = await rig();
    const degraded = nextEvent<DeviceHealth>((l) => reader.onHealth(l), (h) => h.state === 'degraded', 8000);
    simulator.injectFault('bad_checksum', { times: 1000, command: 'any' });
    const h = await degraded;
    expect(h.reason?.zh).toContain('读卡器通信数据出错');
    expect(h.reason?.zh).toContain('校验和错误');
    const ok = nextEvent<DeviceHealth>((l) => reader.onHealth(l), (x) => x.state === 'ok', 8000);
    simulator.clearFaults();
    await ok;
    expect(simulator.pendingFaults).toBe(0);
  });
});
