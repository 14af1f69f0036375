// Health state of one device, emitting only on change.
import { EventEmitter } from 'node:events';
import type { DeviceHealth, DeviceHealthState, DeviceKind, Bilingual, Unsubscribe } from '../../edge-core/src/ports/devices.js';

export class HealthTracker {
  private current: DeviceHealth;
  private readonly emitter = new EventEmitter();

  constructor(deviceId: string, kind: DeviceKind, initial: DeviceHealthState = 'offline', reason?: Bilingual) {
    this.current = { deviceId, kind, state: initial, since: Date.now() };
    if (reason) this.current.reason = reason;
  }

  get(): DeviceHealth {
    return { ...this.current };
  }

  set(state: DeviceHealthState, reason?: Bilingual): void {
    if (state === this.current.state && reason?.en === this.current.reason?.en) return;
    // `since` is when the state changed: a new reason for the same state keeps it.
    const since = state === this.current.state ? this.current.since : Date.now();
    const next: DeviceHealth = { deviceId: this.current.deviceId, kind: this.current.kind, state, since };
    if (reason && state !== 'ok') next.reason = reason;
    const changedState = state !== this.current.state;
    this.current = next;
    if (changedState || state !== 'ok') this.emitter.emit('health', this.get());
  }

  on(listener: (h: DeviceHealth) => void): Unsubscribe {
    this.emitter.on('health', listener);
    return () => this.emitter.off('health', listener);
  }
}

/** Small typed listener set. */
export class Listeners<T> {
  private readonly set = new Set<(v: T) => void>();
  add(l: (v: T) => void): Unsubscribe {
    this.set.add(l);
    return () => this.set.delete(l);
  }
  emit(v: T): void {
    for (const l of this.set) {
      try {
        l(v);
      } catch (err) {
        // A listener's bug must not stop the device loop.
        queueMicrotask(() => {
          throw err;
        });
      }
    }
  }
}
