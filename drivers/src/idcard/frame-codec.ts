// GA/T 467 SAM serial frames (二代证 SAM 模块串口协议), pure functions.
// Frame: AA AA AA 96 69 | LEN (2 bytes BE, counts the bytes after it incl. checksum) | body | CHK
// CHK is the XOR of LEN and body. A command body is CMD PARA [data]; a reply body is
// SW1 SW2 SW3 [data].
import { codecError, ok, type CodecError, type CodecResult } from '../errors.js';

export const PREAMBLE = Uint8Array.of(0xaa, 0xaa, 0xaa, 0x96, 0x69);
/** Largest body the 2-byte length allows (readers that return a decoded BMP/JPEG send big replies). */
export const MAX_BODY = 65533;

export const Command = {
  reset: [0x10, 0xff],
  status: [0x11, 0xff],
  samId: [0x12, 0xff],
  findCard: [0x20, 0x01],
  selectCard: [0x20, 0x02],
  readTextPhoto: [0x30, 0x01],
  readTextPhotoFingerprint: [0x30, 0x10],
} as const satisfies Record<string, readonly [number, number]>;
export type CommandName = keyof typeof Command;

/** SW3 status codes (SW1 = SW2 = 00), named. */
export const STATUS: Readonly<Record<number, { code: string; zh: string; en: string }>> = {
  0x90: { code: 'ok', zh: '操作成功', en: 'Success' },
  0x91: { code: 'no_content', zh: '证/卡中此项无内容', en: 'No content for this item' },
  0x9f: { code: 'card_found', zh: '寻找证/卡成功', en: 'Card found' },
  0x10: { code: 'rx_checksum_error', zh: '接收业务终端数据的校验和错', en: 'Checksum error in data from terminal' },
  0x11: { code: 'rx_length_error', zh: '接收业务终端数据的长度错', en: 'Length error in data from terminal' },
  0x21: { code: 'rx_command_error', zh: '接收业务终端的命令错误', en: 'Invalid command from terminal' },
  0x23: { code: 'unauthorized_operation', zh: '越权操作', en: 'Operation not permitted' },
  0x24: { code: 'unrecognized_error', zh: '无法识别的错误', en: 'Unrecognised error' },
  0x31: { code: 'card_auth_sam_failed', zh: '证/卡认证机具失败', en: 'Card failed to authenticate the SAM' },
  0x32: { code: 'sam_auth_card_failed', zh: '机具认证证/卡失败', en: 'SAM failed to authenticate the card' },
  0x33: { code: 'info_verify_error', zh: '信息验证错误', en: 'Information verification error' },
  0x40: { code: 'unknown_card_type', zh: '无法识别的证/卡类型', en: 'Unrecognised card type' },
  0x41: { code: 'read_card_failed', zh: '读证/卡操作失败', en: 'Reading the card failed' },
  0x47: { code: 'random_number_failed', zh: '取随机数失败', en: 'Getting a random number failed' },
  0x60: { code: 'sam_self_test_failed', zh: 'SAM 自检失败', en: 'SAM self-test failed' },
  0x66: { code: 'sam_unauthorized', zh: 'SAM 未经授权', en: 'SAM not authorised' },
  0x80: { code: 'find_card_failed', zh: '寻找证/卡失败', en: 'No card found' },
  0x81: { code: 'select_card_failed', zh: '选取证/卡失败', en: 'Selecting the card failed' },
};

export interface StatusInfo {
  sw1: number;
  sw2: number;
  sw3: number;
  code: string;
  zh: string;
  en: string;
}

export function describeStatus(sw1: number, sw2: number, sw3: number): StatusInfo {
  const known = sw1 === 0 && sw2 === 0 ? STATUS[sw3] : undefined;
  const hex = [sw1, sw2, sw3].map((b) => b.toString(16).padStart(2, '0')).join(' ');
  if (known) return { sw1, sw2, sw3, ...known };
  return { sw1, sw2, sw3, code: 'unknown_status', zh: `未知状态码 ${hex}`, en: `Unknown status ${hex}` };
}

export function xorChecksum(bytes: Uint8Array, start = 0, end = bytes.length): number {
  let x = 0;
  for (let i = start; i < end; i++) x ^= bytes[i] as number;
  return x;
}

/** Wraps a body (command or reply) in a frame. */
export function encodeFrame(body: Uint8Array): Uint8Array {
  const len = body.length + 1;
  const out = new Uint8Array(PREAMBLE.length + 2 + len);
  out.set(PREAMBLE, 0);
  out[5] = (len >> 8) & 0xff;
  out[6] = len & 0xff;
  out.set(body, 7);
  out[out.length - 1] = xorChecksum(out, 5, out.length - 1);
  return out;
}

export function encodeCommand(name: CommandName, data: Uint8Array = new Uint8Array(0)): Uint8Array {
  const [cmd, para] = Command[name];
  const body = new Uint8Array(2 + data.length);
  body[0] = cmd;
  body[1] = para;
  body.set(data, 2);
  return encodeFrame(body);
}

export function encodeReply(sw3: number, data: Uint8Array = new Uint8Array(0), sw1 = 0, sw2 = 0): Uint8Array {
  const body = new Uint8Array(3 + data.length);
  body[0] = sw1;
  body[1] = sw2;
  body[2] = sw3;
  body.set(data, 3);
  return encodeFrame(body);
}

/** Decodes exactly one complete frame (no leading or trailing bytes). */
export function decodeFrame(bytes: Uint8Array): CodecResult<Uint8Array> {
  if (bytes.length < PREAMBLE.length + 3) return codecError('truncated', '帧不完整', 'Frame too short');
  for (let i = 0; i < PREAMBLE.length; i++) {
    if (bytes[i] !== PREAMBLE[i]) return codecError('bad_preamble', '帧头错误', 'Bad preamble');
  }
  const len = ((bytes[5] as number) << 8) | (bytes[6] as number);
  if (len < 1 || len - 1 > MAX_BODY) return codecError('bad_length', '长度字段错误', `Bad length field ${len}`);
  if (bytes.length !== 7 + len) {
    return bytes.length < 7 + len
      ? codecError('truncated', '帧不完整', 'Frame shorter than its length field')
      : codecError('trailing_bytes', '帧后有多余字节', 'Bytes after the frame');
  }
  const chk = xorChecksum(bytes, 5, bytes.length - 1);
  if (chk !== bytes[bytes.length - 1]) return codecError('bad_checksum', '校验和错误', 'Checksum mismatch');
  return ok(bytes.slice(7, bytes.length - 1));
}

export type AssemblerEvent = { kind: 'frame'; body: Uint8Array } | { kind: 'error'; error: CodecError };

/**
 * Streaming frame finder for a serial byte stream: resynchronises on the preamble, drops
 * garbage and bad frames (reported as errors), never waits for more than MAX_BODY bytes.
 */
export class FrameAssembler {
  private buf = new Uint8Array(0);

  push(chunk: Uint8Array): AssemblerEvent[] {
    const merged = new Uint8Array(this.buf.length + chunk.length);
    merged.set(this.buf, 0);
    merged.set(chunk, this.buf.length);
    let buf = merged;
    const events: AssemblerEvent[] = [];
    for (;;) {
      const start = findPreamble(buf);
      if (start < 0) {
        // Keep a possible partial preamble at the end.
        buf = buf.slice(Math.max(0, buf.length - (PREAMBLE.length - 1)));
        break;
      }
      if (start > 0) buf = buf.slice(start);
      if (buf.length < 7) break;
      const len = ((buf[5] as number) << 8) | (buf[6] as number);
      if (len < 1 || len - 1 > MAX_BODY) {
        events.push({ kind: 'error', error: codecError('bad_length', '长度字段错误', `Bad length field ${len}`) });
        buf = buf.slice(1);
        continue;
      }
      if (buf.length < 7 + len) break;
      const frame = buf.slice(0, 7 + len);
      const decoded = decodeFrame(frame);
      if (decoded.ok) {
        events.push({ kind: 'frame', body: decoded.value });
        buf = buf.slice(7 + len);
      } else {
        events.push({ kind: 'error', error: decoded });
        buf = buf.slice(1);
      }
    }
    this.buf = buf;
    return events;
  }

  reset(): void {
    this.buf = new Uint8Array(0);
  }

  get pending(): number {
    return this.buf.length;
  }

  /** The buffer holds the start of a frame (its preamble) waiting for the rest. */
  get partialFrame(): boolean {
    return findPreamble(this.buf) === 0;
  }
}

function findPreamble(buf: Uint8Array): number {
  outer: for (let i = 0; i + PREAMBLE.length <= buf.length; i++) {
    for (let j = 0; j < PREAMBLE.length; j++) {
      if (buf[i + j] !== PREAMBLE[j]) continue outer;
    }
    return i;
  }
  return -1;
}

export interface Reply {
  status: StatusInfo;
  data: Uint8Array;
}

export function parseReply(body: Uint8Array): CodecResult<Reply> {
  if (body.length < 3) return codecError('truncated', '应答不完整', 'Reply shorter than its status bytes');
  return ok({ status: describeStatus(body[0] as number, body[1] as number, body[2] as number), data: body.slice(3) });
}

export interface ParsedCommand {
  name: CommandName | 'unknown';
  cmd: number;
  para: number;
  data: Uint8Array;
}

export function parseCommand(body: Uint8Array): CodecResult<ParsedCommand> {
  if (body.length < 2) return codecError('truncated', '命令不完整', 'Command shorter than CMD PARA');
  const cmd = body[0] as number;
  const para = body[1] as number;
  const entry = (Object.entries(Command) as [CommandName, readonly [number, number]][]).find(
    ([, c]) => c[0] === cmd && c[1] === para,
  );
  return ok({ name: entry ? entry[0] : 'unknown', cmd, para, data: body.slice(2) });
}

export interface ReadData {
  text: Uint8Array;
  photo: Uint8Array;
  fingerprint?: Uint8Array;
}

/** Splits the data of a read reply: text len, photo len, [fingerprint len], then the blocks. */
export function parseReadData(data: Uint8Array, withFingerprint: boolean): CodecResult<ReadData> {
  const header = withFingerprint ? 6 : 4;
  if (data.length < header) return codecError('truncated', '读卡数据不完整', 'Read data shorter than its header');
  const textLen = ((data[0] as number) << 8) | (data[1] as number);
  const photoLen = ((data[2] as number) << 8) | (data[3] as number);
  const fpLen = withFingerprint ? ((data[4] as number) << 8) | (data[5] as number) : 0;
  if (data.length !== header + textLen + photoLen + fpLen) {
    return codecError('bad_length', '读卡数据长度不符', 'Read data length does not match its header');
  }
  if (textLen !== 256) return codecError('bad_text_length', '文字信息长度错误', `Text block is ${textLen} bytes, expected 256`);
  const text = data.slice(header, header + textLen);
  const photo = data.slice(header + textLen, header + textLen + photoLen);
  const result: ReadData = { text, photo };
  if (withFingerprint) result.fingerprint = data.slice(header + textLen + photoLen);
  return ok(result);
}

export function encodeReadData(text: Uint8Array, photo: Uint8Array, fingerprint?: Uint8Array): Uint8Array {
  const header = fingerprint ? 6 : 4;
  const out = new Uint8Array(header + text.length + photo.length + (fingerprint?.length ?? 0));
  out[0] = text.length >> 8;
  out[1] = text.length & 0xff;
  out[2] = photo.length >> 8;
  out[3] = photo.length & 0xff;
  if (fingerprint) {
    out[4] = fingerprint.length >> 8;
    out[5] = fingerprint.length & 0xff;
  }
  out.set(text, header);
  out.set(photo, header + text.length);
  if (fingerprint) out.set(fingerprint, header + text.length + photo.length);
  return out;
}
