// The per-project gate policy (通行策略): a zod 4 schema with defaults. `parseGatePolicy({})`
// yields the defaults documented in README.md. Strict at every level: an unknown key (a typo
// such as `helmett`) is refused, never dropped while its rule silently falls back to the default. Stored as JSON in settings; every change is
// described by describePolicyChange() for the append-only audit log.
import { z } from 'zod';
import type { Bilingual } from './reasons.js';

/** What a failing check does: refuse passage, pass with a reminder, or nothing. */
export const RuleActionSchema = z.enum(['refuse', 'remind', 'ignore']);
export type RuleAction = z.infer<typeof RuleActionSchema>;

const HHMM = /^(?:[01]\d|2[0-3]):[0-5]\d$|^24:00$/;

/**
 * A site-local time window. `to` is exclusive. A window with `to` earlier than `from`
 * (e.g. 18:00–06:00) crosses midnight and belongs to the day on which it starts.
 */
export const TimeWindowSchema = z
  .strictObject({
    from: z.string().regex(HHMM, 'expected HH:mm'),
    to: z.string().regex(HHMM, 'expected HH:mm (24:00 allowed)'),
  })
  .refine((w) => w.from !== w.to, { message: 'empty time window' });
export type TimeWindow = z.infer<typeof TimeWindowSchema>;

const ALL_DAY: TimeWindow[] = [{ from: '00:00', to: '24:00' }];

/** Windows per day type; an empty list means no passage on that day type. */
export const DayWindowsSchema = z.strictObject({
  workday: z.array(TimeWindowSchema),
  holiday: z.array(TimeWindowSchema),
  stoppage: z.array(TimeWindowSchema),
});
export type DayWindows = z.infer<typeof DayWindowsSchema>;

export const GatePolicySchema = z.strictObject({
  schemaVersion: z.literal(1).default(1),
  /** Face liveness (活体检测): 'refuse' stops a non-live face before anything else. */
  liveness: RuleActionSchema.default('refuse'),
  idCard: z
    .strictObject({
      /** ID card past its validity date (valid through the whole last day). */
      expired: RuleActionSchema.default('refuse'),
    })
    .prefault({}),
  contract: z
    .strictObject({
      missing: RuleActionSchema.default('refuse'),
      /** Outside [contract_start, contract_end], site-local days, the end day included. */
      outOfDates: RuleActionSchema.default('refuse'),
      /** Remind this many days before the end (0 = never). */
      expiringSoonDays: z.number().int().min(0).max(90).default(7),
    })
    .prefault({}),
  insurance: z
    .strictObject({
      missing: RuleActionSchema.default('remind'),
      outOfDates: RuleActionSchema.default('remind'),
    })
    .prefault({}),
  timeWindows: z
    .strictObject({
      /** Whether windows also restrict exits; by default leaving is always permitted. */
      appliesTo: z.enum(['in', 'both']).default('in'),
      /** Fallback for everyone. */
      default: DayWindowsSchema.default({ workday: ALL_DAY, holiday: ALL_DAY, stoppage: [] }),
      /** Per person role; overrides `default`. */
      byRole: z
        .strictObject({ worker: DayWindowsSchema.optional(), manager: DayWindowsSchema.optional() })
        .default({ manager: { workday: ALL_DAY, holiday: ALL_DAY, stoppage: ALL_DAY } }),
      /** Per team id (as a string); overrides `byRole` and `default`. */
      byTeam: z.record(z.string(), DayWindowsSchema).default({}),
    })
    .prefault({}),
  /** Jiangxi device standard 5: a person without a helmet is denied and the record uploaded. */
  helmet: z
    .strictObject({
      action: RuleActionSchema.default('refuse'),
      /** When the detector could not tell (no model, occluded). */
      whenUnknown: RuleActionSchema.default('ignore'),
    })
    .prefault({}),
  mask: z
    .strictObject({
      action: RuleActionSchema.default('ignore'),
      whenUnknown: RuleActionSchema.default('ignore'),
    })
    .prefault({}),
  antiPassback: z
    .strictObject({
      action: RuleActionSchema.default('remind'),
      /** 'site': the last passage on any lane counts; 'lane': only the same lane. */
      scope: z.enum(['site', 'lane']).default('site'),
      /** A passage older than this no longer constrains the next one (missing exits are common). */
      resetAfterHours: z.number().min(1).max(72).default(16),
    })
    .prefault({}),
  duplicateScan: z
    .strictObject({
      /** A second recognition on the same lane and direction within this window is a duplicate. */
      windowSeconds: z.number().int().min(0).max(3600).default(30),
      /** 'refuse': announce 重复打卡 and keep the gate closed; 'pass_without_record': reopen, record nothing. */
      action: z.enum(['refuse', 'pass_without_record']).default('refuse'),
    })
    .prefault({}),
  exit: z
    .strictObject({
      /**
       * 'never_block_known': an identified person is never kept on site; failing checks on an
       * exit become reminders. 'same_as_entry': exits are refused like entries.
       */
      mode: z.enum(['never_block_known', 'same_as_entry']).default('never_block_known'),
    })
    .prefault({}),
  visitors: z
    .strictObject({
      enabled: z.boolean().default(true),
      /** 'always': every visitor needs an escort; 'per_pass': as the pass says; 'never'. */
      escort: z.enum(['always', 'per_pass', 'never']).default('per_pass'),
      /** The escort must have passed the same lane within this many seconds before the visitor. */
      escortWindowSeconds: z.number().int().min(10).max(3600).default(120),
      /** Who may escort. */
      escortRoles: z.array(z.enum(['worker', 'manager'])).min(1).default(['manager']),
    })
    .prefault({}),
});

export type GatePolicy = z.infer<typeof GatePolicySchema>;
export type GatePolicyInput = z.input<typeof GatePolicySchema>;

/** Validates and fills defaults; throws a ZodError listing every problem. */
export function parseGatePolicy(input: unknown): GatePolicy {
  return GatePolicySchema.parse(input);
}

export const DEFAULT_GATE_POLICY: GatePolicy = GatePolicySchema.parse({});

export interface PolicyFieldChange {
  /** Dotted path, e.g. 'helmet.action' or 'timeWindows.byTeam.12.workday'. */
  path: string;
  before: unknown;
  after: unknown;
}

export interface PolicyChangeDescription {
  changes: PolicyFieldChange[];
  summary: Bilingual;
  /** Ready for audit_log: action 'policy.change', details_json = this object. */
  audit: { action: 'policy.change'; details: { changes: PolicyFieldChange[] } };
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function diff(before: unknown, after: unknown, path: string, out: PolicyFieldChange[]): void {
  if (isPlainObject(before) && isPlainObject(after)) {
    const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])].sort();
    for (const k of keys) diff(before[k], after[k], path ? `${path}.${k}` : k, out);
    return;
  }
  if (JSON.stringify(before) !== JSON.stringify(after)) out.push({ path, before: before ?? null, after: after ?? null });
}

/** Lists every changed leaf (arrays compare whole) between two policies, in path order. */
export function describePolicyChange(before: GatePolicy, after: GatePolicy): PolicyChangeDescription {
  const changes: PolicyFieldChange[] = [];
  diff(before, after, '', changes);
  const fmt = (v: unknown): string => JSON.stringify(v);
  const lines = changes.map((c) => `${c.path}: ${fmt(c.before)} → ${fmt(c.after)}`);
  const summary: Bilingual =
    changes.length === 0
      ? { zh: '通行策略未变更', en: 'Gate policy unchanged' }
      : { zh: `通行策略变更 ${changes.length} 项：${lines.join('；')}`, en: `Gate policy: ${changes.length} change(s): ${lines.join('; ')}` };
  return { changes, summary, audit: { action: 'policy.change', details: { changes } } };
}
