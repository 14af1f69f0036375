// Per-lane in/out mapping and the shared refusals of every turnstile driver.
import type { OpenRequest } from '../../../edge-core/src/ports/devices.js';
import { DeviceError, deviceError } from '../errors.js';

/** For each lane, what opens it inbound and outbound (a coil, a relay channel, a Wiegand number). */
export type LaneMap<T> = Record<string, { in: T; out: T }>;

export function laneTarget<T>(lanes: LaneMap<T>, req: OpenRequest): T {
  const lane = Object.hasOwn(lanes, req.lane) ? lanes[req.lane] : undefined;
  if (!lane) throw deviceError('unknown_lane', `未配置通道 ${req.lane}`, `Lane '${req.lane}' is not configured`);
  const target = req.direction === 'in' ? lane.in : req.direction === 'out' ? lane.out : undefined;
  if (target === undefined) throw deviceError('unknown_direction', '通行方向错误', `Unknown direction '${String(req.direction)}'`);
  return target;
}

export function controllerOffline(path: string, cause?: unknown): DeviceError {
  return deviceError('controller_offline', `闸机控制器未连接（${path}），未开闸`, `Turnstile controller not connected (${path}); not opened`, cause);
}

export function toDeviceError(err: unknown): DeviceError {
  if (err instanceof DeviceError) return err;
  const msg = err instanceof Error ? err.message : String(err);
  return deviceError('internal_error', '闸机驱动内部错误，未开闸', `Turnstile driver error: ${msg}`, err);
}

/** Serialises operations on a half-duplex bus. */
export class Mutex {
  private tail: Promise<unknown> = Promise.resolve();
  run<T>(fn: () => Promise<T>): Promise<T> {
    const p = this.tail.then(fn, fn);
    this.tail = p.catch(() => undefined);
    return p;
  }
}
