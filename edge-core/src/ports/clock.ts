/** Wall clock in UTC milliseconds. The sync layer may provide a skew-corrected one. */
export interface Clock {
  now(): number;
}

export const systemClock: Clock = { now: () => Date.now() };
