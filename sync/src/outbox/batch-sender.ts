// Sending: claims due items, plans them into requests (batch-planner.ts), sorts out what cannot
// go yet, and sends each batch. An item is marked in flight (committed) before its request
// leaves; an accepted request stores its serial code for the result poller; a request with an
// unclear outcome becomes ambiguous and is resolved by query after `settleMs` (a late write
// lands first); refused data is split or parked; other failures retry later.
import type { Clock } from '../../../edge-core/src/ports/clock.js';
import type { OutboxStorePort } from '../../../edge-core/src/ports/platform.js';
import { outboxError } from '../../../edge-core/src/ports/platform.js';
import type { PlatformClient } from '../platform/client.js';
import { isPlatformError, type PlatformError } from '../platform/errors.js';
import { planBatches, type Batch } from './batch-planner.js';
import { errCode, type ItemOutcomes } from './item-outcomes.js';
import type { ResultPoller } from './result-poller.js';
import type { TeamRegistrar } from './team-registrar.js';

const SEND_LIMIT_PER_ROUND = 200;

export interface BatchSenderOptions {
  outbox: OutboxStorePort;
  client: PlatformClient;
  clock: Clock;
  outcomes: ItemOutcomes;
  poller: ResultPoller;
  teams: TeamRegistrar;
  /** Wait before resolving an unclear outcome. */
  settleMs: number;
  /** Retry delay of records whose team is not registered on the platform yet. */
  teamWaitMs: number;
  /** Wait up to this long for a full batch while other requests are in flight. */
  lingerMs: number;
  attempted: () => void;
  succeeded: () => void;
  failed: (e: PlatformError) => void;
}

export class BatchSender {
  #lastSendAt = Number.NEGATIVE_INFINITY;

  constructor(private readonly o: BatchSenderOptions) {}

  /** Claims, plans and starts up to `free` requests; `busy`: other requests are in flight. */
  dispatch(free: number, busy: boolean): Array<Promise<void>> {
    if (free <= 0) return [];
    const { outbox, client, clock, outcomes } = this.o;
    const cfg = client.config;
    const now = clock.now();
    const items = outbox.claimable(now, Math.min(SEND_LIMIT_PER_ROUND, free * cfg.attendanceBatchSize));
    if (!items.length) return [];
    // Linger briefly for a fuller batch while earlier requests are still settling: fewer,
    // larger requests on a slow uplink. An idle worker sends at once.
    if (items.length < cfg.attendanceBatchSize && busy && now - this.#lastSendAt < this.o.lingerMs) return [];
    this.#lastSendAt = now;
    const plan = planBatches(
      items,
      outbox.attendanceForPlatform(items),
      outbox.workersForPlatform(items),
      { attendanceBatchSize: cfg.attendanceBatchSize, workerBatchSize: cfg.workerBatchSize, entryExitBatchSize: cfg.entryExitBatchSize, solo: outcomes.solo },
      outbox.workerChangesForPlatform(items),
      outbox.refusalsForPlatform(items),
    );
    outcomes.park(plan.missing, '本地记录缺失（人员或考勤已删除） / the local record is missing (worker or event deleted)');
    if (plan.unsupported.length) outbox.reschedule(plan.unsupported.map((i) => i.id), now + 3600_000, outboxError('kind_unsupported', { kind: plan.unsupported[0]?.kind }), { countAttempt: false });
    outcomes.park(plan.teamless, '人员未分配班组，平台无法登记；分配班组后点“重试” / the worker has no team, which the platform requires; assign one, then retry');
    if (plan.waitingForTeam.length) {
      // Waits (not parked): the team gets its platform number once it is registered there.
      this.o.teams.request();
      outbox.reschedule(
        plan.waitingForTeam.map((i) => i.id),
        now + this.o.teamWaitMs,
        outboxError('waiting_for_team'),
        { countAttempt: false },
      );
    }
    // send() marks its items in flight before its first await, so the next claim skips them.
    return plan.batches.slice(0, free).map((b) => this.send(b));
  }

  /** The batch's one request; resolves with the platform's serial code. */
  #request(b: Batch): Promise<string> {
    const { client } = this.o;
    const placed = <T extends { teamSysNo: string | null; corpCode: string | null; corpName: string | null }>(w: T) => ({ ...w, teamSysNo: w.teamSysNo ?? '', corpCode: w.corpCode ?? '', corpName: w.corpName ?? '' });
    switch (b.kind) {
      case 'attendance':
        return client.addAttendance(b.teamSysNo, b.attendance);
      case 'worker':
        return client.addWorkers(b.workers.map(placed));
      case 'worker_update':
        return client.updateWorkers(b.changes.map(placed));
      case 'refusal':
        return client.addRefusals(b.refusals);
      case 'entry_exit': {
        const first = placed(b.changes[0] ?? { teamSysNo: b.teamSysNo, corpCode: null, corpName: null });
        return client.addEntryExit(
          { teamSysNo: first.teamSysNo, corpCode: first.corpCode, corpName: first.corpName },
          b.changes.map((c) => ({ idType: c.idType, idNumber: c.idNumber, date: c.date, action: c.action === 'entry' ? 'entry' : 'exit' })),
        );
      }
    }
  }

  async send(b: Batch): Promise<void> {
    const { outbox, clock, outcomes } = this.o;
    const ids = b.items.map((i) => i.id);
    outbox.markInflight(ids, clock.now());
    this.o.attempted();
    try {
      const serial = await this.#request(b);
      outbox.setSerial(ids, serial);
      this.o.poller.accepted(serial);
      this.o.succeeded();
    } catch (e) {
      if (!isPlatformError(e)) {
        // Local failure building the request (e.g. an unreadable photo): nothing was sent.
        const why = `本地数据无法发送 / cannot build the request: ${(e as Error).message}`;
        if (b.items.length > 1) outcomes.refused(b.items, why);
        else outcomes.park(b.items, why);
        return;
      }
      if (b.kind === 'refusal' && e.kind === 'no_permission') {
        // The platform does not offer the refusal method (−3): the refusals wait, parked, for
        // the supervisor (a method name to configure, a permission to ask for); the link and
        // every other record go on (decision 0012).
        outcomes.park(b.items, `平台未开通拒绝通行记录接口 ${this.o.client.config.refusalMethod}（${e.detail ?? '-3'}）；请核对配置项 platform.refusalUpload.method 或联系平台管理员，之后点“重试” / the platform does not offer the refusal method ${this.o.client.config.refusalMethod}; check platform.refusalUpload.method or ask its administrator, then retry`);
        return;
      }
      this.o.failed(e);
      if (e.delivery === 'ambiguous') outbox.markAmbiguous(ids, errCode(e), clock.now() + this.o.settleMs);
      else if (e.retry === 'never') outcomes.refused(b.items, `平台拒收 / refused by the platform: ${e.detail ?? e.kind}`);
      else outcomes.retryLater(b.items, e);
    }
  }
}
