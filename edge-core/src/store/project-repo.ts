// The one project this appliance serves, and its lanes.
import type { Store } from './store.js';

export interface Project {
  code: string;
  name: string;
  timeZone: string;
  lng: number | null;
  lat: number | null;
}

export interface Lane {
  id: string;
  name: string;
  directionMode: 'in' | 'out' | 'both';
  enabled: boolean;
  /** Where the lane's frames come from (from the configuration, not stored): the kiosk's browser camera or a camera the core reads. */
  camera?: 'browser' | 'core';
}

export class ProjectRepo {
  constructor(private readonly store: Store) {}

  get(): Project | null {
    return (
      (this.store.db.prepare('SELECT code, name, time_zone AS timeZone, lng, lat FROM project WHERE id = 1').get() as Project | undefined) ??
      null
    );
  }

  upsert(p: Project): void {
    this.store.db
      .prepare(
        `INSERT INTO project (id, code, name, time_zone, lng, lat, updated_at) VALUES (1, @code, @name, @timeZone, @lng, @lat, @now)
         ON CONFLICT(id) DO UPDATE SET code = excluded.code, name = excluded.name, time_zone = excluded.time_zone,
           lng = excluded.lng, lat = excluded.lat, updated_at = excluded.updated_at`,
      )
      .run({ ...p, now: this.store.clock.now() });
  }

  lanes(): Lane[] {
    return (
      this.store.db.prepare('SELECT id, name, direction_mode AS directionMode, enabled FROM lanes ORDER BY id').all() as Array<
        Omit<Lane, 'enabled'> & { enabled: number }
      >
    ).map((l) => ({ ...l, enabled: l.enabled === 1 }));
  }

  upsertLane(l: Lane): void {
    this.store.db
      .prepare(
        `INSERT INTO lanes (id, name, direction_mode, enabled) VALUES (@id, @name, @directionMode, @enabled)
         ON CONFLICT(id) DO UPDATE SET name = excluded.name, direction_mode = excluded.direction_mode, enabled = excluded.enabled`,
      )
      .run({ ...l, enabled: l.enabled ? 1 : 0 });
  }
}
