// Starts the configured devices (or their simulators in demo mode), reports each device's
// health to the health registry and the UI, and keeps the last ID-card read for enrollment.
import { randomUUID } from 'node:crypto';
import { createDevices, demoIdPhotoJpeg, startSimulators, type Devices, type DevicesConfig, type SimulatorSet } from '../../drivers/src/index.js';
import { maskIdNumber, type CardRead, type DeviceHealth, type HealthReporting } from '../../edge-core/src/index.js';
import type { CoreServices } from './services.js';
import type { CardSummary } from '../shared/api/gate.js';

/** A card read kept in memory for the enrollment wizard; the UI sees it masked. */
export interface HeldCardRead {
  readId: string;
  read: CardRead;
  heldUntil: number;
}

const HOLD_MS = 15 * 60_000;

/** `devices.idCardReader.path` that means "the simulated reader" in simulate mode. */
export const SIMULATED_READER = 'simulated';

/** Settings key of the voice texts an admin changed (they replace the defaults). */
export const VOICE_TEMPLATES_KEY = 'voice.templates';

export class DevicesService {
  devices: Devices | null = null;
  simulators: SimulatorSet | null = null;
  readonly #cards = new Map<string, HeldCardRead>();
  #latest: HeldCardRead | null = null;
  readonly #unsubscribe: Array<() => void> = [];
  /** Devices owned elsewhere (the lanes' cameras) whose health is reported with these. */
  readonly #watched: HealthReporting[] = [];

  constructor(private readonly s: CoreServices) {}

  async start(opts: { simulatorPhoto?: Uint8Array; simulatorWlt?: Uint8Array } = {}): Promise<void> {
    const { simulate, ...configured } = this.s.config.devices;
    let config: DevicesConfig = configured;
    if (simulate) {
      // The demo's reader returns a decoded photo (a public-domain portrait), so the demo shows
      // a real 1:1 comparison; outside the demo a simulated reader returns WLT bytes, like a
      // reader without a vendor decoder (and so does the demo's when given a WLT block to return).
      const photo = opts.simulatorPhoto ?? (this.s.config.demo && !opts.simulatorWlt ? demoIdPhotoJpeg() : null);
      this.simulators = await startSimulators(photo ? { photo: 'jpeg', decodedJpeg: photo } : { photo: 'wlt', ...(opts.simulatorWlt ? { wlt: opts.simulatorWlt } : {}) });
      const sim = this.simulators.config;
      const reader = configured.idCardReader;
      config = {
        ...sim,
        ...configured,
        // `path: simulated` keeps the simulated reader with the configured options (e.g. a vendor's photo decoder to try).
        idCardReader: reader?.path === SIMULATED_READER && sim.idCardReader ? { ...reader, path: sim.idCardReader.path } : (reader ?? sim.idCardReader),
        turnstiles: configured.turnstiles.length ? configured.turnstiles : (sim.turnstiles ?? []),
        codeScanners: configured.codeScanners?.length || configured.codeScanner ? (configured.codeScanners ?? []) : (sim.codeScanners ?? []),
        // Demo voice: espeak-ng through the sound card; without one the announcer reports offline.
        announcer: configured.announcer ?? {},
      };
    }
    // Voice texts changed by an admin (Settings) replace the defaults.
    const voice = this.s.settings.get<Record<string, string>>(VOICE_TEMPLATES_KEY, {});
    if (config.announcer && Object.keys(voice).length) config = { ...config, announcer: { ...config.announcer, templates: { ...(config.announcer.templates ?? {}), ...voice } } };
    const devices = createDevices(config, this.simulators ? this.simulators.transports : {});
    this.devices = devices;
    const all = [devices.idCardReader, ...devices.turnstiles, devices.announcer, ...devices.codeScanners.map((c) => c.scanner), ...devices.frameSources].filter(
      (d): d is NonNullable<typeof d> => d !== undefined,
    );
    for (const d of all) {
      this.#report(d.health());
      this.#unsubscribe.push(d.onHealth((h) => this.#report(h)));
    }
    if (devices.idCardReader) {
      const reader = devices.idCardReader;
      this.#unsubscribe.push(
        reader.onCard((read) => {
          const held: HeldCardRead = { readId: randomUUID(), read, heldUntil: this.s.clock.now() + HOLD_MS };
          this.#prune();
          this.#cards.set(held.readId, held);
          this.#latest = held;
          this.s.logger.info({ readId: held.readId, cardType: read.identity.cardType, photo: read.photo.kind }, 'ID card read');
          this.s.events.publish({ type: 'card.read', readId: held.readId, at: read.readAt });
        }),
        reader.onReadError((f) => this.s.events.publish({ type: 'card.error', code: f.code, message: f.message, ...(f.action ? { action: f.action } : {}), at: this.s.clock.now() })),
        reader.onCardRemoved(() => {
          // The next person's enrollment waits for their card, not this one (a read already
          // taken by an open enrollment stays usable by its readId).
          this.#latest = null;
          this.s.events.publish({ type: 'card.removed', at: this.s.clock.now() });
        }),
      );
    }
    await devices.start();
  }

  /** Reports a device's health with the others (device health, /health, live events). */
  watch(device: HealthReporting): void {
    this.#watched.push(device);
    this.#report(device.health());
    this.#unsubscribe.push(device.onHealth((h) => this.#report(h)));
  }

  #report(h: DeviceHealth): void {
    this.s.health.set(`device:${h.deviceId}`, h.state === 'ok' ? { ok: true } : { ok: false, detail: h.reason ? `${h.reason.zh} ${h.reason.en}` : h.state });
    this.s.events.publish({ type: 'device.health', deviceId: h.deviceId, ok: h.state === 'ok', state: h.state, kind: h.kind, ...(h.reason ? { detail: h.reason.zh } : {}), at: this.s.clock.now() });
  }

  #prune(): void {
    const now = this.s.clock.now();
    for (const [id, c] of this.#cards) if (c.heldUntil <= now) this.#cards.delete(id);
  }

  /** The newest card read still held, if any. */
  latestCard(): HeldCardRead | null {
    this.#prune();
    return this.#latest && this.#cards.has(this.#latest.readId) ? this.#latest : null;
  }

  card(readId: string): HeldCardRead | null {
    this.#prune();
    return this.#cards.get(readId) ?? null;
  }

  /** Forget a read once the enrollment that used it is saved. */
  release(readId: string): void {
    this.#cards.delete(readId);
    if (this.#latest?.readId === readId) this.#latest = null;
  }

  /** Each device's health; a turnstile also names the lanes it opens (screens show lanes, not ids). */
  health(): Array<DeviceHealth & { lanes?: string[] }> {
    const d = this.devices;
    const lanesOf = new Map<string, string[]>();
    if (d) {
      for (const lane of this.s.config.lanes) {
        const id = d.turnstileForLane(lane.id)?.health().deviceId;
        if (id) lanesOf.set(id, [...(lanesOf.get(id) ?? []), lane.id]);
      }
    }
    const own = d ? [d.idCardReader, ...d.turnstiles, d.announcer, ...d.codeScanners.map((c) => c.scanner), ...d.frameSources] : [];
    return [...own, ...this.#watched]
      .filter((x): x is NonNullable<typeof x> => x !== undefined)
      .map((x) => {
        const h = x.health();
        const lanes = lanesOf.get(h.deviceId);
        return lanes ? { ...h, lanes } : h;
      });
  }

  async stop(): Promise<void> {
    for (const u of this.#unsubscribe.splice(0)) u();
    await this.devices?.stop();
    await this.simulators?.stop();
  }
}

/** The masked view of a card read that screens may show. */
export function cardSummary(h: HeldCardRead): CardSummary {
  const id = h.read.identity;
  return {
    readId: h.readId,
    cardType: id.cardType,
    name: id.name,
    idNumberMasked: maskIdNumber(id.idNumber),
    sex: id.sex,
    birthDate: id.birthDate,
    validFrom: id.validFrom,
    validTo: id.validTo.kind === 'long_term' ? null : id.validTo.date,
    longTerm: id.validTo.kind === 'long_term',
    nation: 'nation' in id ? id.nation : null,
    issuingAuthority: id.issuingAuthority,
    photo: h.read.photo.kind === 'decoded' ? 'decoded' : 'none',
    photoProblem: h.read.photo.kind === 'none' ? h.read.photo.reason : null,
    readAt: h.read.readAt,
  };
}
