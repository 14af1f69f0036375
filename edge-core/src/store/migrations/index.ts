import type { Migration } from '../migration.js';
import { migration0001 } from './0001-initial-schema.js';
import { migration0002 } from './0002-sync-indexes.js';
import { migration0003 } from './0003-signed-ledger.js';
import { migration0004 } from './0004-card-images.js';
import { migration0005 } from './0005-construction-calendar.js';
import { migration0006 } from './0006-visitor-passes.js';
import { migration0007 } from './0007-ledger-identity.js';
import { migration0008 } from './0008-named-accounts.js';
import { migration0009 } from './0009-worker-lifecycle.js';

/** Every migration, in order. Add a new file per change; never edit a released one. */
export const migrations: readonly Migration[] = [
  migration0001,
  migration0002,
  migration0003,
  migration0004,
  migration0005,
  migration0006,
  migration0007,
  migration0008,
  migration0009,
];
