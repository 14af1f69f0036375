// What the gate needs to know about a matched worker, read straight from the store without
// decrypting anything: status, validity, contract and insurance, and recent passages.
import type { Store } from './store.js';
import type { KnownPerson, PeopleDirectory } from '../gate/lane-controller.js';
import type { PriorPassage } from '../rules/gate-policy.js';
import { parseReasonCodes } from '../rules/reasons.js';

interface Row {
  id: number;
  name: string;
  role: 'worker' | 'manager';
  team_id: number | null;
  team_name: string | null;
  status: 'active' | 'inactive' | 'blacklisted';
  valid_from: string | null;
  valid_to: string | null;
  has_contract: number;
  contract_start: string | null;
  contract_end: string | null;
  has_insurance: number;
  insurance_start: string | null;
  insurance_end: string | null;
}

export class StoreGateDirectory implements PeopleDirectory {
  readonly #person;
  readonly #recent;
  constructor(store: Store) {
    this.#person = store.db.prepare(
      `SELECT w.id, w.name, w.role, w.team_id, t.name AS team_name, w.status, w.valid_from, w.valid_to, w.has_contract,
              w.contract_start, w.contract_end, w.has_insurance, w.insurance_start, w.insurance_end
       FROM workers w LEFT JOIN teams t ON t.id = w.team_id WHERE w.id = ?`,
    );
    this.#recent = store.db.prepare(
      `SELECT lane_id, direction, occurred_at, decision, reasons_json FROM attendance_events
       WHERE worker_id = ? AND occurred_at >= ? ORDER BY occurred_at`,
    );
  }

  lookup(workerId: number): KnownPerson | null {
    const r = this.#person.get(workerId) as Row | undefined;
    if (!r) return null;
    return {
      name: r.name,
      teamName: r.team_name,
      person: {
        workerId: r.id,
        role: r.role,
        teamId: r.team_id,
        status: r.status,
        idValidFrom: r.valid_from,
        idValidTo: r.valid_to,
        hasContract: r.has_contract === 1,
        contractStart: r.contract_start,
        contractEnd: r.contract_end,
        hasInsurance: r.has_insurance === 1,
        insuranceStart: r.insurance_start,
        insuranceEnd: r.insurance_end,
      },
    };
  }

  recentPassages(workerId: number, sinceMs: number): PriorPassage[] {
    const rows = this.#recent.all(workerId, sinceMs) as Array<{ lane_id: string; direction: 'in' | 'out'; occurred_at: number; decision: 'pass' | 'refuse'; reasons_json: string }>;
    return rows.map((r) => ({
      laneId: r.lane_id,
      direction: r.direction,
      occurredAt: r.occurred_at,
      decision: r.decision,
      reasonCodes: parseReasonCodes(r.reasons_json),
    }));
  }
}
