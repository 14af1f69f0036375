// What every serial turnstile controller shares: its self-recovering link, whose health is the
// device's health.
import type { DeviceHealth, Unsubscribe } from '../../../edge-core/src/ports/devices.js';
import type { SerialLink } from '../serial/serial-link.js';

export abstract class SerialTurnstile {
  abstract readonly link: SerialLink;

  start(): Promise<void> {
    return this.link.start();
  }

  health(): DeviceHealth {
    return this.link.health.get();
  }

  onHealth(listener: (h: DeviceHealth) => void): Unsubscribe {
    return this.link.health.on(listener);
  }
}
