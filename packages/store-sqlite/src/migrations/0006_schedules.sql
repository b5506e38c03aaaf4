-- 0006_schedules: one row per schedule (see ScheduleRecord in core's store.ts). `spec` is the
-- schedule's rule as JSON, kept as given; `version` grows with every write, so a fire applies
-- only to the row it was planned from. The partial index serves the scheduler's due query.
CREATE TABLE schedules (
  name TEXT PRIMARY KEY,
  spec TEXT NOT NULL,
  paused INTEGER NOT NULL,
  next_fire_at INTEGER,
  last_fire_at INTEGER,
  fires INTEGER NOT NULL,
  version INTEGER NOT NULL,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
) WITHOUT ROWID;

CREATE INDEX schedules_due ON schedules (next_fire_at, name) WHERE paused = 0 AND next_fire_at IS NOT NULL;
