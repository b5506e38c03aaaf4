/**
 * The store keeps no planner statistics. SQLite's planner reads them from sqlite_stat1 (and
 * sqlite_stat4), written by ANALYZE or `PRAGMA optimize`; they describe the rows of one moment,
 * and a queue's rows swing from a full backlog to none within seconds. Statistics taken while
 * no job was active once made the batch ack (job-complete-many.sql) scan the active index and
 * re-read its JSON argument for every active job instead of looking each job up by seq: a
 * Worker draining 30 000 jobs on a restarted server ran at 8.0 k jobs/s with 120 µs of server
 * CPU per job, against 11.7 k jobs/s and 79 µs on a store without them. The statements are
 * written for SQLite's plans without statistics (queries.sqlite.test.ts checks them), so the
 * store never writes statistics and empties the statistics tables when it opens (an operator's ANALYZE,
 * or a file from a release that ran `PRAGMA optimize` on close).
 */
import type Database from 'better-sqlite3';

/** Empties the statistics tables (SQLite keeps them once created) and makes the planner reload. */
export function dropPlannerStatistics(db: Database.Database): void {
  const tables = db
    .prepare("SELECT name FROM sqlite_schema WHERE type = 'table' AND name LIKE 'sqlite\\_stat%' ESCAPE '\\'")
    .pluck()
    .all() as string[];
  const rows = (table: string): number => db.prepare(`SELECT count(*) FROM "${table}"`).pluck().get() as number;
  if (!tables.some((table) => rows(table) > 0)) return;
  db.transaction(() => {
    for (const table of tables) db.exec(`DELETE FROM "${table}"`);
  }).immediate();
  db.exec('ANALYZE sqlite_schema');
}
