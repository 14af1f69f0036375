// An outbox worker on short timers for scenario tests against the simulator (real store, real
// HTTP): settles, polls and backs off in tens of milliseconds.
import type { OutboxStorePort, SyncProgressEvent } from '../../../edge-core/src/ports/platform.js';
import { startOutboxWorker, type OutboxWorker } from '../../src/outbox/outbox-worker.js';
import type { PlatformClient } from '../../src/platform/client.js';

export function startFastWorker(outbox: OutboxStorePort, client: PlatformClient, onProgress: (e: SyncProgressEvent) => void): OutboxWorker {
  return startOutboxWorker({
    outbox,
    client,
    clock: { now: () => Date.now() },
    onProgress,
    settleMs: 50,
    idleMs: 30,
    resultPollMs: 20,
    backoff: { baseMs: 20, maxMs: 200 },
    offlineProbe: { baseMs: 20, maxMs: 100 },
    blockedProbe: { baseMs: 50, maxMs: 100 },
  });
}
