// Visitor passes (访客码) and visitor passages (migration 0005). Issuing and revoking a pass are
// audited in the same transaction; the optional ID number of a visitor is encrypted like a
// worker's and shown masked. A passage is committed (synchronous=FULL, one IMMEDIATE
// transaction) before the caller may open the turnstile, exactly like a worker passage.
import type { Store } from './store.js';
import { AuditLog } from './audit-log.js';
import { uuidv7 } from '../util/uuidv7.js';
import { localDate } from '../time/site-time.js';
import { maskIdNumber } from '../domain/personnel.js';
import { decodeVisitorCode, encodeVisitorCode } from '../visitors/visitor-token.js';
import type { EscortPassage, PriorPassage, VisitorPass } from '../rules/gate-policy.js';
import { parseReasonCodes, parseStoredCodes } from '../rules/reasons.js';
import type { PersonRole } from '../domain/personnel.js';
import type { VisitorPassRecord, VisitorPassageRecord } from '../domain/records.js';
export type { VisitorPassRecord, VisitorPassageRecord } from '../domain/records.js';

export interface NewVisitorPass {
  name: string;
  host: string;
  purpose: string;
  phone?: string | null;
  /** UTC ms; stored to the whole second (the QR code carries seconds). */
  validFrom: number;
  validTo: number;
  maxEntries?: number | null;
  escortRequired?: boolean;
  laneIds?: string[] | null;
  idCard?: { type: string; number: string } | null;
}

export interface NewVisitorPassage {
  passId: string | null;
  laneId: string;
  direction: 'in' | 'out';
  decision: 'pass' | 'refuse';
  reasons: string[];
  occurredAt?: number;
}

interface PassRow {
  id: string;
  name: string;
  host: string;
  purpose: string;
  id_card_type: string | null;
  id_number_masked: string | null;
  valid_from: number;
  valid_to: number;
  max_entries: number | null;
  escort_required: number;
  lanes_json: string | null;
  issued_by: string;
  issued_at: number;
  revoked_at: number | null;
  revoked_by: string | null;
  revoke_reason: string | null;
  entries_used: number;
}

const PASS_COLUMNS = `p.id, p.name, p.host, p.purpose, p.id_card_type, p.id_number_masked, p.valid_from, p.valid_to, p.max_entries,
  p.escort_required, p.lanes_json, p.issued_by, p.issued_at, p.revoked_at, p.revoked_by, p.revoke_reason,
  (SELECT COUNT(*) FROM visitor_passages v WHERE v.pass_id = p.id AND v.decision = 'pass' AND v.direction = 'in') AS entries_used`;

const toPass = (r: PassRow): VisitorPassRecord => ({
  id: r.id,
  name: r.name,
  host: r.host,
  purpose: r.purpose,
  idCardType: r.id_card_type,
  idNumberMasked: r.id_number_masked,
  validFrom: r.valid_from,
  validTo: r.valid_to,
  maxEntries: r.max_entries,
  escortRequired: r.escort_required === 1,
  laneIds: r.lanes_json ? (JSON.parse(r.lanes_json) as string[]) : null,
  issuedBy: r.issued_by,
  issuedAt: r.issued_at,
  revokedAt: r.revoked_at,
  revokedBy: r.revoked_by,
  revokeReason: r.revoke_reason,
  entriesUsed: r.entries_used,
});

export class VisitorPassNotFoundError extends Error {
  constructor(id: string) {
    super(`visitor pass ${id} not found`);
    this.name = 'VisitorPassNotFoundError';
  }
}

export class VisitorRepo {
  readonly #audit: AuditLog;

  constructor(private readonly store: Store) {
    this.#audit = new AuditLog(store);
  }

  /** Issues a pass; returns it with its signed code. Audited as `visitor.issue`. */
  issue(input: NewVisitorPass, actor: string): { pass: VisitorPassRecord; code: string } {
    const now = this.store.clock.now();
    const id = uuidv7(now);
    const validFrom = Math.floor(input.validFrom / 1000) * 1000;
    const validTo = Math.floor(input.validTo / 1000) * 1000;
    const c = this.store.cipher;
    const idNumber = input.idCard ? input.idCard.number.trim().toUpperCase() : null;
    this.store.tx(() => {
      this.store.db
        .prepare(
          `INSERT INTO visitor_passes (id, name, host, purpose, phone_enc, id_card_type, id_number_enc, id_number_masked, valid_from, valid_to,
             max_entries, escort_required, lanes_json, issued_by, issued_at)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        )
        .run(
          id,
          input.name,
          input.host,
          input.purpose,
          input.phone ? c.encryptText(input.phone, 'visitor_passes.phone') : null,
          input.idCard?.type ?? null,
          idNumber ? c.encryptText(idNumber, 'visitor_passes.id_number') : null,
          idNumber ? maskIdNumber(idNumber) : null,
          validFrom,
          validTo,
          input.maxEntries ?? null,
          input.escortRequired ? 1 : 0,
          input.laneIds?.length ? JSON.stringify(input.laneIds) : null,
          actor,
          now,
        );
      this.#audit.append(actor, 'visitor.issue', `visitor-pass:${id}`, {
        name: input.name.slice(0, 1),
        host: input.host,
        purpose: input.purpose,
        validFrom,
        validTo,
        maxEntries: input.maxEntries ?? null,
        idCard: idNumber ? maskIdNumber(idNumber) : null,
      });
    });
    const pass = this.get(id) as VisitorPassRecord;
    return { pass, code: this.codeFor(pass) };
  }

  /** The pass's signed QR text (deterministic: the same pass always gives the same code). */
  codeFor(pass: Pick<VisitorPassRecord, 'id' | 'validFrom' | 'validTo'>): string {
    return encodeVisitorCode({ passId: pass.id, validFrom: pass.validFrom, validTo: pass.validTo }, (p, d) => this.store.cipher.mac(p, d));
  }

  /**
   * The pass a scanned code stands for, or why not: a malformed or forged code, an unknown pass,
   * or a code whose validity differs from the stored pass (a tampered copy), is refused.
   */
  resolveCode(text: string): { pass: VisitorPassRecord } | { problem: 'format' | 'signature' | 'unknown' | 'mismatch' } {
    const check = decodeVisitorCode(text, (p, d) => this.store.cipher.mac(p, d));
    if (!check.ok) return { problem: check.reason };
    const pass = this.get(check.claims.passId);
    if (!pass) return { problem: 'unknown' };
    if (pass.validFrom !== check.claims.validFrom || pass.validTo !== check.claims.validTo) return { problem: 'mismatch' };
    return { pass };
  }

  get(id: string): VisitorPassRecord | null {
    const r = this.store.db.prepare(`SELECT ${PASS_COLUMNS} FROM visitor_passes p WHERE p.id = ?`).get(id) as PassRow | undefined;
    return r ? toPass(r) : null;
  }

  /** Newest first; `activeAt` keeps the passes not revoked and not yet expired at that instant. */
  list(opts: { activeAt?: number; limit?: number } = {}): VisitorPassRecord[] {
    const rows = this.store.db
      .prepare(
        `SELECT ${PASS_COLUMNS} FROM visitor_passes p
         WHERE (? IS NULL OR (p.revoked_at IS NULL AND p.valid_to > ?)) ORDER BY p.issued_at DESC, p.id DESC LIMIT ?`,
      )
      .all(opts.activeAt ?? null, opts.activeAt ?? null, opts.limit ?? 200) as PassRow[];
    return rows.map(toPass);
  }

  /** Revokes a pass (once); audited as `visitor.revoke`. Returns false when it was already revoked. */
  revoke(id: string, actor: string, reason: string): boolean {
    return this.store.tx(() => {
      const pass = this.get(id);
      if (!pass) throw new VisitorPassNotFoundError(id);
      if (pass.revokedAt !== null) return false;
      this.store.db.prepare('UPDATE visitor_passes SET revoked_at = ?, revoked_by = ?, revoke_reason = ? WHERE id = ?').run(this.store.clock.now(), actor, reason, id);
      this.#audit.append(actor, 'visitor.revoke', `visitor-pass:${id}`, { reason });
      return true;
    });
  }

  /** The pass as the gate policy sees it. */
  static policyPass(p: VisitorPassRecord): VisitorPass {
    return {
      passId: p.id,
      validFrom: p.validFrom,
      validTo: p.validTo,
      revoked: p.revokedAt !== null,
      ...(p.maxEntries !== null ? { maxEntries: p.maxEntries } : {}),
      entriesUsed: p.entriesUsed,
      escortRequired: p.escortRequired,
      ...(p.laneIds ? { laneIds: p.laneIds } : {}),
    };
  }

  /** Earlier scans of the same pass (duplicate suppression, refusal repeats). */
  history(passId: string, sinceMs: number): PriorPassage[] {
    const rows = this.store.db
      .prepare('SELECT lane_id, direction, occurred_at, decision, reasons_json FROM visitor_passages WHERE pass_id = ? AND occurred_at >= ? ORDER BY occurred_at')
      .all(passId, sinceMs) as Array<{ lane_id: string; direction: 'in' | 'out'; occurred_at: number; decision: 'pass' | 'refuse'; reasons_json: string }>;
    return rows.map((r) => ({ laneId: r.lane_id, direction: r.direction, occurredAt: r.occurred_at, decision: r.decision, reasonCodes: parseReasonCodes(r.reasons_json) }));
  }

  /** Workers who passed a lane recently (the escorts a visitor may need). */
  escorts(laneId: string, sinceMs: number): EscortPassage[] {
    const rows = this.store.db
      .prepare(
        `SELECT w.role, a.lane_id, a.occurred_at FROM attendance_events a JOIN workers w ON w.id = a.worker_id
         WHERE a.lane_id = ? AND a.occurred_at >= ? AND a.decision = 'pass' ORDER BY a.occurred_at`,
      )
      .all(laneId, sinceMs) as Array<{ role: PersonRole; lane_id: string; occurred_at: number }>;
    return rows.map((r) => ({ role: r.role, laneId: r.lane_id, occurredAt: r.occurred_at }));
  }

  /** Durably records a visitor passage; returns after the commit reached the disk. */
  recordPassage(e: NewVisitorPassage, tz: string): { id: string; seq: number; occurredAt: number; localDate: string } {
    const now = this.store.clock.now();
    const at = e.occurredAt ?? now;
    const id = uuidv7(at);
    const date = localDate(at, tz);
    const seq = this.store.tx(
      () =>
        this.store.db
          .prepare(
            `INSERT INTO visitor_passages (id, pass_id, lane_id, direction, occurred_at, time_zone, local_date, decision, reasons_json, created_at)
             VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
          )
          .run(id, e.passId, e.laneId, e.direction, at, tz, date, e.decision, JSON.stringify(e.reasons), now).lastInsertRowid,
    );
    return { id, seq: Number(seq), occurredAt: at, localDate: date };
  }

  /** A day's visitor passages, newest first, with the visitor's name and host. */
  passages(opts: { localDate?: string; passId?: string; limit?: number } = {}): VisitorPassageRecord[] {
    const rows = this.store.db
      .prepare(
        `SELECT v.id, v.seq, v.pass_id, p.name, p.host, v.lane_id, v.direction, v.occurred_at, v.local_date, v.decision, v.reasons_json
         FROM visitor_passages v LEFT JOIN visitor_passes p ON p.id = v.pass_id
         WHERE (? IS NULL OR v.local_date = ?) AND (? IS NULL OR v.pass_id = ?) ORDER BY v.seq DESC LIMIT ?`,
      )
      .all(opts.localDate ?? null, opts.localDate ?? null, opts.passId ?? null, opts.passId ?? null, opts.limit ?? 200) as Array<{
      id: string;
      seq: number;
      pass_id: string | null;
      name: string | null;
      host: string | null;
      lane_id: string;
      direction: 'in' | 'out';
      occurred_at: number;
      local_date: string;
      decision: 'pass' | 'refuse';
      reasons_json: string;
    }>;
    return rows.map((r) => ({
      id: r.id,
      seq: r.seq,
      passId: r.pass_id,
      visitorName: r.name,
      host: r.host,
      laneId: r.lane_id,
      direction: r.direction,
      occurredAt: r.occurred_at,
      localDate: r.local_date,
      decision: r.decision,
      reasons: parseStoredCodes(r.reasons_json),
    }));
  }
}
