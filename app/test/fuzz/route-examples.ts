// Known-good requests per route (the starting points the fuzzer mutates), built against what
// the running core currently holds (worker ids, event ids, held card reads, capture sessions).
// A route missing here is still fuzzed, with generic junk only; the suite prints which.
// All personal data is synthetic: names 测试…, ID numbers with the region code 999999.
import type { Role } from '../../../edge-core/src/index.js';

export interface WorldView {
  now(): number;
  pins: Record<Role, string>;
  /** The fuzzer's own account per role (the demo's 1–3). */
  accountIds: Record<Role, number>;
  /** Accounts the fuzzer created (disabling, renaming or re-PINning them harms no session). */
  accounts: number[];
  workers: number[];
  employers: number[];
  teams: number[];
  events: string[];
  lanes: string[];
  readIds: string[];
  sessions: string[];
  policy: unknown;
}

export interface Example {
  params?: Record<string, string>;
  query?: Record<string, string>;
  /** A JSON body. */
  body?: unknown;
  /** The route takes a JPEG body (Content-Type image/jpeg). */
  jpeg?: boolean;
}

const pick = <T>(list: readonly T[], n: number, fallback: T): T => (list.length ? (list[n % list.length] as T) : fallback);
const uuidLike = (n: number) => `00000000-0000-4000-8000-${String(n % 1e12).padStart(12, '0')}`;
const ROLES: Role[] = ['clerk', 'supervisor', 'admin'];

/** A syntactically valid 18-digit ID number (correct check digit) with the synthetic region 999999. */
export function syntheticIdNumber(n: number): string {
  const year = 1960 + (n % 40);
  const seq = String(Math.floor(n / 40) % 1000).padStart(3, '0');
  const body = `999999${year}0101${seq}`;
  const weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
  const sum = [...body].reduce((acc, d, i) => acc + Number(d) * (weights[i] as number), 0);
  return body + ('10X98765432'[sum % 11] as string);
}

const localDay = (ms: number) => new Date(ms + 8 * 3600_000).toISOString().slice(0, 10);

const assignment = (w: WorldView, n: number) => ({
  tradeCode: ['010', '020', '100'][n % 3] as string,
  role: 'worker' as const,
  employerId: pick(w.employers, n, 1),
  teamId: pick(w.teams, n, 1),
  hasContract: true,
  contractStart: '2026-01-01',
  contractEnd: '2027-12-31',
  phone: '13900000000',
});

export const EXAMPLES: Record<string, (w: WorldView, n: number) => Example> = {
  'GET /': () => ({}),
  'GET /health': () => ({}),
  'GET /api/setup/status': () => ({}),
  'POST /api/setup/pins': (_w, n) =>
    n % 2 ? { body: { admin: '902468', supervisor: '802468', clerk: '702468' } } : { body: { accounts: [{ name: '测试管理员', role: 'admin', pin: '902468' }, { name: '测试劳务员', role: 'clerk', pin: '702468' }] } },
  'POST /api/session': (w, n) => {
    const role = pick(ROLES, n, 'clerk');
    // Mostly a wrong PIN: the lockout then holds, and its path is what a flood of logins meets.
    // By account number, the older clients' role now and then, and a created account (perhaps disabled).
    const pin = n % 4 === 0 ? w.pins[role] : '000001';
    if (n % 5 === 1) return { body: { role, pin } };
    if (n % 5 === 2) return { body: { account: pick(w.accounts, n, 99), pin: `60${String(2468 + (n % 4)).padStart(4, '0')}` } };
    return { body: { account: w.accountIds[role], pin } };
  },
  'GET /api/session/accounts': () => ({}),
  'GET /api/accounts': () => ({}),
  'POST /api/accounts': (_w, n) => ({ body: { name: `测试账号${n % 50}`, role: pick(ROLES, n, 'clerk'), pin: `60${String(2468 + (n % 4)).padStart(4, '0')}` } }),
  'PATCH /api/accounts/:id': (w, n) => ({ params: { id: String(pick(w.accounts, n, 99)) }, body: { name: `测试改名${n % 50}` } }),
  'POST /api/accounts/:id/disable': (w, n) => ({ params: { id: String(pick(w.accounts, n, 99)) }, body: {} }),
  'POST /api/accounts/:id/enable': (w, n) => ({ params: { id: String(pick(w.accounts, n, 99)) }, body: {} }),
  'PUT /api/accounts/:id/pin': (w, n) => ({ params: { id: String(pick(w.accounts, n, 99)) }, body: { pin: `61${String(3579 + (n % 4)).padStart(4, '0')}` } }),
  'DELETE /api/session': () => ({}),
  'POST /api/kiosk/session': () => ({ body: {} }),
  'PUT /api/admin/pins': (w, n) => {
    const role = pick(ROLES, n, 'clerk');
    return { body: { role, pin: n % 3 === 0 ? w.pins[role] : `${role === 'admin' ? 9 : role === 'supervisor' ? 8 : 7}${String(13579 + (n % 80000)).padStart(5, '0')}` } };
  },
  'GET /api/employers': () => ({}),
  'POST /api/employers': (_w, n) => ({ body: { name: `测试劳务公司${n % 1000}`, creditCode: `91999999MA${String(n % 1e8).padStart(8, '0')}`, corpType: pick(['general', 'sub', 'labour'], n, 'labour') } }),
  'GET /api/teams': () => ({}),
  'POST /api/teams': (w, n) => ({ body: { employerId: pick(w.employers, n, 1), name: `测试班组${n % 1000}` } }),
  'GET /api/workers': (w, n) => ({
    query: { q: pick(['测试', '', '9999', '工'], n, ''), teamId: String(pick(w.teams, n, 1)), status: pick(['active', 'inactive', 'blacklisted'], n, 'active'), limit: String(1 + (n % 200)), offset: String(n % 50) },
  }),
  'GET /api/workers/:id': (w, n) => ({ params: { id: String(pick(w.workers, n, 1)) } }),
  'POST /api/workers': (w, n) => ({
    body: {
      name: `测试工人${n % 1000}`,
      idType: '01',
      idNumber: syntheticIdNumber(n),
      sex: pick(['M', 'F'], n, 'M'),
      birthDate: '1990-01-01',
      validTo: '2036-01-01',
      ...assignment(w, n),
      ...(n % 7 === 0 ? { role: 'manager', managementRole: 'safety_officer' } : {}),
    },
  }),
  'PATCH /api/workers/:id': (w, n) => ({ params: { id: String(pick(w.workers, n, 1)) }, body: { phone: '13900000001', contractEnd: '2027-06-30', teamId: pick(w.teams, n, 1), isTeamLeader: n % 2 === 0 } }),
  'POST /api/workers/:id/status': (w, n) => ({
    params: { id: String(pick(w.workers, n, 1)) },
    body: { status: pick(['active', 'inactive', 'active', 'blacklisted'], n, 'active'), reason: '测试原因 test reason' },
  }),
  'GET /api/attendance': (w, n) => ({ query: { date: localDay(w.now()), workerId: String(pick(w.workers, n, 1)), laneId: pick(w.lanes, n, 'lane-1'), limit: String(1 + (n % 500)), beforeSeq: String(1 + (n % 100)) } }),
  'GET /api/attendance/:eventId/photo': (w, n) => ({ params: { eventId: pick(w.events, n, uuidLike(n)) } }),
  'POST /api/attendance/makeup': (w, n) => ({
    body: {
      workerId: pick(w.workers, n, 1),
      direction: pick(['in', 'out'], n, 'in'),
      occurredAt: w.now() - 86_400_000 - (n % 10) * 3600_000,
      reason: pick(['storm', 'network_failure', 'power_failure', 'device_failure', 'other'], n, 'storm'),
      reasonText: '测试补卡',
      confirmedBy: '测试住建局',
      documentNo: `测试-${n}`,
      confirmedAt: w.now() - 3600_000,
    },
  }),
  'GET /api/dashboard/today': () => ({}),
  'GET /api/lanes': () => ({}),
  'GET /api/audit': () => ({}),
  'POST /api/admin/backup': () => ({}),
  'POST /api/demo/passage': (w, n) => ({ body: { laneId: pick(w.lanes, n, 'lane-1'), workerId: n % 3 === 0 ? null : pick(w.workers, n, 1), direction: pick(['in', 'out'], n, 'in') } }),
  'GET /api/events': () => ({}),
  'POST /api/lanes/:laneId/frames': (w, n) => ({ params: { laneId: pick(w.lanes, n, 'lane-1') }, jpeg: true }),
  'GET /api/devices': () => ({}),
  'GET /api/gate/policy': () => ({}),
  'PUT /api/gate/policy': (w) => ({ body: w.policy }),
  'GET /api/enrollment/card': () => ({}),
  'GET /api/enrollment/card/:readId/photo': (w, n) => ({ params: { readId: pick(w.readIds, n, uuidLike(n)) } }),
  'POST /api/enrollment/sessions': () => ({}),
  'POST /api/enrollment/sessions/:id/frames': (w, n) => ({ params: { id: pick(w.sessions, n, uuidLike(n)) }, jpeg: true }),
  'POST /api/enrollment/sessions/:id/match': (w, n) => ({ params: { id: pick(w.sessions, n, uuidLike(n)) }, body: { readId: pick(w.readIds, n, uuidLike(n)) } }),
  'POST /api/enrollments': (w, n) => ({
    body: {
      clientRequestId: uuidLike(n * 7919),
      sessionId: pick(w.sessions, n, uuidLike(n)),
      ...(n % 2 === 0
        ? {
            readId: null,
            manual: { name: '测试手工', idType: '01', idNumber: syntheticIdNumber(n + 1), sex: 'F', birthDate: '1991-01-01' },
            // Without a 1:1 result only an admin saves, with a reason (other roles get 403/409).
            idMatchOverride: { reason: '测试：手工录入，证件无照片' },
          }
        : { readId: pick(w.readIds, n, uuidLike(n)) }),
      assignment: assignment(w, n),
    },
  }),
  'POST /api/demo/card': (_w, n) => ({ body: { key: n % 5 === 0 ? null : pick(['resident', 'hmt', 'foreign-2023', 'resident-expired', 'bad-check-digit', 'read-failure'], n, 'resident') } }),
  'GET /api/reports/management': (w, n) => ({ query: { month: localDay(w.now() - (n % 3) * 31 * 86_400_000).slice(0, 7) } }),
  'GET /api/reports/attendance-sheet': (w, n) => ({
    query: { month: localDay(w.now()).slice(0, 7), groupBy: pick(['team', 'employer'], n, 'team'), format: n % 10 === 0 ? 'xlsx' : 'csv' },
  }),
  'GET /api/reports/completeness': () => ({}),
  'GET /api/ledger/receipt': (_w, n) => ({ query: { format: n % 2 ? 'text' : 'json' } }),
  'GET /api/sync/status': () => ({}),
  'POST /api/sync/retry': () => ({}),
  'GET /api/sync/parked': () => ({}),
  'PUT /api/admin/platform-secret': (_w, n) => ({ body: { appsecret: `test-secret-${n}` } }),
  'GET /api/admin/voice-templates': () => ({}),
  'PUT /api/admin/voice-templates': (_w, n) => ({ body: n % 2 ? { welcome: '欢迎 测试', goodbye: '再见' } : { refused: '请联系管理员' } }),
  // construction calendar, visitor passes, time windows, remote management (siteops)
  'GET /api/calendar': (w, n) => ({ query: { month: localDay(w.now() + (n % 3) * 31 * 86_400_000).slice(0, 7) } }),
  'PUT /api/admin/calendar/days': (w, n) => ({ body: { dates: [localDay(w.now() + (n % 20) * 86_400_000)], kind: pick(['weather', 'stoppage', 'holiday', 'workday'], n, 'weather'), reason: `测试原因${n % 10}` } }),
  'POST /api/admin/calendar/unmark': (w, n) => ({ body: { dates: [localDay(w.now() + (n % 20) * 86_400_000)], reason: '误标' } }),
  'PUT /api/admin/calendar/base': (_w, n) => ({ body: { restWeekdays: n % 2 ? [7] : [], start: null, end: null } }),
  'POST /api/admin/calendar/import': () => ({}),
  'POST /api/visitor-passes': (w, n) => ({ body: { name: `测试访客${n % 100}`, host: '项目部', purpose: '参观', validFrom: w.now() - 60_000, validTo: w.now() + (1 + (n % 8)) * 3_600_000, maxEntries: n % 3 ? null : 1 } }),
  'GET /api/visitor-passes': (_w, n) => ({ query: { state: n % 2 ? 'all' : 'active' } }),
  'GET /api/visitor-passes/:id': (_w, n) => ({ params: { id: uuidLike(n) } }),
  'POST /api/visitor-passes/:id/revoke': (_w, n) => ({ params: { id: uuidLike(n) }, body: { reason: '取消' } }),
  'GET /api/visitor-passages': (w) => ({ query: { date: localDay(w.now()) } }),
  'POST /api/lanes/:laneId/visitor-code': (w, n) => ({ params: { laneId: pick(w.lanes, n, 'lane-1') }, body: { code: `SGV1-${'A'.repeat(66)}` } }),
  'POST /api/gate/time-windows/preview': (w) => ({ body: { timeWindows: (w.policy as { timeWindows?: unknown } | null)?.timeWindows } }),
  'GET /api/admin/remote': () => ({}),
  'POST /api/admin/restart': () => ({}),
};

/** The example for a route, HEAD falling back to its GET twin. */
export function exampleFor(method: string, url: string): ((w: WorldView, n: number) => Example) | undefined {
  return EXAMPLES[`${method} ${url}`] ?? (method === 'HEAD' ? EXAMPLES[`GET ${url}`] : undefined);
}
