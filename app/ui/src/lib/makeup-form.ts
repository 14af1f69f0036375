// Pure logic of the make-up attendance form (补卡): <input type="datetime-local"> values to
// epoch ms and back (the kiosk's local time, which is the site's), the fields the form
// requires before it sends anything, and the request body. The core checks everything again
// (edge-core/src/rules/makeup.ts) and its 422 reasons are what the user reads.
import type { MakeupBody, MakeupReason } from '../api/admin.js';

export const MAKEUP_REASONS: readonly MakeupReason[] = [
  'storm',
  'network_failure',
  'power_failure',
  'device_failure',
  'other',
];

const pad = (n: number) => String(n).padStart(2, '0');

/** Epoch ms → 'YYYY-MM-DDTHH:mm' in the browser's local time. */
export function toLocalInput(ms: number): string {
  const d = new Date(ms);
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

/** 'YYYY-MM-DDTHH:mm' (local) → epoch ms, or null when it is not a valid date and time. */
export function fromLocalInput(text: string): number | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})$/.exec(text);
  if (!m) return null;
  const [y, mo, d, h, mi] = m.slice(1).map(Number) as [number, number, number, number, number];
  const date = new Date(y, mo - 1, d, h, mi);
  if (date.getFullYear() !== y || date.getMonth() !== mo - 1 || date.getDate() !== d) return null;
  if (date.getHours() !== h || date.getMinutes() !== mi) return null;
  return date.getTime();
}

export interface MakeupDraft {
  workerId: string;
  direction: 'in' | 'out';
  occurredAt: string;
  reason: MakeupReason;
  reasonText: string;
  confirmedBy: string;
  documentNo: string;
  confirmedAt: string;
}

export type MakeupField = keyof MakeupDraft;

/** The fields still missing or malformed; empty when the draft can be sent. */
export function missingFields(d: MakeupDraft): MakeupField[] {
  const out: MakeupField[] = [];
  if (!/^\d+$/.test(d.workerId)) out.push('workerId');
  if (fromLocalInput(d.occurredAt) === null) out.push('occurredAt');
  if (d.reason === 'other' && !d.reasonText.trim()) out.push('reasonText');
  if (!d.confirmedBy.trim()) out.push('confirmedBy');
  if (!d.documentNo.trim()) out.push('documentNo');
  if (fromLocalInput(d.confirmedAt) === null) out.push('confirmedAt');
  return out;
}

/** The POST body of a complete draft, or null when fields are missing. */
export function makeupBody(d: MakeupDraft): MakeupBody | null {
  if (missingFields(d).length > 0) return null;
  const occurredAt = fromLocalInput(d.occurredAt);
  const confirmedAt = fromLocalInput(d.confirmedAt);
  if (occurredAt === null || confirmedAt === null) return null;
  const reasonText = d.reasonText.trim();
  return {
    workerId: Number(d.workerId),
    direction: d.direction,
    occurredAt,
    reason: d.reason,
    ...(reasonText ? { reasonText } : {}),
    confirmedBy: d.confirmedBy.trim(),
    documentNo: d.documentNo.trim(),
    confirmedAt,
  };
}
