// The simulated working day of the soak, generated from a seed: who passes which lane when
// (morning and evening peaks, a lunch break), the network flaps, the reader and relay
// unplugs, the core crash and the hour marks where the core's memory is sampled.
// Pure: the same seed and size always give the same day.
import { seededRandom } from '../../../sync/simulator/faults.js';

export const SITE_TZ = 'Asia/Shanghai';
/** 2026-11-25 (a Wednesday) 06:30 in Asia/Shanghai. */
export const DAY_START = Date.UTC(2026, 10, 24, 22, 30);
export const DAY_HOURS = 12;
export const DAY_END = DAY_START + DAY_HOURS * 3600_000;
const MIN = 60_000;
const HOUR = 3600_000;

/** Lanes of the default configuration: lane-1 in (Modbus relay), lane-2 out (Wiegand), lane-3 in (LCUS relay). */
export const IN_LANES = ['lane-1', 'lane-3'] as const;
export const OUT_LANE = 'lane-2';
export type LaneId = 'lane-1' | 'lane-2' | 'lane-3';
/** The relay that is unplugged and replugged mid-morning, and its lane. */
export const UNPLUGGED_RELAY = { device: 'modbusRelay', lane: 'lane-1' } as const;
/** Rest of a lane between two decisions is 2 s (gate.cooldownMs); keep passages a little further apart. */
export const LANE_SPACING_MS = 3000;

/**
 * Who is in front of the camera:
 * - `enrolled`: synthetic worker k (face stand-in path, see face-stand-in.ts);
 * - `stranger`: an unknown face (stand-in path, embedding enrolled nowhere);
 * - `real`: the one real face (the astronaut fixture), through the full ONNX pipeline.
 */
export type Who = { kind: 'enrolled'; k: number } | { kind: 'stranger'; k: number } | { kind: 'real' };

export interface Passage {
  seq: number;
  at: number;
  lane: LaneId;
  direction: 'in' | 'out';
  who: Who;
}

export type DayEvent =
  | { at: number; kind: 'net-down' | 'net-up' }
  | { at: number; kind: 'unplug' | 'replug'; device: 'idCardReader' | 'modbusRelay' }
  | { at: number; kind: 'crash' }
  | { at: number; kind: 'rss-sample'; hour: number };

export interface DayPlan {
  seed: number;
  passages: Passage[];
  events: DayEvent[];
  /** Synthetic enrolled workers 0..workers-1. */
  workers: number;
  strangers: number;
  realPassages: number;
}

export interface PlanOptions {
  seed: number;
  passages: number;
  /** Every n-th passage (in time) is the real face through the full pipeline. */
  realEvery: number;
}

/** Box–Muller normal deviate. */
function normal(rand: () => number): number {
  const u = Math.max(rand(), 1e-12);
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rand());
}

function clamp(v: number, lo: number, hi: number): number {
  return Math.min(hi, Math.max(lo, v));
}

export function planDay(o: PlanOptions): DayPlan {
  const rand = seededRandom(o.seed);
  const realPassages = Math.floor(o.passages / o.realEvery);
  const strangers = Math.max(1, Math.floor(o.passages * 0.01));
  const rest = o.passages - realPassages - strangers;
  const full = Math.floor(rest / 4);
  const remainder = rest - full * 4;
  const workers = full + (remainder > 0 ? 1 : 0);
  const at = (h: number, m: number) => DAY_START + (h - 6) * HOUR + (m - 30) * MIN;
  // Peaks: arrival ~07:20, lunch out ~11:55 and back ~13:05, leaving ~17:40 (minutes of spread).
  const peaks = [
    { mean: at(7, 20), sd: 28 * MIN, lo: DAY_START + 2 * MIN, hi: at(10, 30) },
    { mean: at(11, 55), sd: 14 * MIN, lo: at(11, 0), hi: at(12, 40) },
    { mean: at(13, 5), sd: 14 * MIN, lo: at(12, 45), hi: at(14, 0) },
    { mean: at(17, 40), sd: 30 * MIN, lo: at(15, 0), hi: DAY_END - 5 * MIN },
  ];
  const raw: Array<Omit<Passage, 'seq'>> = [];
  for (let k = 0; k < workers; k++) {
    const count = k === workers - 1 && remainder > 0 ? remainder : 4;
    for (let j = 0; j < count; j++) {
      const p = peaks[j] as (typeof peaks)[number];
      const direction = j % 2 === 0 ? 'in' : 'out';
      const lane: LaneId = direction === 'out' ? OUT_LANE : (IN_LANES[rand() < 0.5 ? 0 : 1] as LaneId);
      raw.push({ at: Math.round(clamp(p.mean + normal(rand) * p.sd, p.lo, p.hi)), lane, direction, who: { kind: 'enrolled', k } });
    }
  }
  for (let s = 0; s < strangers; s++) {
    raw.push({ at: Math.round(DAY_START + 5 * MIN + rand() * (DAY_HOURS * HOUR - 15 * MIN)), lane: IN_LANES[rand() < 0.5 ? 0 : 1] as LaneId, direction: 'in', who: { kind: 'stranger', k: s } });
  }
  // The real face walks in and out all day, evenly spaced, alternating directions.
  for (let r = 0; r < realPassages; r++) {
    const direction = r % 2 === 0 ? 'in' : 'out';
    const lane: LaneId = direction === 'out' ? OUT_LANE : (IN_LANES[r % 4 === 0 ? 0 : 1] as LaneId);
    raw.push({ at: Math.round(DAY_START + ((r + 0.5) * DAY_HOURS * HOUR) / realPassages), lane, direction, who: { kind: 'real' } });
  }
  raw.sort((a, b) => a.at - b.at);
  // One person at a time per lane: a passage waits for the lane's rest after the previous one.
  const laneFree = new Map<LaneId, number>();
  for (const p of raw) {
    const free = laneFree.get(p.lane) ?? 0;
    if (p.at < free) p.at = free;
    laneFree.set(p.lane, p.at + LANE_SPACING_MS);
  }
  raw.sort((a, b) => a.at - b.at);
  const passages = raw.map((p, seq) => ({ ...p, seq }));

  const events: DayEvent[] = [];
  // Network flaps: down 20–90 s every 3–8 minutes.
  for (let t = DAY_START + (2 + rand() * 4) * MIN; t < DAY_END - 10 * MIN; ) {
    const down = (20 + rand() * 70) * 1000;
    events.push({ at: Math.round(t), kind: 'net-down' }, { at: Math.round(t + down), kind: 'net-up' });
    t += down + (3 + rand() * 5) * MIN;
  }
  events.push(
    { at: at(9, 40), kind: 'unplug', device: 'idCardReader' },
    { at: at(9, 46), kind: 'replug', device: 'idCardReader' },
    // During the tail of the morning arrivals, so people are at the unplugged lane.
    { at: at(8, 10), kind: 'unplug', device: 'modbusRelay' },
    { at: at(8, 22), kind: 'replug', device: 'modbusRelay' },
    // Mid-day, in the lunch rush.
    { at: at(12, 2) + Math.round(rand() * 6 * MIN), kind: 'crash' },
  );
  // Memory at every hour mark after the first (warm-up) hour.
  for (let h = 1; h <= DAY_HOURS; h++) events.push({ at: DAY_START + h * HOUR - (h === DAY_HOURS ? 60_000 : 0), kind: 'rss-sample', hour: h });
  events.sort((a, b) => a.at - b.at);
  return { seed: o.seed, passages, events, workers, strangers, realPassages };
}
