// A write the data store refused, in the words the supervisor and the API caller read: the
// store's typed errors (raw SQLite errors are classified the way the store does) mapped to one
// message code and HTTP status each. Used by /health (store.write) and the API error handler.
import { StoreError, classifySqliteError } from '../../edge-core/src/index.js';
import { MESSAGES, type MessageCode } from '../shared/i18n/messages.js';

const FAILURES: Partial<Record<StoreError['code'], { message: MessageCode; status: 503 | 507 }>> = {
  disk_full: { message: 'store.disk_full', status: 507 },
  read_only: { message: 'store.read_only', status: 503 },
  io: { message: 'store.io_error', status: 503 },
  corrupt: { message: 'store.corrupt', status: 503 },
};

/** The message and status for a store failure, or undefined when `err` is something else. */
export function storeFailure(err: unknown): { code: StoreError['code']; message: MessageCode; status: 503 | 507; zh: string; en: string } | undefined {
  const e = err instanceof StoreError ? err : classifySqliteError(err, 'the database');
  if (!(e instanceof StoreError)) return undefined;
  const f = FAILURES[e.code];
  return f && { code: e.code, ...f, ...MESSAGES[f.message] };
}
