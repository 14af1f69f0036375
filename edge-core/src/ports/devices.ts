// Device ports: what the gate and enrollment services need from hardware, as pure types.
// Implementations live in drivers/ (serial ID reader, turnstile relays/Wiegand, espeak-ng
// announcer, HID code scanner, ffmpeg frame source) and each has a simulator.

import type { Bilingual } from '../domain/bilingual.js';

/** User-facing text, Chinese first (the one zh/en type, re-exported for the ports' users). */
export type { Bilingual };

/** Why a device operation failed. Drivers reject with an Error that also carries these fields. */
export interface DeviceFailure {
  /** Stable machine code, e.g. 'controller_offline', 'confirm_timeout', 'bad_checksum'. */
  code: string;
  message: Bilingual;
  /** What the person at the device should do: 'replace_card' — take the ID card off the reader and place it again. */
  action?: 'replace_card';
}

export type DeviceKind = 'idcard_reader' | 'turnstile' | 'announcer' | 'code_scanner' | 'frame_source';

/** ok: working; degraded: answers but something is off; offline: gone (unplugged, no answer). */
export type DeviceHealthState = 'ok' | 'degraded' | 'offline';

export interface DeviceHealth {
  /** Configured device id, e.g. 'reader-1', 'lane-1-turnstile'. */
  deviceId: string;
  kind: DeviceKind;
  state: DeviceHealthState;
  /** UTC ms when the state last changed. */
  since: number;
  /** Plain-words reason for degraded/offline. */
  reason?: Bilingual;
}

export type Unsubscribe = () => void;

/** Anything that reports health changes (emitted within 2 s of the change). */
export interface HealthReporting {
  health(): DeviceHealth;
  onHealth(listener: (health: DeviceHealth) => void): Unsubscribe;
}

// ---------------------------------------------------------------- ID card (二代身份证等)

/** 性别 code per GB/T 2261.1. */
export type SexCode = '0' | '1' | '2' | '9';

/** Card type, from the card-type byte of the text block (GA/T 467 readers). */
export type IdCardType =
  /** 居民身份证 */
  | 'resident'
  /** 外国人永久居留身份证 (2017 layout, type byte 'I') */
  | 'foreign_permanent_2017'
  /** 外国人永久居留身份证 (2023 layout, type byte 'Y') */
  | 'foreign_permanent_2023'
  /** 港澳台居民居住证 (type byte 'J') */
  | 'hmt_residence_permit';

/** Validity end: a date (YYYY-MM-DD) or 长期 (long-term, no end). */
export type ValidTo = { kind: 'date'; date: string } | { kind: 'long_term' };

interface IdentityBase {
  /** Name as printed (Chinese name; for foreigners the Chinese name, may be empty). */
  name: string;
  sex: SexCode;
  /** YYYY-MM-DD */
  birthDate: string;
  /** The card's identity number (公民身份号码 / 永居证号码). */
  idNumber: string;
  /** YYYY-MM-DD */
  validFrom: string;
  validTo: ValidTo;
}

export interface ResidentIdentity extends IdentityBase {
  cardType: 'resident';
  /** 民族 code per GB/T 3304, e.g. '01'. */
  nationCode: string;
  /** 民族 as printed, e.g. '汉'. */
  nation: string;
  address: string;
  issuingAuthority: string;
}

export interface ForeignPermanentIdentity extends IdentityBase {
  cardType: 'foreign_permanent_2017' | 'foreign_permanent_2023';
  englishName: string;
  /** Nationality code (GB/T 2659 alpha-3 on 2017 cards; numeric on 2023 cards). */
  nationality: string;
  /** 2017: card version; 2023: not present. */
  cardVersion?: string;
  /** 2017: 当次申请受理机关代码; 2023: 签发机关. */
  issuingAuthority: string;
  /** 2023: 换证次数. */
  renewalCount?: string;
  /** 2023: link to the previous (2017) card number, if any. */
  previousCardLink?: string;
}

export interface HmtResidenceIdentity extends IdentityBase {
  cardType: 'hmt_residence_permit';
  address: string;
  issuingAuthority: string;
  /** 港澳台居民出入境证件号码 (通行证号码). */
  passNumber: string;
  /** 签发次数 */
  issueCount: string;
}

export type CardIdentity = ResidentIdentity | ForeignPermanentIdentity | HmtResidenceIdentity;

/** The card photo. Never invented: without a decoder the result says so and the clerk sees it. */
export type CardPhoto =
  | { kind: 'decoded'; mime: 'image/bmp' | 'image/jpeg'; bytes: Uint8Array }
  | { kind: 'none'; reason: Bilingual; /** raw WLT bytes, kept only for a later decode */ wlt?: Uint8Array };

export interface CardRead {
  identity: CardIdentity;
  photo: CardPhoto;
  /** UTC ms. */
  readAt: number;
  /** Reader device id. */
  deviceId: string;
}

export interface IdCardReader extends HealthReporting {
  /** Start the find → select → read polling loop. */
  start(): Promise<void>;
  stop(): Promise<void>;
  /** A card was placed and read (once per placement; it must leave before it is read again). */
  onCard(listener: (read: CardRead) => void): Unsubscribe;
  /** A placed card could not be read (bad card, unknown type, checksum...). */
  onReadError(listener: (failure: DeviceFailure) => void): Unsubscribe;
  /** The card was taken away. */
  onCardRemoved(listener: () => void): Unsubscribe;
}

// ---------------------------------------------------------------- turnstile

export type PassageDirection = 'in' | 'out';

export interface OpenRequest {
  /** Configured lane id. */
  lane: string;
  direction: PassageDirection;
  /** Optional Wiegand card number to send for this passage (Wiegand turnstiles). */
  cardNumber?: number;
}

export interface OpenResult {
  lane: string;
  direction: PassageDirection;
  /** True when the controller confirmed (relay read back); false when the device has no read-back. */
  confirmed: boolean;
  /** UTC ms of the last byte of the open command written to the wire. */
  wireAt: number;
}

export interface Turnstile extends HealthReporting {
  /** Connects (and keeps reconnecting to) the controller. */
  start(): Promise<void>;
  /** Opens the lane. Rejects with a DeviceFailure (e.g. 'controller_offline') and never resolves when it did not open. */
  open(request: OpenRequest): Promise<OpenResult>;
  close(): Promise<void>;
}

// ---------------------------------------------------------------- announcer

export interface Announcement {
  /** Template key, e.g. 'welcome', 'refused'. */
  template: string;
  /** Values for the template placeholders, e.g. { name: '测试甲' }. */
  values?: Record<string, string>;
  /** Lane the announcement belongs to; a newer announcement for a lane supersedes an unspoken older one. */
  lane?: string;
}

export interface Announcer extends HealthReporting {
  /** Queue an announcement. Returns the text that will be spoken (or null when the template is unknown). */
  announce(announcement: Announcement): string | null;
  /** Replace the text templates ({ welcome: '{name}，欢迎' }). */
  setTemplates(templates: Record<string, string>): void;
  close(): Promise<void>;
}

// ---------------------------------------------------------------- code scanner

export interface ScannedCode {
  text: string;
  /** 'hid_pos' or 'keyboard_wedge'. */
  mode: 'hid_pos' | 'keyboard_wedge';
  /** UTC ms. */
  at: number;
  deviceId: string;
}

export interface CodeScanner extends HealthReporting {
  start(): Promise<void>;
  stop(): Promise<void>;
  onCode(listener: (code: ScannedCode) => void): Unsubscribe;
}

// ---------------------------------------------------------------- frame source

/** A decoded frame: interleaved RGB, row-major, 3 bytes per pixel. */
export interface RgbRaster {
  width: number;
  height: number;
  data: Uint8Array;
}

interface FrameBase {
  /** UTC ms when received. */
  at: number;
  /** Sequence number from the start of the source (it keeps counting across reconnections). */
  seq: number;
}

/** A frame as the camera driver delivers it: JPEG (for viewing) or raw RGB (for analysis, no decode). */
export type Frame = (FrameBase & { format: 'jpeg'; jpeg: Uint8Array }) | (FrameBase & { format: 'rgb'; rgb: RgbRaster });

export interface FrameSource extends HealthReporting {
  start(): Promise<void>;
  stop(): Promise<void>;
  onFrame(listener: (frame: Frame) => void): Unsubscribe;
  /** The newest frame received, if any (latest-frame-wins: older ones are never kept). */
  latest(): Frame | null;
  /**
   * The newest frame with a sequence number above `afterSeq`: at once when there is one, else
   * the next one to arrive. Resolves null when the source stops.
   */
  nextFrame(afterSeq: number): Promise<Frame | null>;
}
