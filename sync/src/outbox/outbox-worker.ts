// The outbox worker: delivers queued records to the platform at least once, without
// duplicates. A request whose outcome is unknown (sent, no clear answer) is resolved by
// asking the platform (WorkerAttendance.Query) before anything is re-sent, because the
// platform's write API has no idempotency key. Order is kept per partition (a worker's own
// records); failures back off with full jitter and honour Retry-After; refused data is parked
// with the platform's reason and never blocks other records.
import type { Clock } from '../../../edge-core/src/ports/clock.js';
import type {
  AttendanceForPlatform,
  LocalizedText,
  OutboxItem,
  OutboxStorePort,
  SyncConnectivity,
  SyncProgressEvent,
  SyncStatus,
  ClockSkew,
  WorkerForPlatform,
} from '../../../edge-core/src/ports/platform.js';
import { WAITING_FOR_TEAM } from '../../../edge-core/src/ports/platform.js';
import type { PlatformClient } from '../platform/client.js';
import { PlatformError, isPlatformError } from '../platform/errors.js';
import { readAllPages } from '../platform/paging.js';
import { formatDate, formatDateTime } from '../platform/timestamp.js';
import { backoffDelay, DEFAULT_BACKOFF, type BackoffPolicy } from './backoff.js';
import { isTransientItemReason } from './item-reasons.js';

export interface OutboxWorkerOptions {
  outbox: OutboxStorePort;
  client: PlatformClient;
  clock: Clock;
  onProgress?: (e: SyncProgressEvent) => void;
  /** Parallel write requests (default 4). */
  concurrency?: number;
  backoff?: BackoffPolicy;
  /** Give up (park) an item after this long of answered failures (default 72 h). */
  budgetMs?: number;
  /** Wait before resolving an ambiguous outcome, so a late write lands first (default 1500 ms). */
  settleMs?: number;
  /** Idle poll when nothing is due (default 500 ms; wake() cuts it short). */
  idleMs?: number;
  /** Retry delay of items whose team is not yet registered on the platform (default 60 s). */
  teamWaitMs?: number;
  /** Wait up to this long for a full batch while other requests are in flight (default 100 ms). */
  lingerMs?: number;
  /** Interval between AsyncHandleResult polls of one request (default 200 ms). */
  resultPollMs?: number;
  /** A request without a final async result after this long is resolved by query (default 10 min). */
  resultTimeoutMs?: number;
  /** Probe delays while offline / blocked. */
  offlineProbe?: BackoffPolicy;
  blockedProbe?: BackoffPolicy;
  random?: () => number;
  /** Reads the latest clock-skew estimate for the status (from the heartbeat). */
  clockSkew?: () => ClockSkew | null;
}

export interface OutboxWorker {
  status(): SyncStatus;
  /** Something new is queued or settings changed: run now. */
  wake(): void;
  /** Runs cycles until nothing is due or `timeoutMs` passes; resolves true when drained. */
  drain(timeoutMs: number): Promise<boolean>;
  stop(): Promise<void>;
}

/**
 * attendType of a make-up record (补卡). The national interface documents '001' for face
 * attendance; the make-up code is our assumption until the province's document says otherwise.
 */
export const MAKEUP_ATTEND_TYPE = '002';

const NETWORK_KINDS = new Set(['connection_refused', 'network', 'timeout', 'connection_reset', 'tls']);
const SEND_LIMIT_PER_ROUND = 200;

interface Batch {
  kind: 'attendance' | 'worker';
  items: OutboxItem[];
  teamSysNo: string;
  attendance: AttendanceForPlatform[];
  workers: WorkerForPlatform[];
}

export function startOutboxWorker(o: OutboxWorkerOptions): OutboxWorker {
  const { outbox, client, clock } = o;
  const cfg = client.config;
  const concurrency = o.concurrency ?? 4;
  const backoff = o.backoff ?? DEFAULT_BACKOFF;
  const budgetMs = o.budgetMs ?? 72 * 3600_000;
  const settleMs = o.settleMs ?? 1500;
  const idleMs = o.idleMs ?? 500;
  const resultPollMs = o.resultPollMs ?? 200;
  const lingerMs = o.lingerMs ?? 100;
  const teamWaitMs = o.teamWaitMs ?? 60_000;
  const resultTimeoutMs = o.resultTimeoutMs ?? 10 * 60_000;
  const offlineProbe = o.offlineProbe ?? { baseMs: 1000, maxMs: 60_000 };
  const blockedProbe = o.blockedProbe ?? { baseMs: 30_000, maxMs: 5 * 60_000 };
  const random = o.random ?? Math.random;
  const emit = (e: SyncProgressEvent): void => {
    try {
      o.onProgress?.(e);
    } catch {
      // a listener's failure must not stop delivery
    }
  };

  let connectivity: SyncConnectivity = 'unknown';
  let reason: LocalizedText | null = null;
  let probeFailures = 0;
  let gateUntil = 0; // no calls before this (offline/blocked probe, Retry-After)
  let lastSuccessAt: number | null = null;
  let lastAttemptAt: number | null = null;
  const solo = new Set<number>(); // send alone: their batch was refused as a whole
  const serialSeen = new Map<string, { firstAt: number; nextPollAt: number }>();
  let running = true;
  let wakeUp: (() => void) | null = null;
  let lastStatusEmit = 0;

  const status = (): SyncStatus => ({
    connectivity,
    reason,
    counts: outbox.counts(),
    lastSuccessAt,
    lastAttemptAt,
    clockSkew: o.clockSkew?.() ?? null,
  });
  const emitStatus = (force = false): void => {
    const t = Date.now();
    if (!force && t - lastStatusEmit < 1000) return;
    lastStatusEmit = t;
    emit({ type: 'status', status: status() });
  };
  const setConnectivity = (c: SyncConnectivity, why: LocalizedText | null): void => {
    const changed = c !== connectivity || why?.en !== reason?.en;
    connectivity = c;
    reason = why;
    if (changed) emitStatus(true);
  };
  const succeeded = (): void => {
    lastSuccessAt = clock.now();
    probeFailures = 0;
    if (connectivity !== 'online') setConnectivity('online', null);
  };
  /** A failure that says something about the connection or configuration. Returns true when calls must pause. */
  const noteFailure = (e: PlatformError): boolean => {
    emit({ type: 'error', message: e.userMessage, kind: e.kind, at: clock.now() });
    const now = Date.now();
    if (e.retry === 'blocked') {
      probeFailures++;
      gateUntil = now + backoffDelay(probeFailures, blockedProbe, random);
      setConnectivity('blocked', e.userMessage);
      return true;
    }
    if (NETWORK_KINDS.has(e.kind) && e.delivery !== 'ambiguous') {
      probeFailures++;
      gateUntil = now + backoffDelay(probeFailures, offlineProbe, random);
      setConnectivity('offline', e.userMessage);
      return true;
    }
    if (NETWORK_KINDS.has(e.kind)) {
      // Ambiguous network failures (timeouts, resets) hint at a bad link; keep going but mark it.
      probeFailures++;
      if (probeFailures >= 3) {
        gateUntil = now + backoffDelay(probeFailures - 2, offlineProbe, random);
        setConnectivity('offline', e.userMessage);
        return true;
      }
      return false;
    }
    if (e.retryAfterMs !== undefined) gateUntil = Math.max(gateUntil, now + e.retryAfterMs);
    return false;
  };

  const errText = (e: unknown): string => (isPlatformError(e) ? `${e.kind}: ${e.userMessage.zh} / ${e.userMessage.en}` : String((e as Error)?.message ?? e));

  /** Reschedules after an answered or network failure, or parks when the time budget is spent. */
  const retryLater = (items: OutboxItem[], e: PlatformError | Error): void => {
    const now = clock.now();
    const pe = isPlatformError(e) ? e : null;
    // Offline or misconfigured: the probe gate decides when to try again; no budget is spent.
    const offline = pe !== null && (NETWORK_KINDS.has(pe.kind) || pe.retry === 'blocked');
    if (!offline) {
      const expired = items.filter((i) => i.firstAttemptAt !== null && now - i.firstAttemptAt > budgetMs);
      if (expired.length) {
        const why = `超过重试时限仍未送达 / not delivered within the retry budget: ${errText(e)}`;
        outbox.park(
          expired.map((i) => i.id),
          why,
          now,
        );
        emit({ type: 'parked', kind: expired[0]?.kind ?? 'attendance', outboxIds: expired.map((i) => i.id), reason: why, at: now });
      }
      items = items.filter((i) => !expired.includes(i));
    }
    if (!items.length) return;
    const attempt = Math.max(...items.map((i) => i.attempts + 1));
    const delay = offline ? 0 : backoffDelay(attempt, backoff, random, pe?.retryAfterMs);
    outbox.reschedule(
      items.map((i) => i.id),
      now + delay,
      errText(e),
      { countAttempt: !offline },
    );
  };

  const parkItems = (items: OutboxItem[], why: string): void => {
    if (!items.length) return;
    const now = clock.now();
    for (const i of items) solo.delete(i.id);
    outbox.park(
      items.map((i) => i.id),
      why,
      now,
    );
    emit({ type: 'parked', kind: items[0]?.kind ?? 'attendance', outboxIds: items.map((i) => i.id), reason: why, at: now });
  };

  /** A whole request refused as bad data: split to find the bad item, or park a lone one. */
  const refused = (items: OutboxItem[], why: string): void => {
    if (items.length > 1) {
      for (const i of items) solo.add(i.id);
      outbox.reschedule(
        items.map((i) => i.id),
        clock.now(),
        why,
        { countAttempt: false },
      );
    } else parkItems(items, why);
  };

  function buildBatches(items: OutboxItem[]): Batch[] {
    const batches: Batch[] = [];
    const att = outbox.attendanceForPlatform(items);
    const wk = outbox.workersForPlatform(items);
    const byOutbox = new Map(items.map((i) => [i.id, i]));
    const found = new Set<number>([...att.map((a) => a.outboxId), ...wk.map((w) => w.outboxId)]);
    const missing = items.filter((i) => !found.has(i.id) && (i.kind === 'attendance' || i.kind === 'worker'));
    parkItems(missing, '本地记录缺失（人员或考勤已删除） / the local record is missing (worker or event deleted)');
    const unsupported = items.filter((i) => i.kind !== 'attendance' && i.kind !== 'worker');
    if (unsupported.length) outbox.reschedule(unsupported.map((i) => i.id), clock.now() + 3600_000, 'kind not handled by this version', { countAttempt: false });

    const noTeam: OutboxItem[] = [];
    const groups = new Map<string, AttendanceForPlatform[]>();
    for (const a of att) {
      if (!a.teamSysNo) {
        const it = byOutbox.get(a.outboxId);
        if (it) noTeam.push(it);
        continue;
      }
      if (solo.has(a.outboxId)) {
        batches.push({ kind: 'attendance', items: [byOutbox.get(a.outboxId) as OutboxItem], teamSysNo: a.teamSysNo, attendance: [a], workers: [] });
        continue;
      }
      const g = groups.get(a.teamSysNo) ?? [];
      g.push(a);
      groups.set(a.teamSysNo, g);
    }
    for (const [team, list] of groups) {
      for (let i = 0; i < list.length; i += cfg.attendanceBatchSize) {
        const part = list.slice(i, i + cfg.attendanceBatchSize);
        batches.push({ kind: 'attendance', teamSysNo: team, attendance: part, workers: [], items: part.map((a) => byOutbox.get(a.outboxId) as OutboxItem) });
      }
    }
    const readyWorkers: WorkerForPlatform[] = [];
    const teamless = wk.filter((w) => w.teamName === null);
    parkItems(
      teamless.flatMap((w) => byOutbox.get(w.outboxId) ?? []),
      '人员未分配班组，平台无法登记；分配班组后点“重试” / the worker has no team, which the platform requires; assign one, then retry',
    );
    for (const w of wk) {
      if (w.teamName === null) continue;
      if (!w.teamSysNo || !w.corpCode || !w.corpName) {
        const it = byOutbox.get(w.outboxId);
        if (it) noTeam.push(it);
      } else readyWorkers.push(w);
    }
    const size = cfg.workerBatchSize;
    for (let i = 0; i < readyWorkers.length; ) {
      const first = readyWorkers[i] as WorkerForPlatform;
      const n = solo.has(first.outboxId) ? 1 : size;
      const part = readyWorkers.slice(i, i + n);
      batches.push({ kind: 'worker', teamSysNo: first.teamSysNo ?? '', attendance: [], workers: part, items: part.map((w) => byOutbox.get(w.outboxId) as OutboxItem) });
      i += n;
    }
    if (noTeam.length) {
      // Waits (not parked): the team gets its platform number once it is registered there.
      teamsNeeded = true;
      outbox.reschedule(
        noTeam.map((i) => i.id),
        clock.now() + teamWaitMs,
        `${WAITING_FOR_TEAM}: 班组或参建单位尚未在平台登记 / team or employer not registered on the platform yet`,
        { countAttempt: false },
      );
    }
    return batches;
  }

  async function sendBatch(b: Batch): Promise<void> {
    const ids = b.items.map((i) => i.id);
    outbox.markInflight(ids, clock.now());
    lastAttemptAt = clock.now();
    try {
      const serial =
        b.kind === 'attendance'
          ? await client.addAttendance(
              b.teamSysNo,
              b.attendance.map((a) => ({
                idCardType: a.idType,
                idCardNumber: a.idNumber,
                occurredAt: a.occurredAt,
                direction: a.direction,
                photoJpeg: a.photoJpeg,
                lng: a.lng,
                lat: a.lat,
                eventId: a.eventId,
                ...(a.isMakeup ? { attendType: MAKEUP_ATTEND_TYPE } : {}),
              })),
            )
          : await client.addWorkers(
              b.workers.map((w) => ({
                corpCode: w.corpCode ?? '',
                corpName: w.corpName ?? '',
                teamSysNo: w.teamSysNo ?? '',
                workerName: w.name,
                isTeamLeader: w.isTeamLeader,
                idCardType: w.idType,
                idCardNumber: w.idNumber,
                workType: w.tradeCode,
                workRole: w.role === 'manager' ? '10' : '20',
                payRollBankCardNumber: w.bankCard,
                payRollTopBankCode: w.bankCode,
                hasContract: w.hasContract,
                hasBuyInsurance: w.hasInsurance,
                nation: w.nation,
                address: w.address,
                headImageJpeg: w.headImageJpeg,
                cellPhone: w.phone,
                grantOrg: w.issuingAuthority,
                startDate: w.validFrom,
                expiryDate: w.validTo,
              })),
            );
      outbox.setSerial(ids, serial);
      serialSeen.set(serial, { firstAt: Date.now(), nextPollAt: Date.now() + Math.min(resultPollMs, 50) });
      succeeded();
    } catch (e) {
      if (!isPlatformError(e)) {
        // Local failure building the request (e.g. an unreadable photo): nothing was sent.
        if (b.items.length > 1) refused(b.items, `本地数据无法发送 / cannot build the request: ${(e as Error).message}`);
        else parkItems(b.items, `本地数据无法发送 / cannot build the request: ${(e as Error).message}`);
        return;
      }
      noteFailure(e);
      if (e.delivery === 'ambiguous') {
        outbox.markAmbiguous(ids, errText(e), clock.now() + settleMs);
      } else if (e.retry === 'never') {
        refused(b.items, `平台拒收 / refused by the platform: ${e.detail ?? e.kind}`);
      } else {
        retryLater(b.items, e);
      }
    }
  }

  let teamsNeeded = false;
  let teamsRunning = false;
  /** Registers local teams on the platform (Team.Query by name, else Team.Add) and stores their number. */
  /** Registers local teams the platform does not know yet; returns how many got a number. */
  async function registerTeams(): Promise<number> {
    let registered = 0;
    for (const t of outbox.teamsWithoutPlatformNumber()) {
      const find = async (): Promise<string | null> => (await client.queryTeams(0, t.teamName)).rows.find((r) => r.teamName === t.teamName)?.teamSysNo ?? null;
      let sysNo = await find();
      if (!sysNo) {
        const serial = await client.addTeam({ corpCode: t.corpCode, corpName: t.corpName, teamName: t.teamName });
        for (let i = 0; i < 50; i++) {
          const r = await client.asyncResult(serial, 1);
          if (r.status !== 'waiting') break;
          await new Promise((res) => setTimeout(res, resultPollMs));
        }
        sysNo = await find();
      }
      if (sysNo) {
        registered++;
        outbox.setTeamPlatformNumber(t.teamId, sysNo);
        emit({ type: 'error', kind: 'team_registered', at: clock.now(), message: { zh: `班组「${t.teamName}」已在平台登记`, en: `Team "${t.teamName}" registered on the platform` } });
      }
    }
    succeeded();
    return registered;
  }

  let lastSendAt = 0;
  function dispatchSends(free: number): number {
    if (free <= 0) return 0;
    const items = outbox.claimable(clock.now(), Math.min(SEND_LIMIT_PER_ROUND, free * cfg.attendanceBatchSize));
    if (!items.length) return 0;
    // Linger briefly for a fuller batch while earlier requests are still settling: fewer,
    // larger requests on a slow uplink. An idle worker sends at once.
    if (items.length < cfg.attendanceBatchSize && active.size > 0 && Date.now() - lastSendAt < lingerMs) return 0;
    lastSendAt = Date.now();
    const batches = buildBatches(items).slice(0, free);
    // sendBatch marks its items in flight before its first await, so the next claim skips them.
    for (const b of batches) track('send', sendBatch(b));
    return batches.length;
  }

  async function pollOne(serial: string, items: OutboxItem[]): Promise<number> {
    const seen = serialSeen.get(serial) ?? { firstAt: Date.now(), nextPollAt: 0 };
    serialSeen.set(serial, seen);
    if (Date.now() < seen.nextPollAt) return 0;
    const ordered = [...items].sort((a, b) => a.id - b.id);
    try {
      const r = await client.asyncResult(serial, ordered.length);
      succeeded();
      if (r.status === 'waiting') {
        if (Date.now() - seen.firstAt > resultTimeoutMs) {
          outbox.markAmbiguous(ordered.map((i) => i.id), 'no async result in time', clock.now());
          serialSeen.delete(serial);
        } else seen.nextPollAt = Date.now() + resultPollMs;
        return 0;
      }
      serialSeen.delete(serial);
      const now = clock.now();
      if (r.status === 'succeeded') {
        outbox.markSent(ordered.map((i) => i.id), now);
        for (const i of ordered) solo.delete(i.id);
        emit({ type: 'delivered', kind: ordered[0]?.kind ?? 'attendance', count: ordered.length, at: now });
        return ordered.length;
      }
      if (!r.perItem) {
        const why = r.result || '处理失败';
        if (isTransientItemReason(why, cfg.transientItemPattern)) retryLater(ordered, new Error(`平台暂时无法处理 / platform busy: ${why}`));
        else refused(ordered, `平台拒收 / refused by the platform: ${why}`);
        return 0;
      }
      const failedIdx = new Map(r.failures.map((f) => [f.index, f.reason]));
      const ok: OutboxItem[] = [];
      const again: OutboxItem[] = [];
      ordered.forEach((item, index) => {
        const why = failedIdx.get(index);
        if (why === undefined) ok.push(item);
        else if (isTransientItemReason(why, cfg.transientItemPattern)) again.push(item);
        else parkItems([item], `平台拒收 / refused by the platform: ${why}`);
      });
      outbox.markSent(ok.map((i) => i.id), now);
      if (ok.length) emit({ type: 'delivered', kind: ok[0]?.kind ?? 'attendance', count: ok.length, at: now });
      if (again.length) retryLater(again, new Error(`平台暂时无法处理 / platform busy: ${r.failures[0]?.reason ?? ''}`));
      return ok.length;
    } catch (e) {
      if (!isPlatformError(e)) throw e;
      noteFailure(e);
      if (e.kind === 'bad_parameters') {
        // The platform does not know this serial: find out by query what it stored.
        outbox.markAmbiguous(ordered.map((i) => i.id), errText(e), clock.now());
        serialSeen.delete(serial);
      } else seen.nextPollAt = Date.now() + backoffDelay(2, { baseMs: resultPollMs, maxMs: 30_000 }, random, e.retryAfterMs);
      return 0;
    }
  }

  const polling = new Set<string>();
  let lastPollScan = 0;
  function dispatchPolls(free: number): number {
    if (free <= 0) return 0;
    // The store is scanned for requests awaiting a result at most every few ms.
    if (Date.now() - lastPollScan < Math.min(resultPollMs, 25)) return 0;
    lastPollScan = Date.now();
    const items = outbox.awaitingResult(2000);
    const bySerial = new Map<string, OutboxItem[]>();
    for (const i of items) {
      const s = i.requestSerialCode as string;
      if (polling.has(s)) continue;
      const list = bySerial.get(s) ?? [];
      list.push(i);
      bySerial.set(s, list);
    }
    let n = 0;
    const t = Date.now();
    for (const [serial, list] of bySerial) {
      if (n >= free) break;
      const seen = serialSeen.get(serial);
      if (seen && t < seen.nextPollAt) continue;
      polling.add(serial);
      track(
        'poll',
        pollOne(serial, list).finally(() => polling.delete(serial)),
      );
      n++;
    }
    return n;
  }

  /** Ambiguous outcomes: ask the platform what it holds, then mark sent or send again. */
  const resolving = new Set<number>();
  function dispatchResolves(free: number): number {
    if (free <= 0) return 0;
    const now = clock.now();
    const due = outbox.ambiguous(500).filter((i) => i.nextAttemptAt <= now && !resolving.has(i.id));
    if (!due.length) return 0;
    // Worker enrollments are upserts on the platform: sending again is harmless.
    const idempotent = due.filter((i) => i.kind !== 'attendance');
    if (idempotent.length) outbox.reschedule(idempotent.map((i) => i.id), now, 'resend after an unclear outcome', { countAttempt: false });
    const attItems = due.filter((i) => i.kind === 'attendance');
    const att = outbox.attendanceForPlatform(attItems);
    const missing = attItems.filter((i) => !att.some((a) => a.outboxId === i.id));
    parkItems(missing, '本地记录缺失（人员或考勤已删除） / the local record is missing (worker or event deleted)');
    const groups = new Map<string, AttendanceForPlatform[]>();
    for (const a of att) {
      const key = `${a.idNumber}|${formatDate(a.occurredAt, cfg.timeZone)}`;
      const g = groups.get(key) ?? [];
      g.push(a);
      groups.set(key, g);
    }
    let n = 0;
    for (const list of groups.values()) {
      if (n >= free) break;
      for (const a of list) resolving.add(a.outboxId);
      track(
        'resolve',
        resolveGroup(list).finally(() => {
          for (const a of list) resolving.delete(a.outboxId);
        }),
      );
      n++;
    }
    return n;
  }

  async function resolveGroup(list: AttendanceForPlatform[]): Promise<void> {
    const first = list[0] as AttendanceForPlatform;
    const ids = list.map((a) => a.outboxId);
    try {
      // The platform keeps times to the second and has no record id, so identical-looking
      // records are counted, not just looked up: of the platform's rows with a given (time,
      // direction), those already confirmed for this worker locally are spoken for; only the
      // rest can be the unclear ones.
      const key = (occurredAt: number, direction: string) => `${formatDateTime(occurredAt, cfg.timeZone)}|${direction}`;
      const onPlatform = new Map<string, number>();
      // Every row of the worker's day, paged by what the platform really returns (it may cap
      // the page size) and by totalCount: a row missed here would be sent again.
      const date = formatDate(first.occurredAt, cfg.timeZone);
      const rows = await readAllPages((pageIndex, pageSize) => client.queryAttendance({ date, idCardNumber: first.idNumber, pageIndex, pageSize }), {
        pageSize: cfg.pageSize,
        // A passing failure asks the same page again (a few times) rather than starting over.
        onPageError: async (e, attempt) => {
          if (!isPlatformError(e) || e.retry !== 'backoff' || attempt >= 3) return false;
          if (noteFailure(e)) return false;
          await new Promise((r) => setTimeout(r, backoffDelay(attempt, backoff, random, e.retryAfterMs)));
          return true;
        },
      });
      for (const r of rows) onPlatform.set(`${r.date}|${r.direction}`, (onPlatform.get(`${r.date}|${r.direction}`) ?? 0) + 1);
      succeeded();
      const times = list.map((a) => a.occurredAt);
      const from = Math.min(...times) - 1000;
      const to = Math.max(...times) + 1000;
      for (const s of outbox.sentAttendanceOf(first.workerId, from, to)) {
        const k = key(s.occurredAt, s.direction);
        const left = onPlatform.get(k);
        if (left !== undefined) onPlatform.set(k, left - 1);
      }
      const found: number[] = [];
      for (const a of list) {
        const k = key(a.occurredAt, a.direction);
        const left = onPlatform.get(k) ?? 0;
        if (left > 0) {
          found.push(a.outboxId);
          onPlatform.set(k, left - 1);
        }
      }
      const absent = ids.filter((id) => !found.includes(id));
      const t = clock.now();
      outbox.markSent(found, t);
      if (absent.length) outbox.reschedule(absent, t, 'not on the platform after an unclear outcome: send again', { countAttempt: false });
      emit({ type: 'ambiguous_resolved', found: found.length, resent: absent.length, at: t });
      if (found.length) emit({ type: 'delivered', kind: 'attendance', count: found.length, at: t });
    } catch (e) {
      if (!isPlatformError(e)) throw e;
      noteFailure(e);
      const wait = backoffDelay(2, backoff, random, e.retryAfterMs);
      outbox.markAmbiguous(ids, errText(e), clock.now() + wait);
    }
  }

  const sleep = (ms: number): Promise<void> =>
    new Promise((resolve) => {
      const t = setTimeout(() => {
        if (wakeUp === w) wakeUp = null;
        resolve();
      }, ms);
      const w = (): void => {
        clearTimeout(t);
        if (wakeUp === w) wakeUp = null;
        resolve();
      };
      wakeUp = w;
    });

  const recovered = outbox.recoverAfterCrash(clock.now() + settleMs);
  if (recovered) emit({ type: 'error', kind: 'recovered', at: clock.now(), message: { zh: `上次中断的 ${recovered} 条记录将核对后再发送`, en: `${recovered} interrupted records will be checked before re-sending` } });

  const active = new Set<Promise<void>>();
  const slots = { send: 0, poll: 0, resolve: 0 };
  function track(kind: keyof typeof slots, p: Promise<unknown>): void {
    slots[kind]++;
    const q: Promise<void> = p
      .then(
        () => undefined,
        (e: unknown) => {
          emit({ type: 'error', kind: 'internal', at: clock.now(), message: { zh: `同步内部错误：${(e as Error).message}`, en: `Sync internal error: ${(e as Error).message}` } });
        },
      )
      .finally(() => {
        slots[kind]--;
        active.delete(q);
      });
    active.add(q);
  }
  // Polls and ambiguity checks are small reads: more of them may run at once than writes.
  const pollSlots = Math.max(2, concurrency);
  const resolveSlots = Math.max(2, concurrency * 2);

  const loop = (async () => {
    while (running) {
      let dispatched = 0;
      if (Date.now() >= gateUntil) {
        try {
          dispatched += dispatchResolves(resolveSlots - slots.resolve);
          dispatched += dispatchPolls(pollSlots - slots.poll);
          dispatched += dispatchSends(concurrency - slots.send);
          if (teamsNeeded && !teamsRunning) {
            teamsNeeded = false;
            teamsRunning = true;
            track(
              'resolve',
              registerTeams()
                .then((registered) => {
                  // Items waiting for their team may go now (only if a team got its number:
                  // otherwise they keep waiting and the loop does not cycle on them).
                  if (registered > 0) outbox.releaseWaitingForTeam(clock.now());
                })
                .catch((e: unknown) => {
                  if (isPlatformError(e)) noteFailure(e);
                  else throw e;
                })
                .finally(() => {
                  teamsRunning = false;
                }),
            );
            dispatched++;
          }
        } catch (e) {
          emit({ type: 'error', kind: 'internal', at: clock.now(), message: { zh: `同步内部错误：${(e as Error).message}`, en: `Sync internal error: ${(e as Error).message}` } });
        }
      }
      emitStatus();
      if (!running) break;
      if (active.size === 0) {
        const gate = gateUntil - Date.now();
        await sleep(Math.max(5, gate > 0 ? Math.min(gate, idleMs * 4) : serialSeen.size > 0 ? resultPollMs : idleMs));
      } else if (dispatched === 0 || active.size >= concurrency + pollSlots + resolveSlots) {
        await Promise.race([...active, sleep(Math.max(5, Math.min(resultPollMs, idleMs)))]);
      } else {
        // Never spin: let I/O, timers and the requests just dispatched make progress.
        await new Promise<void>((r) => setImmediate(r));
      }
    }
    await Promise.all([...active]);
  })();

  return {
    status,
    wake() {
      gateUntil = Math.min(gateUntil, Date.now());
      wakeUp?.();
    },
    async drain(timeoutMs) {
      const end = Date.now() + timeoutMs;
      while (Date.now() < end) {
        if (!outbox.hasUndelivered()) return true;
        await new Promise((r) => setTimeout(r, 50));
      }
      return !outbox.hasUndelivered();
    },
    async stop() {
      running = false;
      wakeUp?.();
      await loop;
    },
  };
}
