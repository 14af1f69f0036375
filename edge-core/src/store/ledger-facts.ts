// Facts that signed audit entries state about other records, shared by the writers and the
// verifier:
// - a worker's identity: an audit entry whose target is `worker:N` and whose details carry
//   `identity` (the hex identity hash) fixes worker N's identity from that entry on (written
//   at enrollment, and once per existing worker when 0.3 upgrades a database);
// - a retention run: `retention.photos` names, by ledger seq, the attendance entries whose
//   photo it removed, with the decision and the retention period it applied.
// The verifier reads these facts before its scan (they are few) and trusts them only as far
// as the scan then finds their audit entries intact and signed.
import type Database from 'better-sqlite3';

export const IDENTITY_ACTION = 'worker.identity';
export const RETENTION_PHOTOS_ACTION = 'retention.photos';
/** The shortest retention period the configuration allows; a removal claiming less is not accepted. */
export const MIN_RETENTION_DAYS = 1;
export const DAY_MS = 86_400_000;

export function workerTarget(workerId: number): string {
  return `worker:${workerId}`;
}

export interface RetentionPhotosDetails {
  decision: 'pass' | 'refuse';
  days: number;
  /** Ledger seqs of the attendance entries whose photo this run removed. */
  seqs: number[];
  /** Set on the entry that adopts photos removed before 0.3 (their removal was not signed). */
  upgrade?: true;
}

export interface IdentityFact {
  seq: number;
  digest: Buffer;
}

/** For each worker, the identities its signed entries fixed, oldest first. */
export type IdentityHistory = Map<number, IdentityFact[]>;

/** The identity in force for `workerId` just before ledger entry `seq`, or null. */
export function identityBefore(history: IdentityHistory, workerId: number, seq: number): IdentityFact | null {
  const list = history.get(workerId);
  if (!list) return null;
  let found: IdentityFact | null = null;
  for (const f of list) {
    if (f.seq >= seq) break;
    found = f;
  }
  return found;
}

/** Removal claims: for each covered attendance seq, the retention entry that removed its photo. */
export interface RetentionCoverage {
  covers(attendanceSeq: number): { retentionSeq: number; at: number; decision: 'pass' | 'refuse'; days: number } | null;
}

interface FactRow {
  seq: number;
  at: number;
  action: string;
  target: string | null;
  details_json: string;
}

const FACT_ROWS = `SELECT l.seq, a.at, a.action, a.target, a.details_json FROM audit_log a
  JOIN ledger l ON l.kind = 'audit' AND l.ref = CAST(a.id AS TEXT)
  WHERE (a.target LIKE 'worker:%' AND a.details_json LIKE '%"identity":"%') OR a.action = '${RETENTION_PHOTOS_ACTION}'
  ORDER BY l.seq`;

function parseIdentity(r: FactRow): { workerId: number; digest: Buffer } | null {
  const workerId = Number(r.target?.slice('worker:'.length));
  if (!Number.isInteger(workerId)) return null;
  try {
    const hex = (JSON.parse(r.details_json) as { identity?: unknown }).identity;
    if (typeof hex !== 'string' || !/^[0-9a-f]{64}$/.test(hex)) return null;
    return { workerId, digest: Buffer.from(hex, 'hex') };
  } catch {
    return null;
  }
}

function parseRetention(r: FactRow): RetentionPhotosDetails | null {
  try {
    const d = JSON.parse(r.details_json) as Partial<RetentionPhotosDetails>;
    if ((d.decision !== 'pass' && d.decision !== 'refuse') || typeof d.days !== 'number' || !Array.isArray(d.seqs)) return null;
    return { decision: d.decision, days: d.days, seqs: d.seqs.filter((s): s is number => Number.isInteger(s)) };
  } catch {
    return null;
  }
}

/** A coverRange that keeps no removal claims: for a caller that needs only the identities. */
export const IDENTITIES_ONLY = { fromSeq: 0, toSeq: -1 } as const;

/**
 * Reads the identity and retention facts of the whole ledger. `coverRange` limits the removal
 * claims kept to the attendance entries a slice verifies (memory stays bounded in each worker).
 */
export function loadLedgerFacts(db: Database.Database, coverRange?: { fromSeq: number; toSeq: number }): { identities: IdentityHistory; retention: RetentionCoverage } {
  const identities: IdentityHistory = new Map();
  const runs: Array<{ retentionSeq: number; at: number; decision: 'pass' | 'refuse'; days: number }> = [];
  const covered: number[] = [];
  const runOf: number[] = [];
  for (const r of db.prepare(FACT_ROWS).iterate() as IterableIterator<FactRow>) {
    if (r.action === RETENTION_PHOTOS_ACTION) {
      const d = parseRetention(r);
      if (!d) continue;
      runs.push({ retentionSeq: r.seq, at: r.at, decision: d.decision, days: d.days });
      for (const s of d.seqs) {
        if (coverRange && (s < coverRange.fromSeq || s > coverRange.toSeq)) continue;
        covered.push(s);
        runOf.push(runs.length - 1);
      }
      continue;
    }
    const id = parseIdentity(r);
    if (!id) continue;
    const list = identities.get(id.workerId) ?? [];
    list.push({ seq: r.seq, digest: id.digest });
    identities.set(id.workerId, list);
  }
  // Sorted typed arrays: a retention history of 500,000 removed photos stays a few MB.
  const order = covered.map((_, i) => i).sort((a, b) => (covered[a] as number) - (covered[b] as number));
  const seqs = Float64Array.from(order, (i) => covered[i] as number);
  const owners = Int32Array.from(order, (i) => runOf[i] as number);
  return {
    identities,
    retention: {
      covers(attendanceSeq) {
        let lo = 0;
        let hi = seqs.length - 1;
        while (lo <= hi) {
          const mid = (lo + hi) >> 1;
          const v = seqs[mid] as number;
          if (v === attendanceSeq) return runs[owners[mid] as number] ?? null;
          if (v < attendanceSeq) lo = mid + 1;
          else hi = mid - 1;
        }
        return null;
      },
    },
  };
}
