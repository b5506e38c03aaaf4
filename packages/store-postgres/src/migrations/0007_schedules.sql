-- 0007_schedules: one row per schedule (see ScheduleRecord in core's store.ts). `spec` is the
-- schedule's rule as JSON text, kept as given; `version` grows with every write, so a fire
-- applies only to the row it was planned from (schedule-advance.sql), whichever server runs it.
-- The partial index serves the schedulers' due query.
CREATE TABLE schedules (
  name         text COLLATE "C" PRIMARY KEY,
  spec         text NOT NULL,
  paused       boolean NOT NULL,
  next_fire_at bigint,
  last_fire_at bigint,
  fires        bigint NOT NULL,
  version      bigint NOT NULL,
  created_at   bigint NOT NULL,
  updated_at   bigint NOT NULL
);

CREATE INDEX schedules_due ON schedules (next_fire_at, name) WHERE NOT paused AND next_fire_at IS NOT NULL;
