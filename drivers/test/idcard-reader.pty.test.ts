// The real ID-card reader driver against the reader simulator over a socat pty pair.
import { chmodSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { CardRead, DeviceFailure, DeviceHealth } from '../../edge-core/src/ports/devices.js';
import { SerialIdCardReader, type IdCardReaderConfig } from '../src/idcard/idcard-reader.js';
import { deck } from '../src/simulators/card-deck.js';
import { IdCardReaderSimulator, type IdCardReaderSimOptions } from '../src/simulators/idcard-reader-sim.js';
import { startPtyPair, type PtyPair } from '../src/simulators/pty-pair.js';
import { nextEvent, scratchDir, sleep } from './helpers.js';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.reverse()) await c();
  cleanups.length = 0;
});

async function rig(sim: Partial<IdCardReaderSimOptions> = {}, cfg: Partial<IdCardReaderConfig> = {}) {
  const dir = scratchDir('idcard');
  const pair = await startPtyPair(join(dir, 'reader'), join(dir, 'sim'));
  const simulator = new IdCardReaderSimulator({ path: pair.simulatorPath, ...sim });
  await simulator.start();
  const reader = new SerialIdCardReader({ path: pair.devicePath, ...cfg });
  const state = { pair };
  cleanups.push(async () => {
    await reader.stop();
    await simulator.close();
    await state.pair.stop();
  });
  return { dir, pair, simulator, reader, state };
}

const nextCard = (r: SerialIdCardReader, timeoutMs = 4000): Promise<CardRead> => nextEvent((l) => r.onCard(l), undefined, timeoutMs);
const nextError = (r: SerialIdCardReader): Promise<DeviceFailure> => nextEvent((l) => r.onReadError(l), undefined, 4000);

describe('ID-card reader driver over a pty', () => {
  it('reads every card type of the deck and flags the photo as missing without a decoder', async () => {
    const { simulator, reader } = await rig({ paceToBaud: false });
    await reader.start();
    for (const card of deck) {
      simulator.place(card);
      const read = await nextCard(reader);
      expect(read.identity).toEqual(card.identity);
      expect(read.photo.kind).toBe('none');
      if (read.photo.kind === 'none') {
        expect(read.photo.reason.zh).toContain('人工核对');
        expect(read.photo.wlt?.length).toBe(1024);
      }
      const removed = nextEvent<void>((l) => reader.onCardRemoved(l));
      simulator.remove();
      await removed;
    }
  });

  it('reads a card once per placement: it must leave before it is read again', async () => {
    const { simulator, reader } = await rig({ paceToBaud: false });
    let reads = 0;
    reader.onCard(() => reads++);
    await reader.start();
    simulator.place('resident');
    await nextCard(reader);
    await sleep(1200); // four more polls with the card still on the reader
    expect(reads).toBe(1);
    expect(simulator.received.filter((c) => c === 'selectCard').length).toBeGreaterThan(1);
    const removed = nextEvent<void>((l) => reader.onCardRemoved(l));
    simulator.remove();
    await removed;
    simulator.place('resident');
    await nextCard(reader);
    expect(reads).toBe(2);
  });

  it('reads a card swapped for another within one poll: select answers with another serial number', async () => {
    const { simulator, reader } = await rig({ paceToBaud: false });
    const names: string[] = [];
    reader.onCard((c) => names.push(c.identity.name));
    await reader.start();
    simulator.place('resident');
    await nextCard(reader);
    const removed = nextEvent<void>((l) => reader.onCardRemoved(l));
    const second = nextCard(reader);
    simulator.place('hmt'); // no empty poll in between
    await removed;
    await second;
    expect(names).toHaveLength(2);
    expect(names[0]).not.toBe(names[1]);
  });

  it('reports malformed cards and reader failures as typed read errors', async () => {
    const { simulator, reader } = await rig({ paceToBaud: false });
    await reader.start();
    const expectations: [string, string][] = [
      ['bad-check-digit', 'bad_id_number'],
      ['unknown-type', 'unknown_card_type'],
      ['hmt-number-on-resident', 'card_type_mismatch'],
      ['read-failure', 'read_card_failed'],
    ];
    for (const [key, code] of expectations) {
      const err = nextError(reader);
      simulator.place(key);
      const e = await err;
      expect(e.code).toBe(code);
      expect(e.message.zh.length).toBeGreaterThan(0);
      const removed = nextEvent<void>((l) => reader.onCardRemoved(l));
      simulator.remove();
      await removed;
    }
  });

  it('uses the decoded photo of readers that return a BMP (USB-speed reply)', async () => {
    const { simulator, reader } = await rig({ photo: 'bmp', paceToBaud: false });
    await reader.start();
    simulator.place('hmt');
    const read = await nextCard(reader);
    expect(read.identity.cardType).toBe('hmt_residence_permit');
    expect(read.photo.kind === 'decoded' && read.photo.mime).toBe('image/bmp');
  });

  it('uses the decoded photo of readers that return a JPEG, paced at 115200 baud', async () => {
    const { simulator, reader } = await rig({ photo: 'jpeg' });
    await reader.start();
    simulator.place('foreign-2017');
    const read = await nextCard(reader);
    expect(read.identity.cardType).toBe('foreign_permanent_2017');
    expect(read.photo.kind === 'decoded' && read.photo.mime).toBe('image/jpeg');
  });

  it('runs a configured external WLT decoder (mock: a stand-in script, the vendor decoder cannot run here)', async () => {
    const dir = scratchDir('wlt');
    const script = join(dir, 'fake-wltdecode.sh');
    // Stand-in for the vendor decoder: writes a tiny JPEG header+EOI as its "output".
    writeFileSync(script, '#!/bin/sh\ntest -s "$1" || exit 3\nprintf "\\377\\330\\377\\340fakejpeg\\377\\331" > "$2"\n');
    chmodSync(script, 0o755);
    const { simulator, reader } = await rig({ paceToBaud: false }, { photoDecoder: { command: script, args: ['{wlt}', '{out}'] } });
    await reader.start();
    simulator.place('foreign-2023');
    const read = await nextCard(reader);
    expect(read.photo.kind === 'decoded' && read.photo.mime).toBe('image/jpeg');
  });

  it('flags "no photo" when the external decoder fails, never inventing one', async () => {
    const { simulator, reader } = await rig({ paceToBaud: false }, { photoDecoder: { command: '/bin/false', args: [] } });
    await reader.start();
    simulator.place('resident');
    const read = await nextCard(reader);
    expect(read.photo.kind).toBe('none');
    if (read.photo.kind === 'none') expect(read.photo.reason.en).toContain('decoding failed');
  });

  it('reports a reader that stops answering as offline within 2 s and ok again when it answers', async () => {
    const { simulator, reader } = await rig({ paceToBaud: false });
    await reader.start();
    expect(reader.health().state).toBe('ok');
    const off = nextEvent<DeviceHealth>((l) => reader.onHealth(l), (h) => h.state === 'offline', 2000);
    simulator.silent = true;
    expect((await off).reason?.zh).toBe('读卡器无应答');
    const back = nextEvent<DeviceHealth>((l) => reader.onHealth(l), (h) => h.state === 'ok', 2000);
    simulator.silent = false;
    await back;
    simulator.place('resident');
    expect((await nextCard(reader)).identity.name).toBe('测试甲');
  });

  it('recovers from an unplug (pty pair gone) by itself and reports health within 2 s', async () => {
    const { simulator, reader, state, dir } = await rig({ paceToBaud: false });
    const changes: DeviceHealth[] = [];
    await reader.start();
    expect(reader.health().state).toBe('ok');
    reader.onHealth((h) => changes.push(h));
    simulator.place('resident');
    await nextCard(reader);

    const offline = nextEvent<DeviceHealth>((l) => reader.onHealth(l), (h) => h.state === 'offline', 2000);
    await state.pair.stop();
    const h = await offline;
    expect(h.reason?.zh.length).toBeGreaterThan(0);

    const back = nextEvent<DeviceHealth>((l) => reader.onHealth(l), (x) => x.state === 'ok', 2000);
    state.pair = await startPtyPair(join(dir, 'reader'), join(dir, 'sim')) as PtyPair;
    await back;
    simulator.remove();
    simulator.place('resident-long-term');
    const again = await nextCard(reader);
    expect(again.identity.name).toBe('测试乙');
    // One transition each way. The offline state may be reported again when its reason
    // changes (the port vanished, then cannot be reopened) — never twice the same, and the
    // time it went offline is kept.
    expect(changes.map((c) => c.state).filter((s, i, a) => i === 0 || s !== a[i - 1])).toEqual(['offline', 'ok']);
    for (let i = 1; i < changes.length; i++) {
      const [prev, cur] = [changes[i - 1] as DeviceHealth, changes[i] as DeviceHealth];
      if (cur.state !== prev.state) continue;
      expect(cur.reason?.en).not.toBe(prev.reason?.en);
      expect(cur.since).toBe(prev.since);
    }
  });
});
