// A Clock corrected by the measured offset to the platform's time. The store stamps records
// with it, so a device whose RTC drifted still records the right time. The offset is applied
// only when it exceeds `applyAboveMs` and is larger than the measurement's uncertainty.
import { systemClock, type Clock } from '../../../edge-core/src/ports/clock.js';
import type { ClockSkew } from '../../../edge-core/src/ports/platform.js';

export class CorrectedClock implements Clock {
  #offsetMs = 0;
  #skew: ClockSkew | null = null;

  constructor(
    private readonly base: Clock = systemClock,
    private readonly applyAboveMs = 2000,
  ) {}

  now(): number {
    return this.base.now() + this.#offsetMs;
  }

  get offsetMs(): number {
    return this.#offsetMs;
  }

  skew(): ClockSkew | null {
    return this.#skew;
  }

  /** Takes a new estimate; returns true when the applied offset changed. */
  update(skew: ClockSkew): boolean {
    this.#skew = skew;
    const next = Math.abs(skew.offsetMs) > Math.max(this.applyAboveMs, skew.uncertaintyMs) ? skew.offsetMs : 0;
    if (Math.abs(next - this.#offsetMs) < 500) return false;
    this.#offsetMs = next;
    return true;
  }
}
