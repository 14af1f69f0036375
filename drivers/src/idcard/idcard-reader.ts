// ID-card reader driver (GA/T 467 SAM over serial or USB-serial): find → select → read, polling
// no faster than ~300 ms. A card is read once per placement: after a read, the card must leave
// (find fails AND select fails) before it is read again.
import type { CardRead, DeviceFailure, IdCardReader, Unsubscribe } from '../../../edge-core/src/ports/devices.js';
import { DeviceError } from '../errors.js';
import { Listeners } from '../health.js';
import { SerialLink } from '../serial/serial-link.js';
import { parseReadData, type Reply } from './frame-codec.js';
import { FrameTransport } from './frame-transport.js';
import { resolvePhoto, type ExternalDecoderConfig } from './photo-decoder.js';
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
  /** External WLT decoder; without it (and without a reader that decodes) the photo is "none". */
  photoDecoder?: ExternalDecoderConfig;
}

type State = 'empty' | 'present';

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
  readonly deviceId: string;
  private readonly pollMs: number;

  constructor(private readonly config: IdCardReaderConfig) {
    this.deviceId = config.deviceId ?? 'idcard-reader';
    this.pollMs = Math.max(300, config.pollMs ?? 300);
    this.link = new SerialLink({ path: config.path, baudRate: config.baudRate ?? 115200, deviceId: this.deviceId, kind: 'idcard_reader' });
    this.transport = new FrameTransport(this.link);
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
    await this.link.start();
    this.schedule(0);
  }

  async stop(): Promise<void> {
    this.running = false;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await this.loop;
    await this.link.close();
  }

  private schedule(delay: number): void {
    if (!this.running) return;
    this.timer = setTimeout(() => {
      const started = Date.now();
      this.loop = this.poll().finally(() => this.schedule(Math.max(0, this.pollMs - (Date.now() - started))));
    }, delay);
  }

  private async cmd(name: Parameters<FrameTransport['request']>[0], timeoutMs: number): Promise<Reply | null> {
    try {
      const r = await this.transport.request(name, timeoutMs);
      if (this.timeouts > 0) {
        this.timeouts = 0;
        this.link.health.set('ok');
      }
      return r;
    } catch (err) {
      if (err instanceof DeviceError && err.code === 'reply_timeout' && this.link.isOpen) {
        this.timeouts++;
        if (this.timeouts >= 2) this.link.health.set('offline', { zh: '读卡器无应答', en: 'Reader does not answer' });
      }
      return null;
    }
  }

  private async poll(): Promise<void> {
    if (!this.link.isOpen) {
      if (this.state === 'present') {
        this.state = 'empty';
        this.removed.emit();
      }
      return;
    }
    const t = this.config.commandTimeoutMs ?? 500;
    const find = await this.cmd('findCard', t);
    if (!find) return;
    const found = find.status.code === 'card_found';
    if (this.state === 'present') {
      const sel = await this.cmd('selectCard', t);
      if (!sel && found) return; // no answer to select while find still sees a card: judge next poll
      if (sel && sel.status.code === 'ok') {
        // Still lying on the reader (some readers keep finding it), unless it is another card.
        if (!this.serial || serialOf(sel) === this.serial) return;
      }
      this.state = 'empty';
      this.serial = '';
      this.removed.emit();
      if (sel && sel.status.code === 'ok') await this.readPlacedCard(t);
      return;
    }
    if (!found) return;
    await this.readPlacedCard(t);
  }

  private async readPlacedCard(t: number): Promise<void> {
    const sel = await this.cmd('selectCard', t);
    if (!sel || sel.status.code !== 'ok') return; // card moved away; try again next poll
    const fp = this.config.withFingerprint === true;
    const reply = await this.cmd(fp ? 'readTextPhotoFingerprint' : 'readTextPhoto', this.config.readTimeoutMs ?? 3000);
    if (!reply) return;
    // One attempt per placement: the card must leave before it is read again, error or not.
    this.state = 'present';
    this.serial = serialOf(sel);
    if (reply.status.code !== 'ok') {
      this.errors.emit({ code: reply.status.code, message: { zh: reply.status.zh, en: reply.status.en } });
      return;
    }
    const data = parseReadData(reply.data, fp);
    if (!data.ok) {
      this.errors.emit({ code: data.code, message: data.message });
      return;
    }
    const identity = parseCardText(data.value.text);
    if (!identity.ok) {
      this.errors.emit({ code: identity.code, message: identity.message });
      return;
    }
    const photo = await resolvePhoto(data.value.photo, this.config.photoDecoder);
    this.cards.emit({ identity: identity.value, photo, readAt: Date.now(), deviceId: this.deviceId });
  }
}

/** The card serial number a select answer carries, hex; '' when the reader sends none (or only zeros). */
function serialOf(reply: Reply): string {
  return reply.data.some((b) => b !== 0) ? Buffer.from(reply.data).toString('hex') : '';
}
