// GA/T 467 ID-card reader simulator: answers find/select/read with the real frames for a
// placed synthetic card. Like real SAM readers, once a card has been read "find" fails until
// the card leaves, while "select" still succeeds as long as it lies on the reader.
import { createHash } from 'node:crypto';
import { EventEmitter } from 'node:events';
import { FrameAssembler, encodeReadData, encodeReply, parseCommand } from '../idcard/frame-codec.js';
import { encodeCardText } from '../idcard/text-codec.js';
import { findCard, type DeckCard } from './card-deck.js';
import { placeholderBmp, placeholderJpeg, placeholderWlt } from './placeholder-photo.js';
import { SimPort } from './sim-port.js';

export interface IdCardReaderSimOptions {
  path: string;
  baudRate?: number;
  /** 'wlt' (default): 1024 opaque WLT bytes; 'bmp'/'jpeg': a reader that returns a decoded photo. */
  photo?: 'wlt' | 'bmp' | 'jpeg';
  /** With photo 'jpeg': the decoded photo to return instead of the placeholder (demo and e2e). */
  decodedJpeg?: Uint8Array;
  paceToBaud?: boolean;
}

export class IdCardReaderSimulator extends EventEmitter {
  private readonly port: SimPort;
  private readonly assembler = new FrameAssembler();
  private card: DeckCard | null = null;
  private readSincePlaced = false;
  private decoded: Uint8Array | null = null;
  /** Commands received, by name (for tests). */
  readonly received: string[] = [];
  /** Stop answering (a reader whose SAM module hangs while the USB port stays). */
  silent = false;

  constructor(private readonly options: IdCardReaderSimOptions) {
    super();
    this.port = new SimPort({ path: options.path, baudRate: options.baudRate ?? 115200, paceToBaud: options.paceToBaud ?? true, name: 'idcard-sim' });
    this.port.onData((chunk) => this.onData(chunk));
  }

  async start(): Promise<void> {
    if (this.options.photo === 'bmp') this.decoded = placeholderBmp();
    if (this.options.photo === 'jpeg') this.decoded = this.options.decodedJpeg ?? (await placeholderJpeg());
    await this.port.start();
  }

  /** Puts a card (deck key or card) on the reader. */
  place(card: string | DeckCard): void {
    const c = typeof card === 'string' ? findCard(card) : card;
    if (!c) throw new Error(`no card '${String(card)}' in the deck`);
    this.card = c;
    this.readSincePlaced = false;
  }

  remove(): void {
    this.card = null;
    this.readSincePlaced = false;
  }

  get placed(): DeckCard | null {
    return this.card;
  }

  async close(): Promise<void> {
    await this.port.close();
  }

  private onData(chunk: Buffer): void {
    if (this.silent) return;
    for (const e of this.assembler.push(chunk)) {
      if (e.kind === 'error') {
        void this.port.send(encodeReply(e.error.code === 'bad_checksum' ? 0x10 : 0x11));
        continue;
      }
      const cmd = parseCommand(e.body);
      if (!cmd.ok) {
        void this.port.send(encodeReply(0x21));
        continue;
      }
      this.received.push(cmd.value.name);
      void this.port.send(this.answer(cmd.value.name));
    }
  }

  private answer(name: string): Uint8Array {
    switch (name) {
      case 'reset':
      case 'status':
        return encodeReply(0x90);
      case 'samId':
        return encodeReply(0x90, Uint8Array.from([0x05, 0x00, 0x99, 0x99, 0x99, 0x99, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]));
      case 'findCard':
        return this.card && !this.readSincePlaced ? encodeReply(0x9f, new Uint8Array(4)) : encodeReply(0x80);
      case 'selectCard':
        return this.card ? encodeReply(0x90, cardSerial(this.card.key)) : encodeReply(0x81);
      case 'readTextPhoto':
      case 'readTextPhotoFingerprint': {
        const card = this.card;
        if (!card) return encodeReply(0x41);
        this.readSincePlaced = true;
        this.emit('read', card.key);
        if (card.readStatus !== undefined) return encodeReply(card.readStatus);
        const text = card.rawText ?? encodeCardText(card.identity);
        const photo = this.decoded ?? placeholderWlt();
        const fp = name === 'readTextPhotoFingerprint' ? new Uint8Array(1024) : undefined;
        return encodeReply(0x90, encodeReadData(text, photo, fp));
      }
      default:
        return encodeReply(0x21);
    }
  }
}

/** A stable 8-byte card serial number per deck card, as select returns it. */
function cardSerial(key: string): Uint8Array {
  return Uint8Array.from(createHash('sha256').update(`card-serial:${key}`).digest().subarray(0, 8));
}
