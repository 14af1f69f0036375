// The time-window editor's text form: "06:00-20:00, 18:00-06:00" ⇄ the policy's windows.
// An empty text means no entry on that day type. Pure, unit-tested (app/test/ui).
import type { GatePolicy } from '../api/admin.js';

export type TimeWindow = { from: string; to: string };
export type DayWindows = GatePolicy['timeWindows']['default'];
export type DayKind = keyof DayWindows;
export const DAY_KINDS: DayKind[] = ['workday', 'holiday', 'stoppage'];

const HHMM = /^(?:[01]\d|2[0-3]):[0-5]\d$|^24:00$/;

export function formatWindows(list: readonly TimeWindow[]): string {
  return list.map((w) => `${w.from}-${w.to}`).join(', ');
}

/** Parses the text; a message naming the bad part when it cannot. */
export function parseWindows(text: string): { ok: true; windows: TimeWindow[] } | { ok: false; bad: string } {
  const parts = text
    .split(/[,，;；\s]+/)
    .map((p) => p.trim())
    .filter(Boolean);
  const windows: TimeWindow[] = [];
  for (const part of parts) {
    const m = /^(\d{1,2}:\d{2})\s*[-–~～至]\s*(\d{1,2}:\d{2})$/.exec(part);
    const norm = (t: string) => t.padStart(5, '0');
    if (!m) return { ok: false, bad: part };
    const from = norm(m[1] as string);
    const to = norm(m[2] as string);
    if (!HHMM.test(from) || !HHMM.test(to) || from === '24:00' || from === to) return { ok: false, bad: part };
    windows.push({ from, to });
  }
  return { ok: true, windows };
}

/** The text fields of one rule (default, a role or a team), by day type. */
export type WindowTexts = Record<DayKind, string>;

export function textsOf(w: DayWindows): WindowTexts {
  return { workday: formatWindows(w.workday), holiday: formatWindows(w.holiday), stoppage: formatWindows(w.stoppage) };
}

/** The windows of the texts, or the first bad part. */
export function windowsOf(t: WindowTexts): { ok: true; windows: DayWindows } | { ok: false; day: DayKind; bad: string } {
  const out: Partial<DayWindows> = {};
  for (const d of DAY_KINDS) {
    const r = parseWindows(t[d]);
    if (!r.ok) return { ok: false, day: d, bad: r.bad };
    out[d] = r.windows;
  }
  return { ok: true, windows: out as DayWindows };
}

export interface WindowDraft {
  default: WindowTexts;
  /** null: the role uses the default. */
  byRole: { worker: WindowTexts | null; manager: WindowTexts | null };
  /** Teams with their own windows, by team id. */
  byTeam: Record<string, WindowTexts>;
}

export function draftOf(tw: GatePolicy['timeWindows']): WindowDraft {
  return {
    default: textsOf(tw.default),
    byRole: { worker: tw.byRole.worker ? textsOf(tw.byRole.worker) : null, manager: tw.byRole.manager ? textsOf(tw.byRole.manager) : null },
    byTeam: Object.fromEntries(Object.entries(tw.byTeam).map(([k, v]) => [k, textsOf(v)])),
  };
}

/** The policy's timeWindows from a draft (appliesTo kept), or where the draft is wrong. */
export function timeWindowsOf(
  draft: WindowDraft,
  appliesTo: GatePolicy['timeWindows']['appliesTo'],
): { ok: true; value: GatePolicy['timeWindows'] } | { ok: false; where: string; day: DayKind; bad: string } {
  const d = windowsOf(draft.default);
  if (!d.ok) return { ok: false, where: 'default', day: d.day, bad: d.bad };
  const byRole: GatePolicy['timeWindows']['byRole'] = {};
  for (const role of ['worker', 'manager'] as const) {
    const texts = draft.byRole[role];
    if (!texts) continue;
    const r = windowsOf(texts);
    if (!r.ok) return { ok: false, where: `role:${role}`, day: r.day, bad: r.bad };
    byRole[role] = r.windows;
  }
  const byTeam: Record<string, DayWindows> = {};
  for (const [team, texts] of Object.entries(draft.byTeam)) {
    const r = windowsOf(texts);
    if (!r.ok) return { ok: false, where: `team:${team}`, day: r.day, bad: r.bad };
    byTeam[team] = r.windows;
  }
  return { ok: true, value: { appliesTo, default: d.windows, byRole, byTeam } };
}
