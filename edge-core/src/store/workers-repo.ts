// Employers (参建单位), teams (班组) and workers. Personal data is encrypted per column;
// ID numbers are found by keyed hash. Every write is audited in the same transaction, and what
// the platform must hear of (a local enrollment, an edit, a departure 退场, a re-entry 进场) is
// queued in the outbox in that transaction too — unless the change came from the platform.
import type { Store } from './store.js';
import { AuditLog } from './audit-log.js';
import { OutboxRepo } from './outbox-repo.js';
import { WORKER_IDENTITY_COLUMNS, workerIdentityHash, type WorkerIdentityRow } from './ledger-codec.js';
import { maskIdNumber, type IdType, type ManagementRole, type PersonRole, type WorkerStatus } from '../domain/personnel.js';
import type { EmployerInput, Employer, Team, WorkerSummary, WorkerRecord } from '../domain/records.js';
export type { EmployerInput, Employer, Team, WorkerSummary, WorkerRecord } from '../domain/records.js';

export interface TeamInput {
  employerId: number;
  name: string;
  platformTeamSysNo?: string | null;
}

export interface WorkerInput {
  name: string;
  idType: IdType;
  idNumber: string;
  sex?: 'M' | 'F' | 'U' | null;
  nation?: string | null;
  birthDate?: string | null;
  address?: string | null;
  issuingAuthority?: string | null;
  validFrom?: string | null;
  /** null = 长期 (long-term) */
  validTo?: string | null;
  idPhoto?: Buffer | null;
  phone?: string | null;
  tradeCode: string;
  role: PersonRole;
  managementRole?: ManagementRole | null;
  employerId?: number | null;
  teamId?: number | null;
  isTeamLeader?: boolean;
  hasContract?: boolean;
  contractStart?: string | null;
  contractEnd?: string | null;
  hasInsurance?: boolean;
  insuranceStart?: string | null;
  insuranceEnd?: string | null;
  bankCard?: string | null;
  bankCode?: string | null;
  source?: 'local' | 'platform';
  manualEntry?: boolean;
}

/** Actor of changes pulled from the platform (roster): never queued back to it. */
export const PLATFORM_ACTOR = 'platform';

export class DuplicateWorkerError extends Error {
  constructor(readonly existingId: number) {
    super(`a worker with this ID number is already enrolled (worker ${existingId})`);
    this.name = 'DuplicateWorkerError';
  }
}

interface WorkerRow {
  id: number;
  name: string;
  id_type: IdType;
  id_number_enc: Buffer;
  id_number_masked: string;
  sex: 'M' | 'F' | 'U' | null;
  nation: string | null;
  birth_date: string | null;
  address_enc: Buffer | null;
  issuing_authority: string | null;
  valid_from: string | null;
  valid_to: string | null;
  has_id_photo: number;
  phone_enc: Buffer | null;
  trade_code: string;
  role: PersonRole;
  management_role: ManagementRole | null;
  employer_id: number | null;
  team_id: number | null;
  team_name: string | null;
  is_team_leader: number;
  has_contract: number;
  contract_start: string | null;
  contract_end: string | null;
  has_insurance: number;
  insurance_start: string | null;
  insurance_end: string | null;
  bank_card_enc: Buffer | null;
  bank_code: string | null;
  status: WorkerStatus;
  source: 'local' | 'platform';
  manual_entry: number;
  updated_at: number;
}

const SELECT_WORKER = `SELECT w.*, w.id_photo_enc IS NOT NULL AS has_id_photo, t.name AS team_name
  FROM workers w LEFT JOIN teams t ON t.id = w.team_id`;

export const COL = {
  idNumber: 'workers.id_number',
  address: 'workers.address',
  idPhoto: 'workers.id_photo',
  phone: 'workers.phone',
  bankCard: 'workers.bank_card',
} as const;

export class WorkersRepo {
  readonly audit: AuditLog;
  readonly #outbox: OutboxRepo;
  constructor(private readonly store: Store) {
    this.audit = new AuditLog(store);
    this.#outbox = new OutboxRepo(store);
  }

  idHash(idNumber: string): string {
    return this.store.cipher.lookupHash(idNumber, 'id_number');
  }

  createEmployer(input: EmployerInput, actor: string): Employer {
    return this.store.tx(() => {
      const r = this.store.db
        .prepare('INSERT INTO employers (name, credit_code, corp_type, created_at) VALUES (?, ?, ?, ?)')
        .run(input.name, input.creditCode, input.corpType, this.store.clock.now());
      const id = Number(r.lastInsertRowid);
      this.audit.append(actor, 'employer.create', `employer:${id}`, { name: input.name, corpType: input.corpType });
      return { id, ...input };
    });
  }

  listEmployers(): Employer[] {
    return this.store.db
      .prepare('SELECT id, name, credit_code AS creditCode, corp_type AS corpType FROM employers ORDER BY name')
      .all() as Employer[];
  }

  createTeam(input: TeamInput, actor: string): Team {
    return this.store.tx(() => {
      const r = this.store.db
        .prepare('INSERT INTO teams (employer_id, name, platform_team_sys_no, created_at) VALUES (?, ?, ?, ?)')
        .run(input.employerId, input.name, input.platformTeamSysNo ?? null, this.store.clock.now());
      const id = Number(r.lastInsertRowid);
      this.audit.append(actor, 'team.create', `team:${id}`, { name: input.name, employerId: input.employerId });
      return { id, employerId: input.employerId, name: input.name, platformTeamSysNo: input.platformTeamSysNo ?? null };
    });
  }

  listTeams(): Team[] {
    return this.store.db
      .prepare(
        'SELECT id, employer_id AS employerId, name, platform_team_sys_no AS platformTeamSysNo FROM teams ORDER BY name',
      )
      .all() as Team[];
  }

  findIdByIdNumber(idNumber: string): number | null {
    const row = this.store.db.prepare('SELECT id FROM workers WHERE id_number_hash = ?').get(this.idHash(idNumber)) as
      | { id: number }
      | undefined;
    return row?.id ?? null;
  }

  /** Creates a worker and queues it for the platform; refuses a duplicate ID number. */
  create(input: WorkerInput, actor: string): WorkerRecord {
    const c = this.store.cipher;
    const now = this.store.clock.now();
    const id = this.store.tx(() => {
      const existing = this.findIdByIdNumber(input.idNumber);
      if (existing !== null) throw new DuplicateWorkerError(existing);
      const r = this.store.db
        .prepare(
          `INSERT INTO workers (name, id_type, id_number_enc, id_number_hash, id_number_masked, sex, nation, birth_date,
            address_enc, issuing_authority, valid_from, valid_to, id_photo_enc, phone_enc, trade_code, role, management_role,
            employer_id, team_id, is_team_leader, has_contract, contract_start, contract_end, has_insurance, insurance_start,
            insurance_end, bank_card_enc, bank_code, status, source, manual_entry, created_at, updated_at)
           VALUES (@name, @idType, @idEnc, @idHash, @idMasked, @sex, @nation, @birth, @addr, @auth, @from, @to, @photo, @phone,
            @trade, @role, @mrole, @employer, @team, @leader, @contract, @cStart, @cEnd, @ins, @iStart, @iEnd, @bank, @bankCode,
            'active', @source, @manual, @now, @now)`,
        )
        .run({
          name: input.name.trim(),
          idType: input.idType,
          idEnc: c.encryptText(input.idNumber.trim().toUpperCase(), COL.idNumber),
          idHash: this.idHash(input.idNumber),
          idMasked: maskIdNumber(input.idNumber.toUpperCase()),
          sex: input.sex ?? null,
          nation: input.nation ?? null,
          birth: input.birthDate ?? null,
          addr: input.address ? c.encryptText(input.address, COL.address) : null,
          auth: input.issuingAuthority ?? null,
          from: input.validFrom ?? null,
          to: input.validTo ?? null,
          photo: input.idPhoto ? c.encrypt(input.idPhoto, COL.idPhoto) : null,
          phone: input.phone ? c.encryptText(input.phone, COL.phone) : null,
          trade: input.tradeCode,
          role: input.role,
          mrole: input.role === 'manager' ? (input.managementRole ?? null) : null,
          employer: input.employerId ?? null,
          team: input.teamId ?? null,
          leader: input.isTeamLeader ? 1 : 0,
          contract: input.hasContract ? 1 : 0,
          cStart: input.contractStart ?? null,
          cEnd: input.contractEnd ?? null,
          ins: input.hasInsurance ? 1 : 0,
          iStart: input.insuranceStart ?? null,
          iEnd: input.insuranceEnd ?? null,
          bank: input.bankCard ? c.encryptText(input.bankCard, COL.bankCard) : null,
          bankCode: input.bankCode ?? null,
          source: input.source ?? 'local',
          manual: input.manualEntry ? 1 : 0,
          now,
        });
      const workerId = Number(r.lastInsertRowid);
      if ((input.source ?? 'local') === 'local') this.#outbox.queueWorker(workerId, now);
      // The identity hash signs who this worker is (ledger-facts.ts): an edit of the row by
      // hand, e.g. two workers' names and ID numbers swapped, no longer matches it.
      const identity = this.store.db.prepare(`SELECT ${WORKER_IDENTITY_COLUMNS} FROM workers WHERE id = ?`).get(workerId) as WorkerIdentityRow;
      this.audit.append(actor, 'worker.create', `worker:${workerId}`, {
        identity: workerIdentityHash(identity).toString('hex'),
        idNumber: maskIdNumber(input.idNumber),
        role: input.role,
        teamId: input.teamId ?? null,
        manualEntry: input.manualEntry ?? false,
        source: input.source ?? 'local',
      });
      return workerId;
    });
    const rec = this.get(id);
    if (!rec) throw new Error(`worker ${id} vanished after insert`);
    return rec;
  }

  get(id: number): WorkerRecord | null {
    const row = this.store.db.prepare(`${SELECT_WORKER} WHERE w.id = ?`).get(id) as WorkerRow | undefined;
    return row ? this.#toRecord(row) : null;
  }

  idPhoto(id: number): Buffer | null {
    const row = this.store.db.prepare('SELECT id_photo_enc FROM workers WHERE id = ?').get(id) as
      | { id_photo_enc: Buffer | null }
      | undefined;
    return row?.id_photo_enc ? this.store.cipher.decrypt(row.id_photo_enc, COL.idPhoto) : null;
  }

  list(opts: { q?: string; teamId?: number; status?: WorkerStatus; limit?: number; offset?: number } = {}): WorkerSummary[] {
    const q = opts.q?.trim() ?? '';
    // A full ID number is matched by keyed hash; anything else by name prefix.
    const hash = q.length >= 15 ? this.idHash(q) : null;
    const rows = this.store.db
      .prepare(
        `${SELECT_WORKER}
         WHERE (@q = '' OR w.name LIKE @like ESCAPE '\\' OR w.id_number_hash = @hash)
           AND (@team IS NULL OR w.team_id = @team) AND (@status IS NULL OR w.status = @status)
         ORDER BY w.name LIMIT @limit OFFSET @offset`,
      )
      .all({
        q,
        // `%` and `_` typed by the user are literal characters of the name, not wildcards.
        like: `${q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`,
        hash,
        team: opts.teamId ?? null,
        status: opts.status ?? null,
        limit: opts.limit ?? 50,
        offset: opts.offset ?? 0,
      }) as WorkerRow[];
    return rows.map((r) => this.#toSummary(r));
  }

  /**
   * Sets a worker's status. Leaving 'active' is a departure (退场) for the platform, returning to
   * it a re-entry (进场); both are queued with the change (not when the platform made it).
   */
  setStatus(id: number, status: WorkerStatus, actor: string, reason: string): void {
    this.store.tx(() => {
      const before = this.store.db.prepare('SELECT status FROM workers WHERE id = ?').get(id) as { status: WorkerStatus } | undefined;
      if (!before) throw new Error(`worker ${id} does not exist`);
      const now = this.store.clock.now();
      this.store.db.prepare('UPDATE workers SET status = ?, updated_at = ? WHERE id = ?').run(status, now, id);
      const onSite = (s: WorkerStatus): boolean => s === 'active';
      if (actor !== PLATFORM_ACTOR && onSite(before.status) !== onSite(status)) {
        this.#outbox.queueWorkerChange(id, onSite(status) ? 'entry' : 'exit', actor, now);
      }
      this.audit.append(actor, 'worker.status', `worker:${id}`, { status, reason });
    });
  }

  /** Who set the worker's current status last (the audit's actor), null when it was never changed. */
  lastStatusActor(id: number): string | null {
    const row = this.store.db
      .prepare("SELECT actor FROM audit_log WHERE action = 'worker.status' AND target = ? ORDER BY id DESC LIMIT 1")
      .get(`worker:${id}`) as { actor: string } | undefined;
    return row?.actor ?? null;
  }

  /** Updates assignment fields (team, trade, role, contract, insurance, phone, wage card). */
  updateAssignment(
    id: number,
    patch: Partial<
      Pick<
        WorkerInput,
        'teamId' | 'employerId' | 'tradeCode' | 'role' | 'managementRole' | 'isTeamLeader' | 'hasContract' | 'contractStart' | 'contractEnd' | 'hasInsurance' | 'insuranceStart' | 'insuranceEnd' | 'phone' | 'bankCard' | 'bankCode'
      >
    >,
    actor: string,
  ): WorkerRecord {
    const cols: Record<string, unknown> = {};
    const map: Record<string, string> = {
      teamId: 'team_id',
      employerId: 'employer_id',
      tradeCode: 'trade_code',
      role: 'role',
      managementRole: 'management_role',
      contractStart: 'contract_start',
      contractEnd: 'contract_end',
      insuranceStart: 'insurance_start',
      insuranceEnd: 'insurance_end',
      bankCode: 'bank_code',
    };
    for (const [k, v] of Object.entries(patch)) {
      if (v === undefined) continue;
      if (k in map) cols[map[k] as string] = v;
      else if (k === 'isTeamLeader') cols.is_team_leader = v ? 1 : 0;
      else if (k === 'hasContract') cols.has_contract = v ? 1 : 0;
      else if (k === 'hasInsurance') cols.has_insurance = v ? 1 : 0;
      else if (k === 'phone') cols.phone_enc = v ? this.store.cipher.encryptText(String(v), COL.phone) : null;
      else if (k === 'bankCard') cols.bank_card_enc = v ? this.store.cipher.encryptText(String(v), COL.bankCard) : null;
    }
    if (patch.role === 'worker') cols.management_role = null;
    this.store.tx(() => {
      const keys = Object.keys(cols);
      if (keys.length > 0) {
        const r = this.store.db
          .prepare(`UPDATE workers SET ${keys.map((k) => `${k} = @${k}`).join(', ')}, updated_at = @now WHERE id = @id`)
          .run({ ...cols, now: this.store.clock.now(), id });
        if (r.changes === 0) throw new Error(`worker ${id} does not exist`);
        // The platform gets the worker as it now is (ProjectWorker.Update).
        if (actor !== PLATFORM_ACTOR) this.#outbox.queueWorkerChange(id, 'update', actor, this.store.clock.now());
      }
      this.audit.append(actor, 'worker.update', `worker:${id}`, { fields: Object.keys(patch).filter((k) => k !== 'phone' || patch.phone === undefined) });
    });
    const rec = this.get(id);
    if (!rec) throw new Error(`worker ${id} does not exist`);
    return rec;
  }

  #toSummary(r: WorkerRow): WorkerSummary {
    return {
      id: r.id,
      name: r.name,
      idType: r.id_type,
      idNumberMasked: r.id_number_masked,
      tradeCode: r.trade_code,
      role: r.role,
      managementRole: r.management_role,
      employerId: r.employer_id,
      teamId: r.team_id,
      teamName: r.team_name,
      status: r.status,
      validTo: r.valid_to,
      contractEnd: r.contract_end,
      hasContract: r.has_contract === 1,
      hasInsurance: r.has_insurance === 1,
      manualEntry: r.manual_entry === 1,
      source: r.source,
      updatedAt: r.updated_at,
    };
  }

  #toRecord(r: WorkerRow): WorkerRecord {
    const c = this.store.cipher;
    return {
      ...this.#toSummary(r),
      idNumber: c.decryptText(r.id_number_enc, COL.idNumber),
      sex: r.sex,
      nation: r.nation,
      birthDate: r.birth_date,
      address: r.address_enc ? c.decryptText(r.address_enc, COL.address) : null,
      issuingAuthority: r.issuing_authority,
      validFrom: r.valid_from,
      hasIdPhoto: r.has_id_photo === 1,
      phone: r.phone_enc ? c.decryptText(r.phone_enc, COL.phone) : null,
      isTeamLeader: r.is_team_leader === 1,
      contractStart: r.contract_start,
      insuranceStart: r.insurance_start,
      insuranceEnd: r.insurance_end,
      bankCard: r.bank_card_enc ? c.decryptText(r.bank_card_enc, COL.bankCard) : null,
      bankCode: r.bank_code,
    };
  }
}
