// Reads the core's pino log (JSON lines) and sorts every ERROR/FATAL line into the expected,
// handled kinds below — each with the reason it is acceptable in this scenario — or into
// `unhandled`, which the soak requires to be empty.
export interface LogLine {
  level: number;
  msg?: string;
  [k: string]: unknown;
}

export interface ExpectedError {
  name: string;
  /** Why this error is expected in the soak and who handles it. */
  reason: string;
  matches(line: LogLine): boolean;
}

export const EXPECTED_ERRORS: ExpectedError[] = [
  {
    name: 'relay unplugged: committed pass not opened',
    reason:
      'The scenario unplugs the lane-1 Modbus relay. Once the turnstile is known offline the lane refuses before recording (turnstile_offline, ' +
      'no error); in the moment before the driver notices, the lane records the pass, the driver refuses with controller_offline/timeout, the ' +
      'decision is reported opened:false and gate-service audits gate.open_failed — handled, and asserted separately (no opened report without a pulse).',
    matches: (l) => l.msg === 'turnstile did not open after a committed pass' && l.lane === 'lane-1',
  },
  {
    name: 'Wiegand converter ACK late under load',
    reason:
      'The converter simulator runs in the test process and acknowledges each frame at once; a confirm_timeout (300 ms) on lane-2 means the ACK ' +
      'waited behind that process (platform simulator, three lanes of HTTP clients, on two cores), not that the command was lost. Handled: the ' +
      'decision is reported opened:false and gate.open_failed is audited; the test checks that the converter received a frame for every such pass.',
    matches: (l) => l.msg === 'turnstile did not open after a committed pass' && l.lane === 'lane-2' && l.code === 'confirm_timeout',
  },
];

export interface LogAudit {
  lines: number;
  errors: number;
  expected: Record<string, number>;
  unhandled: LogLine[];
  /** Lines that are not JSON (e.g. a line cut by SIGKILL). */
  unparsable: number;
  /** Every "turnstile did not open after a committed pass", with the record it belongs to. */
  openFailures: Array<{ lane: string; eventId: string; code: string }>;
}

export function auditLog(text: string, _ctx: { relayUnplugged: { from: number; to: number }; crashAt: number }): LogAudit {
  const out: LogAudit = { lines: 0, errors: 0, expected: {}, unhandled: [], unparsable: 0, openFailures: [] };
  for (const raw of text.split('\n')) {
    if (!raw.trim()) continue;
    out.lines++;
    let line: LogLine;
    try {
      line = JSON.parse(raw) as LogLine;
    } catch {
      out.unparsable++;
      continue;
    }
    if (line.level < 50) continue;
    out.errors++;
    if (line.msg === 'turnstile did not open after a committed pass') out.openFailures.push({ lane: String(line.lane), eventId: String(line.eventId), code: String(line.code) });
    const kind = EXPECTED_ERRORS.find((e) => e.matches(line));
    if (kind) out.expected[kind.name] = (out.expected[kind.name] ?? 0) + 1;
    else out.unhandled.push(line);
  }
  return out;
}
