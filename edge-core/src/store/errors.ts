// Typed store failures, each with the fix a site's IT person can apply.
export class StoreError extends Error {
  constructor(
    message: string,
    readonly code: 'corrupt' | 'disk_full' | 'read_only' | 'key_mismatch' | 'schema_too_new' | 'io',
    readonly fix: string,
  ) {
    super(`${message} — ${fix}`);
    this.name = 'StoreError';
  }
}

interface SqliteLikeError {
  code?: string;
  message?: string;
}

/** Maps a better-sqlite3 error to a StoreError with a clear message, or returns it unchanged. */
export function classifySqliteError(err: unknown, path: string): unknown {
  const e = err as SqliteLikeError;
  // better-sqlite3 reports extended result codes (SQLITE_IOERR_WRITE, SQLITE_READONLY_DBMOVED…);
  // they are classified by their primary code.
  // The shared WAL index could not grow: on a full disk, not a failing one.
  const primary = e?.code === 'SQLITE_IOERR_SHMSIZE' ? 'SQLITE_FULL' : /^SQLITE_[A-Z]+/.exec(e?.code ?? '')?.[0];
  switch (primary) {
    case 'SQLITE_FULL':
      return new StoreError(`the disk holding ${path} is full`, 'disk_full', 'free disk space (old photos, logs, backups); no committed record was lost');
    case 'SQLITE_READONLY':
    case 'SQLITE_CANTOPEN':
      return new StoreError(
        `cannot write the database ${path} (${e.code})`,
        'read_only',
        'check that the data directory exists, is writable by the SiteGate user and the disk is not mounted read-only',
      );
    case 'SQLITE_CORRUPT':
    case 'SQLITE_NOTADB':
      return new StoreError(`the database ${path} is corrupted (${e.code})`, 'corrupt', 'restart SiteGate: it sets the file aside and restores the last backup');
    case 'SQLITE_IOERR':
      return new StoreError(`disk I/O error on ${path}`, 'io', 'check the disk (SMART, cables); restart SiteGate afterwards');
    default:
      return err;
  }
}
