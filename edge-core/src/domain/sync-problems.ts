// Standing problems towards the platform, as plain types: no Node, so the kiosk UI and
// app/shared import them (browser-safe; app/ui/tsconfig.json lists this file).

/**
 * A standing problem towards the platform that a person must act on, as a code with
 * parameters (the words, with what to do, are in the edge's text catalog):
 * - clock_outside_window: the platform refuses our request time (timestamp outside its window);
 * - heartbeat_not_permitted: the heartbeat method is refused (−3), so the device key it carries
 *   is not registered and the platform cannot verify the device's signatures (params: method);
 * - heartbeat_refused: the heartbeat is refused otherwise (params: method, code, detail).
 */
export type SyncProblemCode = 'clock_outside_window' | 'heartbeat_not_permitted' | 'heartbeat_refused';

export interface SyncProblem {
  code: SyncProblemCode;
  params: Record<string, string | number>;
  /** When it was first seen (it stands until a call shows it is gone). */
  since: number;
}
