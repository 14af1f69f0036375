// Turnstile-side simulators: a Modbus RTU relay board, a serial→Wiegand converter that
// decodes what it receives, and a CH340 LCUS relay. Each records what reached it.
import { EventEmitter } from 'node:events';
import { LCUS_STATUS_QUERY, decodeLcus, formatLcusStatus } from '../lcus/lcus-codec.js';
import {
  FN_READ_COILS,
  FN_WRITE_SINGLE_COIL,
  decodeRequest,
  encodeException,
  encodeReadCoilsResponse,
  encodeWriteCoilResponse,
} from '../modbus/modbus-codec.js';
import { ACK, ConverterFrameSplitter, NAK } from '../wiegand/converter-codec.js';
import type { WiegandCredential } from '../wiegand/wiegand-codec.js';
import { SimPort } from './sim-port.js';

export interface CoilEvent {
  coil: number;
  on: boolean;
  /** performance.now() when applied */
  at: number;
}

export interface ModbusRelaySimOptions {
  path: string;
  baudRate?: number;
  unit?: number;
  coils?: number;
  paceToBaud?: boolean;
}

export class ModbusRelaySimulator extends EventEmitter {
  private readonly port: SimPort;
  private buf: number[] = [];
  readonly coils: boolean[];
  readonly history: CoilEvent[] = [];
  /** Stop answering (a dead or unpowered controller on a live bus). */
  silent = false;
  /** Answer writes with this exception code instead of switching. */
  writeException: number | null = null;
  /** Acknowledge writes but do not switch (a stuck relay): read-back shows it. */
  stuck = false;
  /**
   * Before echoing the next write, send a read-coils reply first: the late answer to an earlier
   * request that the driver had already given up on (a slow board on a loaded host). One-shot.
   */
  lateReadReplyBeforeNextWrite = false;

  constructor(private readonly options: ModbusRelaySimOptions) {
    super();
    this.coils = new Array<boolean>(options.coils ?? 8).fill(false);
    this.port = new SimPort({ path: options.path, baudRate: options.baudRate ?? 9600, paceToBaud: options.paceToBaud ?? true, name: 'modbus-sim' });
    this.port.onData((c) => this.onData(c));
  }

  start(): Promise<void> {
    return this.port.start();
  }

  close(): Promise<void> {
    return this.port.close();
  }

  private onData(chunk: Buffer): void {
    this.buf.push(...chunk);
    while (this.buf.length >= 8) {
      const frame = Uint8Array.from(this.buf.splice(0, 8));
      const req = decodeRequest(frame);
      if (!req.ok) {
        this.buf = []; // a real slave drops the bad frame and waits for silence
        continue;
      }
      const unit = this.options.unit ?? 1;
      if (req.value.unit !== unit || this.silent) continue;
      const r = req.value;
      if (r.kind === 'write_coil') {
        if (this.writeException !== null) {
          void this.port.send(encodeException(unit, FN_WRITE_SINGLE_COIL, this.writeException));
        } else if (r.coil >= this.coils.length) {
          void this.port.send(encodeException(unit, FN_WRITE_SINGLE_COIL, 0x02));
        } else {
          if (!this.stuck) {
            this.coils[r.coil] = r.on;
            const ev = { coil: r.coil, on: r.on, at: performance.now() };
            this.history.push(ev);
            this.emit('coil', ev);
          }
          if (this.lateReadReplyBeforeNextWrite) {
            this.lateReadReplyBeforeNextWrite = false;
            void this.port.send(encodeReadCoilsResponse(unit, [false]));
          }
          void this.port.send(encodeWriteCoilResponse(unit, r.coil, r.on));
        }
      } else if (r.kind === 'read_coils') {
        if (r.start + r.quantity > this.coils.length) void this.port.send(encodeException(unit, FN_READ_COILS, 0x02));
        else void this.port.send(encodeReadCoilsResponse(unit, this.coils.slice(r.start, r.start + r.quantity)));
      } else {
        void this.port.send(encodeException(unit, r.fn, 0x01));
      }
    }
  }
}

export interface WiegandEvent extends WiegandCredential {
  at: number;
}

export class WiegandConverterSimulator extends EventEmitter {
  private readonly port: SimPort;
  private readonly splitter = new ConverterFrameSplitter();
  readonly received: WiegandEvent[] = [];
  readonly errors: string[] = [];
  /** Stop acknowledging (converter powered but broken). */
  silent = false;
  /** Answer this many ms late (a converter stalled by its own work); 0 answers at once. */
  answerDelayMs = 0;

  constructor(options: { path: string; baudRate?: number; paceToBaud?: boolean }) {
    super();
    this.port = new SimPort({ path: options.path, baudRate: options.baudRate ?? 9600, paceToBaud: options.paceToBaud ?? true, name: 'wiegand-sim' });
    this.port.onData((c) => {
      for (const r of this.splitter.push(c)) {
        if (this.silent) continue;
        if (r.ok) {
          const ev = { ...r.value, at: performance.now() };
          this.received.push(ev);
          this.emit('wiegand', ev);
          this.answer(ACK);
        } else {
          this.errors.push(r.code);
          this.answer(NAK);
        }
      }
    });
  }

  start(): Promise<void> {
    return this.port.start();
  }

  close(): Promise<void> {
    return this.port.close();
  }

  private answer(byte: number): void {
    const send = () => void this.port.send(Uint8Array.of(byte));
    if (this.answerDelayMs > 0) setTimeout(send, this.answerDelayMs);
    else send();
  }
}

export class LcusRelaySimulator extends EventEmitter {
  private readonly port: SimPort;
  private buf: number[] = [];
  readonly channels: boolean[];
  readonly history: { channel: number; on: boolean; at: number }[] = [];

  constructor(options: { path: string; channels?: number; paceToBaud?: boolean }) {
    super();
    this.channels = new Array<boolean>(options.channels ?? 2).fill(false);
    this.port = new SimPort({ path: options.path, baudRate: 9600, paceToBaud: options.paceToBaud ?? true, name: 'lcus-sim' });
    this.port.onData((c) => this.onData(c));
  }

  start(): Promise<void> {
    return this.port.start();
  }

  close(): Promise<void> {
    return this.port.close();
  }

  private onData(chunk: Buffer): void {
    this.buf.push(...chunk);
    for (;;) {
      if (this.buf[0] === LCUS_STATUS_QUERY[0]) {
        this.buf.shift();
        void this.port.send(new TextEncoder().encode(formatLcusStatus(this.channels)));
        continue;
      }
      const start = this.buf.indexOf(0xa0);
      if (start < 0) {
        this.buf = [];
        return;
      }
      this.buf.splice(0, start);
      if (this.buf.length < 4) return;
      const r = decodeLcus(Uint8Array.from(this.buf.slice(0, 4)));
      if (!r.ok || r.value.channel > this.channels.length) {
        this.buf.shift();
        continue;
      }
      this.buf.splice(0, 4);
      this.channels[r.value.channel - 1] = r.value.on;
      const ev = { ...r.value, at: performance.now() };
      this.history.push(ev);
      this.emit('relay', ev);
    }
  }
}
