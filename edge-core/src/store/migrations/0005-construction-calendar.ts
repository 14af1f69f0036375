// 0005: the construction calendar's marked days (施工日历): a day an admin (or the platform)
// declared as no construction — weather, a stoppage order, a holiday — or as an extra workday
// (调休), each with its reason. One row per date and source: a platform row wins over a local
// one for the same date (the platform's calendar is the one its 80 % figure is computed on),
// and the local mark comes back into force if the platform withdraws its own.
// Every change is audited (calendar.mark / calendar.unmark / calendar.import).
import type { Migration } from '../migration.js';

export const migration0005: Migration = {
  version: 5,
  name: 'construction-calendar',
  up: `
CREATE TABLE calendar_days (
  date TEXT NOT NULL CHECK (date GLOB '[0-9][0-9][0-9][0-9]-[0-1][0-9]-[0-3][0-9]'),  -- site-local YYYY-MM-DD
  source TEXT NOT NULL CHECK (source IN ('local','platform')),
  kind TEXT NOT NULL CHECK (kind IN ('weather','stoppage','holiday','workday')),
  reason TEXT NOT NULL CHECK (length(reason) > 0),
  set_by TEXT NOT NULL,
  updated_at INTEGER NOT NULL,
  PRIMARY KEY (date, source)
);
`,
};
