// ID-card reader driver (GA/T 467 SAM over serial or USB-serial): find → select → read, polling
// no faster than ~300 ms. A card is read once per placement: after a read, the card must leave
// (find fails AND select fails) before it is read again — or be swapped for another card, which
// select's serial number tells apart. A read whose reply comes back damaged
// (bad checksum, truncated, garbage) or not at all is tried again up to `readAttempts` times in
// all (select → read); then the clerk is told to place the card again, device health says what
// went wrong, and the card is not tried again until it has left the reader and come back.
import type { CardRead, DeviceFailure, IdCardReader, Unsubscribe } from '../../../edge-core/src/ports/devices.js';
import { DeviceError } from '../errors.js';
import { Listeners } from '../health.js';
import { SerialLink } from '../serial/serial-link.js';
import { parseReadData, type Reply } from './frame-codec.js';
import { FrameTransport, isFrameFault } from './frame-transport.js';
import { readFaultFailure, replaceCardAdvice } from './read-faults.js';
import { createPhotoDecoder, resolvePhoto, type PhotoDecoderConfig, type WltDecoder } from './photo-decoder.js';
import { parseCardText } from './text-codec.js';

export interface IdCardReaderConfig {
  deviceId?: string;
  /** Serial path, e.g. /dev/ttyUSB0 or COM3. */
  path: string;
  /** 115200 default (57600/38400/19200/9600 configurable on the reader). */
  baudRate?: number;
  /** Poll interval, at least 300 ms. */
  pollMs?: number;
  /** Reply timeout for find/select. */
  commandTimeoutMs?: number;
  /** Reply timeout for the read command. */
  readTimeoutMs?: number;
  /** Read text+photo+fingerprint (30 10) instead of text+photo (30 01). */
  withFingerprint?: boolean;
  /** WLT decoder (the vendor's library through FFI, or its command); without one (and without a reader that decodes) the photo is "none". */
  photoDecoder?: PhotoDecoderConfig;
  /** Reads of one placement whose reply is damaged or missing before the clerk is asked to place the card again. Default 3. */
  readAttempts?: number;
  /** Silence inside a reply that makes it truncated. Default 250 ms. */
  frameGapMs?: number;
}

type State = 'empty' | 'present';

/** Damaged replies in a row (without a card read) that mark the line itself as degraded. */
const DAMAGED_IN_ROW_FOR_HEALTH = 3;

export class SerialIdCardReader implements IdCardReader {
  readonly link: SerialLink;
  private readonly transport: FrameTransport;
  private readonly cards = new Listeners<CardRead>();
  private readonly errors = new Listeners<DeviceFailure>();
  private readonly removed = new Listeners<void>();
  private state: State = 'empty';
  /** The select answer (card serial number) of the card read last, hex; '' when the reader sends none. */
  private serial = '';
  private running = false;
  private timer: NodeJS.Timeout | null = null;
  private loop: Promise<void> = Promise.resolve();
  private timeouts = 0;
  /** Damaged replies in a row (any command): a noisy line shows in health even without a card. */
  private damagedInRow = 0;
  /** The last placement's read failed at the frame level; health stays degraded until a good read. */
  private readFault: DeviceFailure | null = null;
  readonly deviceId: string;
  private readonly pollMs: number;
  private readonly photoDecoder: WltDecoder | null;

  constructor(private readonly config: IdCardReaderConfig) {
    this.deviceId = config.deviceId ?? 'idcard-reader';
    this.pollMs = Math.max(300, config.pollMs ?? 300);
    this.photoDecoder = createPhotoDecoder(config.photoDecoder);
    this.link = new SerialLink({ path: config.path, baudRate: config.baudRate ?? 115200, deviceId: this.deviceId, kind: 'idcard_reader' });
    this.transport = new FrameTransport(this.link, config.frameGapMs === undefined ? {} : { frameGapMs: config.frameGapMs });
    this.link.onOpen(() => {
      this.timeouts = 0;
      this.state = 'empty';
    });
  }

  health() {
    return this.link.health.get();
  }

  onHealth(listener: Parameters<IdCardReader['onHealth']>[0]): Unsubscribe {
    return this.link.health.on(listener);
  }

  onCard(listener: (read: CardRead) => void): Unsubscribe {
    return this.cards.add(listener);
  }

  onReadError(listener: (failure: DeviceFailure) => void): Unsubscribe {
    return this.errors.add(listener);
  }

  onCardRemoved(listener: () => void): Unsubscribe {
    return this.removed.add(listener);
  }

  async start(): Promise<void> {
    if (this.running) return;
    this.running = true;
    this.photoDecoder?.warm?.();
    await this.link.start();
    this.schedule(0);
  }

  async stop(): Promise<void> {
    this.running = false;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await this.loop;
    await this.photoDecoder?.close();
    await this.link.close();
  }

  private schedule(delay: number): void {
    if (!this.running) return;
    this.timer = setTimeout(() => {
      const started = Date.now();
      this.loop = this.poll().finally(() => this.schedule(Math.max(0, this.pollMs - (Date.now() - started))));
    }, delay);
  }

  /** A reply, or the code of why there is none ('reply_timeout', a frame fault, 'device_offline', …). */
  private async cmd(name: Parameters<FrameTransport['request']>[0], timeoutMs: number): Promise<Reply | { failed: string }> {
    try {
      const r = await this.transport.request(name, timeoutMs);
      const wasDown = this.timeouts > 0 || this.damagedInRow >= DAMAGED_IN_ROW_FOR_HEALTH;
      this.timeouts = 0;
      this.damagedInRow = 0;
      if (wasDown) this.settleHealth();
      return r;
    } catch (err) {
      const code = err instanceof DeviceError ? err.code : 'failed';
      if (code === 'reply_timeout' && this.link.isOpen) {
        this.timeouts++;
        if (this.timeouts >= 2) this.link.health.set('offline', { zh: '读卡器无应答', en: 'Reader does not answer' });
      } else if (isFrameFault(code) && this.link.isOpen) {
        this.damagedInRow++;
        if (this.damagedInRow >= DAMAGED_IN_ROW_FOR_HEALTH) {
          const f = readFaultFailure(code);
          this.link.health.set('degraded', {
            zh: `读卡器通信数据出错（${f.detail.zh}），请检查读卡器连接线`,
            en: `Data from the reader arrives damaged (${f.detail.en}); check the reader's cable`,
          });
        }
      }
      return { failed: code };
    }
  }

  /** The card left the reader: the next placement is read afresh, and its failed read no longer shows in health. */
  private cardLeft(): void {
    this.state = 'empty';
    this.serial = '';
    if (this.readFault) {
      this.readFault = null;
      if (this.link.health.get().state === 'degraded' && this.damagedInRow < DAMAGED_IN_ROW_FOR_HEALTH) this.link.health.set('ok');
    }
    this.removed.emit();
  }

  /** Health once the line answers cleanly: ok, unless the last placement's read failed. */
  private settleHealth(): void {
    if (this.readFault) this.link.health.set('degraded', this.readFault.message);
    else this.link.health.set('ok');
  }

  private async poll(): Promise<void> {
    if (!this.link.isOpen) {
      if (this.state === 'present') {
        this.cardLeft();
      }
      return;
    }
    const t = this.config.commandTimeoutMs ?? 500;
    const find = await this.cmd('findCard', t);
    if ('failed' in find) return;
    const found = find.status.code === 'card_found';
    if (this.state === 'present') {
      const sel = await this.cmd('selectCard', t);
      if ('failed' in sel) {
        if (isFrameFault(sel.failed)) return; // a damaged answer says nothing either way
        if (found) return; // no answer to select while find still sees a card: judge next poll
      } else if (sel.status.code === 'ok') {
        // Still lying on the reader (some readers keep finding it), unless it is another card.
        if (!this.serial || serialOf(sel) === this.serial) return;
      }
      this.cardLeft();
      if (!('failed' in sel) && sel.status.code === 'ok') await this.readPlacedCard(t); // swapped within one poll
      return;
    }
    if (!found) return;
    await this.readPlacedCard(t);
  }

  private async readPlacedCard(t: number): Promise<void> {
    const fp = this.config.withFingerprint === true;
    const attempts = Math.max(1, this.config.readAttempts ?? 3);
    let reply: Reply | null = null;
    let lastFault = '';
    /** The serial number of the card selected last (what the next polls compare against). */
    let serial = '';
    for (let i = 0; i < attempts && !reply; i++) {
      const sel = await this.cmd('selectCard', t);
      if ('failed' in sel) {
        if (!isFrameFault(sel.failed) && sel.failed !== 'reply_timeout') return; // port gone: the next poll sees it
        lastFault = sel.failed;
        continue;
      }
      if (sel.status.code !== 'ok') {
        if (i === 0) return; // card moved away before the read; try again next poll
        break; // it left during the retries: what went wrong is still worth saying
      }
      serial = serialOf(sel);
      const r = await this.cmd(fp ? 'readTextPhotoFingerprint' : 'readTextPhoto', this.config.readTimeoutMs ?? 3000);
      if ('failed' in r) {
        if (!isFrameFault(r.failed) && r.failed !== 'reply_timeout') return;
        lastFault = r.failed;
        continue;
      }
      reply = r;
    }
    // One placement, one outcome: the card must leave before it is read again, error or not.
    this.state = 'present';
    this.serial = serial;
    if (!reply) {
      // Damaged or missing replies every time: no re-read storm, the clerk places the card again.
      const f = readFaultFailure(lastFault || 'reply_timeout');
      this.readFault = { code: f.code, message: f.message, action: 'replace_card' };
      if (this.link.health.get().state !== 'offline') this.link.health.set('degraded', f.message);
      this.errors.emit(this.readFault);
      return;
    }
    if (reply.status.code !== 'ok') {
      this.errors.emit({ code: reply.status.code, message: { zh: reply.status.zh, en: reply.status.en }, ...replaceCardAdvice(reply.status.code) });
      return;
    }
    const data = parseReadData(reply.data, fp);
    if (!data.ok) {
      this.errors.emit({ code: data.code, message: data.message, ...replaceCardAdvice(data.code) });
      return;
    }
    const identity = parseCardText(data.value.text);
    if (!identity.ok) {
      this.errors.emit({ code: identity.code, message: identity.message });
      return;
    }
    if (this.readFault) {
      this.readFault = null;
      this.settleHealth();
    }
    const photo = await resolvePhoto(data.value.photo, this.photoDecoder);
    this.cards.emit({ identity: identity.value, photo, readAt: Date.now(), deviceId: this.deviceId });
  }
}

/** The card serial number a select answer carries, hex; '' when the reader sends none (or only zeros). */
function serialOf(reply: Reply): string {
  return reply.data.some((b) => b !== 0) ? Buffer.from(reply.data).toString('hex') : '';
}
