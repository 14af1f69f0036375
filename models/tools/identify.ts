// Open-set 1:N identification metrics (pure). Each person with at least two usable images has
// one enrolled (gallery) image; their other images are mated probes. People with one usable
// image are never enrolled: their images are non-mated probes, which must not match anyone.
// The decision rule is the gate's: the best worker's score >= threshold and ahead of the
// second-best other worker by at least `margin`.

export interface Labelled {
  person: string;
  path: string;
  embedding: Float32Array;
}

export interface ProbeResult {
  path: string;
  person: string;
  mated: boolean;
  /** Best gallery person and score, and the best score of any other gallery person. */
  best: { person: string; score: number };
  second: number;
}

export interface IdentificationReport {
  galleryPeople: number;
  matedProbes: number;
  nonMatedProbes: number;
  /** Mated probes whose best gallery person is right, whatever the score. */
  rank1: number;
  atThreshold: { threshold: number; margin: number; fnir: number; fpir: number; falseMatches: number; rightMatches: number };
  /** Lowest threshold with FPIR <= target on the non-mated probes, and the FNIR there (null when not measurable). */
  calibrated: { fpirTarget: number; threshold: number; fnir: number; fpir: number } | { fpirTarget: number; threshold: null; reason: string };
  probes: ProbeResult[];
}

function dot(a: Float32Array, b: Float32Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += (a[i] as number) * (b[i] as number);
  return s;
}

/** Splits by person: the first image (in the given order) of every person with >= 2 is enrolled. */
export function splitGallery(items: readonly Labelled[]): { gallery: Labelled[]; mated: Labelled[]; nonMated: Labelled[] } {
  const byPerson = new Map<string, Labelled[]>();
  for (const it of items) {
    let l = byPerson.get(it.person);
    if (!l) byPerson.set(it.person, (l = []));
    l.push(it);
  }
  const gallery: Labelled[] = [], mated: Labelled[] = [], nonMated: Labelled[] = [];
  for (const list of byPerson.values()) {
    if (list.length >= 2) {
      gallery.push(list[0] as Labelled);
      mated.push(...list.slice(1));
    } else nonMated.push(...list);
  }
  return { gallery, mated, nonMated };
}

function probe(p: Labelled, gallery: readonly Labelled[], mated: boolean): ProbeResult {
  let best = { person: '', score: -Infinity };
  const perPerson = new Map<string, number>();
  for (const g of gallery) {
    const s = dot(p.embedding, g.embedding);
    perPerson.set(g.person, Math.max(perPerson.get(g.person) ?? -Infinity, s));
    if (s > best.score) best = { person: g.person, score: s };
  }
  let second = -Infinity;
  for (const [person, s] of perPerson) if (person !== best.person && s > second) second = s;
  return { path: p.path, person: p.person, mated, best, second };
}

const accepted = (r: ProbeResult, threshold: number, margin: number): boolean => r.best.score >= threshold && r.best.score - r.second >= margin;

export function identify(items: readonly Labelled[], threshold: number, margin: number, fpirTarget = 1e-3): IdentificationReport {
  const { gallery, mated, nonMated } = splitGallery(items);
  const probes = [...mated.map((p) => probe(p, gallery, true)), ...nonMated.map((p) => probe(p, gallery, false))];
  const m = probes.filter((p) => p.mated), nm = probes.filter((p) => !p.mated);
  const rank1 = m.length ? m.filter((p) => p.best.person === p.person).length / m.length : NaN;
  const rightMatches = m.filter((p) => p.best.person === p.person && accepted(p, threshold, margin)).length;
  // A mated probe matched to the wrong person is a false match as well as a miss.
  const falseMatches = nm.filter((p) => accepted(p, threshold, margin)).length + m.filter((p) => p.best.person !== p.person && accepted(p, threshold, margin)).length;
  const fpir = nm.length ? nm.filter((p) => accepted(p, threshold, margin)).length / nm.length : NaN;
  let calibrated: IdentificationReport['calibrated'];
  const allowed = Math.floor(fpirTarget * nm.length + 1e-9);
  if (nm.length < Math.ceil(1 / fpirTarget)) {
    calibrated = { fpirTarget, threshold: null, reason: `not measurable: ${nm.length} non-mated probes, need at least ${Math.ceil(1 / fpirTarget)}` };
  } else {
    // The (allowed+1)-th highest non-mated best score must stay below the threshold.
    const desc = nm.map((p) => p.best.score).sort((a, b) => b - a);
    const t = (desc[allowed] as number) + 1e-6;
    const f = nm.filter((p) => p.best.score >= t).length / nm.length;
    const fnir = m.length ? 1 - m.filter((p) => p.best.person === p.person && p.best.score >= t).length / m.length : NaN;
    calibrated = { fpirTarget, threshold: t, fnir, fpir: f };
  }
  return {
    galleryPeople: gallery.length,
    matedProbes: m.length,
    nonMatedProbes: nm.length,
    rank1,
    atThreshold: { threshold, margin, fnir: m.length ? 1 - rightMatches / m.length : NaN, fpir, falseMatches, rightMatches },
    calibrated,
    probes,
  };
}
