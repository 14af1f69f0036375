// Public API of sync/: the platform client, the outbox worker, roster sync, device heartbeat
// with clock-skew correction, and the platform simulator. The app composes these with the
// edge-core store (OutboxRepo, SyncCursorRepo, WorkersRepo).
export { createPlatformClient } from './platform/client.js';
export type {
  PlatformClient,
  AttendanceInput,
  WorkerInput as PlatformWorkerInput,
  TeamInput as PlatformTeamInput,
  PlatformWorkerRow,
  PlatformAttendanceRow,
  ClientStats,
  ReplyTiming,
} from './platform/client.js';
export { resolvePlatformConfig, PLATFORM_MAX_ATTENDANCE_BATCH, DEFAULT_REFUSAL_METHOD } from './platform/config.js';
export type { PlatformConfig, ResolvedPlatformConfig } from './platform/config.js';
export { PlatformError, isPlatformError } from './platform/errors.js';
export type { PlatformErrorKind, Delivery, RetryAdvice } from './platform/errors.js';
export { sha256Signer, md5Signer, signerByName, canonicalString } from './platform/signer.js';
export type { Signer } from './platform/signer.js';
export { aesFieldCrypto, desFieldCrypto, fieldCryptoByName, FieldCryptoError } from './platform/field-crypto.js';
export type { FieldCrypto, FieldCryptoName, KeyFit } from './platform/field-crypto.js';
export { fitJpegForPlatform } from './platform/photo.js';
export { parseAsyncResult } from './platform/async-result.js';
export type { AsyncResult, ItemFailure } from './platform/async-result.js';

export { startOutboxWorker } from './outbox/outbox-worker.js';
export type { OutboxWorker, OutboxWorkerOptions } from './outbox/outbox-worker.js';
export type { HeartbeatOutcome } from './outbox/connectivity.js';
export { readAllPages } from './platform/paging.js';
export { backoffDelay, DEFAULT_BACKOFF } from './outbox/backoff.js';

export { pullRoster, ROSTER_CURSOR } from './roster/roster-pull.js';
export type { RosterPullOptions, RosterPullResult } from './roster/roster-pull.js';
export { createRosterSink } from './roster/roster-sink.js';
export { startRosterSync } from './roster/roster-sync.js';
export type { RosterSync } from './roster/roster-sync.js';

export { CorrectedClock } from './device/corrected-clock.js';
export { startHeartbeat, heartbeatOnce, estimateSkew } from './device/heartbeat.js';
export type { HeartbeatOptions, HeartbeatResult, RemoteCommand, CommandOutcome, CommandAck } from './device/heartbeat.js';

export { startPlatformSimulator, DEFAULT_SIM_APP, ALL_METHODS } from '../simulator/server.js';
export type { PlatformSimulator, SimulatorOptions, SimApp, SimStats, SimCommand } from '../simulator/server.js';
export { FAULT_KINDS } from '../simulator/faults.js';
export type { FaultKind, FaultSpec, RandomFaults } from '../simulator/faults.js';

export { pullPlatformCalendar, readCalendarRow, DEFAULT_CALENDAR_METHOD } from './calendar/calendar-pull.js';
export type { PlatformCalendarDay, CalendarPullResult, CalendarPullOptions, PlatformDayKind } from './calendar/calendar-pull.js';
