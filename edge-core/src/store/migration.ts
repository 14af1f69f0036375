// Numbered schema migrations, one per file under migrations/. Each runs in its own
// transaction; the applied set is recorded in schema_migrations.
import type Database from 'better-sqlite3';

export interface Migration {
  version: number;
  name: string;
  up: string;
}

export class MigrationError extends Error {
  override name = 'MigrationError';
}

export function appliedVersion(db: Database.Database): number {
  db.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
    version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at INTEGER NOT NULL)`);
  const row = db.prepare('SELECT MAX(version) AS v FROM schema_migrations').get() as { v: number | null };
  return row.v ?? 0;
}

export function migrate(db: Database.Database, migrations: readonly Migration[], now: () => number): number[] {
  const sorted = [...migrations].sort((a, b) => a.version - b.version);
  sorted.forEach((m, i) => {
    if (m.version !== i + 1) throw new MigrationError(`migrations must be numbered 1..n without gaps; found ${m.version} at ${i + 1}`);
  });
  const current = appliedVersion(db);
  if (current > sorted.length) {
    throw new MigrationError(
      `database schema version ${current} is newer than this software (${sorted.length}); install the newer SiteGate or restore an older backup`,
    );
  }
  const ran: number[] = [];
  for (const m of sorted.slice(current)) {
    db.transaction(() => {
      db.exec(m.up);
      db.prepare('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)').run(m.version, m.name, now());
    })();
    ran.push(m.version);
  }
  return ran;
}
