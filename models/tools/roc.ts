// Verification and presentation-attack metrics from score lists. Pure functions, no I/O.
// Decision rule everywhere: a pair is accepted when score >= threshold (as the face engine does).

export interface RocPoint {
  threshold: number;
  /** True accept rate: genuine scores >= threshold / genuine count. */
  tar: number;
  /** False accept rate: impostor scores >= threshold / impostor count. */
  far: number;
}

export type TarAtFar =
  | { far: number; measurable: true; threshold: number; tar: number; farAchieved: number; falseAccepts: number }
  | { far: number; measurable: false; reason: string };

export interface EerResult {
  eer: number;
  threshold: number;
}

/** Smallest double strictly greater than x (finite x). */
export function nextUp(x: number): number {
  if (Number.isNaN(x) || x === Infinity) return x;
  if (x === 0) return Number.MIN_VALUE;
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, x);
  let bits = view.getBigUint64(0);
  bits = x > 0 ? bits + 1n : bits - 1n;
  view.setBigUint64(0, bits);
  return view.getFloat64(0);
}

function assertFinite(name: string, xs: readonly number[]): void {
  for (let i = 0; i < xs.length; i++) {
    if (!Number.isFinite(xs[i])) throw new RangeError(`${name}[${i}] is not a finite number: ${String(xs[i])}`);
  }
}

/** Count of values >= t in a list sorted ascending (binary search). */
function countAtLeast(sortedAsc: readonly number[], t: number): number {
  let lo = 0, hi = sortedAsc.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((sortedAsc[mid] as number) >= t) hi = mid;
    else lo = mid + 1;
  }
  return sortedAsc.length - lo;
}

const ascending = (xs: readonly number[]): number[] => [...xs].sort((a, b) => a - b);

/**
 * ROC curve: one point per distinct score used as a threshold, plus a point above the highest
 * score (TAR = FAR = 0). Points are ordered by decreasing threshold (increasing FAR).
 */
export function rocPoints(genuine: readonly number[], impostor: readonly number[]): RocPoint[] {
  assertFinite('genuine', genuine);
  assertFinite('impostor', impostor);
  if (genuine.length === 0 || impostor.length === 0) throw new RangeError('ROC needs at least one genuine and one impostor score');
  const g = ascending(genuine), im = ascending(impostor);
  const thresholds = [...new Set([...g, ...im])].sort((a, b) => b - a);
  const top = thresholds[0] as number;
  const points: RocPoint[] = [{ threshold: nextUp(top), tar: 0, far: 0 }];
  for (const t of thresholds) {
    points.push({ threshold: t, tar: countAtLeast(g, t) / g.length, far: countAtLeast(im, t) / im.length });
  }
  return points;
}

/**
 * TAR at a target FAR: the lowest threshold whose FAR does not exceed the target, and the TAR
 * there. Not measurable when there are fewer impostor pairs than 1/FAR (one false accept more
 * or less would change the FAR by more than the target itself).
 */
export function tarAtFar(genuine: readonly number[], impostor: readonly number[], far: number): TarAtFar {
  if (!(far > 0 && far < 1)) throw new RangeError(`target FAR must be in (0,1), got ${far}`);
  assertFinite('genuine', genuine);
  assertFinite('impostor', impostor);
  const needed = Math.ceil(1 / far - 1e-9);
  if (impostor.length < needed) {
    return { far, measurable: false, reason: `not measurable: ${impostor.length} impostor pairs, need at least ${needed} (1/FAR)` };
  }
  if (genuine.length === 0) return { far, measurable: false, reason: 'not measurable: no genuine pairs' };
  const imDesc = ascending(impostor).reverse();
  // Allowed false accepts k: accept only scores above the (k+1)-th highest impostor score.
  const k = Math.floor(far * imDesc.length + 1e-9);
  const threshold = nextUp(imDesc[k] as number);
  const imAsc = ascending(impostor);
  const falseAccepts = countAtLeast(imAsc, threshold);
  return {
    far,
    measurable: true,
    threshold,
    tar: countAtLeast(ascending(genuine), threshold) / genuine.length,
    farAchieved: falseAccepts / imAsc.length,
    falseAccepts,
  };
}

/**
 * Equal error rate: over all candidate thresholds (each distinct score and just above it),
 * the point where FAR and FRR = 1 - TAR are closest; EER is their mean there.
 */
export function equalErrorRate(genuine: readonly number[], impostor: readonly number[]): EerResult {
  assertFinite('genuine', genuine);
  assertFinite('impostor', impostor);
  if (genuine.length === 0 || impostor.length === 0) throw new RangeError('EER needs at least one genuine and one impostor score');
  const g = ascending(genuine), im = ascending(impostor);
  const candidates = [...new Set([...g, ...im])].flatMap((s) => [s, nextUp(s)]).sort((a, b) => a - b);
  let best: EerResult = { eer: Infinity, threshold: NaN };
  let bestGap = Infinity;
  for (const t of candidates) {
    const far = countAtLeast(im, t) / im.length;
    const frr = 1 - countAtLeast(g, t) / g.length;
    const gap = Math.abs(far - frr);
    const eer = (far + frr) / 2;
    if (gap < bestGap - 1e-12 || (Math.abs(gap - bestGap) <= 1e-12 && eer < best.eer)) {
      bestGap = gap;
      best = { eer, threshold: t };
    }
  }
  return best;
}

export function mean(xs: readonly number[]): number {
  if (xs.length === 0) return NaN;
  let s = 0;
  for (const x of xs) s += x;
  return s / xs.length;
}

export interface PadPresentation {
  /** True when the system accepted the presentation as bona fide (live). */
  acceptedAsLive: boolean;
}

export interface PadMetrics {
  /** Per attack species (presentation attack instrument type): APCER = attacks accepted / attacks. */
  apcerBySpecies: Record<string, { apcer: number; accepted: number; total: number }>;
  /** ISO/IEC 30107-3: the reported APCER is the worst species. NaN when there are no attacks. */
  apcer: number;
  /** Bona fide presentations rejected / bona fide presentations. NaN when there are none. */
  bpcer: number;
  bonaFide: { rejected: number; total: number };
}

/** APCER / BPCER in the style of ISO/IEC 30107-3 from per-presentation decisions. */
export function padMetrics(bonaFide: readonly PadPresentation[], attacksBySpecies: Readonly<Record<string, readonly PadPresentation[]>>): PadMetrics {
  const apcerBySpecies: PadMetrics['apcerBySpecies'] = {};
  let worst = NaN;
  for (const [species, list] of Object.entries(attacksBySpecies)) {
    if (list.length === 0) continue;
    const accepted = list.filter((p) => p.acceptedAsLive).length;
    const apcer = accepted / list.length;
    apcerBySpecies[species] = { apcer, accepted, total: list.length };
    worst = Number.isNaN(worst) ? apcer : Math.max(worst, apcer);
  }
  const rejected = bonaFide.filter((p) => !p.acceptedAsLive).length;
  return {
    apcerBySpecies,
    apcer: worst,
    bpcer: bonaFide.length === 0 ? NaN : rejected / bonaFide.length,
    bonaFide: { rejected, total: bonaFide.length },
  };
}
