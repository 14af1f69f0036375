// Public API of edge-core: the domain, the store and the ports. Hosts (app) and adapters
// (drivers, sync) import from here or from ports/ only.
export * from './ports/clock.js';
export * from './crypto/field-cipher.js';
export * from './crypto/device-key.js';
export * from './store/store.js';
export * from './store/errors.js';
export * from './store/migration.js';
export * from './store/audit-log.js';
export * from './store/settings-repo.js';
export * from './store/ledger.js';
export * from './store/ledger-verify.js';
export * from './store/ledger-verify-file.js';
export * from './store/retention.js';
export { GENESIS_HASH, canonicalBytes, entryHash, type LedgerKind } from './store/ledger-codec.js';
export * from './crypto/signing-key.js';
export * from './domain/resident-id.js';
export * from './store/attendance-repo.js';
export * from './store/workers-repo.js';
export * from './store/dashboard-queries.js';
export * from './store/project-repo.js';
export * from './auth/role-pins.js';
export * from './domain/personnel.js';
export * from './domain/trades.js';
export * from './time/site-time.js';
export * from './util/uuidv7.js';
export * from './store/face-template-repo.js';
export * from './face/index.js';
// The rules use their own plain-data types (e.g. AttendanceEvent of a day computation): a namespace.
export * as rules from './rules/index.js';
export * from './gate/lane-controller.js';
export * from './store/gate-directory.js';
export * from './ports/devices.js';
export * from './ports/platform.js';
export * from './store/enrollment-repo.js';
export * from './store/gallery-snapshot-repo.js';
export * from './store/report-queries.js';
export * from './store/outbox-repo.js';
export * from './store/sync-cursor-repo.js';
